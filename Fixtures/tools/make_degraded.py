#!/usr/bin/env python3
"""Generate Fixtures/degraded/: a held-out set of DEGRADED scanned Arabic pages.

Python stdlib only. External tools: pango-view (text shaping + rendering),
ImageMagick 6 `convert` (degradation; /usr/bin/convert by default, override
with $CONVERT) and fontconfig's fc-match (font check).

Output (relative to Fixtures/degraded/):
  pages/NN-<kind>-<font-slug>.<ext>      the degraded page images
  groundtruth/NN-<kind>-<font-slug>.txt  exact rendered text, one line per
                                         rendered line, logical order, UTF-8
  index.json                             what each page is and how it was made
  README.md                              what each kind simulates

Every page is rendered clean at 300 dpi (black text on white, A5 width), then
degraded by one pipeline per kind (PLAN lists the pages, DEGRADE the pipelines,
KIND_DOC what they simulate). All randomness comes from random.Random seeded
with fixed strings, and ImageMagick noise uses -seed, so reruns produce
byte-identical files on the same toolchain.

"Mild noise" is Gaussian noise on the ink and its edges only: noise on the flat
paper makes JPEGs several times larger, and the whole set must stay small.
Only the `noise` kind puts noise on the paper too.

Debugging: SIJILL_KEEP_TMP=1 keeps the work directory (clean-NN.png is each
page before degradation).
"""

import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from xml.sax.saxutils import escape as xml_escape

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_fixtures import check_tools as fixtures_check_tools, png_size, reset_dir, run  # noqa: E402  (shared helpers)

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.dirname(HERE)
OUT = os.path.join(FIX, "degraded")
SEED = "sijill-degraded-v1"
CONVERT = os.environ.get("CONVERT", "/usr/bin/convert")

PAGE_W = 1748          # A5 width at 300 dpi
MAX_H = 2480           # A5 height at 300 dpi
MIN_LEFT = 110         # smallest left margin a line may leave

# display name -> (fontconfig family, file-name slug)
FONTS = {
    "Amiri": ("Amiri", "amiri"),
    "Noto Naskh Arabic": ("Noto Naskh Arabic", "noto-naskh"),
    "KacstOne": ("KacstOne", "kacstone"),
    "KacstBook": ("KacstBook", "kacstbook"),
    "Noto Sans Arabic": ("Noto Sans Arabic", "noto-sans"),
    "KacstOffice": ("KacstOffice", "kacstoffice"),
}
# never used to train the digits model; they make up most pages
UNSEEN_FONTS = ("Amiri", "Noto Naskh Arabic", "KacstOne", "KacstBook")

# kind -> fonts of its pages (one page per font)
PLAN = [
    ("noise", ["Amiri", "KacstBook", "Noto Naskh Arabic"]),
    ("blur", ["Amiri", "KacstOne", "KacstBook"]),
    ("skew", ["KacstBook", "Amiri", "KacstOne"]),
    ("jpeg55", ["KacstOne", "Noto Naskh Arabic", "KacstOffice"]),
    ("g4-impulse", ["Amiri", "KacstOne", "KacstBook"]),
    ("faded", ["Noto Naskh Arabic", "KacstBook", "Noto Sans Arabic"]),
    ("photocopy", ["KacstOne", "Amiri", "KacstOffice"]),
    ("uneven", ["KacstBook", "Noto Naskh Arabic", "Amiri"]),
    ("showthrough", ["Amiri", "KacstOne", "Noto Sans Arabic"]),
    ("stamp", ["Noto Naskh Arabic", "KacstBook", "KacstOne"]),
    ("form", ["Amiri", "Noto Naskh Arabic", "KacstBook"]),
    ("fax", ["KacstOne", "Noto Naskh Arabic", "KacstOffice", "Amiri"]),
    ("phone150", ["Amiri", "KacstBook", "Noto Sans Arabic"]),
    ("turned90", ["Noto Naskh Arabic", "KacstOne"]),
    ("turned180", ["Amiri", "KacstBook"]),
]

INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
DIGIT_RUN = re.compile(r"[0-9]+|[٠-٩]+")
NUMBER_TOKEN = re.compile(r"[0-9٠-٩]+(?:/[0-9٠-٩]+)*")
HARAKAT = {chr(c) for c in range(0x064B, 0x0653)} | {"\u0670"}

# --------------------------------------------------------------------------
# phrase banks (lines are written with Western digits; "indic" pages get every
# digit converted to Arabic-Indic before rendering; numbers are joined by "/",
# never "-", because the bidi algorithm reorders a hyphen between Arabic-Indic
# digits)
# --------------------------------------------------------------------------
MALE = ["أحمد", "محمد", "محمود", "خالد", "سامر", "عمر", "يوسف", "ياسر", "فادي", "رامي",
        "باسل", "ماهر", "وليد", "جمال", "حسان", "نبيل", "عادل", "هشام", "طارق", "زياد",
        "مازن", "غسان", "إبراهيم", "عبد الرحمن", "مصطفى", "أنس", "بشار", "نزار", "كمال", "سليم"]
FEMALE = ["فاطمة", "ريم", "سعاد", "هدى", "لينا", "رنا", "سلمى", "منى", "ليلى", "مريم",
          "عائشة", "زينب", "سهى", "نادية", "رهف", "دعاء", "آمنة", "خديجة", "سوسن", "وفاء"]
FAMILY = ["السيوفي", "الحلبي", "الشامي", "العطار", "الخطيب", "الدباغ", "القباني", "النحاس",
          "الحمصي", "الزعبي", "المصري", "البيطار", "الصباغ", "الكردي", "العلي", "الأيوبي",
          "الجابري", "السباعي", "الحكيم", "الطرابلسي", "الأتاسي", "الدروبي", "المالكي",
          "القدسي", "الحسيني", "الرفاعي", "النجار", "الحداد", "الشهابي", "العظمة"]
HARAKAT_NAMES = {"محمد": "مُحَمَّد", "سامر": "سامِر"}   # rare, on purpose
CITIES = ["دمشق", "حلب", "حمص", "حماة", "اللاذقية", "طرطوس", "إدلب", "درعا", "السويداء", "الرقة"]
AREAS = ["الميدان", "القنوات", "المزة", "باب توما", "الصالحية", "الجميلية", "العزيزية",
         "الشعار", "الوعر", "الإنشاءات", "الشيخ ضاهر", "المهاجرين", "ركن الدين", "القصاع"]
JOBS_M = ["موظف", "مهندس مدني", "تاجر", "طبيب", "محام", "مزارع", "سائق", "نجار"]
JOBS_F = ["موظفة", "معلمة", "ممرضة", "طبيبة", "مهندسة", "محامية"]

MINISTRIES = [
    ("وزارة العدل", ["دائرة التنفيذ في {city}", "دائرة الكاتب بالعدل", "المحكمة البدائية المدنية"],
     ["ownership", "court", "certificate"]),
    ("وزارة الإدارة المحلية", ["مجلس مدينة {city}", "مديرية الخدمات الفنية", "دائرة رخص البناء"],
     ["building", "shop", "ownership"]),
    ("وزارة المالية", ["مديرية مالية {city}", "دائرة الإيرادات", "دائرة الضرائب العقارية"],
     ["receipt", "tax", "commerce"]),
    ("وزارة الداخلية", ["مديرية الشؤون المدنية", "دائرة النفوس في {city}", "دائرة الأحوال المدنية"],
     ["civil", "certificate"]),
    ("وزارة الزراعة", ["مديرية الزراعة في {city}", "دائرة الأراضي الزراعية"],
     ["land", "receipt"]),
    ("وزارة الصحة", ["مديرية صحة {city}", "دائرة التراخيص الصحية"],
     ["shop", "receipt"]),
    ("وزارة النقل", ["مديرية النقل في {city}", "دائرة تسجيل المركبات"],
     ["vehicle", "receipt"]),
    ("وزارة الاقتصاد والتجارة", ["مديرية التجارة الداخلية", "دائرة السجل التجاري"],
     ["commerce", "shop"]),
    ("المديرية العامة للمصالح العقارية", ["مديرية المصالح العقارية في {city}", "دائرة السجل العقاري"],
     ["ownership", "land", "certificate"]),
]

