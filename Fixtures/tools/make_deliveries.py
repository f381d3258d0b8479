#!/usr/bin/env python3
"""Writes the fixtures for boxes as archivists really deliver them (issue 13):

  boxes/box-pdf/        a folder box whose dossiers are scanner-style PDFs of box-zip's pages
                        (img2pdf: PNG as Flate, JPEG kept as DCT, G4 TIFF kept as CCITT; one
                        with an OCRmyPDF text layer; one page as JBIG2), and one born-digital
                        Arabic PDF (Cairo/Pango vector text), with manifest.csv
  layouts/BOX-0001.zip  a zipped box folder: every entry under BOX-0001/, manifest inside
  layouts/circular-turned.pdf  the born-digital page turned by /Rotate 90
  layouts/nested.zip    the same box folder inside a folder of its name (BOX-0001/BOX-0001/)
  layouts/two-boxes.zip two box folders, each with its own manifest, and a loose file beside them
  layouts/misplaced.zip a root manifest naming a file that sits in a subfolder (hint, never a guess)
  groundtruth/box-pdf/  the born-digital page's text

Uses Fixtures/boxes/box-zip.zip's pages (so the OCR of PDF pages can be compared with the same
pages delivered as image files) and Fixtures/hostile's small crops. Needs img2pdf, ocrmypdf
(Debian) and pango-view; run by Fixtures/generate.sh after make_fixtures.py.
"""
import importlib.util
import io
import os
import shutil
import struct
import subprocess
import tempfile
import zipfile

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATE = (2026, 1, 1, 0, 0, 0)

BORN_DIGITAL_TEXT = """الجمهورية العربية السورية
وزارة الإدارة المحلية - مديرية الشؤون الإدارية
تعميم رقم 2719/2025
إلى جميع الوحدات الإدارية
يرجى التقيد بمواعيد الدوام الرسمي اعتبارا من ١٥/٠٣/٢٠٢٥
المدير العام: سامر يوسف الحلبي
"""

PDF_MANIFEST = (
    "file,series,agency,date,title,reference\n"
    "dossier-81559.pdf,LAND-TRANSFER,وزارة العدل - كتابة العدل الأولى,1982-03-14,\"طلب نقل ملكية، قطعة ٤٥\",81559/1982\n"
    "letter-2001.pdf,CIVIL-REG,وزارة الداخلية,2001-09-17,\"طلب تسجيل مولود\",37420/2001\n"
    "scan-4410.pdf,COURT-CASE,\"وزارة العدل, المحكمة العامة\",1995-06-08,\"دعوى مطالبة مالية\",4410/1995\n"
    "circular-2719.pdf,CIRCULARS,وزارة الإدارة المحلية,2025-03-15,\"تعميم الدوام الرسمي\",2719/2025\n"
    "page-003-jbig2.pdf,LAND-TRANSFER,وزارة العدل - كتابة العدل الأولى,1982-04-02,\"قرار نقل ملكية\",81559/1982-J\n"
)

SMALL_MANIFEST = "file,series,agency,date,title,reference\n"


def run(cmd, **kw):
    subprocess.run(cmd, check=True, capture_output=True, **kw)


def zinfo(name):
    zi = zipfile.ZipInfo(name, date_time=DATE)
    zi.compress_type = zipfile.ZIP_STORED if name.endswith("/") else zipfile.ZIP_DEFLATED
    zi.external_attr = (0o40755 if name.endswith("/") else 0o100644) << 16
    zi.create_system = 3
    return zi


def write_zip(path, items):
    with zipfile.ZipFile(path, "w") as z:
        for name, data in items:
            z.writestr(zinfo(name), data)


def box_zip_pages(tmp):
    with zipfile.ZipFile(os.path.join(HERE, "boxes", "box-zip.zip")) as z:
        z.extractall(tmp)
    return tmp


