#!/usr/bin/env python3
"""Regenerate every Sijill test fixture under Fixtures/.

Python stdlib only. External tools: pango-view (text shaping + rendering),
ImageMagick 6 `convert` (scanner simulation; /usr/bin/convert by default,
override with $CONVERT) and fontconfig's fc-match (font check).

Output (relative to Fixtures/):
  boxes/box-zip.zip, boxes/box-targz.tar.gz, boxes/box-folder/
  bad/{truncated.zip,garbage.zip,mixed.tar,mixed.zip,bad-manifest.zip}
  groundtruth/...        exact rendered text, one line per rendered line
  expected.json          index the tests read

Everything random is drawn from random.Random seeded with fixed strings, and
ImageMagick noise uses -seed, so reruns produce the same content.
"""

import csv  # noqa: F401  (kept for readers: manifests are written by hand below)
import gzip
import io
import json
import os
import random
import shutil
import struct
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from xml.sax.saxutils import escape as xml_escape

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.dirname(HERE)
SEED = "sijill-fixtures-v1"
CONVERT = os.environ.get("CONVERT", "/usr/bin/convert")

PAGE_W = 1748          # A5 width at 300 dpi
MAX_H = 2480
ZIP_DATE = (2024, 1, 15, 9, 30, 0)
TAR_MTIME = 1705311000  # 2024-01-15T09:30:00Z

FONTS = {
    "Amiri": "Amiri",
    "Noto Naskh Arabic": "Noto Naskh Arabic",
    "KacstOne": "KacstOne",
    "KacstBook": "KacstBook",
}

# --------------------------------------------------------------------------
# text helpers
# --------------------------------------------------------------------------
INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
WESTERN = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
HARAKAT = {chr(c) for c in range(0x064B, 0x0653)} | {"\u0670"}


def fold(s):
    """The lazy clerk's spelling: no harakat, أ/إ/آ→ا, ة→ه, ى→ي, Western digits."""
    s = "".join(ch for ch in s if ch not in HARAKAT)
    s = s.replace("أ", "ا").replace("إ", "ا").replace("آ", "ا")
    s = s.replace("ة", "ه").replace("ى", "ي")
    return s.translate(WESTERN)


def has_harakat(s):
    return any(ch in HARAKAT for ch in s)