SUBJECTS = {
    "ownership": ("طلب نقل ملكية عقار", [
        "أتقدم بطلب نقل ملكية العقار الكائن في حي {area}،",
        "أرجو الموافقة على نقل ملكية العقار رقم {n4} إلى اسمي.",
        "وفق عقد البيع المنظم لدى الكاتب بالعدل في {city}."]),
    "building": ("طلب رخصة بناء", [
        "أرجو منحي رخصة بناء على المقسم رقم {n3} في {area}.",
        "وقد أرفقت المخططات الهندسية المصدقة من نقابة المهندسين.",
        "ولا مانع فنيا من منح الرخصة بعد تسديد الرسوم."]),
    "receipt": ("إيصال رسوم", [
        "استلمنا من المذكور أدناه الرسوم المستحقة عن عام {year}.",
        "وذلك لقاء الخدمة المقدمة وفق التعرفة النافذة.",
        "يعد هذا الإيصال مستندا رسميا عند المراجعة."]),
    "certificate": ("طلب شهادة قيد", [
        "أرجو منحي شهادة قيد لتقديمها إلى الجهات المختصة.",
        "وقد تبين من السجلات أن المذكور مقيد أصولا.",
        "تعطى هذه الشهادة بناء على طلبه لاستعمالها عند اللزوم."]),
    "civil": ("طلب بيان قيد مدني", [
        "أرجو منحي بيان قيد مدني عائلي لجميع أفراد الأسرة.",
        "وقد أرفقت صورة البطاقة الشخصية ودفتر العائلة.",
        "تم تدقيق القيود في السجل المدني ولا مانع من الإعطاء."]),
    "tax": ("إخطار بدفع ضريبة", [
        "يطلب إليكم تسديد الضريبة المترتبة خلال ثلاثين يوما.",
        "وفي حال التأخر تضاف غرامة وفق القوانين النافذة.",
        "عن العقار رقم {n4} في منطقة {area} العقارية."]),
    "commerce": ("طلب تجديد سجل تجاري", [
        "أرجو تجديد السجل التجاري للمحل الكائن في {city}.",
        "وقد سددت رسوم غرفة التجارة عن عام {year}.",
        "ولا مانع من التجديد لمدة سنة واحدة قابلة للتجديد."]),
    "shop": ("طلب ترخيص محل تجاري", [
        "أرجو ترخيص محل لبيع المواد الغذائية في حي {area}.",
        "وقد تم الكشف على المحل من قبل اللجنة المختصة.",
        "على أن تراعى الشروط الصحية المطلوبة في المحل."]),
    "land": ("طلب إفراز أرض زراعية", [
        "أرجو إفراز الأرض الزراعية رقم {n3} في قرية {area}.",
        "بناء على الكشف الحسي المنظم من قبل اللجنة الفنية،",
        "تبين أن الأرض صالحة للزراعة ولا يوجد عليها نزاع."]),
    "court": ("طلب تنفيذ حكم", [
        "أرجو تنفيذ الحكم الصادر لصالحي بحق المدعى عليه.",
        "وذلك بعد أن اكتسب الحكم الدرجة القطعية أصولا.",
        "وقد أرفقت صورة مصدقة عن الحكم وسند التبليغ."]),
    "vehicle": ("طلب تسجيل مركبة", [
        "أرجو تسجيل المركبة العائدة لي ومنحها لوحة نظامية.",
        "وقد أجري الفحص الفني للمركبة في مركز {city}.",
        "ولا مانع من التسجيل بعد تسديد الرسوم المقررة."]),
}

GENERIC = [
    "يرجى التفضل بالاطلاع وإجراء اللازم أصولا.",
    "نفيدكم بأنه تم استيفاء الرسوم المقررة قانونا.",
    "وقد أرفق بالطلب صورة الهوية وسند التمليك.",
    "يعاد الطلب لاستكمال الأوراق الناقصة خلال أسبوعين.",
    "على أن يراجع صاحب العلاقة الدائرة لاستلام الوثيقة.",
    "تحال المعاملة إلى دائرة التدقيق لإبداء الرأي.",
    "بالإشارة إلى كتابكم رقم {n4} تاريخ {date2}،",
    "وتحفظ نسخة من هذا الكتاب في إضبارة المعاملة.",
    "يرجى مراجعة الدائرة خلال أوقات الدوام الرسمي.",
]

NAME_LABELS = ["اسم مقدم الطلب", "صاحب العلاقة", "اسم المكلف", "المستدعي"]
ID_LINES = [("رقم الهوية", 7), ("رقم السجل", 5), ("رقم الإيصال", 6), ("رقم القيد", 5),
            ("الرقم الوظيفي", 6), ("الهاتف", 7)]
AMOUNT_LINES = ["المبلغ: {amt} ليرة", "الرسوم المدفوعة: {amt} ليرة", "قيمة الإيصال: {amt} ليرة سورية",
                "المبلغ المستحق: {amt} ليرة"]
CLOSINGS = ["مدير الدائرة", "رئيس الديوان", "مدير المديرية", "رئيس القسم", "أمين السجل"]

FORM_TITLES = ["استمارة طلب بيان قيد مدني", "استمارة طلب رخصة قيادة", "استمارة تسجيل عقد إيجار",
               "استمارة طلب جواز سفر", "بطاقة معلومات مراجع"]


def person(rng, female=None):
    if female is None:
        female = rng.random() < 0.35
    given = rng.choice(FEMALE if female else MALE)
    father = rng.choice(MALE)
    while father == given:
        father = rng.choice(MALE)
    return given, father, rng.choice(FAMILY)


def digits(rng, n):
    return str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(n - 1))


def a_date(rng, year=None):
    y = year or rng.randint(1968, 2012)
    return "%02d/%02d/%d" % (rng.randint(1, 28), rng.randint(1, 12), y)


def amount(rng):
    return str(rng.choice([rng.randint(3, 60) * 50, rng.randint(5, 90) * 500, rng.randint(2, 40) * 2500]))


def fill(rng, tmpl, year):
    return tmpl.format(city=rng.choice(CITIES), area=rng.choice(AREAS), n3=digits(rng, 3),
                       n4=digits(rng, 4), year=year, date2=a_date(rng, year))


