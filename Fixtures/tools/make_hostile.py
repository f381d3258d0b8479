#!/usr/bin/env python3
"""Writes Fixtures/hostile/: hostile and broken boxes, one case each, and cases.json, the
outcome the tests assert for every case.

Every box that can hold one carries `good.png` (a crop of a real fixture scan) beside the bad
thing, so each case also shows that the rest of the box still ingests. Entry names that point
outside the box contain `sijill-canary`, so a test can look for anything written under such a
name anywhere.

Python stdlib only, plus ImageMagick `convert` ($CONVERT, default /usr/bin/convert) to crop
the good pages and make one small JPEG and TIFF. Deterministic: fixed dates, fixed seeds.
Run by Fixtures/generate.sh.

cases.json: a list of
  name          the case (unique; several cases may read the same box with other limits)
  box           file name under hostile/
  what          what the case is
  limits        optional ingest limits for this case (max_entries, max_entry_bytes, max_ratio,
                bomb_floor, max_pixels, max_pages_per_file)
  refused       null when the box is imported, else the box-level error code
                ("too-many-entries", "archive-damaged", "cannot-open", "manifest")
  error         for a refused box: words the error message must contain
  entries       entry name -> "stored" | "duplicate" | "ignored" | "manifest" | a rejection code
  records_added how many records the box adds to an empty archive
  notes         optional: entry name -> words that the entry's report notes must contain
"""
import gzip
import io
import json
import os
import random
import shutil
import struct
import subprocess
import tarfile
import tempfile
import zipfile
import zlib

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(HERE, "hostile")
CONVERT = os.environ.get("CONVERT", "/usr/bin/convert")
DATE = (2026, 1, 1, 0, 0, 0)
MTIME = 1767225600
CANARY = "sijill-canary"

cases = []


def case(box, what, entries=None, refused=None, error=None, records_added=0, limits=None, name=None, notes=None):
    c = {"name": name or box, "box": box, "what": what, "refused": refused, "entries": entries or {}, "records_added": records_added}
    if notes:
        c["notes"] = notes
    if error:
        c["error"] = error
    if limits:
        c["limits"] = limits
    cases.append(c)


# ---------------------------------------------------------------------------- building blocks

def convert(args):
    subprocess.run([CONVERT, *args], check=True, capture_output=True)


def pages():
    """Small real scans: two different crops (header lines) of fixture pages, a JPEG and a TIFF."""
    tmp = tempfile.mkdtemp()
    folder = os.path.join(HERE, "boxes", "box-folder")
    out = {}
    strip = ["-strip", "-define", "png:exclude-chunks=date,time"]
    convert([os.path.join(folder, "letter-77851.png"), "-crop", "1748x200+0+120", "+repage", *strip,
             os.path.join(tmp, "good.png")])
    convert([os.path.join(folder, "file-57231", "scan-02.png"), "-crop", "1748x200+0+120", "+repage", *strip,
             os.path.join(tmp, "good2.png")])
    convert([os.path.join(tmp, "good2.png"), "-quality", "70", "-strip", os.path.join(tmp, "good.jpg")])
    convert([os.path.join(tmp, "good.png"), "-threshold", "60%", "-compress", "Group4", "-strip",
             os.path.join(tmp, "good.tif")])
    for name in ("good.png", "good2.png", "good.jpg", "good.tif"):
        with open(os.path.join(tmp, name), "rb") as f:
            out[name] = f.read()
    shutil.rmtree(tmp)
    return out


def zinfo(name, stored=False):
    zi = zipfile.ZipInfo(name, date_time=DATE)
    zi.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    zi.external_attr = 0o100644 << 16
    zi.create_system = 3
    return zi


def write_zip(name, items, patch=None, flags=None):
    """items: (name, bytes) or (name, bytes, ZipInfo-tweak). `patch` replaces placeholder bytes
    in names afterwards (same length), for names zipfile will not write; `flags` ORs general
    purpose bits into an entry's local and central headers (zipfile resets them)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for item in items:
            zi = zinfo(item[0])
            if len(item) > 2:
                item[2](zi)
            z.writestr(zi, item[1])
    data = buf.getvalue()
    for old, new in (patch or {}).items():
        assert len(old) == len(new) and data.count(old) == 2, old
        data = data.replace(old, new)
    data = bytearray(data)
    for entry, bits in (flags or {}).items():
        for sig, flag_at, name_at in ((b"PK\x03\x04", 6, 30), (b"PK\x01\x02", 8, 46)):
            i = data.find(sig)
            while i >= 0:
                if data[i + name_at:i + name_at + len(entry)] == entry:
                    data[i + flag_at] |= bits
                i = data.find(sig, i + 1)
    write(name, bytes(data))


def tinfo(name, size=0, kind="file", link=""):
    ti = tarfile.TarInfo(name)
    ti.mtime = MTIME
    ti.mode = 0o644
    ti.uname = ti.gname = "scanner"
    ti.size = size
    ti.type = {"file": tarfile.REGTYPE, "dir": tarfile.DIRTYPE, "sym": tarfile.SYMTYPE, "hard": tarfile.LNKTYPE,
               "fifo": tarfile.FIFOTYPE, "chr": tarfile.CHRTYPE, "blk": tarfile.BLKTYPE}[kind]
    if kind in ("sym", "hard"):
        ti.linkname = link
    if kind == "dir":
        ti.mode = 0o755
    return ti


def tar_bytes(items, fmt=tarfile.PAX_FORMAT):
    """items: (name, bytes) for files, or (TarInfo,) for anything else."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=fmt, encoding="utf-8", errors="surrogateescape") as t:
        for item in items:
            if isinstance(item[0], tarfile.TarInfo):
                t.addfile(item[0])
            else:
                t.addfile(tinfo(item[0], len(item[1])), io.BytesIO(item[1]))
    return buf.getvalue()