# --------------------------------------------------------------------------
# page content (lines are written with Western digits; pages flagged
# digits="indic" get every digit converted to Arabic-Indic before rendering)
# KacstOne maps Western digits to Arabic-Indic glyphs, so KacstOne pages are
# always "indic" (otherwise the ground truth would not match what is visible).
# --------------------------------------------------------------------------
PAGES = {
    # ---------------- box-zip: dossier-81559 (3 pages) ----------------
    "R1P1": dict(font="Amiri", size=14, digits="western", lines=[
        "وزارة العدل",
        "كتابة العدل الأولى",
        "رقم المعاملة: 81559/1982",
        "التاريخ: 1982/03/14",
        "الموضوع: طلب نقل ملكية قطعة أرض",
        "فضيلة رئيس كتابة العدل الأولى المحترم",
        "السلام عليكم ورحمة الله وبركاته، وبعد:",
        "أتقدم لفضيلتكم بطلب نقل ملكية قطعة الأرض رقم 45 الواقعة",
        "في حي الروضة من اسمي إلى اسم ابنتي عائشة أحمد السيوفي،",
        "وأرفق لكم صورة الصك وصورة الهوية الوطنية راجيا إكمال اللازم.",
        "مقدم الطلب: أحمد إبراهيم السيوفي",
        "رقم الهوية: 1029384756",
        "الرسوم المدفوعة: 2500 ريال",
        "وتفضلوا بقبول فائق الاحترام والتقدير",
    ]),
    "R1P2": dict(font="Noto Naskh Arabic", size=14, digits="indic", lines=[
        "أمانة بلدية المدينة",
        "إدارة المساحة والتخطيط العمراني",
        "رقم المعاملة: 81559/1982",
        "التاريخ: 22/03/1982",
        "الموضوع: إفادة مساحية عن القطعة رقم 45",
        "سعادة رئيس كتابة العدل الأولى المحترم",
        "بالإشارة إلى خطابكم بشأن طلب المواطن أحمد إبراهيم السيوفي",
        "نفيدكم بأنه تم الوقوف على الموقع من قبل المهندس مؤمن صالح العلي،",
        "وتبين أن مساحة القطعة 600 متر مربع ولا توجد عليها مخالفات.",
        "المالك: أحمد إبراهيم السيوفي",
        "رسوم الكشف: 300 ريال",
        "مدير إدارة المساحة",
        "م. طارق عبد الله الفيصل",
    ]),
    "R1P3": dict(font="KacstBook", size=14, digits="western", lines=[
        "وزارة العدل",
        "كتابة العدل الأولى - قسم الإفراغ",
        "رقم المعاملة: 81559/1982",
        "التاريخ: 1982/04/02",
        "الموضوع: قرار نقل ملكية",
        "بناء على الطلب المقدم من أحمد إبراهيم السيوفي وعلى الإفادة",
        "المساحية الواردة من أمانة بلدية المدينة، فقد تقرر إفراغ القطعة",
        "رقم 45 بحي الروضة لصالح عائشة أحمد السيوفي بعد سداد الرسوم.",
        "البائع: أحمد إبراهيم السيوفي",
        "المشتري: عائشة أحمد السيوفي",
        "المبلغ: 2500 ريال",
        "كاتب العدل",
        "الشيخ عبد الرحمن سليمان الناصر",
    ]),
    # ---------------- box-zip: letter-2001.png (harakat, no DPI) ----------------
    "R2": dict(font="Amiri", size=15, digits="western", lines=[
        "وزارة الداخلية",
        "إدارة الأحوال المدنية - فرع الشمال",
        "رقم المعاملة: 37420/2001",
        "التاريخ: 2001/09/17",
        "الموضوع: طلب تسجيل مولود",
        "سعادة مدير الأحوال المدنية المحترم",
        "أرجو التكرم بتسجيل مولودي الذي ولد بتاريخ 2001/09/02",
        "في مستشفى الولادة العام، وقد سميته يوسف محمد عيسى الأنصاري،",
        "وأرفق لكم شهادة التبليغ عن الولادة وصورة عقد الزواج.",
        "اسم الأب: مُحَمَّد عيسى الأنصاري",
        "اسم الأم: فاطمة يحيى الخطيب",
        "رسوم التسجيل: 150 ريال",
        "مقدمه: محمد عيسى الأنصاري",
    ]),
    # ---------------- box-zip: scan-4410.tif (2-page G4 TIFF) ----------------
    "R3P1": dict(font="Noto Naskh Arabic", size=13, digits="western", lines=[
        "وزارة العدل",
        "المحكمة العامة - الدائرة الحقوقية الثالثة",
        "رقم المعاملة: 4410/1995",
        "التاريخ: 1995/06/08",
        "الموضوع: تبليغ بموعد جلسة",
        "إلى المدعى عليه: إسماعيل مؤمن الشامي",
        "بناء على الدعوى المقيدة لدى هذه المحكمة من المدعي",
        "يوسف خليل الحسيني بشأن مطالبة مالية عن قيمة بضاعة،",
        "نبلغكم بالحضور إلى مقر المحكمة في تمام الساعة التاسعة صباحا",
        "من يوم الأحد الموافق 1995/06/25 مع إحضار ما لديكم من مستندات.",
        "قيمة المطالبة: 15000 ريال",
        "رئيس قلم المحكمة",
        "صالح ناصر العتيبي",
    ]),
    "R3P2": dict(font="KacstOne", size=14, digits="indic", lines=[
        "وزارة العدل",
        "المحكمة العامة - الدائرة الحقوقية الثالثة",
        "رقم المعاملة: 4410/1995",
        "التاريخ: 02/08/1995",
        "الموضوع: صك حكم",
        "في الدعوى المقامة من يوسف خليل الحسيني ضد إسماعيل مؤمن الشامي،",
        "وبعد سماع الدعوى والإجابة والاطلاع على المستندات المقدمة،",
        "حكمت المحكمة بإلزام المدعى عليه بأن يدفع للمدعي مبلغ",
        "عشرة آلاف ريال، ورد ما زاد على ذلك من طلبات.",
        "المبلغ المحكوم به: 10000 ريال",
        "وبذلك صدر الحكم حضوريا وأفهم الطرفان بحق الاعتراض.",
        "القاضي",
        "عبد الإله حمد المطيري",
    ]),
    # ---------------- box-targz: dossier-33072 (2 pages) ----------------
    "R4P1": dict(font="Amiri", size=15, digits="western", lines=[
        "أمانة بلدية المدينة",
        "إدارة رخص البناء",
        "رقم المعاملة: 33072/1994",
        "التاريخ: 1994/11/03",
        "الموضوع: طلب رخصة بناء سكني",
        "سعادة مدير إدارة رخص البناء المحترم",
        "أتقدم إليكم بطلب إصدار رخصة بناء لمنزل سكني من دورين",
        "على قطعة الأرض رقم 118 بمخطط النزهة، وأرفق المخططات",
        "الهندسية المعتمدة وصورة صك الملكية.",
        "مقدم الطلب: إبراهيم موسى الدباغ",
        "رقم الهوية: 1055512347",
        "رسوم الطلب: 800 ريال",
        "وتقبلوا خالص التحية",
    ]),
    "R4P2": dict(font="KacstOne", size=13, digits="indic", lines=[
        "أمانة بلدية المدينة",
        "إدارة رخص البناء - قسم التدقيق الفني",
        "رقم المعاملة: 33072/1994",
        "التاريخ: 20/11/1994",
        "الموضوع: إحالة للتدقيق الفني",
        "تحال المعاملة الخاصة بطلب المواطن إبراهيم موسى الدباغ",
        "إلى قسم التدقيق الفني لمراجعة المخططات والتأكد من مطابقتها",
        "لاشتراطات البناء، مع الوقوف على الموقع ورفع تقرير خلال أسبوعين.",
        "المساحة المطلوبة: 450 متر مربع",
        "رسوم الرخصة: 3200 ريال",
        "مدير إدارة رخص البناء",
        "م. هشام عادل القرني",
    ]),
    # ---------------- box-targz: receipt-67185.jpg ----------------
    "R5": dict(font="Noto Naskh Arabic", size=14, digits="western", lines=[
        "وزارة المالية",
        "مصلحة الزكاة والدخل - مكتب الإيرادات",
        "رقم المعاملة: 67185/2008",
        "التاريخ: 2008/02/21",
        "الموضوع: إيصال استلام مبلغ",
        "استلمنا من السيدة آمنة عبد الكريم الحداد مبلغا وقدره",
        "أربعة آلاف وسبعمائة وخمسون ريالا، وذلك قيمة رسوم",
        "تجديد السجل التجاري لمؤسسة الحداد للتجارة عن عام 2008.",
        "اسم المكلف: آمنة عبد الكريم الحداد",
        "رقم السجل التجاري: 4030118265",
        "المبلغ: 4750 ريال",
        "طريقة الدفع: نقدا",
        "أمين الصندوق",
        "ماجِد فهد السبيعي",
    ]),
    # ---------------- box-folder: file-57231/ (2 pages) ----------------
    "R6P1": dict(font="Noto Naskh Arabic", size=15, digits="western", lines=[
        "وزارة الصحة",
        "إدارة التراخيص الطبية",
        "رقم المعاملة: 57231/1976",
        "التاريخ: 1976/05/10",
        "الموضوع: طلب ترخيص مزاولة مهنة",
        "سعادة مدير إدارة التراخيص الطبية المحترم",
        "أتقدم إليكم بطلب الحصول على ترخيص مزاولة مهنة الصيدلة،",
        "علما بأنني حاصل على درجة البكالوريوس في الصيدلة عام 1974،",
        "وأرفق صورة الشهادة وشهادة الخبرة من صيدلية الشفاء.",
        "مقدم الطلب: مصطفى حسن البغدادي",
        "رسوم الترخيص: 600 ريال",
        "وتفضلوا بقبول فائق الاحترام",
    ]),
    "R6P2": dict(font="Amiri", size=13, digits="indic", lines=[
        "وزارة الصحة",
        "إدارة التراخيص الطبية - لجنة الترخيص",
        "رقم المعاملة: 57231/1976",
        "التاريخ: 02/06/1976",
        "الموضوع: محضر اجتماع لجنة الترخيص",
        "اجتمعت اللجنة لدراسة طلب الصيدلي مصطفى حسن البغدادي،",
        "وبعد الاطلاع على المؤهلات والوثائق المرفقة قررت اللجنة",
        "الموافقة على منحه ترخيص مزاولة مهنة الصيدلة لمدة خمس سنوات.",
        "رقم الترخيص: 77304",
        "رسوم الإصدار: 600 ريال",
        "رئيس اللجنة",
        "د. نبيل جميل الحكيم",
    ]),
    # ---------------- box-folder: معاملة-90214/ (1 page) ----------------
    "R7": dict(font="Noto Naskh Arabic", size=15, digits="western", lines=[
        "وزارة التربية والتعليم",
        "إدارة شؤون المعلمين",
        "رقم المعاملة: 90214/2011",
        "التاريخ: 2011/08/29",
        "الموضوع: طلب نقل معلمة",
        "سعادة مدير إدارة شؤون المعلمين المحترم",
        "أرجو التكرم بالموافقة على نقلي من مدرسة الأمل الابتدائية",
        "إلى مدرسة الفجر الابتدائية، وذلك لظروف عائلية وقرب السكن،",
        "علما بأنني أعمل معلمة للغة العربية منذ عام 2004.",
        "اسم المعلمة: خديجة إسحاق المصري",
        "الرقم الوظيفي: 448120",
        "وتفضلوا بقبول وافر التحية",
    ]),
    # ---------------- box-folder: loose letter-77851.png ----------------
    "R8": dict(font="KacstOne", size=15, digits="indic", lines=[
        "وزارة الزراعة",
        "مديرية الزراعة بالمنطقة الشرقية",
        "رقم المعاملة: 77851/1989",
        "التاريخ: 12/05/1989",
        "الموضوع: طلب دعم مشروع زراعي",
        "سعادة مدير الزراعة المحترم",
        "تتقدم المواطنة سلمى عيسى القاسم بطلب الحصول على دعم",
        "لمشروع زراعة النخيل في مزرعتها الواقعة بقرية العين،",
        "وتوصي الإدارة بصرف الإعانة المقررة بعد الكشف على المزرعة.",
        "اسم المستفيدة: سلمى عيسى القاسم",
        "عدد النخيل: 350 نخلة",
        "مبلغ الإعانة: 12000 ريال",
        "مدير المديرية",
        "فيصل راشد الدوسري",
    ]),
    # ---------------- bad/: good entries ----------------
    "G1": dict(font="Amiri", size=13, digits="western", lines=[
        "وزارة النقل",
        "إدارة رخص المركبات",
        "رقم المعاملة: 12857/2015",
        "التاريخ: 2015/01/19",
        "الموضوع: تجديد رخصة سير",
        "أرجو تجديد رخصة السير الخاصة بالمركبة المسجلة باسمي",
        "رقم اللوحة 7341، مع سداد المخالفات المستحقة عليها.",
        "اسم المالك: زينب عمر الرفاعي",
        "المبلغ: 350 ريال",
        "مدير إدارة رخص المركبات",
    ]),
    "G2": dict(font="Noto Naskh Arabic", size=13, digits="western", lines=[
        "وزارة الشؤون الاجتماعية",
        "إدارة الضمان الاجتماعي",
        "رقم المعاملة: 46093/2019",
        "التاريخ: 2019/10/07",
        "الموضوع: طلب إعانة شهرية",
        "تتقدم المواطنة أسماء حامد الزهراني بطلب صرف إعانة",
        "شهرية لأسرتها المكونة من خمسة أفراد، وأرفقت ما يثبت ذلك.",
        "اسم المستفيدة: أسماء حامد الزهراني",
        "المبلغ الشهري: 1800 ريال",
        "مدير الضمان الاجتماعي",
    ]),
    # ---------------- bad/: pages that must never be indexed ----------------
    "X": dict(font="KacstBook", size=13, digits="western", lines=[
        "وزارة العمل",
        "مكتب العمل بالمنطقة الوسطى",
        "رقم المعاملة: 58210/2016",
        "التاريخ: 2016/04/12",
        "الموضوع: شكوى عمالية",
        "تقدم العامل عمر فاروق الجابري بشكوى ضد صاحب العمل",
        "بشأن تأخر صرف رواتبه لمدة ثلاثة أشهر متتالية.",
        "اسم الشاكي: عمر فاروق الجابري",
        "الرواتب المتأخرة: 9000 ريال",
        "رئيس مكتب العمل",
    ]),
    "H": dict(font="Amiri", size=13, digits="western", lines=[
        "وزارة الداخلية",
        "إدارة الجوازات",
        "رقم المعاملة: 99001/2020",
        "التاريخ: 2020/07/01",
        "الموضوع: طلب إصدار جواز سفر",
        "أرجو إصدار جواز سفر جديد بدلا من الجواز المنتهي،",
        "وأرفق الصور الشخصية وصورة الهوية الوطنية.",
        "مقدم الطلب: هاني رشيد الكردي",
        "الرسوم: 300 ريال",
        "مدير إدارة الجوازات",
    ]),
    "B": dict(font="Noto Naskh Arabic", size=13, digits="western", lines=[
        "وزارة الإسكان",
        "إدارة الدعم السكني",
        "رقم المعاملة: 88012/2017",
        "التاريخ: 2017/03/05",
        "الموضوع: طلب قرض سكني",
        "أتقدم بطلب الحصول على قرض سكني لبناء مسكن لأسرتي",
        "على الأرض الممنوحة لي بموجب الصك المرفق.",
        "مقدم الطلب: نادر سليم العمري",
        "مبلغ القرض: 500000 ريال",
        "مدير إدارة الدعم السكني",
    ]),
}