def make_letter(rng, n=None):
    """8-11 lines of an administrative letter, Western digits, 4-8 numbers."""
    ministry, subs, subj_keys = rng.choice(MINISTRIES)
    year = rng.randint(1968, 2012)
    subject, sentences = SUBJECTS[rng.choice(subj_keys)]
    given, father, family = person(rng)
    if given in HARAKAT_NAMES and rng.random() < 0.5:
        given = HARAKAT_NAMES[given]
    head = [ministry, rng.choice(subs).format(city=rng.choice(CITIES)),
            "رقم المعاملة: %s/%d" % (digits(rng, rng.randint(3, 5)), year),
            "التاريخ: " + a_date(rng, year)]
    name_line = "%s: %s %s %s" % (rng.choice(NAME_LABELS), given, father, family)
    ids = rng.sample(ID_LINES, 3)
    id_lines = ["%s: %s" % (lab, digits(rng, n)) for lab, n in ids]
    amount_line = rng.choice(AMOUNT_LINES).format(amt=amount(rng))
    closing = rng.choice(CLOSINGS)
    if rng.random() < 0.5:
        g2, _, f2 = person(rng)
        closing = "%s: %s %s" % (closing, g2, f2)
    # 8 fixed lines: 2 header, number, date, name, one id, amount, closing
    # optional: subject, 0-2 body sentences, up to 2 more ids
    if n is None:
        n = rng.choice([8, 9, 9, 10, 10, 11])
    extra = n - 8
    subject_line = []
    if extra > 0 and rng.random() < 0.9:
        subject_line = ["الموضوع: " + subject]
        extra -= 1
    nids = rng.randint(min(1, extra), min(2, extra))
    nbody = extra - nids
    body_pool = [fill(rng, s, year) for s in sentences] + [fill(rng, s, year) for s in rng.sample(GENERIC, 2)]
    body = [body_pool[0]] + rng.sample(body_pool[1:], max(0, nbody - 1)) if nbody else []
    more_ids = id_lines[1:1 + nids]
    lines = head + subject_line + body + [name_line, id_lines[0]] + more_ids + [amount_line, closing]
    return lines


def make_form(rng):
    """(header lines, [(label, value)]) for a ruled form, Western digits."""
    ministry = rng.choice(MINISTRIES)[0]
    title = rng.choice(FORM_TITLES)
    female = rng.random() < 0.35
    given, father, family = person(rng, female)
    mother = rng.choice(FEMALE)
    year = rng.randint(1940, 1995)
    req_year = rng.randint(1975, 2012)
    city = rng.choice(CITIES)
    pool = [
        ("الاسم", "%s %s" % (given, family)),
        ("اسم الأب", father),
        ("اسم الأم", mother),
        ("رقم الهوية", digits(rng, rng.randint(5, 7))),
        ("تاريخ الولادة", a_date(rng, year)),
        ("مكان الولادة", rng.choice(CITIES)),
        ("العنوان", "%s، حي %s" % (city, rng.choice(AREAS))),
        ("رقم الهاتف", digits(rng, 7)),
        ("المهنة", rng.choice(JOBS_F if female else JOBS_M)),
        ("رقم الطلب", "%s/%d" % (digits(rng, 4), req_year)),
        ("تاريخ الطلب", a_date(rng, req_year)),
        ("رقم القيد", digits(rng, 5)),
    ]
    nrows = rng.randint(6, 9)
    rows = [pool[0]] + rng.sample(pool[1:], nrows - 1)
    order = {lab: i for i, (lab, _) in enumerate(pool)}
    rows.sort(key=lambda r: order[r[0]])
    return [ministry, title], rows


# --------------------------------------------------------------------------
# tools
# --------------------------------------------------------------------------
def im(*args):
    return run([CONVERT] + [str(a) for a in args])


def check_tools():
    fixtures_check_tools([fam for fam, _ in FONTS.values()])


def ink_box(path):
    """(w, h, x, y) of the non-white pixels of an image."""
    s = im(path, "-format", "%@", "info:").decode().strip()
    m = re.match(r"(\d+)x(\d+)\+(-?\d+)\+(-?\d+)", s)
    return tuple(int(v) for v in m.groups())


def att(sigma):
    """-attenuate giving Gaussian noise of std `sigma` (0..1) on mid grey."""
    return "%.4f" % (sigma / 0.0782)


def noise_field(w, h, seed, sigma, blur=0.0):
    """IM args (in parentheses) making a mid-grey noise field; add it with ADD_FIELD."""
    args = ["(", "-size", "%dx%d" % (w, h), "xc:gray50", "-seed", seed, "-attenuate", att(sigma),
            "+noise", "Gaussian"]
    if blur:
        args += ["-blur", "0x%s" % blur]
    return args + [")"]


def ink_noise(w, h, seed, sigma):
    """IM args adding Gaussian noise (std sigma before a 0.5 blur) to the ink and its edges
    only; the flat paper stays clean, which keeps JPEG sizes down."""
    wh = "%dx%d" % (w, h)
    # (the shave/border drops what Dilate makes of the virtual pixels along the page edges)
    return ["(", "-clone", "0", "-negate", "-level", "12%,50%", "-morphology", "Dilate", "Disk:1",
            "-blur", "0x1", "-shave", "4x4", "-bordercolor", "black", "-border", "4", ")",
            "(", "-size", wh, "xc:gray50", ")",
            "(", "-size", wh, "xc:gray50", "-seed", seed, "-attenuate", att(sigma), "+noise", "Gaussian",
            "-blur", "0x0.5", ")",
            "(", "-clone", "2", "-clone", "3", "-clone", "1", "-composite", ")",
            "-delete", "1-3"] + ADD_FIELD


def mottle(w, h, seed, amp, cells=24):
    """IM args multiplying the page by a smooth random field in [1-amp, 1] (paper mottling)."""
    return blotch_field(w, h, seed, 1 - amp, 1.0, cells) + MULTIPLY


ADD_FIELD = ["-compose", "Mathematics", "-define", "compose:args=0,1,1,-0.5", "-composite", "+compose"]
MULTIPLY = ["-compose", "Multiply", "-composite", "+compose"]


def light_field(w, h, expr):
    """IM args (in parentheses) making a smooth illumination field from an -fx expression
    in u, v (0..1 across the page), evaluated on a small grid and scaled up."""
    sw = 96
    sh = max(8, round(96 * h / w))
    fx = expr.replace("u", "(i/%d)" % (sw - 1)).replace("v", "(j/%d)" % (sh - 1))
    return ["(", "-size", "%dx%d" % (sw, sh), "xc:white", "-fx", fx, "-filter", "Triangle",
            "-resize", "%dx%d!" % (w, h), ")"]


def blotch_field(w, h, seed, lo, hi, cells=14):
    """IM args (in parentheses): a smooth random field between lo and hi (0..1)."""
    cw, ch = cells, max(4, round(cells * h / w))
    return ["(", "-size", "%dx%d" % (cw, ch), "xc:gray50", "-seed", seed, "-attenuate", "3",
            "+noise", "Gaussian", "-auto-level", "-filter", "Catrom", "-resize", "%dx%d!" % (w, h),
            "+level", "%.1f%%,%.1f%%" % (lo * 100, hi * 100), ")"]


DPI300 = ["-units", "PixelsPerInch", "-density", "300"]
PNG_TAIL = ["-define", "png:exclude-chunks=date,time,tEXt,zTXt,iTXt,bKGD", "-define", "png:color-type=0",
            "-define", "png:bit-depth=8"]


def jpeg_gray(q, dpi="300"):
    return ["-strip", "-colorspace", "Gray", "-type", "Grayscale", "-depth", "8", "-quality", str(q),
            "-sampling-factor", "1x1", "-units", "PixelsPerInch", "-density", dpi]


def g4_tail(density="300"):
    return ["-threshold", "50%", "-strip", "-type", "bilevel", "-compress", "Group4",
            "-units", "PixelsPerInch", "-density", density, "-define", "tiff:rows-per-strip=%d" % MAX_H]