def build_pdf_box(tmp):
    src = box_zip_pages(os.path.join(tmp, "box-zip"))
    out = os.path.join(HERE, "boxes", "box-pdf")
    if os.path.isdir(out):
        shutil.rmtree(out)
    os.makedirs(out)
    d = os.path.join(src, "dossier-81559")
    # One PDF per dossier, one image per page, each in its own encoding (Flate, DCT, CCITT G4).
    run(["img2pdf", "--creationdate", "2026-01-01", "--moddate", "2026-01-01", "-o", os.path.join(out, "dossier-81559.pdf"),
         os.path.join(d, "page-001.png"), os.path.join(d, "page-002.jpg"), os.path.join(d, "page-003.tif")])
    run(["img2pdf", "--creationdate", "2026-01-01", "--moddate", "2026-01-01", "-o", os.path.join(out, "scan-4410.pdf"),
         os.path.join(src, "scan-4410.tif")])
    # A scanner's text layer: OCRmyPDF over the page (the PNG has no DPI; it is A5 at 300 dpi).
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    run(["ocrmypdf", "-q", "-l", "ara", "--image-dpi", "300", "--output-type", "pdf", "-O", "0",
         os.path.join(src, "letter-2001.png"), os.path.join(out, "letter-2001.pdf")], env=env)
    # Born-digital: vector text, no scan.
    text = os.path.join(tmp, "circular.txt")
    with open(text, "w", encoding="utf-8") as f:
        f.write(BORN_DIGITAL_TEXT)
    run(["pango-view", "--no-display", "--font=Noto Naskh Arabic 13", "--rtl", "--margin=40", "--width=520",
         "-o", os.path.join(out, "circular-2719.pdf"), text])
    with open(os.path.join(d, "page-003.tif"), "rb") as f:
        jbig2 = jbig2_pdf(f.read())
    with open(os.path.join(out, "page-003-jbig2.pdf"), "wb") as f:
        f.write(jbig2)
    with open(os.path.join(out, "manifest.csv"), "w", encoding="utf-8") as f:
        f.write(PDF_MANIFEST)
    gt = os.path.join(HERE, "groundtruth", "box-pdf")
    os.makedirs(gt, exist_ok=True)
    with open(os.path.join(gt, "circular-2719.pdf.gt.txt"), "w", encoding="utf-8") as f:
        f.write(BORN_DIGITAL_TEXT)


def jbig2_pdf(tiff):
    """A PDF whose one page is a JBIG2 image: the G4 strip of a one-strip bilevel TIFF wrapped as
    a JBIG2 immediate lossless generic region with MMR coding (JBIG2's MMR is CCITT G4), as
    embedded in PDFs (no file header). Debian has no JBIG2 encoder; this is a valid stream."""
    order = "<" if tiff[:2] == b"II" else ">"
    ifd = struct.unpack(order + "I", tiff[4:8])[0]
    tags = {}
    for i in range(struct.unpack(order + "H", tiff[ifd:ifd + 2])[0]):
        tag, kind, count = struct.unpack(order + "HHI", tiff[ifd + 2 + 12 * i:ifd + 10 + 12 * i])
        raw = tiff[ifd + 10 + 12 * i:ifd + 14 + 12 * i]
        if count == 1 and kind in (3, 4):
            tags[tag] = struct.unpack(order + ("H" if kind == 3 else "I"), raw[:2] if kind == 3 else raw)[0]
    assert tags.get(259) == 4 and tags.get(278, tags[257]) >= tags[257], "a one-strip G4 TIFF"
    width, height = tags[256], tags[257]
    g4 = tiff[tags[273]:tags[273] + tags[279]]

    def segment(number, kind, data):
        return struct.pack(">IBBBI", number, kind, 0, 1, len(data)) + data
    page_info = struct.pack(">IIIIBH", width, height, 0, 0, 0, 0)
    region = struct.pack(">IIIIB", width, height, 0, 0, 0) + bytes([1]) + g4  # MMR = 1
    jbig2 = segment(0, 48, page_info) + segment(1, 39, region)
    w_pt, h_pt = width * 72 / 300, height * 72 / 300
    pdf_file, stream = hostile_pdf_writer()
    return pdf_file([
        b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 %.2f %.2f]/Resources<</XObject<</Im0 4 0 R>>>>/Contents 5 0 R>>" % (w_pt, h_pt),
        stream(jbig2, b"/Type/XObject/Subtype/Image/Width %d/Height %d/ColorSpace/DeviceGray/BitsPerComponent 1"
                      b"/Filter/JBIG2Decode" % (width, height)),
        stream(b"q %.2f 0 0 %.2f 0 0 cm /Im0 Do Q" % (w_pt, h_pt)),
    ])