# distinctive (name as rendered, number) per page-set; checked for uniqueness
DISTINCT = {
    "R1": ("أحمد إبراهيم السيوفي", "81559/1982", ["R1P1", "R1P2", "R1P3"]),
    "R2": ("مُحَمَّد عيسى الأنصاري", "37420/2001", ["R2"]),
    "R3": ("إسماعيل مؤمن الشامي", "4410/1995", ["R3P1", "R3P2"]),
    "R4": ("إبراهيم موسى الدباغ", "33072/1994", ["R4P1", "R4P2"]),
    "R5": ("آمنة عبد الكريم الحداد", "67185/2008", ["R5"]),
    "R6": ("مصطفى حسن البغدادي", "57231/1976", ["R6P1", "R6P2"]),
    "R7": ("خديجة إسحاق المصري", "90214/2011", ["R7"]),
    "R8": ("سلمى عيسى القاسم", "77851/1989", ["R8"]),
    "G1": ("زينب عمر الرفاعي", "12857/2015", ["G1"]),
    "G2": ("أسماء حامد الزهراني", "46093/2019", ["G2"]),
    "X": ("عمر فاروق الجابري", "58210/2016", ["X"]),
    "H": ("هاني رشيد الكردي", "99001/2020", ["H"]),
    "B": ("نادر سليم العمري", "88012/2017", ["B"]),
}


