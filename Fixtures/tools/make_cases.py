#!/usr/bin/env python3
"""Small OCR case pages, each for one reading the engine once got wrong on pages it was not
tuned on (tests assert the lines named in Fixtures/cases/README.md).

  crooked-kacstbook.jpg  a letter laid 11° crooked on the glass, KacstBook, JPEG 80: Leptonica's skew
                       search (±7° by default) measured it straight and nothing was read.
  dates-noto-kufi.png  a date's day in Arabic-Indic digits before a month name, in Noto Kufi
                       Arabic (from fonts-noto-core): ara reads ١٧ as "لاا" and ٢ as "١"; and a
                       "في" before a month that must stay a word.
  numbers-dejavu.png   Arabic-Indic numbers with ٢ in DejaVu Sans (fonts-dejavu-core): the digits
                       model reads its ٢ as ٣, even confidently; the references model reads it.
  reference-naskh-ui.jpg  a reference with a letter in Noto Naskh Arabic UI, blurred, noisy (fixed
                       seed), turned 0.8°, JPEG 60: ara reads ٧٣٤٠/ص/٢٠٠٩ as "2٠", an unread
                       "؟/ا/رص/" and "٠٠١٥١", three words of which only two have digits.
  bilingual-noto-naskh.png  a bilingual form, each Arabic line followed by its English one, Noto
                       Naskh Arabic (Latin from fallback fonts): ara read the English lines as
                       Arabic-looking junk ("Ministry of Interior" as "ع0126غعع]أما طمأغ3").
  borders-noto-sans.png  a form page scanned with the lid open: a near-black surround (scanner glass
                       larger than the page) and two punch holes in the binding margin, Noto Sans
                       Arabic: the surround made Tesseract drop whole lines, the holes added junk.
  hyphens-amiri.png    rows of hyphenated numbers and a row of em dashes, Amiri: the dashes are
                       a dashed row (painted out like a streak), the hyphens between digits are
                       not; with that row gone Tesseract's row noise filter drops the last line
                       (its crop read nothing at 80, 100 or 120%), which must still be read.
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
    "crooked-kacstbook": ("KacstBook 14", [
        "وزارة الزراعة والإصلاح الزراعي",
        "مديرية الزراعة في حماة",
        "رقم الكتاب: 2716/ص",
        "التاريخ: 9 آب 1994",
        "السيد مدير المصرف الزراعي",
        "نرجو تزويدنا بكشف حساب المزارع",
        "عبد الكريم سليم الأحمد",
        "عن المدة من 1/1/1993 حتى 30/6/1994",
        "مع فائق الاحترام",
    ]),
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
    "reference-naskh-ui": ("Noto Naskh Arabic UI 12", [
        "الجمهورية العربية السورية",
        "وزارة الإدارة المحلية",
        "رقم الكتاب: ٧٣٤٠/ص/٢٠٠٩",
        "التاريخ: ١٢ تشرين الأول ٢٠٠٩ م",
        "مقدم الطلب: السيد نزار عدنان الجابي",
        "المبلغ المدفوع: ٨٧٬٥٠٠ ليرة سورية",
        "رقم الإيصال: ٤٤٩١٠٢",
        "بناء على الكتاب رقم ٩١٥ تاريخ ٣/١٠/٢٠٠٩",
    ]),
    "bilingual-noto-naskh": ("Noto Naskh Arabic 13", [
        "وزارة الداخلية - مديرية الهجرة والجوازات",
        "Ministry of Interior - Immigration Directorate",
        "رقم الطلب: 88213/2015",
        "Application No: 88213/2015",
        "اسم مقدم الطلب: يوسف أحمد الحمصي",
        "Applicant name: Yousef Ahmad Al-Homsi",
        "التاريخ: 03/02/2015",
        "Date: 03/02/2015",
    ]),
    "borders-noto-sans": ("Noto Sans Arabic 13", [
        "الجمهورية العربية السورية",
        "وزارة المالية — مديرية الخزينة",
        "رقم المعاملة: 60418/2011",
        "التاريخ: 14/03/2011",
        "الموضوع: طلب براءة ذمة مالية",
        "اسم مقدم الطلب: ريم خليل العطار",
        "رقم الهوية: 03011582746",
        "المبلغ المدفوع: 12500 ليرة سورية",
        "رئيس الدائرة: باسل منير الخوري",
    ]),
    "hyphens-amiri": ("Amiri 14", [
        "سجل المعاملات المنجزة خلال الربع الأول",
        "المعاملات: 2005-123 و 2005-124 و 2005-125 و 2005-126 و 2005-127",
        "الإضبارات: 1998-45 - 1998-46 - 1998-47 - 1998-48 - 1998-49",
        "المدة: 01-01-2005 - 31-03-2005 - 01-04-2005 - 30-06-2005",
        "المرفقات: صورة الهوية - صورة السجل - إيصال الدفع - الكتاب الوارد",
        "— — — — — — — — — — — — — —",
        "ملاحظة: يعاد الملف إلى الدائرة المختصة بعد التدقيق",
        "رئيس الديوان: سامر يوسف الحلبي",
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


# Pages set right-aligned (the default is left-aligned, 120 px margins).
LAYOUT = {"reference-naskh-ui": ["--align=right", "--margin=140"],
          "borders-noto-sans": ["--align=right", "--margin=150"],
          "bilingual-noto-naskh": ["--align=right", "--margin=150"]}

# Pages degraded after rendering (ImageMagick, a fixed noise seed so that the bytes repeat).
DEGRADE = {
    "crooked-kacstbook": ["-background", "white", "-rotate", "11", "-quality", "80"],
    # A page scanned with the lid open, as the fields pages were tried: a dark band along the
    # top and the left edge (gray 20) and a punch hole 5 mm across beside it, and two more holes
    # in the right margin. (A function of the rendered size.)
    "borders-noto-sans": lambda w, h: [
        "-fill", "gray20", "-draw", "rectangle 0,0 %d,40" % w, "-draw", "rectangle 0,0 70,%d" % h,
        "-fill", "black", "-draw", "circle 110,%d 110,%d" % (h // 2, h // 2 + 30),
        "-draw", "circle %d,%d %d,%d" % (w - 60, h // 3, w - 60, h // 3 + 30),
        "-draw", "circle %d,%d %d,%d" % (w - 60, 2 * h // 3, w - 60, 2 * h // 3 + 30),
        "-quality", "85"],
    "reference-naskh-ui": ["-rotate", "0.8", "-blur", "0x0.9", "-attenuate", "0.5", "-seed", "3", "+noise", "Gaussian",
                           "-quality", "60"],
}


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, (font, lines) in CASES.items():
        with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8", delete=False) as f:
            f.write("\n".join(lines))
        png = os.path.join(OUT, name + ".png")
        layout = LAYOUT.get(name, ["--align=left", "--margin=120"])
        subprocess.run(["pango-view", "--font=" + font, "--dpi=300", "--rtl"] + layout
                       + ["--background=white", "--foreground=black", "--hinting=none", "-q", "-o", png, f.name],
                       check=True)
        os.unlink(f.name)
        # 8-bit grey, no metadata that changes between runs
        subprocess.run(["/usr/bin/convert", png, "-colorspace", "Gray", "-depth", "8", "-strip", png], check=True)
        if name in DEGRADE:
            jpg = os.path.join(OUT, name + ".jpg")
            ops = DEGRADE[name]
            if callable(ops):
                w, h = (int(v) for v in subprocess.run(
                    ["/usr/bin/identify", "-format", "%w %h", png], check=True, capture_output=True, text=True).stdout.split())
                ops = ops(w, h)
            subprocess.run(["/usr/bin/convert", png] + ops + ["-strip", jpg], check=True)
            os.unlink(png)
            png = jpg
        with open(os.path.join(OUT, name + ".txt"), "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        print(png)


if __name__ == "__main__":
    main()