# --------------------------------------------------------------------------
# rendering
# --------------------------------------------------------------------------
class Renderer:
    def __init__(self, tmp):
        self.tmp = tmp
        self.n = 0

    def path(self, stem):
        self.n += 1
        return os.path.join(self.tmp, "%03d-%s" % (self.n, stem))

    def text(self, lines, font, size, bold_head=True, spacing=4):
        """Render lines (right-aligned, RTL) tight; returns (png, w, h)."""
        markup = []
        for i, line in enumerate(lines):
            t = xml_escape(line)
            if bold_head and i == 0:
                t = '<span size="112%%"><b>%s</b></span>' % t
            elif bold_head and i == 1:
                t = "<b>%s</b>" % t
            markup.append(t)
        txt = self.path("t.txt")
        with open(txt, "w", encoding="utf-8") as f:
            f.write("\n".join(markup))
        out = self.path("text.png")
        run(["pango-view", "--markup", "--font=%s %d" % (FONTS[font][0], size), "--dpi=300",
             "--rtl", "--align=left", "--margin=0", "--background=white", "--foreground=black",
             "--hinting=none", "--spacing=%d" % spacing, "-q", "-o", out, txt])
        w, h = png_size(out)
        return out, w, h

    def page(self, lines, font, size, rng, spacing=None):
        """A clean 8-bit grey page; returns (png, H, geometry) or None if too wide."""
        if spacing is None:
            spacing = rng.randint(0, 4) + (3 if font.startswith("Kacst") else 0)
        right = rng.randint(110, 150)
        top = rng.randint(105, 150)
        bottom = rng.randint(110, 160)
        raw, w, h = self.text(lines, font, size, spacing=spacing)
        if w > PAGE_W - right - MIN_LEFT:
            return None
        H = top + h + bottom
        if H > MAX_H:
            return None
        x = PAGE_W - right - w
        out = self.path("clean.png")
        im("-size", "%dx%d" % (PAGE_W, H), "xc:white", raw, "-geometry", "+%d+%d" % (x, top),
           "-composite", "-colorspace", "Gray", "-depth", "8", out)
        return out, H, dict(x=x, y=top, w=w, h=h, lines=len(lines))

    def form(self, head, rows, font, vfont, size, vsize, rng):
        """A clean ruled form; returns (png, H, geometry, gt lines) or None if too wide."""
        hraw, hw, hh = self.text(head, font, size + 1, spacing=10)
        top = rng.randint(120, 160)
        x0, x1 = rng.randint(95, 125), PAGE_W - rng.randint(95, 125)
        if hw > x1 - x0 - 40:
            return None
        # baseline of the label font: bottom of a tatweel run
        probe = self.path("probe.txt")
        with open(probe, "w", encoding="utf-8") as f:
            f.write("ـــ")
        praw = self.path("probe.png")
        run(["pango-view", "--font=%s %d" % (FONTS[font][0], size), "--dpi=300", "--margin=0",
             "--background=white", "--foreground=black", "--hinting=none", "-q", "-o", praw, probe])
        _, pbh, _, pby = ink_box(praw)
        baseline = pby + pbh
        pieces = []
        t_top = top + hh + rng.randint(40, 70)
        row_h = int(size * 300 / 72 * rng.uniform(1.85, 2.1))
        y = t_top
        draw = ["rectangle %d,%d %d,%d" % (x0, t_top, x1, t_top + 2)]
        for label, value in rows:
            y += row_h
            lraw, lw, lh = self.text([label + ":"], font, size, bold_head=False)
            vraw, vw, vh = self.text([value], vfont, vsize, bold_head=False)
            bw, bh, bx, by = ink_box(vraw)
            pad = rng.randint(28, 45)
            lx = x1 - pad - lw
            ly = y - rng.randint(12, 22) - baseline          # label baseline a bit above the rule
            vx = lx - rng.randint(22, 50) - vw
            vy = y + rng.randint(-2, 1) - (by + bh)          # value ink bottom on the rule
            if vx < x0 + 25:
                return None
            pieces += [lraw, "-geometry", "+%d+%d" % (lx, ly), "-composite",
                       vraw, "-geometry", "+%d+%d" % (vx, vy), "-composite"]
            thick = rng.choice([2, 2, 3])
            draw.append("rectangle %d,%d %d,%d" % (x0, y, x1, y + thick - 1))
        bottom_y = y + 2
        draw.append("rectangle %d,%d %d,%d" % (x0, t_top, x0 + 2, bottom_y))
        draw.append("rectangle %d,%d %d,%d" % (x1 - 2, t_top, x1, bottom_y))
        H = bottom_y + rng.randint(150, 220)
        out = self.path("form.png")
        im("-size", "%dx%d" % (PAGE_W, H), "xc:white",
           hraw, "-geometry", "+%d+%d" % (x1 - 20 - hw, top), "-composite",
           *pieces, "-fill", "black", "-stroke", "none", "-draw", " ".join(draw),
           "-colorspace", "Gray", "-depth", "8", out)
        gt = list(head) + ["%s: %s" % (l, v) for l, v in rows]
        return out, H, dict(x=x0, y=top, w=x1 - x0, h=bottom_y - top, lines=len(gt)), gt


# --------------------------------------------------------------------------
# degradations: each takes (clean png, H, geometry, rng, out path) and returns
# (format description, dpi pair, skew degrees, turned, [degradation strings])
# --------------------------------------------------------------------------
def iseed(rng):
    return str(rng.randint(1, 999999))


def d_noise(src, H, g, rng, out, R):
    sig = round(rng.uniform(0.42, 0.50), 3)      # before the 2 px grain blur; about 0.12 x that after it
    blur = round(rng.uniform(0.5, 0.7), 2)
    ink, paper = rng.randint(22, 28), rng.randint(80, 84)
    im(src, "-blur", "0x%s" % blur, "+level", "%d%%,%d%%" % (ink, paper),
       *noise_field(PAGE_W, H, iseed(rng), sig, 2.0), *ADD_FIELD, *jpeg_gray(75), "JPEG:" + out)
    return ("JPEG gray q75", [300, 300], 0.0, 0,
            ["blur %s" % blur, "ink %d%% paper %d%%" % (ink, paper),
             "gaussian noise over the whole page, sd %.1f%% (2 px grain)" % (sig * 12.2)])


def mild(rng, w=PAGE_W, h=None, paper=False):
    """Mild scanner noise (on the ink), optionally paper mottling; returns (IM args, description)."""
    sig = round(rng.uniform(0.07, 0.10), 3)
    args = ink_noise(w, h, iseed(rng), sig)
    desc = ["noise on the ink sd %.0f%%" % (sig * 100)]
    if paper:
        amp = round(rng.uniform(0.03, 0.05), 3)
        args += mottle(w, h, iseed(rng), amp)
        desc.append("paper mottling %.0f%%" % (amp * 100))
    return args, desc


def d_blur(src, H, g, rng, out, R):
    blur = round(rng.uniform(1.1, 1.6), 2)
    ink, paper = rng.randint(22, 32), rng.randint(84, 90)
    noise, nd = mild(rng, h=H)
    im(src, "-blur", "0x%s" % blur, "+level", "%d%%,%d%%" % (ink, paper), *noise, *jpeg_gray(80), "JPEG:" + out)
    return ("JPEG gray q80", [300, 300], 0.0, 0,
            ["blur %s" % blur, "ink %d%% paper %d%%" % (ink, paper)] + nd)