def gz(data):
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=MTIME, compresslevel=9) as g:
        g.write(data)
    return buf.getvalue()


def write(name, data):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


def png_chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def png(width, height, idat):
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", idat) + png_chunk(b"IEND", b"")


def tiff_header_only(width, height):
    """A little-endian bilevel TIFF whose header claims width x height, with one tiny strip."""
    entries = [(256, 4, 1, width), (257, 4, 1, height), (258, 3, 1, 1), (259, 3, 1, 1), (262, 3, 1, 0),
               (273, 4, 1, 8 + 2 + 12 * 8 + 4), (278, 4, 1, height), (279, 4, 1, 16)]
    ifd = struct.pack("<H", len(entries))
    for tag, kind, count, value in entries:
        ifd += struct.pack("<HHI", tag, kind, count) + (struct.pack("<HH", value, 0) if kind == 3 else struct.pack("<I", value))
    ifd += struct.pack("<I", 0)
    return b"II*\x00" + struct.pack("<I", 8) + ifd + b"\x00" * 16


def blank_multipage_tiff(width, height, pages):
    """A multi-page Group 4 TIFF of blank pages: one V0 code (a 1 bit) per row, so a 100-megapixel
    page costs ~1.3 KB in the file and 12.5 MB decoded."""
    strip = b"\xff" * ((height + 7) // 8) + b"\x00\x10\x01\x00\x10\x01"  # rows, then EOFB
    out = bytearray(b"II*\x00" + struct.pack("<I", 0))
    link = 4
    for _ in range(pages):
        data_at = len(out)
        out += strip + (b"\0" if len(strip) % 2 else b"")
        struct.pack_into("<I", out, link, len(out))
        entries = [(256, 4, 1, width), (257, 4, 1, height), (258, 3, 1, 1), (259, 3, 1, 4), (262, 3, 1, 0),
                   (273, 4, 1, data_at), (277, 3, 1, 1), (278, 4, 1, height), (279, 4, 1, len(strip))]
        out += struct.pack("<H", len(entries))
        for tag, kind, count, value in entries:
            out += struct.pack("<HHI", tag, kind, count) + (struct.pack("<HH", value, 0) if kind == 3 else struct.pack("<I", value))
        link = len(out)
        out += struct.pack("<I", 0)
    return bytes(out)


def jpeg_with_size(jpeg, width, height):
    """Rewrites the SOF0/SOF2 frame size of a real JPEG."""
    data = bytearray(jpeg)
    i = 2
    while i < len(data):
        marker = data[i + 1]
        length = struct.unpack(">H", data[i + 2:i + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2):
            data[i + 5:i + 9] = struct.pack(">HH", height, width)
            return bytes(data)
        i += 2 + length
    raise SystemExit("no SOF marker")


MANIFEST_HEADER = "file,series,agency,date,title,reference"


def manifest_box(box, what, manifest, entries, refused=None, error=None, records_added=0, extra=()):
    write_zip(box, [("manifest.csv", manifest), ("good.png", P["good.png"]), ("good2.png", P["good2.png"]), *extra])
    case(box, what, entries, refused=refused, error=error, records_added=records_added)


# ---------------------------------------------------------------------------- the cases

def archive_cases():
    good = ("good.png", P["good.png"])

    # Decompression bombs.
    def zeros(zi):
        zi.compress_type = zipfile.ZIP_DEFLATED
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compresslevel=9) as z:
        z.writestr(zinfo("good.png"), P["good.png"])
        with z.open(zinfo("zeros.png"), "w", force_zip64=True) as w:
            for _ in range(80):
                w.write(b"\0" * (1 << 20))
    bomb = buf.getvalue()
    write("zip-bomb.zip", bomb)
    case("zip-bomb.zip", "an entry of 80 MiB of zeros deflated ~1000x (past the 64 MiB floor)",
         {"good.png": "stored", "zeros.png": "zip-bomb"}, records_added=1)
    case("zip-bomb.zip", "the same bomb with the ratio check from 1 MiB (configurable floor and ratio)",
         {"good.png": "stored", "zeros.png": "zip-bomb"}, records_added=1,
         limits={"bomb_floor": 1 << 20, "max_ratio": 20}, name="zip-bomb-low-floor")
    case("zip-bomb.zip", "a configured entry size limit below the bomb's size and above the page's",
         {"good.png": "stored", "zeros.png": "entry-too-large"}, records_added=1,
         limits={"max_entry_bytes": 4 << 20}, name="entry-over-size-limit")
    write("tar-bomb.tar.gz", gz(tar_bytes([good, ("zeros.png", b"\0" * (80 << 20))])))
    case("tar-bomb.tar.gz", "a gzip-compressed tar holding 80 MiB of zeros (the ratio applies to the stream)",
         {"good.png": "stored", "zeros.png": "zip-bomb"}, records_added=1)

    # Nested archives: never opened.
    inner_zip = io.BytesIO()
    with zipfile.ZipFile(inner_zip, "w") as z:
        z.writestr(zinfo("inner-page.png"), P["good2.png"])
    write_zip("nested.zip", [good, ("inner.zip", inner_zip.getvalue()),
                             ("inner.tar.gz", gz(tar_bytes([("p.png", P["good2.png"])]))),
                             ("bomb-inside.zip", bomb),
                             ("inner.tar", tar_bytes([("p.png", P["good2.png"])]))])
    case("nested.zip", "archives inside the box (zip, tar.gz, tar, and a zip bomb inside a zip)",
         {"good.png": "stored", "inner.zip": "nested-archive", "inner.tar.gz": "nested-archive",
          "bomb-inside.zip": "nested-archive", "inner.tar": "nested-archive"}, records_added=1)

    # Many tiny entries.
    tiny = [good] + [(f"tiny/{i:05d}.txt", b"x") for i in range(10_000)]
    many = gz(tar_bytes(tiny, fmt=tarfile.USTAR_FORMAT))
    write("many-entries.tar.gz", many)
    case("many-entries.tar.gz", "10,001 entries: 10,000 one-byte text files beside a page (under the default limit)",
         {"good.png": "stored", "tiny/00000.txt": "not-an-image", "tiny/09999.txt": "not-an-image"}, records_added=1)
    case("many-entries.tar.gz", "the same box with --max-entries 1000: refused whole, nothing stored",
         {}, refused="too-many-entries", error="more than 1000 entries", limits={"max_entries": 1000},
         name="many-entries-over-limit")

    # Hostile names.
    write_zip("dotdot.zip", [good, (f"../{CANARY}-1.png", P["good2.png"]),
                             (f"a/../../{CANARY}-2.png", P["good2.png"]),
                             (f"a/./b/../../../{CANARY}-3.png", P["good2.png"])])
    case("dotdot.zip", "names climbing out of the box with ..",
         {"good.png": "stored", f"../{CANARY}-1.png": "unsafe-path", f"a/../../{CANARY}-2.png": "unsafe-path",
          f"a/./b/../../../{CANARY}-3.png": "unsafe-path"}, records_added=1)
    write("absolute.tar", tar_bytes([good, (f"/tmp/{CANARY}-abs.png", P["good2.png"]),
                                     (f"C:\\temp\\{CANARY}-drive.png", P["good2.png"]),
                                     (f"//server/share/{CANARY}-unc.png", P["good2.png"]),
                                     (f"..\\{CANARY}-backslash.png", P["good2.png"])]))
    case("absolute.tar", "absolute names (/tmp/..., C:\\..., //server/share/...) and ..\\ with a backslash",
         {"good.png": "stored", f"/tmp/{CANARY}-abs.png": "unsafe-path",
          f"C:\\temp\\{CANARY}-drive.png": "unsafe-path", f"//server/share/{CANARY}-unc.png": "unsafe-path",
          f"..\\{CANARY}-backslash.png": "unsafe-path"},
         records_added=1)
    write("links.tar", tar_bytes([good, (tinfo("passwd.png", kind="sym", link="/etc/passwd"),),
                                  (tinfo("up", kind="sym", link=".."),),
                                  (tinfo("relative.png", kind="sym", link="good.png"),),
                                  (tinfo("hard.png", kind="hard", link="good.png"),),
                                  (tinfo("hard-shadow.png", kind="hard", link="/etc/shadow"),)]))
    case("links.tar", "symbolic links (absolute, to .., relative) and hard links (to an entry, to /etc/shadow)",
         {"good.png": "stored", "passwd.png": "link", "up": "link", "relative.png": "link", "hard.png": "link",
          "hard-shadow.png": "link"}, records_added=1)

    def symlink(zi):
        zi.external_attr = (0o120777 << 16)
    write_zip("symlink.zip", [good, ("etc-passwd.png", b"/etc/passwd", symlink)])
    case("symlink.zip", "a symbolic link stored in a zip (Unix mode bits)",
         {"good.png": "stored", "etc-passwd.png": "link"}, records_added=1)
    write("special-files.tar", tar_bytes([good, (tinfo("fifo.png", kind="fifo"),), (tinfo("tty.png", kind="chr"),),
                                          (tinfo("disk.png", kind="blk"),)]))
    case("special-files.tar", "a named pipe and two device nodes",
         {"good.png": "stored", "fifo.png": "not-regular-file", "tty.png": "not-regular-file",
          "disk.png": "not-regular-file"}, records_added=1)
    write_zip("nul-name.zip", [good, ("evil.png#.txt", P["good2.png"])], patch={b"evil.png#.txt": b"evil.png\0.txt"})
    case("nul-name.zip", "an entry name with a NUL byte in the middle ('evil.png\\0.txt')",
         {"good.png": "stored", "evil.png": "unsafe-path"}, records_added=1)
    write_zip("invalid-utf8.zip", [good, ("bad-##.png", P["good2.png"])], patch={b"bad-##.png": b"bad-\xff\xfe.png"})
    case("invalid-utf8.zip", "a zip entry name with bytes that are not UTF-8 (0xFF 0xFE), no UTF-8 flag",
         {"good.png": "stored", "bad-\ufffd\ufffd.png": "unsafe-path"}, records_added=1)
    write("invalid-utf8.tar", tar_bytes([good, ("bad-\udcff\udcfe.png", P["good2.png"])], fmt=tarfile.GNU_FORMAT))
    case("invalid-utf8.tar", "a tar entry name with bytes that are not UTF-8",
         {"good.png": "stored", "bad-\ufffd\ufffd.png": "unsafe-path"}, records_added=1)
    write_zip("control-names.zip", [good, ("bell\x07.png", P["good2.png"]), ("line\nbreak.png", P["good2.png"]),
                                    ("gnp.\u202eexe.png", P["good2.png"]), ("del\x7f.png", P["good2.png"])])
    case("control-names.zip", "names with a control character, a line break, a right-to-left override, DEL",
         {"good.png": "stored", "bell\x07.png": "unsafe-path", "line\nbreak.png": "unsafe-path",
          "gnp.\u202eexe.png": "unsafe-path", "del\x7f.png": "unsafe-path"}, records_added=1)
    long_name = "d" * 300 + "/page.png"
    deep = "/".join(["x"] * 600) + ".png"
    write("long-names.tar", tar_bytes([good, (long_name, P["good2.png"]), (deep, P["good2.png"])]))
    case("long-names.tar", "a 300-byte folder name and a 1,200-byte path",
         {"good.png": "stored", long_name: "unsafe-path", deep: "unsafe-path"}, records_added=1)
    write_zip("duplicate-names.zip", [good, ("dup.png", P["good2.png"]), ("dup.png", P["good.jpg"]),
                                      ("caf\u00e9.png", P["good.tif"]), ("cafe\u0301.png", P["good.jpg"])])
    case("duplicate-names.zip", "the same name twice, and one name in NFC and NFD (the same after normalisation)",
         {"good.png": "stored", "dup.png": "duplicate-name", "caf\u00e9.png": "stored",
          "cafe\u0301.png": "duplicate-name"}, records_added=3)

    # Truncated and corrupt archives: nothing imported, the error says where.
    two = io.BytesIO()
    with zipfile.ZipFile(two, "w") as z:
        z.writestr(zinfo("good.png", stored=True), P["good.png"])
        z.writestr(zinfo("good2.png", stored=True), P["good2.png"])
    data = two.getvalue()
    write("truncated.zip", data[: len(data) * 6 // 10])
    case("truncated.zip", "a zip cut at 60 %: no central directory, the second entry cut short",
         {"good.png": "archive-damaged"}, refused="archive-damaged", error="truncated.zip")
    tar2 = tar_bytes([good, ("good2.png", P["good2.png"])])
    cut = len(tar2) - len(P["good2.png"]) // 2 - 2048
    write("truncated.tar", tar2[:cut])
    case("truncated.tar", "a tar cut in the middle of its second entry",
         {"good.png": "archive-damaged", "good2.png": "archive-damaged"}, refused="archive-damaged",
         error="truncated.tar")
    tgz = gz(tar2)
    write("truncated.tar.gz", tgz[: len(tgz) * 7 // 10])
    case("truncated.tar.gz", "a tar.gz cut at 70 % (the gzip stream ends before the first entry is whole)",
         {}, refused="cannot-open", error="truncated gzip input")
    flipped = bytearray(tgz)
    for i in range(len(tgz) // 2, len(tgz) // 2 + 64):
        flipped[i] ^= 0x5A
    write("corrupt-gzip.tar.gz", bytes(flipped))
    case("corrupt-gzip.tar.gz", "a tar.gz with 64 damaged bytes in the middle of its compressed stream",
         {}, refused="archive-damaged", error="corrupt-gzip.tar.gz")
    write("empty.zip", b"")
    case("empty.zip", "a zero-byte box file", {}, refused="cannot-open", error="empty.zip")
    write("garbage.zip", random.Random("sijill-hostile").randbytes(4096))
    case("garbage.zip", "4 KiB of random bytes named .zip", {}, refused="cannot-open", error="not a readable archive")
    write("page.png.gz", gz(P["good.png"]))
    case("page.png.gz", "a single gzip-compressed image, not an archive of files", {}, refused="cannot-open",
         error="page.png.gz")

    write_zip("encrypted.zip", [good, ("secret.png", P["good2.png"])], flags={b"secret.png": 0x1})
    case("encrypted.zip", "a zip entry marked encrypted (no password can be given)",
         {"good.png": "stored", "secret.png": "entry-unreadable"}, records_added=1)

    # Content versus name.
    write("tar-named-zip.zip", tar_bytes([good]))
    case("tar-named-zip.zip", "a tar archive with a .zip name (formats are read from content, not the name)",
         {"good.png": "stored"}, records_added=1)
    write_zip("wrong-extensions.zip", [good, ("png-named.jpg", P["good2.png"]), ("jpeg-named.tif", P["good.jpg"]),
                                       ("tiff-named.png", P["good.tif"])])
    write_zip("arabic-names.zip", [("معاملة-٤٤١٠/صفحة-١.png", P["good.png"]), ("معاملة-٤٤١٠/صفحة-٢.png", P["good2.png"])])
    write("arabic-names.tar", tar_bytes([("ملف ١/صفحة ١.png", P["good.png"])], fmt=tarfile.GNU_FORMAT))
    case("arabic-names.zip", "Arabic folder and file names in a zip (UTF-8 flag): read as names, not refused",
         {"معاملة-٤٤١٠/صفحة-١.png": "stored", "معاملة-٤٤١٠/صفحة-٢.png": "stored"}, records_added=1)
    case("arabic-names.tar", "Arabic names with a space in a GNU tar (raw UTF-8 bytes)",
         {"ملف ١/صفحة ١.png": "stored"}, records_added=1)
    case("wrong-extensions.zip", "images whose extension lies (PNG as .jpg, JPEG as .tif, TIFF as .png): read by content",
         {"good.png": "stored", "png-named.jpg": "stored", "jpeg-named.tif": "stored", "tiff-named.png": "stored"},
         records_added=4)
    pdf = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
           b"trailer<</Root 1 0 R>>\n%%EOF\n")
    write_zip("not-images.zip", [good, ("scan.png", pdf), ("notes.png", "ملاحظات الأرشيف\n".encode()),
                                 ("readme.txt", b"scanned by bureau 7\n"), ("empty.png", b""),
                                 ("random.tif", random.Random("sijill-random").randbytes(3000))])
    case("not-images.zip", "a PDF without pages, a text file and random bytes named as images, a text file, an empty file",
         {"good.png": "stored", "scan.png": "pdf-damaged", "notes.png": "not-an-image",
          "readme.txt": "not-an-image", "empty.png": "empty-file", "random.tif": "not-an-image"}, records_added=1)

    # Images that lie or are broken.
    huge_png = png(50_000, 50_000, zlib.compress(b"\0" * 50_001 * 4))
    write_zip("pixel-bomb-png.zip", [good, ("huge.png", huge_png)])
    case("pixel-bomb-png.zip", "a PNG whose header says 50,000 x 50,000 pixels (2.5 gigapixels) in 300 bytes",
         {"good.png": "stored", "huge.png": "image-too-large"}, records_added=1)
    write_zip("pixel-bomb-tiff.zip", [good, ("huge.tif", tiff_header_only(50_000, 50_000))])
    case("pixel-bomb-tiff.zip", "a TIFF whose header says 50,000 x 50,000 pixels",
         {"good.png": "stored", "huge.tif": "image-too-large"}, records_added=1)
    write_zip("pixel-bomb-jpeg.zip", [good, ("huge.jpg", jpeg_with_size(P["good.jpg"], 50_000, 50_000))])
    case("pixel-bomb-jpeg.zip", "a JPEG whose frame header says 50,000 x 50,000 pixels",
         {"good.png": "stored", "huge.jpg": "image-too-large"}, records_added=1)
    write_zip("tiff-page-bomb.zip", [good, ("dossier.tif", blank_multipage_tiff(10_000, 10_000, 1_500))])
    case("tiff-page-bomb.zip", "a 2 MB multi-page TIFF of 1,500 blank 100-megapixel pages (150 gigapixels decoded)",
         {"good.png": "stored", "dossier.tif": "too-many-pages"}, records_added=1)
    write_zip("tiff-many-pages.zip", [good, ("dossier.tif", blank_multipage_tiff(3_000, 3_000, 30))])
    case("tiff-many-pages.zip", "a multi-page TIFF of 30 blank 9-megapixel pages, under the page limit: "
         "decoded and stored one page at a time", {"good.png": "stored", "dossier.tif": "stored"}, records_added=2)
    case("tiff-many-pages.zip", "the same 30-page TIFF with a configured limit of 20 pages per file",
         {"good.png": "stored", "dossier.tif": "too-many-pages"}, records_added=1, limits={"max_pages_per_file": 20},
         name="tiff-pages-over-limit")
    write_zip("pixel-limit.zip", [good, ("page2.png", P["good2.png"])])
    case("pixel-limit.zip", "real pages (0.35 megapixels) over a configured limit of 0.3 megapixels",
         {"good.png": "image-too-large", "page2.png": "image-too-large"}, limits={"max_pixels": 300_000})
    g = P["good.png"]
    bad_idat = bytearray(g)
    at = g.index(b"IDAT") + 40
    bad_idat[at:at + 200] = random.Random("idat").randbytes(200)
    jpg = P["good.jpg"]
    tif = bytearray(P["good.tif"])
    tif[4:8] = struct.pack("<I", len(tif) + 1000)  # first IFD past the end of the file
    write_zip("corrupt-images.zip", [good, ("cut.png", g[: len(g) * 4 // 10]), ("bad-data.png", bytes(bad_idat)),
                                     ("cut.jpg", jpg[: len(jpg) // 2]), ("bad-ifd.tif", bytes(tif)),
                                     ("header-only.jpg", jpg[:200])])
    case("corrupt-images.zip", "a PNG cut at 40 %, a PNG with damaged compressed data, a JPEG cut in half, "
         "a TIFF whose directory points past its end, a JPEG with only its header",
         {"good.png": "stored", "cut.png": "corrupt-image", "bad-data.png": "corrupt-image",
          "cut.jpg": "corrupt-image", "bad-ifd.tif": "corrupt-image", "header-only.jpg": "corrupt-image"},
         records_added=1)


def manifest_cases():
    ok_rows = "good.png,LAND-REG,بلدية الرياض,2001-05-03,عقد بيع,R-1\r\ngood2.png,LAND-REG,بلدية الرياض,2002,إفادة,R-2\r\n"
    manifest_box("manifest-bom-crlf.zip", "a spreadsheet-saved manifest: UTF-8 BOM, CRLF line ends",
                 ("\ufeff" + MANIFEST_HEADER + "\r\n" + ok_rows).encode(),
                 {"manifest.csv": "manifest", "good.png": "stored", "good2.png": "stored"}, records_added=2)
    manifest_box("manifest-no-file-column.zip", "a manifest without a 'file' column: the box is refused whole",
                 b"name,series\ngood.png,LAND-REG\n", {}, refused="manifest", error="no 'file' column")
    manifest_box("manifest-short-rows.zip", "rows with fewer cells than the header (trailing cells missing)",
                 (MANIFEST_HEADER + "\ngood.png,LAND-REG\ngood2.png\n").encode(),
                 {"good.png": "stored", "good2.png": "stored"}, records_added=2)
    manifest_box("manifest-extra-cells.zip", "a row with more cells than the header: that row is refused",
                 (MANIFEST_HEADER + "\ngood.png,LAND-REG,a,2001,t,R-1\ngood2.png,LAND-REG,a,2001,t,R-2,oops,more\n").encode(),
                 {"good.png": "stored", "good2.png": "not-in-manifest", "manifest.csv:3": "manifest-row-fields"},
                 records_added=1)
    manifest_box("manifest-unterminated-quote.zip", "a quoted cell never closed: refused whole, with its line",
                 (MANIFEST_HEADER + '\ngood.png,LAND-REG,a,2001,"never closed,R-1\ngood2.png,LAND-REG,a,2001,t,R-2\n').encode(),
                 {}, refused="manifest", error="line 2")
    formula = (MANIFEST_HEADER + '\ngood.png,LAND-REG,@SUM(A1),2001,"=HYPERLINK(""http://x.invalid"",""click"")",+1-2\n'
               "good2.png,LAND-REG,-2+3,2002,=cmd|' /C calc'!A0,R-2\n")
    manifest_box("manifest-formulas.zip", "formula-injection cells (=, +, -, @): kept as text, neutralised in CSV exports",
                 formula.encode(), {"good.png": "stored", "good2.png": "stored"}, records_added=2)
    big = MANIFEST_HEADER + "\ngood.png,LAND-REG,a,2001,\"" + "ع" * (5 << 20) + "\",R-1\ngood2.png,LAND-REG,a,2002,t,R-2\n"
    manifest_box("manifest-10mb-row.zip", "a 10 MB title cell: that row is refused, the others are read",
                 big.encode(), {"good.png": "not-in-manifest", "good2.png": "stored",
                                "manifest.csv:2": "manifest-cell-too-long"}, records_added=1)
    manifest_box("manifest-windows-1256.zip", "a manifest saved in Windows-1256 (Excel's CSV on Arabic Windows): read as such",
                 (MANIFEST_HEADER + "\ngood.png,LAND-REG,بلدية,2001,عقد,R-1\n").encode("cp1256"),
                 {"good.png": "stored", "good2.png": "not-in-manifest"}, records_added=1)
    manifest_box("manifest-utf16.zip", "a manifest saved as UTF-16 with tabs (Excel's 'Unicode text'): read as such",
                 (MANIFEST_HEADER.replace(",", "\t") + "\ngood.png\tLAND-REG\ta\t2001\tt\tR-1\n").encode("utf-16"),
                 {"good.png": "stored", "good2.png": "not-in-manifest"}, records_added=1)
    manifest_box("manifest-semicolons.zip", "a manifest separated by semicolons, with Arabic column names (French-locale Excel)",
                 "الملف;السلسلة;الجهة;التاريخ;العنوان;المرجع\ngood.png;LAND-REG;بلدية;2001;عقد، بيع;R-1\n".encode(),
                 {"good.png": "stored", "good2.png": "not-in-manifest"}, records_added=1)
    manifest_box("manifest-binary.zip", "a manifest of binary bytes (neither UTF-8 nor Arabic Windows-1256 text)",
                 b"file,series\n\x00\x01\xff\xfe\x80garbage\x00\n", {}, refused="manifest", error="neither UTF-8")
    manifest_box("manifest-latin1.zip", "a manifest in a Western code page with no Arabic letter: refused, not guessed",
                 (MANIFEST_HEADER + "\ngood.png,LAND-REG,Société,2001,Acte,R-1\n").encode("latin-1"), {},
                 refused="manifest", error="neither UTF-8")
    sheet = io.BytesIO()
    with zipfile.ZipFile(sheet, "w") as z:
        z.writestr(zinfo("[Content_Types].xml"), b"<Types/>")
        z.writestr(zinfo("xl/workbook.xml"), b"<workbook/>")
    write_zip("manifest-xlsx.zip", [("manifest.xlsx", sheet.getvalue()), ("good.png", P["good.png"])])
    case("manifest-xlsx.zip", "a manifest.xlsx that is a zip with no worksheet: refused whole, naming it",
         {}, refused="manifest", error="worksheet")
    write_zip("manifest-numbers.zip", [("manifest.numbers", sheet.getvalue()), ("good.png", P["good.png"])])
    case("manifest-numbers.zip", "a manifest in a spreadsheet format Sijill does not read (Apple Numbers) and no CSV: "
         "refused whole (records without it would be other records)", {}, refused="manifest", error="spreadsheet file")
    manifest_box("manifest-empty.zip", "a zero-byte manifest", b"", {}, refused="manifest", error="empty")
    manifest_box("manifest-duplicate-column.zip", "a header naming 'series' twice",
                 b"file,series,series\ngood.png,A,B\n", {}, refused="manifest", error="appears twice")
    manifest_box("manifest-hostile-paths.zip", "manifest rows naming ../, absolute and missing files",
                 (MANIFEST_HEADER + f"\ngood.png,LAND-REG,a,2001,t,R-1\n../{CANARY}.png,LAND-REG,a,2001,t,R-2\n"
                  f"/etc/passwd,LAND-REG,a,2001,t,R-3\nmissing.png,LAND-REG,a,2001,t,R-4\n").encode(),
                 {"good.png": "stored", "good2.png": "not-in-manifest", "manifest.csv:3": "unsafe-path",
                  "manifest.csv:4": "unsafe-path", "manifest.csv:5": "missing-file"}, records_added=1)
    manifest_box("manifest-reused-file.zip", "two manifest rows naming the same file",
                 (MANIFEST_HEADER + "\ngood.png,LAND-REG,a,2001,t,R-1\ngood.png,LAND-REG,b,2002,u,R-2\n"
                  "good2.png,LAND-REG,a,2001,t,R-3\n").encode(),
                 {"good.png": "stored", "good2.png": "stored", "manifest.csv:3": "manifest-row-reuse"}, records_added=2)
    manifest_box("manifest-bad-rescan.zip", "a re-scan row whose record is not an ID and whose page is not a number",
                 (MANIFEST_HEADER + ",record,page\ngood.png,LAND-REG,a,2001,t,R-1,,\n"
                  "good2.png,LAND-REG,a,2001,t,R-2,'; DROP TABLE record;--,two\n").encode(),
                 {"good.png": "stored", "good2.png": "not-in-manifest", "manifest.csv:3": "manifest-row-rescan"},
                 records_added=1)


# ---------------------------------------------------------------------------- PDFs

def pdf_file(objects, trailer=""):
    """A PDF from object bodies (object n is objects[n-1]); object 1 is the catalog."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for o in offsets:
        out += b"%010d 00000 n \n" % o
    out += b"trailer\n<</Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer.encode(), xref)
    return bytes(out)


def stream(data, extra=b""):
    return b"<</Length %d %s>>stream\n" % (len(data), extra) + data + b"\nendstream"


def jpeg_pdf(jpeg, width, height, catalog_extra=b"", extra_objects=()):
    """One page showing one JPEG over the whole page at 300 dpi, as a scanner writes it."""
    w_pt, h_pt = width * 72 / 300, height * 72 / 300
    content = b"q %.2f 0 0 %.2f 0 0 cm /Im0 Do Q" % (w_pt, h_pt)
    objects = [
        b"<</Type/Catalog/Pages 2 0 R " + catalog_extra + b">>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 %.2f %.2f]/Resources<</XObject<</Im0 4 0 R>>>>/Contents 5 0 R>>" % (w_pt, h_pt),
        stream(jpeg, b"/Type/XObject/Subtype/Image/Width %d/Height %d/ColorSpace/DeviceGray/BitsPerComponent 8"
                     b"/Filter/DCTDecode" % (width, height)),
        stream(content),
        *extra_objects,
    ]
    return pdf_file(objects)


def pdf_cases():
    good = ("good.png", P["good.png"])
    jpeg = P["good.jpg"]
    jw, jh = 1748, 200
    scanner = jpeg_pdf(jpeg, jw, jh)
    write_zip("pdf-scanner.zip", [good, ("dossier.pdf", scanner)])
    case("pdf-scanner.zip", "a scanner PDF: one JPEG per page; the JPEG is stored as it is",
         {"good.png": "stored", "dossier.pdf": "stored"}, records_added=2, notes={"dossier.pdf": ["JPEG page(s) kept"]})

    # 1,500 pages that all show one empty content stream: ~100 bytes a page.
    n = 1500
    kids = b" ".join(b"%d 0 R" % (4 + i) for i in range(n))
    pages = [b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 3 0 R>>"] * n
    bomb = pdf_file([b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[" + kids + b"]/Count %d>>" % n, stream(b""), *pages])
    write_zip("pdf-page-bomb.zip", [good, ("pages.pdf", bomb)])
    case("pdf-page-bomb.zip", "a PDF of 1,500 empty pages (a page-count bomb): counted before any page is read",
         {"good.png": "stored", "pages.pdf": "too-many-pages"}, records_added=1)

    # A 200 × 200 inch page with one word: 60,000² pixels at 300 dpi, refused before rendering.
    text = b"BT /F1 24 Tf 100 100 Td (sijill) Tj ET"
    huge_page = pdf_file([
        b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 14400 14400]/Resources<</Font<</F1 5 0 R>>>>/Contents 4 0 R>>",
        stream(text), b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>"])
    write_zip("pdf-huge-page.zip", [good, ("poster.pdf", huge_page)])
    case("pdf-huge-page.zip", "a PDF page of 200 × 200 inches (60,000² pixels at 300 dpi): refused before rendering",
         {"good.png": "stored", "poster.pdf": "image-too-large"}, records_added=1)

    # An image that claims 50,000 × 50,000 grey pixels in a few bytes of Flate data.
    flate = zlib.compress(b"\0" * 65536)
    huge_image = pdf_file([
        b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Resources<</XObject<</Im0 4 0 R>>>>/Contents 5 0 R>>",
        stream(flate, b"/Type/XObject/Subtype/Image/Width 50000/Height 50000/ColorSpace/DeviceGray/BitsPerComponent 8"
                      b"/Filter/FlateDecode"),
        stream(b"q 595 0 0 842 0 0 cm /Im0 Do Q")])
    write_zip("pdf-pixel-bomb.zip", [good, ("bomb.pdf", huge_image)])
    case("pdf-pixel-bomb.zip", "a PDF page whose image claims 50,000 × 50,000 pixels: refused before decoding",
         {"good.png": "stored", "bomb.pdf": "image-too-large"}, records_added=1)

    # Encrypted: with a user password (refused), with an empty one (read, as any viewer opens it).
    # (qpdf draws its AES salts at random: these two boxes differ byte-wise on every run.)
    tmp = tempfile.mkdtemp()
    try:
        plain = os.path.join(tmp, "plain.pdf")
        with open(plain, "wb") as f:
            f.write(scanner)
        for password, box, entry in (("secret", "pdf-encrypted.zip", "locked.pdf"), ("", "pdf-empty-password.zip", "open.pdf")):
            out = os.path.join(tmp, entry)
            subprocess.run(["qpdf", "--static-id", "--encrypt", password, "owner-7", "256", "--", plain, out],
                           check=True, capture_output=True)
            with open(out, "rb") as f:
                write_zip(box, [good, (entry, f.read())])
    finally:
        shutil.rmtree(tmp)
    case("pdf-encrypted.zip", "a PDF that needs a user password: refused by name, never guessed",
         {"good.png": "stored", "locked.pdf": "pdf-encrypted"}, records_added=1)
    case("pdf-empty-password.zip", "a PDF encrypted with an empty user password (owner restrictions only): read",
         {"good.png": "stored", "open.pdf": "stored"}, records_added=2)

    # Cut in the middle of its image: the page tree and trailer are gone.
    write_zip("pdf-truncated.zip", [good, ("cut.pdf", scanner[: len(scanner) * 6 // 10])])
    case("pdf-truncated.zip", "a scanner PDF cut at 60%: refused as damaged, the rest of the box goes on",
         {"good.png": "stored", "cut.pdf": "pdf-damaged"}, records_added=1)
    write_zip("pdf-garbage.zip", [good, ("noise.pdf", b"%PDF-1.4\n" + random.Random("sijill-pdf").randbytes(4000))])
    case("pdf-garbage.zip", "a PDF header followed by random bytes", {"good.png": "stored", "noise.pdf": "pdf-damaged"},
         records_added=1)

    # CCITT G4 pages stored as G4 TIFFs whose photometric must show what the page shows: plain,
    # BlackIs1 (the page shows white writing on black), and BlackIs1 inverted back by Decode [1 0].
    tif = P["good.tif"]
    ifd = struct.unpack("<I", tif[4:8])[0]
    tags = {}
    for i in range(struct.unpack("<H", tif[ifd:ifd + 2])[0]):
        tag, kind, count = struct.unpack("<HHI", tif[ifd + 2 + 12 * i:ifd + 10 + 12 * i])
        raw = tif[ifd + 10 + 12 * i:ifd + 14 + 12 * i]
        if count == 1 and kind in (3, 4):
            tags[tag] = struct.unpack("<H" if kind == 3 else "<I", raw[:2] if kind == 3 else raw)[0]
    assert tif[:2] == b"II" and tags[259] == 4 and tags.get(278, tags[257]) >= tags[257], "good.tif: one G4 strip"
    gw, gh, strip = tags[256], tags[257], tif[tags[273]:tags[273] + tags[279]]
    polarity = []
    for name, parms, decode in (("plain.pdf", b"", b""), ("black-is-1.pdf", b"/BlackIs1 true", b""),
                                ("black-is-1-decode.pdf", b"/BlackIs1 true", b"/Decode[1 0]")):
        w_pt, h_pt = gw * 72 / 300, gh * 72 / 300
        polarity.append((name, pdf_file([
            b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
            b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 %.2f %.2f]/Resources<</XObject<</Im0 4 0 R>>>>/Contents 5 0 R>>" % (w_pt, h_pt),
            stream(strip, b"/Type/XObject/Subtype/Image/Width %d/Height %d/ColorSpace/DeviceGray/BitsPerComponent 1"
                          b"/Filter/CCITTFaxDecode/DecodeParms<</K -1/Columns %d %s>>%s" % (gw, gh, gw, parms, decode)),
            stream(b"q %.2f 0 0 %.2f 0 0 cm /Im0 Do Q" % (w_pt, h_pt))])))
    write_zip("pdf-ccitt-polarity.zip", polarity)
    case("pdf-ccitt-polarity.zip", "CCITT G4 pages plain, with BlackIs1, and BlackIs1 with Decode [1 0]: kept as G4 TIFFs "
         "(the first and last show the same page: one record)",
         {name: "stored" for name, _ in polarity}, records_added=2,
         notes={name: ["CCITT G4 page(s) kept"] for name, _ in polarity})

    # JavaScript run on open, a form, and an attached executable named after the canary: the page
    # is stored, the script never runs, the attachment is reported and never written anywhere.
    payload = b"MZ" + b"\0" * 64
    js = stream(b"app.alert('sijill');")
    scripted = jpeg_pdf(
        jpeg, jw, jh,
        catalog_extra=b"/OpenAction<</S/JavaScript/JS 6 0 R>>/Names<</EmbeddedFiles<</Names[(" + CANARY.encode()
        + b".exe) 7 0 R]>>>>/AcroForm<</Fields[]>>",
        extra_objects=[js, b"<</Type/Filespec/F(" + CANARY.encode() + b".exe)/UF(" + CANARY.encode() + b".exe)/EF<</F 8 0 R>>>>",
                       stream(payload, b"/Type/EmbeddedFile")])
    write_zip("pdf-script-attachment.zip", [good, ("active.pdf", scripted)])
    case("pdf-script-attachment.zip",
         "a PDF with JavaScript on open, a form and an attached .exe: the page is stored, nothing is run or extracted",
         {"good.png": "stored", "active.pdf": "stored"}, records_added=2,
         notes={"active.pdf": ["embedded file", CANARY + ".exe", "JavaScript", "never run"]})


P = {}


def main():
    global P
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    P = pages()
    archive_cases()
    manifest_cases()
    pdf_cases()
    with open(os.path.join(OUT, "cases.json"), "w", encoding="utf-8") as f:
        json.dump(cases, f, ensure_ascii=False, indent=1)
        f.write("\n")
    total = sum(os.path.getsize(os.path.join(OUT, n)) for n in os.listdir(OUT))
    print(f"wrote {len(cases)} hostile cases to {OUT} ({total // 1024} KiB)")


if __name__ == "__main__":
    main()