def page_lines(pid):
    p = PAGES[pid]
    lines = p["lines"]
    if p["digits"] == "indic":
        lines = [l.translate(INDIC) for l in lines]
    return lines


def gt_text(pid):
    return "\n".join(page_lines(pid)) + "\n"


# --------------------------------------------------------------------------
# tools
# --------------------------------------------------------------------------
def run(cmd):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if r.returncode != 0:
        sys.stderr.write("command failed: %r\n%s\n" % (cmd, r.stderr.decode("utf-8", "replace")))
        raise SystemExit(1)
    return r.stdout


def check_tools(families=None):
    """ImageMagick at $CONVERT, pango-view, and every font family (default: FONTS) installed."""
    out = run([CONVERT, "-version"]).decode("utf-8", "replace")
    if "ImageMagick" not in out:
        raise SystemExit("%s is not ImageMagick (set $CONVERT)" % CONVERT)
    run(["pango-view", "--version"])
    for fam in (FONTS.values() if families is None else families):
        got = run(["fc-match", "-f", "%{family}", fam]).decode("utf-8", "replace")
        if fam.lower() not in got.lower():
            raise SystemExit("font %r not installed (fc-match gave %r)" % (fam, got))


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    return struct.unpack(">II", head[16:24])


# --------------------------------------------------------------------------
# rendering + scanner simulation
# --------------------------------------------------------------------------
class Renderer:
    def __init__(self, tmp):
        self.tmp = tmp
        self.meta = {}      # pid -> page facts for expected.json
        self._gray = {}     # pid -> path of noisy 8-bit grey page (before format step)

    def _params(self, pid):
        rng = random.Random("%s:%s" % (SEED, pid))
        return dict(
            angle=round(rng.uniform(-1.5, 1.5), 2),
            blur=round(rng.uniform(0.35, 0.8), 2),
            ink=rng.randint(4, 20),
            paper=rng.randint(89, 96),
            noise=round(rng.uniform(0.3, 0.6), 2),
            impulse=round(rng.uniform(0.002, 0.005), 4),
            im_seed=rng.randint(1, 999999),
            right=rng.randint(120, 170),
            top=rng.randint(130, 190),
            spacing=rng.randint(2, 6),
            bottom=rng.randint(150, 220),
            speckles=[(rng.randint(0, PAGE_W - 1), rng.randint(0, MAX_H - 1), rng.choice([1, 1, 2, 2, 3]))
                      for _ in range(rng.randint(20, 60))],
        )

    def gray(self, pid):
        if pid in self._gray:
            return self._gray[pid]
        p = PAGES[pid]
        prm = self._params(pid)
        lines = page_lines(pid)
        if not 10 <= len(lines) <= 16:
            raise SystemExit("%s: %d lines (want 10-16)" % (pid, len(lines)))
        # header (first two lines) bold, first line a bit larger
        markup = []
        for i, line in enumerate(lines):
            t = xml_escape(line)
            if i == 0:
                t = '<span size="115%%"><b>%s</b></span>' % t
            elif i == 1:
                t = "<b>%s</b>" % t
            markup.append(t)
        txt = os.path.join(self.tmp, pid + ".txt")
        with open(txt, "w", encoding="utf-8") as f:
            f.write("\n".join(markup))
        raw = os.path.join(self.tmp, pid + ".raw.png")
        run(["pango-view", "--markup", "--font=%s %d" % (FONTS[p["font"]], p["size"]), "--dpi=300",
             "--rtl", "--align=left", "--margin=0", "--background=white", "--foreground=black",
             "--hinting=none", "--spacing=%d" % (prm["spacing"] + (3 if p["font"].startswith("Kacst") else 0)),
             "-q", "-o", raw, txt])
        w, h = png_size(raw)
        maxw = PAGE_W - 2 * 110
        if w > maxw:
            raise SystemExit("%s: rendered text %dpx wide > %dpx; shorten a line" % (pid, w, maxw))
        H = h + prm["top"] + prm["bottom"]
        if H > MAX_H:
            raise SystemExit("%s: page height %d > %d" % (pid, H, MAX_H))
        x = PAGE_W - prm["right"] - w
        base = os.path.join(self.tmp, pid + ".base.png")
        run([CONVERT, "-size", "%dx%d" % (PAGE_W, H), "xc:white", raw, "-geometry", "+%d+%d" % (x, prm["top"]),
             "-composite", "-colorspace", "Gray", "-background", "white", "-rotate", str(prm["angle"]),
             "-gravity", "center", "-extent", "%dx%d" % (PAGE_W, H), "+gravity", "+repage",
             "-blur", "0x%s" % prm["blur"], "+level", "%d%%,%d%%" % (prm["ink"], prm["paper"]),
             "-depth", "8", base])
        # noise on the ink only (keeps the flat paper compressible), then speckles
        draw = []
        for (sx, sy, r) in prm["speckles"]:
            inside = (x - 20 <= sx <= x + w + 20) and (prm["top"] - 20 <= sy <= prm["top"] + h + 20)
            if sy < H and not inside:
                draw.append("circle %d,%d %d,%d" % (sx, sy, sx + r, sy))
        gray = os.path.join(self.tmp, pid + ".gray.png")
        run([CONVERT, base,
             "(", "-clone", "0", "-fill", "gray(%d%%)" % prm["paper"], "-colorize", "100", ")",
             "(", "-clone", "0", "-seed", str(prm["im_seed"]), "-attenuate", str(prm["noise"]),
             "+noise", "Gaussian", ")",
             "(", "-clone", "0", "-threshold", "%d%%" % (prm["paper"] - 2), "-negate",
             "-morphology", "Dilate", "Disk:2", ")",
             "-delete", "0", "-compose", "over", "-composite", "+compose",
             "-fill", "gray(%d%%)" % (prm["ink"] + 10), "-draw", " ".join(draw),
             "-depth", "8", gray])
        self._gray[pid] = gray
        self.meta[pid] = dict(font="%s %d" % (p["font"], p["size"]), digits=p["digits"],
                              lines=len(lines), width=PAGE_W, height=H, rotation=prm["angle"],
                              harakat=[w_ for l in lines for w_ in l.split() if has_harakat(w_)])
        return gray

    def _common_tail(self, dpi):
        if dpi:
            return ["-units", "PixelsPerInch", "-density", "300"]
        return ["-units", "Undefined", "-density", "0"]

    def png8(self, pid, out, dpi=True):
        prm = self._params(pid)
        run([CONVERT, self.gray(pid), "-seed", str(prm["im_seed"] + 1), "-attenuate", str(prm["impulse"]),
             "+noise", "Impulse", "-posterize", "24"] + self._common_tail(dpi) +
            ["-define", "png:exclude-chunks=date,time,tEXt,zTXt,iTXt,bKGD", "-define", "png:color-type=0",
             "-define", "png:bit-depth=8", "PNG:" + out])

    def png1(self, pid, out):
        run([CONVERT, self.gray(pid), "-threshold", "50%", "-type", "bilevel"] +
            self._common_tail(True) +
            ["-define", "png:exclude-chunks=date,time,tEXt,zTXt,iTXt,bKGD", "-define", "png:color-type=0",
             "-define", "png:bit-depth=1", "PNG:" + out])

    def jpg(self, pid, out):
        prm = self._params(pid)
        run([CONVERT, self.gray(pid), "-seed", str(prm["im_seed"] + 2), "-attenuate", "0.12",
             "+noise", "Gaussian", "-strip", "-colorspace", "Gray", "-type", "Grayscale",
             "-quality", "70"] + self._common_tail(True) + ["JPEG:" + out])

    def bilevel(self, pid):
        out = os.path.join(self.tmp, pid + ".bw.png")
        run([CONVERT, self.gray(pid), "-threshold", "50%", "-type", "bilevel", out])
        return out

    def g4(self, pids, out):
        run([CONVERT] + [self.bilevel(p) for p in pids] +
            ["-strip", "-type", "bilevel", "-compress", "Group4"] + self._common_tail(True) +
            ["-define", "tiff:rows-per-strip=%d" % MAX_H, "TIFF:" + out])

    def make(self, pids, fmt, out):
        os.makedirs(os.path.dirname(out), exist_ok=True)
        if fmt == "png":
            self.png8(pids[0], out)
        elif fmt == "png-nodpi":
            self.png8(pids[0], out, dpi=False)
        elif fmt == "png1":
            self.png1(pids[0], out)
        elif fmt == "jpg":
            self.jpg(pids[0], out)
        elif fmt == "g4":
            self.g4(pids, out)
        else:
            raise ValueError(fmt)
        with open(out, "rb") as f:
            return f.read()