def hostile_pdf_writer():
    """make_hostile.py's PDF writer (pdf_file, stream): one writer for every fixture PDF."""
    spec = importlib.util.spec_from_file_location("make_hostile", os.path.join(HERE, "tools", "make_hostile.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.pdf_file, module.stream


def crops():
    """The hostile corpus's small real scans (a header crop each)."""
    with zipfile.ZipFile(os.path.join(HERE, "hostile", "manifest-reused-file.zip")) as z:
        return z.read("good.png"), z.read("good2.png")


def build_layouts():
    out = os.path.join(HERE, "layouts")
    if os.path.isdir(out):
        shutil.rmtree(out)
    os.makedirs(out)
    good, good2 = crops()
    # Right-click → compress on a folder: every entry under BOX-0001/, a directory entry first.
    rows = SMALL_MANIFEST + "dossier-1/,LAND-REG,وزارة العدل,2001-02-03,طلب أول,D-1/2001\n" \
        + "letter-2.png,LAND-REG,وزارة العدل,2002-03-04,كتاب ثان,L-2/2002\n"
    write_zip(os.path.join(out, "BOX-0001.zip"), [
        ("BOX-0001/", b""), ("BOX-0001/manifest.csv", rows.encode()), ("BOX-0001/dossier-1/", b""),
        ("BOX-0001/dossier-1/page-1.png", good), ("BOX-0001/dossier-1/page-2.png", good2),
        ("BOX-0001/letter-2.png", good2), ("__MACOSX/BOX-0001/._letter-2.png", b"\0\5\26\7junk"),
    ])
    # Extracted with "extract all" and compressed again: the box folder inside a folder of its name.
    write_zip(os.path.join(out, "nested.zip"), [
        ("BOX-0001/", b""), ("BOX-0001/BOX-0001/", b""), ("BOX-0001/BOX-0001/manifest.csv", rows.encode()),
        ("BOX-0001/BOX-0001/dossier-1/page-1.png", good), ("BOX-0001/BOX-0001/dossier-1/page-2.png", good2),
        ("BOX-0001/BOX-0001/letter-2.png", good2),
    ])
    # Two boxes in one archive, each its own manifest; a note left beside them belongs to neither.
    write_zip(os.path.join(out, "two-boxes.zip"), [
        ("BOX-A/manifest.csv", (SMALL_MANIFEST + "a.png,LAND-REG,وزارة العدل,2003-01-01,ملف أ,A-1/2003\n").encode()),
        ("BOX-A/a.png", good),
        ("BOX-B/manifest.csv", (SMALL_MANIFEST + "b.png,CIVIL-REG,وزارة الداخلية,2004-01-01,ملف ب,B-1/2004\n").encode()),
        ("BOX-B/b.png", good2),
        ("notes.txt", "كشف التسليم\n".encode()),
    ])
    # The manifest says page.png; the only page.png is in scans/: rejected with a hint, not guessed.
    write_zip(os.path.join(out, "misplaced.zip"), [
        ("manifest.csv", (SMALL_MANIFEST + "page.png,LAND-REG,وزارة العدل,2005-01-01,ملف,M-1/2005\n"
                          + "other.png,LAND-REG,وزارة العدل,2005-01-02,ملف آخر,M-2/2005\n").encode()),
        ("scans/page.png", good), ("other.png", good2),
    ])


def build_turned():
    """The born-digital circular with its page turned by /Rotate 90 (text runs down the page as
    shown): its words must still come out in reading order."""
    run(["qpdf", "--static-id", "--rotate=+90:1", os.path.join(HERE, "boxes", "box-pdf", "circular-2719.pdf"),
         os.path.join(HERE, "layouts", "circular-turned.pdf")])


def main():
    tmp = tempfile.mkdtemp()
    try:
        build_pdf_box(tmp)
        build_layouts()
        build_turned()
    finally:
        shutil.rmtree(tmp)
    print("wrote boxes/box-pdf and layouts/")


if __name__ == "__main__":
    main()