def d_skew(src, H, g, rng, out, R, sign=1):
    angle = round(sign * rng.uniform(1.5, 2.5), 2)
    blur = round(rng.uniform(0.5, 0.8), 2)
    ink, paper = rng.randint(5, 15), rng.randint(88, 94)
    noise, nd = mild(rng, h=H)
    im(src, "-background", "white", "-rotate", angle, "-gravity", "center", "-extent", "%dx%d" % (PAGE_W, H),
       "+gravity", "+repage", "-blur", "0x%s" % blur, "+level", "%d%%,%d%%" % (ink, paper),
       *noise, *jpeg_gray(80), "JPEG:" + out)
    return ("JPEG gray q80", [300, 300], angle, 0, ["skew %+.2f°" % angle, "blur %s" % blur] + nd)


def d_jpeg55(src, H, g, rng, out, R):
    q = rng.randint(50, 58)
    blur = round(rng.uniform(0.7, 1.0), 2)
    ink, paper = rng.randint(8, 18), rng.randint(85, 92)
    noise, nd = mild(rng, h=H)
    im(src, "-blur", "0x%s" % blur, "+level", "%d%%,%d%%" % (ink, paper), *noise, *jpeg_gray(q), "JPEG:" + out)
    return ("JPEG gray q%d" % q, [300, 300], 0.0, 0, ["jpeg q%d" % q, "blur %s" % blur] + nd)


def d_g4_impulse(src, H, g, rng, out, R):
    blur = round(rng.uniform(0.5, 0.8), 2)
    pep = round(rng.uniform(0.010, 0.015), 3)   # attenuate for the 1-px pepper layer
    big = round(rng.uniform(0.005, 0.008), 4)   # attenuate for the 2-3 px specks
    salt = round(rng.uniform(0.2, 0.3), 3)      # attenuate for white holes in ink
    im(src, "-blur", "0x%s" % blur, "-threshold", "55%",
       "(", "-size", "%dx%d" % (PAGE_W, H), "xc:white", "-seed", iseed(rng), "-attenuate", pep,
       "+noise", "Impulse", "-threshold", "50%", ")", *MULTIPLY,
       "(", "-size", "%dx%d" % (PAGE_W, H), "xc:white", "-seed", iseed(rng), "-attenuate", big,
       "+noise", "Impulse", "-threshold", "50%", "-morphology", "Erode", "Disk:1", ")", *MULTIPLY,
       "(", "-size", "%dx%d" % (PAGE_W, H), "xc:black", "-seed", iseed(rng), "-attenuate", salt,
       "+noise", "Impulse", "-threshold", "50%", ")", "-compose", "Lighten", "-composite", "+compose",
       *g4_tail(), "TIFF:" + out)
    return ("TIFF G4 bilevel", [300, 300], 0.0, 0,
            ["blur %s + threshold" % blur, "salt-and-pepper: black specks on paper, white holes in ink"])


def d_faded(src, H, g, rng, out, R):
    ink, paper = rng.randint(52, 60), rng.randint(80, 86)
    blur = round(rng.uniform(0.9, 1.1), 2)
    lo = round(rng.uniform(0.5, 0.65), 2)
    noise, nd = mild(rng, h=H, paper=True)
    im(src, "-blur", "0x%s" % blur, "-negate", *blotch_field(PAGE_W, H, iseed(rng), lo, 1.0), *MULTIPLY,
       "-negate", *noise, "+level", "%d%%,%d%%" % (ink, paper), *jpeg_gray(80), "JPEG:" + out)
    return ("JPEG gray q80", [300, 300], 0.0, 0,
            ["carbon copy: ink %d%% on paper %d%%" % (ink, paper), "patchy ink strength %d-100%%" % (lo * 100),
             "blur %s" % blur] + nd)


def d_photocopy(src, H, g, rng, out, R):
    angle = round(rng.choice([-1, 1]) * rng.uniform(0.2, 0.6), 2)
    t1, t2 = rng.randint(68, 74), rng.randint(66, 72)
    edge = rng.choice(["West", "East", "South"])
    bw = rng.randint(45, 85)
    dark = rng.uniform(0.25, 0.35)
    # band field: dark at the edge, fading inward, noisy; then speckles
    if edge in ("West", "East"):
        expr = "u" if edge == "West" else "(1-u)"
        span = PAGE_W
    else:
        expr = "(1-v)"
        span = H
    k = span / bw
    band = light_field(PAGE_W, H, "min(1,%.3f+(1-%.3f)*pow(min(1,%s*%.3f),0.7))" % (dark, dark, expr, k))
    specks = []
    for _ in range(rng.randint(60, 110)):
        sx, sy, r = rng.randint(0, PAGE_W - 1), rng.randint(0, H - 1), rng.choice([1, 1, 1, 2, 2, 3])
        specks.append("circle %d,%d %d,%d" % (sx, sy, sx + r, sy))
    im(src, "-background", "white", "-rotate", angle, "-gravity", "center", "-extent", "%dx%d" % (PAGE_W, H),
       "+gravity", "+repage",
       "-blur", "0x1.0", "-threshold", "%d%%" % t1, "-blur", "0x1.0", "-threshold", "%d%%" % t2,
       *band, *MULTIPLY, *noise_field(PAGE_W, H, iseed(rng), 0.10, 0.6), *ADD_FIELD,
       "-fill", "black", "-draw", " ".join(specks),
       "(", "-size", "%dx%d" % (PAGE_W, H), "xc:white", "-seed", iseed(rng), "-attenuate", "0.012",
       "+noise", "Impulse", "-threshold", "50%", ")", *MULTIPLY,
       *g4_tail(), "TIFF:" + out)
    side = {"West": "left", "East": "right", "South": "bottom"}[edge]
    return ("TIFF G4 bilevel", [300, 300], angle, 0,
            ["skew %+.2f°" % angle, "photocopy of a photocopy: blur+threshold twice (thick strokes)",
             "dark band along the %s edge (%d px)" % (side, bw), "toner specks"])


def d_uneven(src, H, g, rng, out, R):
    # the dark corner is on the left (the spine or lid side), where the right-aligned text is sparse:
    # a dark corner under the start of every line makes global thresholds fail on the whole page
    corner = rng.choice([(0, 0), (0, 1)])
    lc = round(rng.uniform(0.38, 0.48), 2)           # brightness in the dark corner
    radius = round(rng.uniform(0.75, 0.95), 2)       # of the page width
    gamma = round(rng.uniform(1.2, 1.6), 2)
    slope = round(rng.uniform(0.08, 0.15), 2)        # plus a gentle gradient across the page
    aspect = H / PAGE_W
    du = "(u-%d)" % corner[0]
    dv = "(v-%d)*%.4f" % (corner[1], aspect)
    lin = "(1-%.2f*(1-hypot(%s,%s)/%.4f))" % (slope, du, dv, (1 + aspect ** 2) ** 0.5)
    expr = "%s*(%.3f+(1-%.3f)*pow(min(1,hypot(%s,%s)/%.2f),%.2f))" % (lin, lc, lc, du, dv, radius, gamma)
    blur = round(rng.uniform(0.5, 0.8), 2)
    ink, paper = rng.randint(5, 12), rng.randint(90, 95)
    noise, nd = mild(rng, h=H)
    im(src, "-blur", "0x%s" % blur, "+level", "%d%%,%d%%" % (ink, paper), *noise,
       *light_field(PAGE_W, H, expr), *MULTIPLY, *jpeg_gray(80), "JPEG:" + out)
    cname = {(0, 0): "top-left", (1, 0): "top-right", (0, 1): "bottom-left", (1, 1): "bottom-right"}[corner]
    return ("JPEG gray q80", [300, 300], 0.0, 0,
            ["uneven lighting: vignette from the %s corner (%d%% there), gradient %d%% across" %
             (cname, round(lc * (1 - slope) * 100), slope * 100), "blur %s" % blur] + nd)