FORMAT_DESC = {
    "png": "PNG, 8-bit grayscale",
    "png-nodpi": "PNG, 8-bit grayscale, no pHYs (no DPI metadata)",
    "png1": "PNG, 1-bit bilevel",
    "jpg": "JPEG, grayscale, quality 70",
    "g4": "TIFF, bilevel, CCITT Group 4",
}

# --------------------------------------------------------------------------
# boxes
# --------------------------------------------------------------------------
# entries: (path inside box, format, [page ids])
BOXES = [
    dict(box="box-zip.zip", kind="zip", manifest="utf-8-sig+crlf",
         header=["file", "series", "agency", "date", "title", "reference", "shelf"],
         quote_cols={"title"},
         records=[
             dict(rid="R1", file="dossier-81559/", series="LAND-TRANSFER",
                  agency="وزارة العدل - كتابة العدل الأولى", date="1982-03-14",
                  title="طلب نقل ملكية، قطعة ٤٥", reference="81559/1982", extra={"shelf": "A-12/3"},
                  entries=[("dossier-81559/page-001.png", "png", ["R1P1"]),
                           ("dossier-81559/page-002.jpg", "jpg", ["R1P2"]),
                           ("dossier-81559/page-003.tif", "g4", ["R1P3"])]),
             dict(rid="R2", file="letter-2001.png", series="CIVIL-REG",
                  agency="وزارة الداخلية", date="2001-09-17",
                  title="طلب تسجيل مولود", reference="37420/2001", extra={"shelf": "C-07/1"},
                  entries=[("letter-2001.png", "png-nodpi", ["R2"])]),
             dict(rid="R3", file="scan-4410.tif", series="COURT-CASE",
                  agency="وزارة العدل, المحكمة العامة", date="1995-06-08",
                  title='دعوى مطالبة مالية - صك "نهائي"', reference="4410/1995", extra={"shelf": ""},
                  entries=[("scan-4410.tif", "g4", ["R3P1", "R3P2"])]),
         ]),
    dict(box="box-targz.tar.gz", kind="targz", manifest="utf-8+lf",
         header=["series", "file", "date", "reference", "agency", "title"],
         quote_cols=set(),
         records=[
             dict(rid="R4", file="dossier-33072/", series="BUILD-PERMIT",
                  agency="أمانة بلدية المدينة", date="1994-11-03",
                  title="طلب رخصة بناء سكني", reference="33072/1994", extra={},
                  entries=[("dossier-33072/page-1.tif", "g4", ["R4P1"]),
                           ("dossier-33072/page-2.png", "png", ["R4P2"])]),
             dict(rid="R5", file="receipt-67185.jpg", series="TAX-RECEIPT",
                  agency="وزارة المالية", date="2008-02-21",
                  title="إيصال رسوم تجديد سجل تجاري", reference="67185/2008", extra={},
                  entries=[("receipt-67185.jpg", "jpg", ["R5"])]),
         ]),
    dict(box="box-folder", kind="folder", manifest=None,
         records=[
             dict(rid="R6", file="file-57231",
                  entries=[("file-57231/scan-01.jpg", "jpg", ["R6P1"]),
                           ("file-57231/scan-02.png", "png", ["R6P2"])]),
             dict(rid="R7", file="معاملة-90214",
                  entries=[("معاملة-90214/page-1.tif", "g4", ["R7"])]),
             dict(rid="R8", file="letter-77851.png",
                  entries=[("letter-77851.png", "png", ["R8"])]),
         ]),
]


