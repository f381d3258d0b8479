#!/usr/bin/env python3
"""Writes Fixtures/bad/bomb.zip: a decompression bomb beside a good page.

  page-1.png  the first page image of boxes/box-folder (a real scan, stored)
  zeros.png   200 MiB of zero bytes, deflated to ~200 KB (refused as `zip-bomb` once it
              inflates past 64 MiB at more than 100x its compressed size)

Deterministic: fixed timestamps, fixed compression level. Run by Fixtures/generate.sh.
"""
import os
import zipfile

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    folder = os.path.join(HERE, "boxes", "box-folder")
    page = sorted(f for f in os.listdir(folder) if f.endswith(".png"))[0]
    with open(os.path.join(folder, page), "rb") as f:
        page_bytes = f.read()
    out = os.path.join(HERE, "bad", "bomb.zip")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        first = zipfile.ZipInfo("page-1.png", date_time=(2026, 1, 1, 0, 0, 0))
        first.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(first, page_bytes)
        bomb = zipfile.ZipInfo("zeros.png", date_time=(2026, 1, 1, 0, 0, 0))
        bomb.compress_type = zipfile.ZIP_DEFLATED
        with z.open(bomb, "w", force_zip64=True) as w:
            chunk = b"\0" * (1 << 20)
            for _ in range(200):
                w.write(chunk)
    print(f"wrote {out} ({os.path.getsize(out)} bytes)")


if __name__ == "__main__":
    main()