def d_showthrough(src, H, g, rng, out, R, verso=None):
    dark = round(rng.uniform(0.18, 0.25), 2)
    vblur = round(rng.uniform(1.2, 1.6), 2)
    blur = round(rng.uniform(0.5, 0.7), 2)
    ink, paper = rng.randint(24, 32), rng.randint(84, 88)
    noise, nd = mild(rng, h=H)
    im(src, "-blur", "0x%s" % blur, "(", verso, "-flop", "-background", "white", "-gravity", "center",
       "-extent", "%dx%d" % (PAGE_W, H), "+gravity", "+repage", "-blur", "0x%s" % vblur,
       "+level", "%d%%,100%%" % round(100 - dark * 100), ")", *MULTIPLY,
       "+level", "%d%%,%d%%" % (ink, paper), *noise, *jpeg_gray(85), "JPEG:" + out)
    return ("JPEG gray q85", [300, 300], 0.0, 0,
            ["show-through: mirrored verso page at %d%% darkness (blur %s)" % (dark * 100, vblur),
             "blur %s" % blur, "ink %d%% paper %d%%" % (ink, paper)] + nd)


def star(cx, cy, r_out, r_in, rot, points=5):
    import math
    pts = []
    for k in range(points * 2):
        r = r_out if k % 2 == 0 else r_in
        a = math.radians(rot + k * 180.0 / points - 90)
        pts.append("%.1f,%.1f" % (cx + r * math.cos(a), cy + r * math.sin(a)))
    return "polygon " + " ".join(pts)


def d_stamp(src, H, g, rng, out, R):
    import math
    pitch = g["h"] / g["lines"]
    D = int(pitch * rng.uniform(2.4, 2.9))
    S = D + 24
    c = S / 2.0
    r1 = D / 2.0 - 4
    r2 = r1 - rng.randint(13, 18)
    r3 = r1 * rng.uniform(0.52, 0.6)
    rot = rng.uniform(0, 72)
    color = rng.choice([("purple", "#5a2d91"), ("blue", "#1f3c9e"), ("violet", "#4b2a7a")])
    opacity = round(rng.uniform(0.45, 0.6), 2)
    draws = ["stroke white fill none stroke-width 7 circle %.1f,%.1f %.1f,%.1f" % (c, c, c + r1, c),
             "stroke-width 3 circle %.1f,%.1f %.1f,%.1f" % (c, c, c + r2, c),
             "stroke-width 2 circle %.1f,%.1f %.1f,%.1f" % (c, c, c + r3, c),
             "stroke none fill white " + star(c, c, r3 * 0.78, r3 * 0.32, rot)]
    # ornaments between the rings (dots and small diamonds; no letters or digits)
    rm = (r2 + r3) / 2.0
    n = rng.randint(16, 24)
    for k in range(n):
        a = 2 * math.pi * k / n + math.radians(rot)
        x, y = c + rm * math.cos(a), c + rm * math.sin(a)
        if k % 2:
            draws.append("circle %.1f,%.1f %.1f,%.1f" % (x, y, x + 5, y))
        else:
            dx, dy = 9 * math.cos(a), 9 * math.sin(a)
            ex, ey = 4 * -math.sin(a), 4 * math.cos(a)
            draws.append("polygon %.1f,%.1f %.1f,%.1f %.1f,%.1f %.1f,%.1f" % (
                x + dx, y + dy, x + ex, y + ey, x - dx, y - dy, x - ex, y - ey))
    # over 2-3 lines in the lower half of the text, on the right half (where every line has ink)
    sx = int(g["x"] + g["w"] * rng.uniform(0.45, 0.8) - S / 2)
    sy = int(g["y"] + g["h"] * rng.uniform(0.5, 0.8) - S / 2)
    ink = rng.choice(["rgb(28,28,36)", "rgb(20,24,48)", "rgb(40,36,34)"])
    paper = rng.choice(["rgb(244,240,228)", "rgb(238,236,230)", "rgb(246,243,235)"])
    stamp = [
        "(", "-size", "%dx%d" % (S, S), "xc:%s" % color[1],
        "(", "-size", "%dx%d" % (S, S), "xc:black", "-draw", " ".join(draws),
        "(", "-size", "%dx%d" % (S, S), "xc:gray50", "-seed", iseed(rng), "-attenuate", "6", "+noise", "Gaussian",
        "-blur", "0x2.5", "-auto-level", "+level", "35%,100%", ")", *MULTIPLY,
        "-evaluate", "multiply", opacity, ")",
        "-alpha", "off", "-compose", "CopyOpacity", "-composite", "+compose",
        "-background", "none", "-rotate", "%.1f" % rng.uniform(-20, 20), ")",
    ]
    noise, nd = mild(rng, h=H)
    im(src, "-blur", "0x0.6", *noise, "-colorspace", "sRGB", "-type", "TrueColor",
       "+level-colors", "%s,%s" % (ink, paper), *stamp, "-geometry", "+%d+%d" % (sx, sy), *MULTIPLY,
       "-strip", "-type", "TrueColor", "-quality", "85", "-sampling-factor", "2x2", *DPI300, "JPEG:" + out)
    return ("JPEG RGB q85", [300, 300], 0.0, 0,
            ["colour scan", "round %s stamp (double ring, star, no text), %d px, opacity %d%%, over 2-3 lines"
             % (color[0], D, opacity * 100), "blur 0.6"] + nd)


def d_form(src, H, g, rng, out, R, fmt="g4"):
    blur = round(rng.uniform(0.6, 0.9), 2)
    if fmt == "g4":
        im(src, "-blur", "0x%s" % blur, *noise_field(PAGE_W, H, iseed(rng), 0.05, 0.6), *ADD_FIELD,
           *g4_tail(), "TIFF:" + out)
        return ("TIFF G4 bilevel", [300, 300], 0.0, 0,
                ["ruled form: outer border, rule under every row touching the typed values",
                 "values typed in another font, off the label baseline", "blur %s + threshold" % blur])
    ink, paper = rng.randint(8, 15), rng.randint(90, 95)
    im(src, "-blur", "0x%s" % blur, "+level", "%d%%,%d%%" % (ink, paper), "-posterize", "16",
       *DPI300, *PNG_TAIL, "PNG:" + out)
    return ("PNG 8-bit gray", [300, 300], 0.0, 0,
            ["ruled form: outer border, rule under every row touching the typed values",
             "values typed in another font, off the label baseline", "blur %s" % blur])


