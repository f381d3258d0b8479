#!/usr/bin/env python3
"""Small OCR case pages, each for one reading the engine once got wrong on pages it was not
tuned on (tests assert the lines named in Fixtures/cases/README.md).

  dates-noto-kufi.png  a date's day in Arabic-Indic digits before a month name, in Noto Kufi
                       Arabic (from fonts-noto-core): ara reads ١٧ as "لاا" and ٢ as "١"; and a
                       "في" before a month that must stay a word.
  numbers-dejavu.png   Arabic-Indic numbers with ٢ in DejaVu Sans (fonts-dejavu-core): the digits
                       model reads its ٢ as ٣, even confidently; the references model reads it.
  references-dejavu.png  short references with a letter after a label, DejaVu Sans: ara reads
                       الرقم: د/٦٦ as "د/<د" (a slash, no digit: no numbers pass saw it).

Usage: python3 Fixtures/tools/make_cases.py   (needs pango-view; writes Fixtures/cases/)
"""
import os
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(os.path.dirname(HERE), "cases")

CASES = {
    "dates-noto-kufi": ("Noto Kufi Arabic 14", [
        "وزارة العدل — قيد الوقائع",
        "التاريخ: ١٧ تشرين الأول ١٩٧٩ م",
        "تاريخ العقد: ٢ محرم ١٣٩٤ هـ",
        "تاريخ الورود: ١١ أيار ٢٠٠٢ م",
        "تصرف المستحقات في أيار من كل عام",
    ]),
    "numbers-dejavu": ("DejaVu Sans 13", [
        "مديرية المالية — دائرة الواردات",
        "بالإشارة إلى كتابكم الوارد برقم ٥٢٢١",
        "التاريخ: ٢٦/٠٥/٢٠٠٢ م",
        "رقم الإضبارة: ٤٢٧٢٩",
        "وقد سجل لدينا تحت الرقم ٢٨٢٠ بتاريخ ١٢/٠٢/٢٠١٢",
    ]),
    "references-dejavu": ("DejaVu Sans 14", [
        "مديرية المالية — دائرة الواردات",
        "الرقم: م/٦٨",
        "رقم الكتاب: ص/٨٨",
        "الرقم: د/٦٦",
        "رقم القيد: ع/٨٦",
        "الرقم: ك/٦٠",
        "بالإشارة إلى كتابكم الوارد برقم ٥٢٢١",
    ]),
}


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, (font, lines) in CASES.items():
        with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8", delete=False) as f:
            f.write("\n".join(lines))
        png = os.path.join(OUT, name + ".png")
        subprocess.run(["pango-view", "--font=" + font, "--dpi=300", "--rtl", "--align=left", "--margin=120",
                        "--background=white", "--foreground=black", "--hinting=none", "-q", "-o", png, f.name],
                       check=True)
        os.unlink(f.name)
        # 8-bit grey, no metadata that changes between runs
        subprocess.run(["/usr/bin/convert", png, "-colorspace", "Gray", "-depth", "8", "-strip", png], check=True)
        with open(os.path.join(OUT, name + ".txt"), "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        print(png)


if __name__ == "__main__":
    main()
