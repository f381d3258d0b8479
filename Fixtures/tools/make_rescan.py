#!/usr/bin/env python3
"""Fixtures/rescan/: a page the recogniser finds nothing on (a sheet scanned blank: the wrong side,
or a page that did not feed), which ingest flags "needs re-scan". The server tests list it on the
re-scan page. A white 8-bit grey PNG, 1240 x 1754 (A4 at 150 dpi, pHYs set), written with zlib:
the same bytes on every run."""
import os, struct, zlib

OUT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "rescan")


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def blank_png(width, height, dpi):
    raw = b"".join(b"\x00" + b"\xff" * width for _ in range(height))
    ppm = round(dpi / 0.0254)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"pHYs", struct.pack(">IIB", ppm, ppm, 1)) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "blank-page.png"), "wb") as f:
        f.write(blank_png(1240, 1754, 150))
    print("Fixtures/rescan/blank-page.png")