def d_fax(src, H, g, rng, out, R):
    w2, h2 = round(PAGE_W * 2 / 3), round(H / 3)
    streaks = []
    for _ in range(rng.randint(3, 6)):           # dashed black streaks (line noise)
        y = rng.randint(0, h2 - 1)
        x = rng.randint(0, w2 // 2)
        end = rng.randint(x + 150, w2)
        while x < end:
            L = rng.randint(4, 60)
            streaks.append("line %d,%d %d,%d" % (x, y, min(end, x + L), y))
            x += L + rng.randint(3, 40)
    drop = []
    for _ in range(rng.randint(1, 2)):           # lost scanlines (white across the text)
        y = rng.randint(g["y"] // 3, (g["y"] + g["h"]) // 3)
        drop.append("line 0,%d %d,%d" % (y, w2, y))
    thr = rng.randint(52, 58)
    im(src, "-filter", "Triangle", "-resize", "%dx%d!" % (w2, h2), "-threshold", "%d%%" % thr,
       "-stroke", "black", "-strokewidth", "1", "-draw", " ".join(streaks),
       "-stroke", "white", "-draw", " ".join(drop), "+stroke",
       "(", "-size", "%dx%d" % (w2, h2), "xc:white", "-seed", iseed(rng), "-attenuate", "0.02",
       "+noise", "Impulse", "-threshold", "50%", ")", *MULTIPLY,
       *g4_tail("200x100"), "TIFF:" + out)
    return ("TIFF G4 bilevel 200x100 dpi", [200, 100], 0.0, 0,
            ["fax standard resolution: scaled to 200x100 dpi (x 2/3, y 1/3)", "threshold %d%%" % thr,
             "black streaks", "lost scanlines", "specks"])


def d_phone150(src, H, g, rng, out, R):
    angle = round(rng.choice([-1, 1]) * rng.uniform(0.3, 0.9), 2)
    w2, h2 = PAGE_W // 2, H // 2
    corner = (rng.random() < 0.5, rng.random() < 0.5)
    cu, cv = 0.35 + 0.3 * corner[0], 0.35 + 0.3 * corner[1]
    edge = round(rng.uniform(0.55, 0.68), 2)
    expr = "max(%.3f,1-(1-%.3f)*pow(hypot(u-%.3f,(v-%.3f)*%.4f)/0.75,1.6))" % (edge, edge, cu, cv, H / PAGE_W)
    blur = round(rng.uniform(0.5, 0.7), 2)
    ink, paper = rng.randint(12, 22), rng.randint(86, 93)
    noise, nd = mild(rng, w=w2, h=h2)
    im(src, "-background", "white", "-rotate", angle, "-gravity", "center", "-extent", "%dx%d" % (PAGE_W, H),
       "+gravity", "+repage", "-filter", "Triangle", "-resize", "%dx%d!" % (w2, h2),
       "-blur", "0x%s" % blur, "+level", "%d%%,%d%%" % (ink, paper), *noise,
       *light_field(w2, h2, expr), *MULTIPLY, *jpeg_gray(70, "150"), "JPEG:" + out)
    return ("JPEG gray q70 150 dpi", [150, 150], angle, 0,
            ["phone capture at 150 dpi", "skew %+.2f°" % angle, "uneven lighting (edges at %d%%)" % (edge * 100),
             "blur %s" % blur] + nd)


def d_turned(src, H, g, rng, out, R, turn=90, fmt="jpg"):
    blur = round(rng.uniform(0.5, 0.8), 2)
    ink, paper = rng.randint(5, 15), rng.randint(88, 94)
    noise, nd = mild(rng, h=H)
    common = [src, "-blur", "0x%s" % blur, "+level", "%d%%,%d%%" % (ink, paper), *noise, "-rotate", turn]
    if fmt == "jpg":
        im(*common, *jpeg_gray(80), "JPEG:" + out)
        desc = "JPEG gray q80"
    else:
        im(*common, *g4_tail(), "TIFF:" + out)
        desc = "TIFF G4 bilevel"
    how = {90: "turned 90° clockwise", 270: "turned 90° counter-clockwise", 180: "upside down"}[turn]
    return (desc, [300, 300], 0.0, turn, [how, "blur %s" % blur] + nd)


DEGRADE = {
    "noise": d_noise, "blur": d_blur, "skew": d_skew, "jpeg55": d_jpeg55, "g4-impulse": d_g4_impulse,
    "faded": d_faded, "photocopy": d_photocopy, "uneven": d_uneven, "showthrough": d_showthrough,
    "stamp": d_stamp, "form": d_form, "fax": d_fax, "phone150": d_phone150,
    "turned90": d_turned, "turned180": d_turned,
}
EXT = {"JPEG": "jpg", "TIFF": "tif", "PNG": "png"}

KIND_DOC = [
    ("noise", "strong Gaussian noise over the whole page, paper too (sd about 5-6%, 2 px grain), on a "
              "low-contrast page (ink 22-28%, paper 80-84%) after a light blur; JPEG q75 grey."),
    ("blur", "heavy defocus blur (sigma 1.1-1.6) on a greyish page (ink 22-32%, paper 84-90%), mild noise; "
             "JPEG q80 grey."),
    ("skew", "page rotated by 1.5-2.5 degrees (both signs; `skew_degrees`), mild blur and noise; "
             "JPEG q80 grey."),
    ("jpeg55", "JPEG quality 50-58 (block artefacts, ringing) on a blurred page with mild noise; grey."),
    ("g4-impulse", "thresholded to bilevel with salt-and-pepper noise: black specks (1-3 px) on the paper, "
                   "white holes in the ink; CCITT G4 TIFF."),
    ("faded", "faded carbon copy: ink at 52-60% grey on 80-86% paper, patchy ink strength (50-100%), "
              "slight blur, noise, paper mottling; JPEG q80 grey."),
    ("photocopy", "photocopy of a photocopy: strokes thickened by blur+threshold twice, a dark speckled band "
                  "along one edge, toner specks, slight tilt; G4 TIFF."),
    ("uneven", "uneven lighting: a vignette from a left corner (the spine or lid side) down to 38-48% "
               "brightness, times a gentle gradient across the page; mild noise; JPEG q80 grey."),
    ("showthrough", "the mirrored, blurred text of a different page (the verso) shows through at 18-25% "
                    "darkness behind the text (ink 24-32% on 84-88% paper); JPEG q85 grey. The verso text "
                    "is not in the ground truth."),
    ("stamp", "colour scan on off-white paper: a semi-transparent (45-60%) round office stamp (double ring, "
              "star, dot and diamond ornaments; no letters or digits) in purple, violet or blue over 2-3 "
              "text lines; RGB JPEG q85."),
    ("form", "ruled form: outer border, a rule under every row, labels followed by a colon and a value typed "
             "in another font (`value_font`), off the label's baseline, its descenders touching the rule; "
             "no vertical rules. Ground truth: the two heading lines, then one line per row, "
             "`label: value`. G4 TIFF or 8-bit grey PNG."),
    ("fax", "standard-resolution fax: rendered at 300 dpi, scaled to 200x100 dpi (width x2/3, height x1/3, "
            "non-square pixels), thresholded, dashed black streaks, lost (white) scanlines, specks; G4 TIFF "
            "whose resolution tags say x 200, y 100."),
    ("phone150", "phone capture: 150 dpi, slight tilt, uneven lighting (darker edges), slight blur, mild "
                 "noise; JPEG q70 grey, 150 dpi in the file."),
    ("turned90", "a page turned 90 degrees, one clockwise (`turned` 90), one counter-clockwise (`turned` "
                 "270), mild blur and noise; G4 TIFF."),
    ("turned180", "a page upside down (`turned` 180), mild blur and noise; G4 TIFF."),
]


def plan_pages():
    """[(nn, kind, font, digits, options)] with digits balanced (KacstOne always indic)."""
    flat = [(kind, font) for kind, fonts in PLAN for font in fonts]
    rng = random.Random(SEED + ":digits")
    others = [i for i, (_, f) in enumerate(flat) if f != "KacstOne"]
    n_indic = len(flat) // 2 - (len(flat) - len(others))
    indic = set(rng.sample(others, n_indic))
    pages = []
    counters = {}
    for i, (kind, font) in enumerate(flat):
        k = counters.get(kind, 0)
        counters[kind] = k + 1
        d = "indic" if font == "KacstOne" or i in indic else "western"
        opts = {}
        if kind == "skew":
            opts["sign"] = [1, -1, 1][k]
        elif kind == "form":
            opts["fmt"] = ["g4", "png", "g4"][k]
        elif kind == "turned90":
            opts.update(turn=[90, 270][k], fmt=["g4", "g4"][k])
        elif kind == "turned180":
            opts.update(turn=180, fmt="g4")
        pages.append((i + 1, kind, font, d, opts))
    return pages


def size_range(kind):
    if kind in ("fax", "phone150"):
        return 15, 16
    if kind == "noise":
        return 12, 13
    return 12, 15


def build_page(R, nn, kind, font, dig, opts, tmp):
    conv = (lambda s: s.translate(INDIC)) if dig == "indic" else (lambda s: s)
    vfont = vsize = None
    for attempt in range(40):
        rng = random.Random("%s:text:%02d:%d" % (SEED, nn, attempt))
        lo, hi = size_range(kind)
        size = rng.randint(lo, hi)
        if kind == "form":
            head, rows = make_form(rng)
            rows = [(l, conv(v)) for l, v in rows]
            choices = [f for f in FONTS if f != font and not (dig == "western" and f == "KacstOne")]
            vfont = rng.choice(choices)
            vsize = max(12, min(16, size + rng.choice([-1, 0, 1])))
            got = R.form(head, rows, font, vfont, size, vsize, rng)
            if got is None:
                continue
            clean, H, geo, lines = got
        else:
            lines = [conv(l) for l in make_letter(rng, 8 if kind == "noise" else None)]
            got = R.page(lines, font, size, rng)
            if got is None:
                continue
            clean, H, geo = got
        tokens = NUMBER_TOKEN.findall("\n".join(lines))
        if 4 <= len(tokens) <= 8 and 8 <= len(lines) <= 11:
            break
    else:
        raise SystemExit("page %02d (%s, %s): no layout fits" % (nn, kind, font))
    drng = random.Random("%s:img:%02d" % (SEED, nn))
    extra = dict(opts)
    if kind == "showthrough":
        vrng = random.Random("%s:verso:%02d" % (SEED, nn))
        vlines = make_letter(vrng)
        vfont_ = vrng.choice([f for f in FONTS if f != "KacstOne"])
        vr = None
        for a in range(10):
            vr = R.page(vlines, vfont_, vrng.randint(12, 15), vrng)
            if vr:
                break
            vlines = make_letter(vrng)
        extra["verso"] = vr[0]
    shutil.copy(clean, os.path.join(tmp, "clean-%02d.png" % nn))
    slug = FONTS[font][1]
    tmp_out = os.path.join(tmp, "out-%02d" % nn)
    fmt, dpi, skew, turned, degr = DEGRADE[kind](clean, H, geo, drng, tmp_out, R, **extra)
    ext = EXT[fmt.split()[0]]
    stem = "%02d-%s-%s" % (nn, kind, slug)
    page_rel = "pages/%s.%s" % (stem, ext)
    gt_rel = "groundtruth/%s.txt" % stem
    shutil.move(tmp_out, os.path.join(OUT, page_rel))
    gt = "\n".join(lines) + "\n"
    with open(os.path.join(OUT, gt_rel), "w", encoding="utf-8", newline="\n") as f:
        f.write(gt)
    rec = {
        "file": page_rel, "groundtruth": gt_rel, "kind": kind, "font": "%s %d" % (font, size),
        "digits": dig, "format": fmt, "dpi": dpi, "skew_degrees": skew, "turned": turned,
        "numbers": len(DIGIT_RUN.findall(gt)), "degradations": degr,
        "lines": len(lines), "number_tokens": tokens,
        "unseen_font": font in UNSEEN_FONTS,
        "harakat": any(ch in HARAKAT for ch in gt),
    }
    if vfont:
        rec["value_font"] = "%s %d" % (vfont, vsize)
    return rec


README = """# Degraded scans (held-out)

Synthetic scanned Arabic administrative pages, each damaged in one way, with exact
ground truth. Nothing here is used for training; the fonts Amiri, Noto Naskh Arabic,
KacstOne and KacstBook (never used to train the digits model) make up most pages, with
Noto Sans Arabic and KacstOffice for variety. All names and numbers are made up.

## Regenerate

    python3 Fixtures/tools/make_degraded.py     (also run by `bash Fixtures/generate.sh`)

Python stdlib + `pango-view` + ImageMagick 6 (`/usr/bin/convert`, or `$CONVERT`). Seeds are
fixed (`{seed}`), so a rerun gives byte-identical files on the same toolchain.

## Layout

* `pages/NN-<kind>-<font>.<ext>`: {n} pages, 1748 px wide (A5 at 300 dpi) unless the kind
  rescales (fax, phone150) or turns (turned90) the page; 8-11 text lines at 12-16 pt. JPEG and
  TIFF files say 300 dpi (fax: 200x100, phone150: 150); the PNG stores 11811 px/m (300 dpi).
* `groundtruth/NN-<kind>-<font>.txt`: the drawn text, one line per rendered line, in reading
  order and logical (typed) order, UTF-8, LF, final newline. Every page uses one digit script
  (`digits` in the index: `western` 0-9 or `indic` ٠-٩); KacstOne pages are always `indic`
  (KacstOne draws Western digits as Arabic-Indic glyphs). Numbers are joined with `/`.
* `index.json`: per page `file`, `groundtruth`, `kind`, `font`, `digits`, `format`, `dpi`
  ([x, y] written in the file), `skew_degrees` (the rotation applied, positive = clockwise),
  `turned` (degrees clockwise the image is turned from upright), `numbers` (count of maximal
  runs of digits in the ground truth, so a date d/m/yyyy counts 3), `number_tokens` (the
  numbers as written, digits joined by `/`), `degradations`, plus `lines`, `unseen_font`,
  `harakat` and, for forms, `value_font`.

## Kinds

| kind | simulates |
| --- | --- |
{kinds}
"""


def main():
    check_tools()
    reset_dir(OUT)
    for d in ("pages", "groundtruth"):
        os.makedirs(os.path.join(OUT, d))
    tmp = tempfile.mkdtemp(prefix="sijill-dg-")
    try:
        R = Renderer(tmp)
        recs = [build_page(R, *p, tmp) for p in plan_pages()]
    finally:
        if os.environ.get("SIJILL_KEEP_TMP"):
            sys.stderr.write("kept %s\n" % tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    index = {"generator": "Fixtures/tools/make_degraded.py", "seed": SEED, "pages": recs}
    with open(os.path.join(OUT, "index.json"), "w", encoding="utf-8") as f:
        json.dump(index, f, ensure_ascii=False, indent=2)
        f.write("\n")
    kinds = "\n".join("| `%s` | %s |" % (k, v) for k, v in KIND_DOC)
    with open(os.path.join(OUT, "README.md"), "w", encoding="utf-8") as f:
        f.write(README.format(seed=SEED, n=len(recs), kinds=kinds))
    total = 0
    print("%-44s %-12s %8s" % ("file", "kind", "bytes"))
    for r in recs:
        sz = os.path.getsize(os.path.join(OUT, r["file"]))
        total += sz
        print("%-44s %-12s %8d" % (r["file"], r["kind"], sz))
    print("%d pages, %d bytes of images; written to %s" % (len(recs), total, OUT))


if __name__ == "__main__":
    main()