def csv_cell(v, force=False):
    v = "" if v is None else str(v)
    if force or any(c in v for c in ',"\r\n'):
        return '"' + v.replace('"', '""') + '"'
    return v


def manifest_bytes(header, rows, crlf, bom, quote_cols=()):
    eol = "\r\n" if crlf else "\n"
    out = [",".join(header)]
    for row in rows:
        out.append(",".join(csv_cell(row.get(h), h in quote_cols) for h in header))
    data = (eol.join(out) + eol).encode("utf-8")
    return (b"\xef\xbb\xbf" + data) if bom else data


def zinfo(name, is_dir=False):
    zi = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    zi.create_system = 3  # unix
    if is_dir:
        zi.external_attr = (0o40755 << 16) | 0x10
        zi.compress_type = zipfile.ZIP_STORED
    else:
        zi.external_attr = 0o100644 << 16
        zi.compress_type = zipfile.ZIP_DEFLATED
    return zi


def write_zip(path, items):
    """items: list of (name, bytes-or-None-for-directory)."""
    with zipfile.ZipFile(path, "w") as z:
        for name, data in items:
            if data is None:
                z.writestr(zinfo(name, True), b"")
            else:
                z.writestr(zinfo(name), data)


def tinfo(name, size=0, kind="file", link=""):
    ti = tarfile.TarInfo(name)
    ti.mtime = TAR_MTIME
    ti.uid = ti.gid = 1000
    ti.uname = ti.gname = "scan"
    if kind == "dir":
        ti.type = tarfile.DIRTYPE
        ti.mode = 0o755
    elif kind == "sym":
        ti.type = tarfile.SYMTYPE
        ti.linkname = link
        ti.mode = 0o777
    elif kind == "hard":
        ti.type = tarfile.LNKTYPE
        ti.linkname = link
        ti.mode = 0o644
    else:
        ti.mode = 0o644
        ti.size = size
    return ti


def tar_bytes(items):
    """items: list of (TarInfo, bytes-or-None)."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as t:
        for ti, data in items:
            t.addfile(ti, io.BytesIO(data) if data is not None else None)
    return buf.getvalue()


def gzip_bytes(data):
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as g:
        g.write(data)
    return buf.getvalue()


def check_distinct():
    texts = {pid: fold(gt_text(pid)) for pid in PAGES}
    for rid, (name, number, pids) in DISTINCT.items():
        for pid, t in texts.items():
            mine = pid in pids
            for needle in (fold(name), number):
                if not mine and needle in t:
                    raise SystemExit("distinctive %r of %s also occurs on page %s" % (needle, rid, pid))
        if not any(fold(name) in texts[p] for p in pids):
            raise SystemExit("%s: name %r not on its pages" % (rid, name))
        if not any(name in "\n".join(page_lines(p)) for p in pids):
            raise SystemExit("%s: name %r not rendered exactly like that" % (rid, name))
        if not all(number in texts[p] for p in pids):
            raise SystemExit("%s: number %r missing from a page" % (rid, number))


def reset_dir(path):
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path)
    elif os.path.lexists(path):
        os.remove(path)
    os.makedirs(path)


def write_file(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def main():
    check_tools()
    check_distinct()
    for d in ("boxes", "bad", "groundtruth"):
        reset_dir(os.path.join(FIX, d))
    tmp = tempfile.mkdtemp(prefix="sijill-fx-")
    try:
        R = Renderer(tmp)
        expected = build_boxes(R, tmp)
        expected["bad"] = build_bad(R, tmp)
        expected["page_renderings"] = {pid: R.meta[pid] for pid in sorted(R.meta)}
        with open(os.path.join(FIX, "expected.json"), "w", encoding="utf-8") as f:
            json.dump(expected, f, ensure_ascii=False, indent=2, sort_keys=False)
            f.write("\n")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("fixtures written to %s" % FIX)


def gt_path(boxstem, inner, index=None):
    suffix = ".%d.gt.txt" % index if index is not None else ".gt.txt"
    return "groundtruth/%s/%s%s" % (boxstem, inner, suffix)


def build_boxes(R, tmp):
    exp = {
        "generator": "Fixtures/tools/make_fixtures.py (seed %r)" % SEED,
        "conventions": {
            "groundtruth": "groundtruth/<box name without extension>/<path inside box>.gt.txt; "
                           "multi-page TIFF: <path>.<n>.gt.txt (1-based)",
            "name_plain": "name without harakat, أ/إ/آ→ا, ة→ه, ى→ي",
            "number": "distinctive transaction number, Western digits; pages with digits=indic "
                      "render it with Arabic-Indic digits",
        },
        "boxes": {},
    }
    for box in BOXES:
        stem = box["box"].split(".")[0]
        files = []          # (inner path, bytes)
        records = []
        total = 0
        for rec in box["records"]:
            name, number, _ = DISTINCT[rec["rid"]]
            pages = []
            for inner, fmt, pids in rec["entries"]:
                data = R.make(pids, fmt, os.path.join(tmp, "out", stem, inner))
                files.append((inner, data))
                multi = len(pids) > 1
                for i, pid in enumerate(pids, 1):
                    g = gt_path(stem, inner, i if multi else None)
                    write_file(os.path.join(FIX, g), gt_text(pid).encode("utf-8"))
                    m = R.meta[pid]
                    pages.append(dict(path=inner, tiff_page=i if multi else None,
                                      format=FORMAT_DESC[fmt],
                                      dpi=None if fmt == "png-nodpi" else 300,
                                      bytes=len(data), font=m["font"], digits=m["digits"],
                                      lines=m["lines"], harakat=m["harakat"], groundtruth=g, page_id=pid))
            total += len(pages)
            records.append(dict(
                file=rec["file"], pages=len(pages),
                series=rec.get("series"), reference=rec.get("reference"),
                agency=rec.get("agency"), date=rec.get("date"), title=rec.get("title"),
                extra=rec.get("extra", {}) if box["manifest"] else {},
                name=name, name_plain=fold(name), number=number,
                number_in_western_digits_on_some_page=any(p["digits"] == "western" for p in pages),
                harakat_in_name=has_harakat(name),
                page_files=pages))
        # manifest
        mbytes = None
        if box["manifest"]:
            rows = []
            for rec in box["records"]:
                row = {k: rec.get(k) for k in ("file", "series", "agency", "date", "title", "reference")}
                row.update(rec.get("extra", {}))
                rows.append(row)
            crlf = box["manifest"] == "utf-8-sig+crlf"
            mbytes = manifest_bytes(box["header"], rows, crlf=crlf, bom=crlf, quote_cols=box["quote_cols"])
        dirs = []
        for inner, _ in files:
            if "/" in inner:
                d = inner.split("/")[0] + "/"
                if d not in dirs:
                    dirs.append(d)
        out = os.path.join(FIX, "boxes", box["box"])
        if box["kind"] == "zip":
            items = [("manifest.csv", mbytes)]
            for d in dirs:
                items.append((d, None))
                items += [(n, b) for n, b in files if n.startswith(d)]
            items += [(n, b) for n, b in files if "/" not in n]
            write_zip(out, items)
        elif box["kind"] == "targz":
            items = [(tinfo("manifest.csv", len(mbytes)), mbytes)]
            for d in dirs:
                items.append((tinfo(d.rstrip("/"), kind="dir"), None))
                items += [(tinfo(n, len(b)), b) for n, b in files if n.startswith(d)]
            items += [(tinfo(n, len(b)), b) for n, b in files if "/" not in n]
            write_file(out, gzip_bytes(tar_bytes(items)))
        else:
            for n, b in files:
                write_file(os.path.join(out, n), b)
        exp["boxes"][box["box"]] = dict(
            kind=box["kind"],
            manifest=None if not box["manifest"] else dict(
                path="manifest.csv", encoding=box["manifest"], header=box["header"]),
            total_pages=total, records=records)
    return exp


def build_bad(R, tmp):
    bad = os.path.join(FIX, "bad")
    out = os.path.join(tmp, "out", "bad")
    good1 = R.make(["G1"], "png", os.path.join(out, "good-1.png"))
    good2 = R.make(["G2"], "png", os.path.join(out, "good-2.png"))
    extra = R.make(["X"], "png1", os.path.join(out, "extra.png"))
    poison = R.make(["H"], "png1", os.path.join(out, "poison.png"))
    broken_full = R.make(["B"], "png1", os.path.join(out, "broken.png"))
    broken = broken_full[: int(len(broken_full) * 0.40)]
    for pid, box, inner in (("G1", "mixed.tar", "good-1.png"), ("G2", "mixed.zip", "good-2.png")):
        write_file(os.path.join(FIX, "groundtruth", "bad", box, inner + ".gt.txt"), gt_text(pid).encode("utf-8"))

    res = {}

    # truncated.zip: a valid two-image zip cut to 60% of its length
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(zinfo("page-a.png"), poison)
        z.writestr(zinfo("page-b.png"), broken_full)
    full = buf.getvalue()
    write_file(os.path.join(bad, "truncated.zip"), full[: int(len(full) * 0.60)])
    res["truncated.zip"] = dict(
        archive_error=True, stored=[], rejected=["page-a.png", "page-b.png"],
        reasons={"*": "archive truncated to 60% (no central directory)"},
        note="the first local entry (page-a.png) is complete; a streaming reader might see it, "
             "but the archive as a whole is invalid and nothing should be stored")

    # garbage.zip: 4 KB of random bytes
    rng = random.Random(SEED + ":garbage")
    write_file(os.path.join(bad, "garbage.zip"), bytes(rng.getrandbits(8) for _ in range(4096)))
    res["garbage.zip"] = dict(archive_error=True, stored=[], rejected=[],
                              reasons={"*": "not a zip archive"})

    # mixed.tar
    notes = "ملاحظات المسح الضوئي: الصفحة الثانية باهتة، يرجى إعادة المسح.\nscan notes: page 2 faint.\n".encode("utf-8")
    mrows = [
        dict(file="good-1.png", series="VEHICLE-REG", agency="وزارة النقل", date="2015-01-19",
             title="تجديد رخصة سير", reference="12857/2015"),
        dict(file="notes.txt", series="MISC", agency="", date="", title="ملاحظات", reference=""),
        dict(file="broken.png", series="HOUSING", agency="وزارة الإسكان", date="2017-03-05",
             title="طلب قرض سكني", reference="88012/2017"),
        dict(file="missing.png", series="MISC", agency="", date="2018-01-01", title="مفقود", reference="00000/2018"),
        dict(file="../escape.png", series="MISC", agency="", date="", title="", reference=""),
        dict(file="/abs/evil.png", series="MISC", agency="", date="", title="", reference=""),
        dict(file="link.png", series="MISC", agency="", date="", title="", reference=""),
        dict(file="hard.png", series="MISC", agency="", date="", title="", reference=""),
    ]
    man = manifest_bytes(["file", "series", "agency", "date", "title", "reference"], mrows, crlf=False, bom=False)
    items = [
        (tinfo("manifest.csv", len(man)), man),
        (tinfo("good-1.png", len(good1)), good1),
        (tinfo("notes.txt", len(notes)), notes),
        (tinfo("broken.png", len(broken)), broken),
        (tinfo("extra.png", len(extra)), extra),
        (tinfo("../escape.png", len(poison)), poison),
        (tinfo("/abs/evil.png", len(poison)), poison),
        (tinfo("link.png", kind="sym", link="/etc/passwd"), None),
        (tinfo("hard.png", kind="hard", link="good-1.png"), None),
    ]
    write_file(os.path.join(bad, "mixed.tar"), tar_bytes(items))
    res["mixed.tar"] = dict(
        archive_error=False, manifest=True,
        stored=["good-1.png"],
        rejected=["notes.txt", "broken.png", "missing.png", "extra.png", "../escape.png",
                  "/abs/evil.png", "link.png", "hard.png"],
        reasons={"notes.txt": "not an image", "broken.png": "corrupt image (PNG cut to 40%)",
                 "missing.png": "listed in manifest, absent from archive",
                 "extra.png": "present in archive, not listed in manifest",
                 "../escape.png": "path traversal", "/abs/evil.png": "absolute path",
                 "link.png": "symlink (-> /etc/passwd)", "hard.png": "hardlink (-> good-1.png)"},
        good=[dict(entry="good-1.png", name=DISTINCT["G1"][0], name_plain=fold(DISTINCT["G1"][0]),
                   number=DISTINCT["G1"][1], series="VEHICLE-REG", reference="12857/2015",
                   groundtruth="groundtruth/bad/mixed.tar/good-1.png.gt.txt", **R.meta["G1"])])

    # mixed.zip (no manifest)
    items = [
        ("good-2.png", good2),
        ("../../etc/evil.png", poison),
        ("/tmp/abs.png", poison),
        ("readme.txt", "This box was scanned on 2019-10-08. لا توجد ملاحظات.\n".encode("utf-8")),
        ("empty.png", b""),
    ]
    write_zip(os.path.join(bad, "mixed.zip"), items)
    res["mixed.zip"] = dict(
        archive_error=False, manifest=False,
        stored=["good-2.png"],
        rejected=["../../etc/evil.png", "/tmp/abs.png", "readme.txt", "empty.png"],
        reasons={"../../etc/evil.png": "path traversal", "/tmp/abs.png": "absolute path",
                 "readme.txt": "not an image", "empty.png": "empty file"},
        good=[dict(entry="good-2.png", name=DISTINCT["G2"][0], name_plain=fold(DISTINCT["G2"][0]),
                   number=DISTINCT["G2"][1], series=None, reference=None,
                   groundtruth="groundtruth/bad/mixed.zip/good-2.png.gt.txt", **R.meta["G2"])])

    # bad-manifest.zip: manifest without a `file` column
    man = manifest_bytes(["name", "series"], [dict(name="scan-1.png", series="CIVIL-REG")], crlf=False, bom=False)
    write_zip(os.path.join(bad, "bad-manifest.zip"), [("manifest.csv", man), ("scan-1.png", poison)])
    res["bad-manifest.zip"] = dict(
        archive_error=False, manifest_error=True, stored=[], rejected=["scan-1.png"],
        reasons={"manifest.csv": "header 'name,series' has no 'file' column"})

    res["never_indexed"] = [
        dict(page=pid, name=DISTINCT[pid][0], name_plain=fold(DISTINCT[pid][0]), number=DISTINCT[pid][1],
             used_for=use)
        for pid, use in (("H", ["mixed.tar ../escape.png", "mixed.tar /abs/evil.png", "mixed.zip ../../etc/evil.png",
                                "mixed.zip /tmp/abs.png", "truncated.zip page-a.png", "bad-manifest.zip scan-1.png"]),
                         ("X", ["mixed.tar extra.png"]),
                         ("B", ["mixed.tar broken.png (truncated)", "truncated.zip page-b.png"]))]
    return res


if __name__ == "__main__":
    main()
