#!/usr/bin/env python3
"""Generate Fixtures/fields/: pages for evaluating transaction FIELD EXTRACTION.

Each page is one short Arabic transaction document (one record per page) whose
fields are known exactly: reference numbers, dates (Gregorian and Hijri, numeric
and written with Levantine, Egyptian/Gulf, Maghrebi and Hijri month names),
parties (applicant, seller, buyer, owner, heir, agent, ...) and amounts with a
currency. Pages also carry decoys that an extractor must NOT report (ID card and
phone numbers, a year in prose, a post-office box, plot numbers, areas, the
official who signs). The renders are clean to mildly worn: the target is field
extraction, not OCR.

Python stdlib; Hijri <-> Gregorian from Fixtures/tools/ummalqura.swift (Foundation's
Umm al-Qura calendar, run by the Swift interpreter). External tools: pango-view, ImageMagick 6 `convert`
(/usr/bin/convert, or $CONVERT) and fontconfig's fc-match.

Output (relative to Fixtures/fields/):
  pages/NN-<layout>-<font>.png    8-bit grey PNG, 300 dpi, A5 width
  groundtruth/NN-<layout>-<font>.txt
                                  the drawn text, one line per rendered line,
                                  logical order, UTF-8, LF, final newline
  index.json                      the fields of every page; also the pages of
                                  Fixtures/boxes/box-folder ("set": "existing")

Every page is built from parts: plain words and field items. The generator
knows where each item sits in its line, and check_page() re-reads the ground
truth on its own (every digit run, month name and currency word must belong to
a listed field or decoy; every value is re-derived from the printed text), so
the index cannot drift from the pages.

All randomness comes from random.Random seeded with fixed strings, and the PNG
files carry no time chunks, so reruns give byte-identical files on the same
toolchain.
"""

import datetime
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
from make_fixtures import check_tools as fixtures_check_tools, png_size, reset_dir, run  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.dirname(HERE)
OUT = os.path.join(FIX, "fields")
SEED = "sijill-fields-v1"
CONVERT = os.environ.get("CONVERT", "/usr/bin/convert")


PAGE_W = 1748          # A5 width at 300 dpi
MAX_H = 2480
LRM = "\u200e"         # put around a "-" between digits (see Item.render)

# display name -> (fontconfig family, file-name slug, point sizes)
FONTS = {
    "Amiri": ("Amiri", "amiri", (14,)),
    "Noto Naskh Arabic": ("Noto Naskh Arabic", "noto-naskh", (13, 14)),
    "KacstOne": ("KacstOne", "kacstone", (14,)),
    "KacstBook": ("KacstBook", "kacstbook", (15,)),
}

TO_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
TO_PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
TO_WESTERN = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
DIGIT_RUN = re.compile(r"[0-9٠-٩۰-۹]+")
AR = "\u0600-\u06FF"

# --------------------------------------------------------------------------
# calendars
# --------------------------------------------------------------------------
MONTHS = {
    "levantine": ["كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول",
                  "تشرين الأول", "تشرين الثاني", "كانون الأول"],
    "egyptian_gulf": ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر",
                      "أكتوبر", "نوفمبر", "ديسمبر"],
    "maghrebi": ["جانفي", "فيفري", "مارس", "أفريل", "ماي", "جوان", "جويلية", "أوت", "سبتمبر", "أكتوبر",
                 "نوفمبر", "ديسمبر"],
    "hijri": ["محرم", "صفر", "ربيع الأول", "ربيع الآخر", "جمادى الأولى", "جمادى الآخرة", "رجب", "شعبان",
              "رمضان", "شوال", "ذو القعدة", "ذو الحجة"],
}
HIJRI_ALT = {4: "ربيع الثاني"}      # printed instead of ربيع الآخر on some pages
MONTH_LOOKUP = {}                   # (set, printed name) -> month number
for _set, _names in MONTHS.items():
    for _i, _n in enumerate(_names, 1):
        MONTH_LOOKUP[(_set, _n)] = _i
MONTH_LOOKUP[("hijri", HIJRI_ALT[4])] = 4
ALL_MONTH_WORDS = sorted({n for (_, n) in MONTH_LOOKUP}, key=len, reverse=True)
CURRENCY_WORDS = ["ليرة", "دينار", "ريال", "درهم", "جنيه"]

G_FIRST = datetime.date(1951, 1, 1)     # Hijri 1370
G_LAST = datetime.date(2020, 6, 30)     # Hijri 1441


def load_ummalqura():
    """Gregorian day -> Umm al-Qura Hijri (y, m, d) as Foundation's Calendar(.islamicUmmAlQura)
    (ICU) gives it, the converter Sijill uses: before 1420 AH it differs by a day on many dates
    from the published Umm al-Qura tables (e.g. the hijridate package); the ground truth follows
    the product's calendar. Printed by Fixtures/tools/ummalqura.swift (the Swift interpreter)."""
    first, last = datetime.date(1940, 1, 1), datetime.date(2030, 12, 31)
    out = subprocess.run(["swift", os.path.join(HERE, "ummalqura.swift"), first.isoformat(), last.isoformat()],
                         capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit("make_fields.py: Fixtures/tools/ummalqura.swift failed: " + out.stderr[-500:])
    to_h, to_g = {}, {}
    for line in out.stdout.splitlines():
        g, hy, hm, hd = line.split()
        day = datetime.date.fromisoformat(g)
        h = (int(hy), int(hm), int(hd))
        to_h[day] = h
        to_g.setdefault(h, day)
    return to_h, to_g


TO_HIJRI, FROM_HIJRI = load_ummalqura()


def to_hijri(d):
    return TO_HIJRI[d]


def from_hijri(y, m, d):
    try:
        return FROM_HIJRI[(y, m, d)]
    except KeyError:
        raise ValueError("no Umm al-Qura day %d-%d-%d" % (y, m, d))


# --------------------------------------------------------------------------
# countries: month names, currency, cities, state heading, names
# --------------------------------------------------------------------------
COUNTRIES = {
    "syria": dict(months="levantine", state="الجمهورية العربية السورية", names="levant",
                  currency=[("ليرة سورية", 0)], hijri=0.0,
                  cities=["دمشق", "حلب", "حمص", "حماة", "اللاذقية", "طرطوس"]),
    "lebanon": dict(months="levantine", state="الجمهورية اللبنانية", names="levant",
                    currency=[("ليرة لبنانية", 0)], hijri=0.0,
                    cities=["بيروت", "طرابلس", "صيدا", "صور", "زحلة"]),
    "jordan": dict(months="levantine", state="المملكة الأردنية الهاشمية", names="levant",
                   currency=[("دينار أردني", 3)], hijri=0.3,
                   cities=["عمان", "إربد", "الزرقاء", "الكرك", "السلط"]),
    "iraq": dict(months="levantine", state="جمهورية العراق", names="levant",
                 currency=[("دينار عراقي", 0)], hijri=0.2,
                 cities=["بغداد", "البصرة", "الموصل", "النجف", "كربلاء"]),
    "egypt": dict(months="egyptian_gulf", state="جمهورية مصر العربية", names="egypt",
                  currency=[("جنيه مصري", 2)], hijri=0.15,
                  cities=["القاهرة", "الإسكندرية", "الجيزة", "المنصورة", "أسيوط", "طنطا"]),
    "saudi": dict(months="egyptian_gulf", state="المملكة العربية السعودية", names="gulf",
                  currency=[("ريال سعودي", 2)], hijri=1.0,
                  cities=["الرياض", "جدة", "الدمام", "الطائف", "أبها", "بريدة"]),
    "uae": dict(months="egyptian_gulf", state="دولة الإمارات العربية المتحدة", names="gulf",
                currency=[("درهم إماراتي", 2)], hijri=0.4,
                cities=["دبي", "أبوظبي", "الشارقة", "العين", "عجمان"]),
    "kuwait": dict(months="egyptian_gulf", state="دولة الكويت", names="gulf",
                   currency=[("دينار كويتي", 3)], hijri=0.4,
                   cities=["الكويت", "حولي", "الجهراء", "الأحمدي"]),
    "algeria": dict(months="maghrebi", state="الجمهورية الجزائرية الديمقراطية الشعبية", names="maghreb",
                    currency=[("دينار جزائري", 2)], hijri=0.0,
                    cities=["الجزائر", "وهران", "قسنطينة", "عنابة", "سطيف", "تلمسان"]),
    "tunisia": dict(months="maghrebi", state="الجمهورية التونسية", names="maghreb",
                    currency=[("دينار تونسي", 3)], hijri=0.0,
                    cities=["تونس", "صفاقس", "سوسة", "القيروان", "بنزرت", "قابس"]),
    # Morocco has month names of its own (يوليوز، غشت ...): its pages use numeric dates only
    "morocco": dict(months=None, state="المملكة المغربية", names="maghreb",
                    currency=[("درهم مغربي", 2)], hijri=0.3,
                    cities=["الرباط", "فاس", "مراكش", "طنجة", "مكناس"]),
}

NAMES = {
    "levant": dict(
        male=["سامر", "خالد", "محمد", "أحمد", "ياسر", "فادي", "رامي", "باسل", "ماهر", "وليد", "جمال", "حسان",
              "نبيل", "عادل", "هشام", "طارق", "زياد", "مازن", "غسان", "إبراهيم", "مصطفى", "أنس", "نزار",
              "كمال", "سليم", "عبد الله", "عبد الرحمن", "عبد الكريم", "عبد الرزاق", "عبد الغني", "إلياس",
              "حيدر", "عماد", "منذر"],
        female=["فاطمة", "ريم", "سعاد", "هدى", "لينا", "رنا", "سلمى", "منى", "ليلى", "مريم", "عائشة",
                "زينب", "نادية", "رهف", "آمنة", "خديجة", "سوسن", "وفاء", "هيفاء", "ماجدة"],
        family=["السيوفي", "الحلبي", "الشامي", "العطار", "الخطيب", "الدباغ", "القباني", "النحاس", "الحمصي",
                "الزعبي", "البيطار", "الصباغ", "الأتاسي", "الدروبي", "القدسي", "الحسيني", "النجار",
                "الشهابي", "العبادي", "المجالي", "الروسان", "الجبوري", "العبيدي", "الربيعي", "خوري",
                "حداد", "سلامة", "الطحان", "المصري", "الكيالي"]),
    "egypt": dict(
        male=["محمود", "مصطفى", "أحمد", "عمرو", "حسن", "حسين", "إبراهيم", "شريف", "وائل", "هاني", "مجدي",
              "سيد", "عبد الحميد", "عبد الفتاح", "عبد المنعم", "عبد العزيز", "أشرف", "علاء", "سامح", "عادل",
              "صلاح", "جمال", "ممدوح", "فتحي"],
        female=["فاطمة", "نادية", "سعاد", "هدى", "منى", "عزة", "نجلاء", "سحر", "إيمان", "هبة", "رشا",
                "سامية", "نوال", "أمينة"],
        family=["الشريف", "النجار", "عبد العال", "سالم", "منصور", "شاهين", "البدري", "الفخراني", "عثمان",
                "الجندي", "السيد", "حجازي", "الصاوي", "عبد الحليم", "الشناوي", "مرسي", "قنديل", "زكي"]),
    "gulf": dict(
        male=["محمد", "عبد الله", "عبد العزيز", "فهد", "سعود", "خالد", "سلطان", "ناصر", "تركي", "فيصل",
              "بندر", "سعد", "حمد", "راشد", "ماجد", "عبد الرحمن", "منصور", "نايف", "مشعل", "عبد الإله",
              "سالم", "حمدان", "جاسم", "يوسف"],
        female=["نورة", "منيرة", "هيا", "سارة", "الجوهرة", "لطيفة", "موضي", "حصة", "مريم", "عائشة",
                "شيخة", "نوف", "العنود", "مها"],
        family=["القحطاني", "الشمري", "العتيبي", "الدوسري", "الغامدي", "الزهراني", "المطيري", "الحربي",
                "السبيعي", "العنزي", "الكعبي", "المزروعي", "الفلاسي", "العجمي", "الرشيدي", "الشهري",
                "البلوشي", "المري", "الهاجري", "العازمي"]),
    "maghreb": dict(
        male=["محمد", "كريم", "يوسف", "رضا", "سمير", "مراد", "نبيل", "هشام", "عبد القادر", "عبد الحكيم",
              "عبد المجيد", "رشيد", "مصطفى", "فريد", "حميد", "عمر", "الطيب", "مختار", "سفيان", "منير"],
        female=["فاطمة", "خديجة", "نعيمة", "سعاد", "فتيحة", "زهرة", "مليكة", "سمية", "نادية", "حياة",
                "وهيبة", "لطيفة", "سلوى", "أمال"],
        family=["بن علي", "بن يوسف", "بوزيد", "بلقاسم", "حداد", "العلوي", "الفاسي", "بنعيسى", "الشابي",
                "المرزوقي", "بوعلام", "الجزيري", "بن عمر", "الزموري", "التازي", "بوشناق", "الهمامي",
                "بن سالم", "العياري", "القاسمي"]),
}

AREAS = ["الميدان", "المزة", "الروضة", "النزهة", "العزيزية", "الصالحية", "الشهداء", "النصر", "السلام",
         "الزهراء", "الأندلس", "الربوة", "القصور", "الورود", "الرابية", "المنشية"]
REF_LETTERS = ["أ", "ب", "ج", "د", "س", "ع", "ق", "م", "ك"]

# labels -> role
APPLICANT_LABELS = ["مقدم الطلب", "المستدعي", "الطالب"]


# --------------------------------------------------------------------------
# items: the printed fields and decoys of a page
# --------------------------------------------------------------------------
class Item:
    """A field or decoy: `text` is what is printed (and lands in the ground truth)."""

    def __init__(self, kind, text, **data):
        self.kind = kind            # reference | date | party | amount | decoy
        self.text = text
        self.data = data
        self.span = None            # (line index, start, end) once placed

    def render(self):
        # In an Arabic line the bidi algorithm makes digits Arabic numbers (Western digits
        # too, after an Arabic letter) and a "-" between them a neutral that takes the
        # right-to-left direction, so 2005-123 would be drawn as 123-2005. A left-to-right
        # mark on each side of the hyphen keeps the number drawn as typed, like 2005/123.
        # The marks are invisible and are not in the ground truth.
        return re.sub(r"(?<=[0-9٠-٩۰-۹])-(?=[0-9٠-٩۰-۹])", LRM + "-" + LRM, self.text)


class Doc:
    def __init__(self):
        self.lines = []             # [(render text, gt text, style)]
        self.items = []
        self.rules = []             # line indexes after which a rule is drawn
        self.frame = False

    def line(self, *parts, style="body"):
        gt, rendered = "", ""
        idx = len(self.lines)
        for p in parts:
            if p is None:
                continue
            if isinstance(p, (list, tuple)):
                for q in p:
                    gt, rendered = self._put(q, gt, rendered, idx)
                continue
            gt, rendered = self._put(p, gt, rendered, idx)
        if not re.match("[%s]" % AR, gt):
            raise ValueError("line must start with an Arabic letter (base direction): %r" % gt)
        self.lines.append((rendered, gt, style))

    def _put(self, p, gt, rendered, idx):
        if isinstance(p, str):
            if DIGIT_RUN.search(p):
                raise ValueError("digits outside an item: %r" % p)
            return gt + p, rendered + p
        p.span = (idx, len(gt), len(gt) + len(p.text))
        self.items.append(p)
        return gt + p.text, rendered + p.render()

    def rule(self):
        self.rules.append(len(self.lines) - 1)


# --------------------------------------------------------------------------
# page context: digits, month queues, names
# --------------------------------------------------------------------------
class MonthQueues:
    """Each month-name set hands out its months in shuffled rounds, so every month is used."""

    def __init__(self, rng):
        self.q = {}
        for s in MONTHS:
            order = []
            for _ in range(6):
                r = list(range(1, 13))
                rng.shuffle(r)
                order += r
            self.q[s] = order
        self.pos = {s: 0 for s in MONTHS}
        self.partials = 2           # month-and-year dates in the whole set

    def next(self, s):
        m = self.q[s][self.pos[s]]
        self.pos[s] += 1
        return m

    def need(self, s):
        """True while some month of set s has not been printed yet (the first round)."""
        return self.pos[s] < 12

    def state(self):
        return dict(self.pos), self.partials

    def restore(self, st):
        self.pos, self.partials = dict(st[0]), st[1]


class Ctx:
    def __init__(self, rng, country, digits, months, year, font):
        self.rng = rng
        self.font = font
        self.variant = 0            # how many pages of this layout came before (varies the kind)
        self.cn = COUNTRIES[country]
        self.country = country
        self.digits = digits        # western | indic | persian
        self.mq = months
        self.year = year
        self.used_names = set()
        self.city = rng.choice(self.cn["cities"])

    # ---- digits
    def n(self, s):
        s = str(s)
        if self.digits == "indic":
            return s.translate(TO_INDIC)
        if self.digits == "persian":
            return s.translate(TO_PERSIAN)
        return s

    def digs(self, k):
        return str(self.rng.randint(1, 9)) + "".join(str(self.rng.randint(0, 9)) for _ in range(k - 1))

    # ---- dates
    def g_date(self, year=None, month=None):
        y = min(max(year or self.year, G_FIRST.year), G_LAST.year - 1)   # keeps the month asked for
        m = month or self.rng.randint(1, 12)
        d = self.rng.randint(1, 28)
        return datetime.date(y, m, d)

    def g_for_hijri_month(self, hm, year=None):
        """A Gregorian date near `year` whose Umm al-Qura month is hm."""
        y = year or self.year
        start = clamp(datetime.date(y, 1, 1))
        cands = []
        for k in range(0, 420):
            d = start + datetime.timedelta(days=k)
            if d > G_LAST:
                break
            if to_hijri(d)[1] == hm and to_hijri(d)[2] <= 29:
                cands.append(d)
        if not cands:
            for k in range(1, 420):
                d = start - datetime.timedelta(days=k)
                if to_hijri(d)[1] == hm:
                    cands.append(d)
        return self.rng.choice(cands)

    def numeric(self, g, cal="gregorian", order=None, sep=None, pad=None, suffix=None):
        rng = self.rng
        if cal == "hijri":
            y, m, d = to_hijri(g)
        else:
            y, m, d = g.year, g.month, g.day
        order = order or rng.choice(["dmy", "dmy", "ymd"])
        # "." between Arabic-Indic or Persian digits looks like their zero (a dot): not used there
        seps = ["/", "/", ".", "-"] if self.digits == "western" else ["/", "/", "-"]
        sep = sep or rng.choice(seps)
        pad = rng.random() < 0.8 if pad is None else pad
        dd, mm = ("%02d" % d, "%02d" % m) if pad else (str(d), str(m))
        parts = [dd, mm, str(y)] if order == "dmy" else [str(y), mm, dd]
        text = self.n(sep.join(parts))
        if cal == "hijri":
            text += " هـ"
        elif suffix if suffix is not None else rng.random() < 0.3:
            text += " م"
        return Item("date", text, value=g.isoformat(), calendar=cal, form="numeric",
                    order=order, month_set=None)

    def written(self, cal="gregorian", year=None, g=None, month_set=None, suffix=None):
        rng = self.rng
        if cal == "hijri":
            if g is None:
                g = self.g_for_hijri_month(self.mq.next("hijri"), year)
            y, m, d = to_hijri(g)
            name = MONTHS["hijri"][m - 1]
            if m in HIJRI_ALT and rng.random() < 0.5:
                name = HIJRI_ALT[m]
            text = "%s %s %s هـ" % (self.n(d), name, self.n(y))
            return Item("date", text, value=g.isoformat(), calendar="hijri", form="written", month_set="hijri")
        ms = month_set or self.cn["months"]
        if g is None:
            g = self.g_date(year, self.mq.next(ms))
        text = "%s %s %s" % (self.n(g.day), MONTHS[ms][g.month - 1], self.n(g.year))
        if suffix if suffix is not None else rng.random() < 0.35:
            text += " م"
        return Item("date", text, value=g.isoformat(), calendar="gregorian", form="written", month_set=ms)

    def can_partial(self):
        return self.cn["months"] is not None and self.mq.partials > 0

    def partial(self, year=None):
        self.mq.partials -= 1
        ms = self.cn["months"]
        m = self.mq.next(ms)
        y = year or self.year
        text = "%s %s" % (MONTHS[ms][m - 1], self.n(y))
        return Item("date", text, value="%04d-%02d" % (y, m), calendar="gregorian", form="partial", month_set=ms)

    def any_date(self, year=None, written_bias=0.5, allow_hijri=True, numeric=0.0):
        """One date in a form fit for the country (numeric first with probability `numeric`);
        returns a list of parts."""
        rng = self.rng
        hij = rng.random() < self.cn["hijri"]
        ms = "hijri" if hij else self.cn["months"]
        if rng.random() < numeric and not (ms and self.mq.need(ms) and numeric < 1):
            return [self.numeric(self.g_date(year), "hijri" if hij else "gregorian")]
        hij = allow_hijri and hij
        can_write = self.cn["months"] is not None
        if hij:
            if self.mq.need("hijri") or rng.random() < 0.5:
                return [self.written("hijri", year)]
            return [self.numeric(self.g_date(year), "hijri")]
        if can_write and (self.mq.need(self.cn["months"]) or rng.random() < written_bias * 0.6):
            return [self.written(year=year)]
        return [self.numeric(self.g_date(year))]

    def combo(self, year=None, hijri_written=None, greg_written=None):
        """`<hijri> الموافق <gregorian>`: two dates, same day."""
        rng = self.rng
        hw = (self.mq.need("hijri") or rng.random() < 0.6) if hijri_written is None else hijri_written
        if hw:
            h = self.written("hijri", year)
            g = datetime.date.fromisoformat(h.data["value"])
        else:
            g = self.g_date(year)
            h = self.numeric(g, "hijri")
        can_write = self.cn["months"] is not None
        gw = (rng.random() < 0.6 if greg_written is None else greg_written) and can_write
        if gw:
            gi = self.written(g=g, suffix=rng.random() < 0.7)
        else:
            gi = self.numeric(g, suffix=rng.random() < 0.7)
        return [h, " الموافق ", gi]

    # ---- references
    def ref(self, label, form=None):
        rng = self.rng
        y = str(self.year)
        if self.cn["hijri"] >= 1.0 and rng.random() < 0.6:
            y = str(to_hijri(clamp(datetime.date(self.year, 6, 1)))[0])
        forms = ["slash_year", "slash_year", "letter_mid", "plain", "letter_prefix", "suffix_letter", "hyphen"]
        form = form or rng.choice(forms)
        if form == "slash_year":
            t = "%s/%s" % (self.digs(rng.randint(3, 5)), y)
        elif form == "letter_mid":
            t = "%s/%s/%s" % (self.digs(rng.randint(2, 4)), rng.choice(REF_LETTERS), y)
        elif form == "plain":
            t = self.digs(rng.randint(3, 6))
        elif form == "letter_prefix":
            sp = " / " if rng.random() < 0.4 else "/"
            t = "%s%s%s" % (rng.choice(REF_LETTERS), sp, self.digs(rng.randint(2, 4)))
        elif form == "suffix_letter":
            t = "%s/%s" % (self.digs(rng.randint(2, 4)), rng.choice(["ص", "و", "ق", "م"]))
        elif form == "hyphen":
            t = "%s-%s" % (y, self.digs(rng.randint(2, 4)))
        else:
            raise ValueError(form)
        text = self.n(t)
        return Item("reference", text, value=norm_ref(text), label=label, form=form)

    # ---- amounts
    def amount(self, lo, hi, short=False, decimals=None, whole=None):
        """An amount in the country's currency; `whole` fixes the value (then no decimals)."""
        rng = self.rng
        cur, dec = rng.choice(self.cn["currency"])
        step = rng.choice([1, 5, 10, 50, 100, 500]) if hi >= 1000 else rng.choice([1, 5, 10])
        if whole is not None:
            decimals = 0
        else:
            whole = max(step, rng.randint(lo // step, hi // step) * step)
        if decimals is None:
            decimals = dec if (dec and rng.random() < 0.45) else 0
        frac = ""
        if decimals:
            frac = "".join(str(rng.randint(0, 9)) for _ in range(decimals))
            if decimals == 2 and rng.random() < 0.5:
                frac = rng.choice(["50", "25", "75", "00"])
            if decimals == 3 and rng.random() < 0.5:
                frac = rng.choice(["500", "250", "750", "000"])
        # Arabic-Indic and Persian digits: decimal "٫" ("." looks like their zero), thousands
        # "٬" or ","; KacstOne draws ",", "." and "٫" alike, so it gets "٬" only
        indic = self.digits != "western"
        if whole >= 1000 and rng.random() < 0.7:
            tsep = ("٬" if self.font == "KacstOne" else rng.choice(["٬", ","])) if indic else ","
        else:
            tsep = ""
        dsep = "٫" if indic else "."
        s = "{:,}".format(whole).replace(",", tsep)
        if frac:
            s += dsep + frac
        cur_printed = cur.split()[0] if short else cur
        text = "%s %s" % (self.n(s), cur_printed)
        value = str(whole) + ("." + frac if frac else "")
        return Item("amount", text, value=value, currency=cur.split()[0], currency_text=cur_printed)

    # ---- people
    def name(self, female=False, parts=None, family=None, father=None):
        """2-4 part name; Gulf names often join given and father with بن/بنت, a few Levantine ones with ابن."""
        rng = self.rng
        region = self.cn["names"]
        pool = NAMES[region]
        for _ in range(200):
            given = rng.choice(pool["female" if female else "male"])
            k = parts or rng.choice([2, 3, 3, 3, 4])
            fathers = [rng.choice(pool["male"]) for _ in range(max(0, k - 2))]
            if father and fathers:
                fathers[0] = father
            fam = family or rng.choice(pool["family"])
            words = [given] + fathers
            if len(set(words)) != len(words):
                continue
            if region == "gulf" and fathers and rng.random() < 0.45:
                joined = given + (" بنت " if female else " بن ") + " ".join(fathers)
            elif region == "levant" and fathers and not female and rng.random() < 0.1:
                joined = given + " ابن " + " ".join(fathers)
            else:
                joined = " ".join(words)
            full = joined + " " + fam
            if full in self.used_names or any(full in u or u in full for u in self.used_names):
                continue
            if any(re.search("(?<![%s])%s(?![%s])" % (AR, re.escape(w), AR), full) for w in ALL_MONTH_WORDS):
                continue
            self.used_names.add(full)
            return full
        raise RuntimeError("no fresh name")

    def party(self, role, label, female=False, parts=None, family=None, father=None):
        return Item("party", self.name(female, parts, family, father), role=role, label=label)

    def signatory(self, title):
        return Item("decoy", self.name(parts=self.rng.choice([2, 3])), decoy="signatory", label=title)

    # ---- decoys
    def id_no(self, label="رقم الهوية"):
        return Item("decoy", self.n(self.digs(self.rng.choice([7, 9, 10, 11]))), decoy="id_number", label=label)

    def phone(self, label="هاتف"):
        if self.rng.random() < 0.7:
            t = "0%s-%s" % (self.digs(2), self.digs(7))
        else:
            t = "0" + self.digs(9)
        return Item("decoy", self.n(t), decoy="phone", label=label)

    def year_prose(self, back=(3, 15)):
        y = max(1945, self.year - self.rng.randint(*back))
        return Item("decoy", self.n(y), decoy="year_in_prose", label="عام")

    def po_box(self, label):
        return Item("decoy", self.n(self.digs(self.rng.randint(3, 5))), decoy="po_box", label=label)

    def plot(self, label):
        return Item("decoy", self.n(self.digs(self.rng.randint(2, 4))), decoy="plot_number", label=label)

    def area_m2(self):
        return Item("decoy", self.n(self.rng.randint(60, 900)), decoy="area", label="متر مربع")

    def count(self, label):
        return Item("decoy", self.n(self.rng.randint(2, 6)), decoy="count", label=label)


def clamp(d):
    return min(max(d, G_FIRST), G_LAST)


def norm_ref(text):
    t = text.translate(TO_WESTERN)
    return re.sub(r"\s*([/\-.])\s*", r"\1", t).strip()


# --------------------------------------------------------------------------
# layouts: each fills a Doc from a Ctx
# --------------------------------------------------------------------------
LABEL_SERVICES = [
    ("وزارة الإدارة المحلية", "مجلس مدينة {city}", "طلب رخصة بناء"),
    ("وزارة الداخلية", "دائرة الأحوال المدنية في {city}", "طلب بيان قيد عائلي"),
    ("وزارة الصحة", "مديرية الصحة في {city}", "طلب ترخيص عيادة"),
    ("وزارة النقل", "مديرية النقل في {city}", "طلب تسجيل مركبة"),
    ("وزارة الاقتصاد والتجارة", "مديرية التجارة الداخلية في {city}", "طلب تجديد سجل تجاري"),
    ("وزارة الزراعة", "مديرية الزراعة في {city}", "طلب ترخيص بئر زراعية"),
]
SIGN_TITLES = ["مدير الدائرة", "رئيس الديوان", "مدير المديرية", "رئيس القسم", "رئيس المجلس"]


def header(doc, ctx, ministry, office, state=None):
    rng = ctx.rng
    if state is None:
        state = rng.random() < 0.5
    if state:
        doc.line(ctx.cn["state"], style="h1")
        doc.line(ministry, style="h2")
        if rng.random() < 0.5:
            doc.line(office.format(city=ctx.city), style="h2")
    else:
        doc.line(ministry, style="h1")
        doc.line(office.format(city=ctx.city), style="h2")


def sign(doc, ctx, title=None):
    title = title or ctx.rng.choice(SIGN_TITLES)
    doc.line(title, style="sign")
    doc.line(ctx.signatory(title), style="sign")


def lay_labels(doc, ctx):
    rng = ctx.rng
    ministry, office, subject = rng.choice(LABEL_SERVICES)
    header(doc, ctx, ministry, office)
    doc.line(subject, style="title")
    ref_label = rng.choice(["رقم المعاملة", "رقم الطلب", "رقم الملف", "رقم القيد"])
    doc.line(ref_label + ": ", ctx.ref(ref_label))
    doc.line("التاريخ: ", mark_main(ctx.any_date(written_bias=0.4, numeric=0.6)))
    al = rng.choice(APPLICANT_LABELS)
    doc.line(al + ": ", ctx.party("applicant", al, female=rng.random() < 0.3))
    dk = rng.sample(["id", "phone", "box", "national"], 2)
    for k in dk:
        if k == "id":
            doc.line("رقم الهوية: ", ctx.id_no())
        elif k == "national":
            doc.line("الرقم الوطني: ", ctx.id_no("الرقم الوطني"))
        elif k == "phone":
            doc.line("هاتف: ", ctx.phone())
        else:
            doc.line("العنوان: ", ctx.city, "، صندوق بريد ", ctx.po_box("صندوق بريد"))
    doc.line(rng.choice(["الرسوم المدفوعة: ", "رسوم الطلب: ", "المبلغ المستحق: "]), ctx.amount(500, 60000))
    if rng.random() < 0.5:
        doc.line("الوكيل: ", ctx.party("agent", "الوكيل"))
    if rng.random() < 0.6:
        if rng.random() < 0.5:
            doc.line("موعد المراجعة: ", ctx.any_date(year=ctx.year + 1, numeric=1))
        else:
            doc.line("تاريخ الاستلام: ", ctx.any_date(year=ctx.year - 1, numeric=1))
    sign(doc, ctx)


LETTER_OFFICES = [
    ("وزارة المالية", "مديرية المالية في {city}"),
    ("المديرية العامة للمصالح العقارية", "مديرية المصالح العقارية في {city}"),
    ("وزارة الإدارة المحلية", "مجلس مدينة {city}"),
    ("وزارة العدل", "دائرة التنفيذ في {city}"),
]


def lay_letter(doc, ctx):
    rng = ctx.rng
    ministry, office = rng.choice(LETTER_OFFICES)
    header(doc, ctx, ministry, office, state=False)
    doc.line("الرقم: ", ctx.ref("الرقم", rng.choice(["letter_prefix", "letter_mid", "suffix_letter", "slash_year"])))
    if ctx.cn["hijri"] >= 0.3 and rng.random() < 0.6:
        doc.line("التاريخ: ", mark_main(ctx.combo()))
    else:
        doc.line("التاريخ: ", mark_main(ctx.any_date(written_bias=0.8)))
    doc.line("السيد مدير %s المحترم، تحية طيبة وبعد،" % rng.choice(
        ["السجل العقاري", "الإيرادات", "الشؤون القانونية", "المساحة"]))
    partial = ctx.can_partial() and rng.random() < 0.5
    doc.line("بالإشارة إلى كتابكم المسجل لدينا برقم الوارد ", ctx.ref("رقم الوارد", "plain"))
    doc.line("بتاريخ ", ctx.written(year=ctx.year - 1) if ctx.cn["months"] else ctx.numeric(ctx.g_date(ctx.year - 1)),
             "، نفيدكم بأن")
    doc.line("المستدعي ", ctx.party("applicant", "المستدعي"), " قد سدد")
    doc.line(rng.choice(["مبلغا وقدره ", "مبلغ وقدره "]), ctx.amount(200, 90000, short=rng.random() < 0.6))
    doc.line("رسوم نقل ملكية العقار رقم ", ctx.plot("العقار رقم"), " في حي ", rng.choice(AREAS), "،")
    if partial:
        doc.line("ويعاد الملف إلى الدائرة قبل نهاية شهر ", ctx.partial(), ".")
    else:
        doc.line("علما بأن العقار مسجل باسمه منذ عام ", ctx.year_prose(), ".")
    sign(doc, ctx)


def lay_contract(doc, ctx):
    rng = ctx.rng
    kind = ["sale", "rent", "car", "sale", "rent", "sale"][ctx.variant % 6]
    title = {"sale": "عقد بيع عقار", "rent": "عقد إيجار", "car": "عقد بيع سيارة"}[kind]
    doc.line(title, style="h1c")
    doc.line(rng.choice(["دائرة الكاتب بالعدل في {city}", "مكتب التوثيق في {city}",
                         "كتابة العدل في {city}"]).format(city=ctx.city), style="h2c")
    rl = rng.choice(["رقم القيد", "رقم السجل"])
    doc.line(rl + ": ", ctx.ref(rl))
    if rng.random() < 0.6:
        doc.line("التاريخ: ", mark_main(ctx.any_date(written_bias=0.5, numeric=0.5)))
    else:
        doc.line("تاريخ العقد: ", ctx.any_date(written_bias=0.5, numeric=0.5))
    if kind == "rent":
        doc.line("المؤجر: ", ctx.party("lessor", "المؤجر"))
        doc.line("المستأجر: ", ctx.party("lessee", "المستأجر", female=rng.random() < 0.3), "، هاتف: ",
                 ctx.phone())
        doc.line("المأجور: شقة في حي ", rng.choice(AREAS), " مساحتها ", ctx.area_m2(), " متر مربع")
        doc.line("بدل الإيجار السنوي: ", ctx.amount(300, 40000))
        doc.line("التأمين: ", ctx.amount(100, 5000, short=rng.random() < 0.5))
        doc.line("تبدأ مدة الإيجار في ", ctx.written(suffix=False) if ctx.cn["months"]
                 else ctx.numeric(ctx.g_date()))
    else:
        doc.line("البائع: ", ctx.party("seller", "البائع"), "، رقم الهوية: ", ctx.id_no())
        doc.line("المشتري: ", ctx.party("buyer", "المشتري", female=rng.random() < 0.25))
        if rng.random() < 0.6:
            doc.line("الوكيل: ", ctx.party("agent", "الوكيل"))
        if kind == "car":
            doc.line("المبيع: سيارة رقم لوحتها ", Item("decoy", ctx.n(ctx.digs(6)), decoy="plate", label="رقم لوحتها"),
                     " موديل عام ", ctx.year_prose((2, 10)))
        else:
            doc.line("المبيع: العقار رقم ", ctx.plot("العقار رقم"), " في حي ", rng.choice(AREAS),
                     " بمساحة ", ctx.area_m2(), " متر مربع")
        doc.line("الثمن: ", ctx.amount(2000, 900000))
        if rng.random() < 0.6:
            price = int(float(doc.items[-1].data["value"]))
            doc.line("دفع منه عند التوقيع: ", ctx.amount(0, 0, whole=price // rng.choice([2, 4, 5, 10])))
        if ctx.can_partial() and rng.random() < 0.6:
            doc.line("ويتم التسليم في شهر ", ctx.partial(), ".")
    if rng.random() < 0.5:
        doc.line("الشاهد: ", ctx.party("witness", "الشاهد"))
    sign(doc, ctx, rng.choice(["الكاتب بالعدل", "الموثق", "كاتب العدل"]))


def lay_receipt(doc, ctx):
    rng = ctx.rng
    ministry, office, subject = rng.choice(LABEL_SERVICES)
    header(doc, ctx, ministry, office, state=False)
    doc.line(rng.choice(["إيصال قبض", "إيصال استلام مبلغ", "سند قبض"]), style="title")
    doc.rule()
    rl = rng.choice(["رقم الطلب", "رقم الملف", "رقم المعاملة"])
    doc.line(rl + ": ", ctx.ref(rl))
    doc.line("التاريخ: ", mark_main(ctx.any_date(written_bias=0.3, numeric=0.7)))
    al = rng.choice(["الطالب", "مقدم الطلب", "المكلف"])
    doc.line(al + ": ", ctx.party("applicant" if al != "المكلف" else "taxpayer", al, female=rng.random() < 0.3))
    partly = rng.random() < 0.6
    due = ctx.amount(1000, 90000, decimals=0 if partly else None)
    doc.line("المبلغ المستحق: ", due)
    if rng.random() < 0.5:
        doc.line("تاريخ الاستحقاق: ", ctx.any_date(numeric=1))
    if partly:
        total = int(due.data["value"])
        paid = total // 100 * rng.randint(30, 80)
        doc.line("المبلغ المدفوع: ", ctx.amount(0, 0, whole=paid))
        doc.line("الباقي: ", ctx.amount(0, 0, whole=total - paid))
    doc.line("وذلك عن رسوم ", subject.replace("طلب ", ""), " لعام ", ctx.year_prose((0, 1)))
    if rng.random() < 0.5:
        doc.line("العنوان: ص.ب ", ctx.po_box("ص.ب"), "، ", ctx.city)
    else:
        doc.line("للمراجعة: هاتف ", ctx.phone())
    sign(doc, ctx, "أمين الصندوق")
    doc.frame = True


def lay_court(doc, ctx):
    rng = ctx.rng
    if ctx.cn["hijri"] >= 0.3:
        doc.line("بسم الله الرحمن الرحيم", style="h1c")
        doc.line("وزارة العدل", style="h2")
        doc.line(rng.choice(["كتابة العدل الأولى في {city}", "المحكمة العامة في {city}"]).format(city=ctx.city),
                 style="h2")
    else:
        doc.line(ctx.cn["state"], style="h2")
        doc.line(rng.choice(["محكمة {city} الابتدائية", "دائرة الكاتب بالعدل في {city}"]).format(city=ctx.city),
                 style="h2")
    doc.line("الرقم: ", ctx.ref("الرقم", rng.choice(["letter_mid", "letter_mid", "slash_year", "plain"])))
    if ctx.cn["hijri"] >= 0.3:
        doc.line("التاريخ: ", mark_main([ctx.numeric(ctx.g_date(), "hijri", order=rng.choice(["ymd", "dmy"]), sep="/")]))
    else:
        doc.line("التاريخ: ", mark_main(ctx.any_date(written_bias=0.3)))
    kind = ["heirs", "attorney"][ctx.variant % 2]
    if kind == "attorney" or rng.random() < 0.4:
        doc.line("المرفقات: ", ctx.count("المرفقات"))
    if kind == "heirs":
        doc.line("صك حصر ورثة", style="title")
        doc.line("حضر المستدعي ", ctx.party("applicant", "المستدعي"))
        doc.line("بموجب الهوية رقم ", ctx.id_no("الهوية رقم"), " وقرر أن")
        dead = ctx.party("deceased", "المتوفى", parts=rng.choice([3, 4]))
        doc.line("المتوفى ", dead)
        dead_given = next(g for g in sorted(NAMES[ctx.cn["names"]]["male"], key=len, reverse=True)
                          if dead.text.startswith(g + " "))
        dead_family = next(f for f in NAMES[ctx.cn["names"]]["family"] if dead.text.endswith(" " + f))
        if ctx.cn["hijri"] > 0:
            doc.line("توفي في ", ctx.combo(year=ctx.year - rng.randint(0, 1)), "،")
        else:
            doc.line("توفي في ", ctx.written(year=ctx.year - rng.randint(0, 1)), "، وانحصر إرثه في:")
        one_line = ctx.variant % 4 == 0        # heirs pages alternate: one الورثة line, or الوارث lines
        heirs = [ctx.party("heir", "الورثة", female=rng.random() < 0.4, parts=3, family=dead_family,
                           father=dead_given)
                 for _ in range(rng.randint(2, 3) if one_line else 2)]
        if one_line:
            seq = []
            for i, h in enumerate(heirs):
                seq += ([] if i == 0 else ["، "]) + [h]
            doc.line("الورثة: ", seq)
        else:
            for h in heirs:
                h.data["label"] = "الوارث"
                doc.line("الوارث: ", h)
    else:
        doc.line("وكالة", style="title")
        doc.line("أقر المالك ", ctx.party("owner", "المالك"), " بأنه وكل")
        doc.line("الوكيل ", ctx.party("agent", "الوكيل"), " في بيع العقار رقم ", ctx.plot("العقار رقم"))
        doc.line("بثمن لا يقل عن ", ctx.amount(5000, 900000), " وقبض الثمن،")
        doc.line("وتنتهي هذه الوكالة في ", ctx.any_date(year=ctx.year + 1, written_bias=0.8), ".")
    sign(doc, ctx, rng.choice(["القاضي", "كاتب العدل"]))


def lay_register(doc, ctx):
    rng = ctx.rng
    kind = ["land", "trade"][ctx.variant % 2]
    if kind == "land":
        header(doc, ctx, "المديرية العامة للمصالح العقارية", "مديرية المصالح العقارية في {city}")
        doc.line("بيان قيد عقاري", style="title")
    else:
        header(doc, ctx, "وزارة الاقتصاد والتجارة", "مديرية السجل التجاري في {city}")
        doc.line("صورة عن قيد في السجل التجاري", style="title")
    doc.rule()
    if kind == "land":
        doc.line("رقم السجل: ", ctx.ref("رقم السجل", rng.choice(["letter_prefix", "plain", "letter_mid"])))
        doc.line("رقم القيد: ", ctx.ref("رقم القيد", rng.choice(["plain", "slash_year"])))
    else:
        doc.line("رقم السجل التجاري: ", ctx.ref("رقم السجل", "plain"))
    doc.line("تاريخ القيد: ", ctx.any_date(year=ctx.year - rng.randint(1, 4), written_bias=0.5, numeric=0.5))
    owners = rng.choice([1, 1, 2])
    for _ in range(owners):
        doc.line("المالك: ", ctx.party("owner", "المالك", female=rng.random() < 0.3))
    if kind == "land":
        doc.line("المنطقة العقارية: ", rng.choice(AREAS), "، العقار رقم ", ctx.plot("العقار رقم"))
        doc.line("المساحة: ", ctx.area_m2(), " متر مربع")
        doc.line("القيمة المقدرة: ", ctx.amount(5000, 900000, decimals=None))
    else:
        doc.line("الاسم التجاري: مؤسسة ", rng.choice(["النور", "الأمل", "الفجر", "الوفاء", "الرائد"]),
                 " للتجارة")
        doc.line("رأس المال: ", ctx.amount(10000, 900000))
        doc.line("هاتف المؤسسة: ", ctx.phone("هاتف المؤسسة"))
    if ctx.can_partial() and rng.random() < 0.5:
        doc.line("آخر تحديث للقيد: ", ctx.partial())
    doc.line("أعطي هذا البيان بناء على طلب المالك بتاريخ ", ctx.any_date(written_bias=0.6))
    sign(doc, ctx, rng.choice(["أمين السجل العقاري" if kind == "land" else "أمين السجل التجاري", "رئيس الدائرة"]))


def lay_memo(doc, ctx):
    rng = ctx.rng
    ministry, office, subject = rng.choice(LABEL_SERVICES)
    header(doc, ctx, ministry, office, state=False)
    doc.line(rng.choice(["إحالة معاملة", "مذكرة داخلية"]), style="title")
    doc.rule()
    doc.line("رقم الوارد: ", ctx.ref("رقم الوارد", rng.choice(["plain", "suffix_letter", "slash_year"])))
    doc.line("تاريخ الوارد: ", ctx.any_date(written_bias=0.3, numeric=0.6))
    doc.line("رقم الصادر: ", ctx.ref("رقم الصادر", rng.choice(["plain", "suffix_letter", "letter_prefix"])))
    if rng.random() < 0.5:
        doc.line("التاريخ: ", mark_main(ctx.any_date(written_bias=0.5)))
    else:
        doc.line("تاريخ الصادر: ", ctx.any_date(written_bias=0.5))
    rl = rng.choice(["رقم الملف", "رقم الطلب"])
    doc.line("الموضوع: معاملة ", subject, "، ", rl + " ", ctx.ref(rl))
    role, lab = rng.choice([("owner", "المالك"), ("applicant", "الطالب"), ("applicant", "مقدم الطلب")])
    doc.line("العائدة إلى ", lab, " ", ctx.party(role, lab, female=rng.random() < 0.3))
    if rng.random() < 0.5:
        doc.line("والرسوم المسددة عنها ", ctx.amount(50, 9000))
    doc.line("يرجى دراسة المعاملة وإعادتها مع الرأي قبل ",
             ctx.any_date(year=ctx.year + 1, written_bias=0.7, numeric=0.5))
    doc.line("المراسلات: ص.ب ", ctx.po_box("ص.ب"), " ", ctx.city)
    sign(doc, ctx, "رئيس الديوان")


LAYOUTS = {
    "labels": lay_labels, "letter": lay_letter, "contract": lay_contract, "receipt": lay_receipt,
    "court": lay_court, "register": lay_register, "memo": lay_memo,
}


def mark_main(parts):
    """The dates on the line labelled التاريخ: the first one is the record's main date."""
    for p in parts:
        if isinstance(p, Item) and p.kind == "date":
            p.data["labelled"] = True
    return parts


# --------------------------------------------------------------------------
# the plan: (layout, font, country, digits, wear)
# KacstOne draws Western digits as Arabic-Indic glyphs, so its pages are "indic".
# --------------------------------------------------------------------------
PLAN = [
    ("labels", "Amiri", "syria", "western"),
    ("letter", "Noto Naskh Arabic", "syria", "indic"),
    ("contract", "KacstBook", "jordan", "western"),
    ("receipt", "KacstOne", "syria", "indic"),
    ("court", "Amiri", "saudi", "indic"),
    ("register", "Noto Naskh Arabic", "lebanon", "western"),
    ("memo", "KacstBook", "egypt", "western"),
    ("labels", "KacstOne", "saudi", "indic"),
    ("letter", "Amiri", "egypt", "western"),
    ("contract", "Noto Naskh Arabic", "algeria", "western"),
    ("receipt", "KacstBook", "kuwait", "western"),
    ("court", "KacstOne", "saudi", "indic"),
    ("register", "Amiri", "algeria", "western"),
    ("memo", "Noto Naskh Arabic", "iraq", "western"),
    ("labels", "KacstBook", "tunisia", "western"),
    ("letter", "KacstOne", "jordan", "indic"),
    ("contract", "Amiri", "egypt", "indic"),
    ("receipt", "Noto Naskh Arabic", "morocco", "western"),
    ("court", "KacstBook", "tunisia", "western"),
    ("register", "KacstOne", "syria", "indic"),
    ("memo", "Amiri", "uae", "persian"),
    ("labels", "Noto Naskh Arabic", "lebanon", "indic"),
    ("letter", "KacstBook", "algeria", "western"),
    ("contract", "KacstOne", "saudi", "indic"),
    ("receipt", "Amiri", "jordan", "western"),
    ("court", "Noto Naskh Arabic", "jordan", "western"),
    ("register", "KacstBook", "tunisia", "western"),
    ("memo", "KacstOne", "saudi", "indic"),
    ("labels", "Amiri", "iraq", "indic"),
    ("letter", "Noto Naskh Arabic", "tunisia", "western"),
    ("contract", "Amiri", "syria", "western"),
    ("receipt", "KacstBook", "egypt", "indic"),
    ("court", "Amiri", "algeria", "western"),
    ("register", "Noto Naskh Arabic", "uae", "western"),
    ("memo", "KacstBook", "algeria", "western"),
    ("labels", "KacstOne", "egypt", "indic"),
]


# --------------------------------------------------------------------------
# self-check: re-read the ground truth independently of how it was built
# --------------------------------------------------------------------------
def word_re(w):
    return re.compile("(?<![%s])%s(?![%s])" % (AR, re.escape(w), AR))


NUM_DATE = re.compile(r"^([0-9٠-٩۰-۹]+)([/.\-])([0-9٠-٩۰-۹]+)\2([0-9٠-٩۰-۹]+)( هـ| م)?$")


def parse_date(text):
    """(value, calendar, form, month_set candidates) from a printed date, or raise."""
    m = NUM_DATE.match(text)
    if m:
        a, b, c = (int(x.translate(TO_WESTERN)) for x in (m.group(1), m.group(3), m.group(4)))
        if len(m.group(1)) == 4:
            y, mo, d = a, b, c
        elif len(m.group(4)) == 4:
            y, mo, d = c, b, a
        else:
            raise ValueError("no 4-digit year: %r" % text)
        if m.group(5) == " هـ":
            return from_hijri(y, mo, d).isoformat(), "hijri", "numeric", [None]
        return datetime.date(y, mo, d).isoformat(), "gregorian", "numeric", [None]
    t = text
    cal = "gregorian"
    if t.endswith(" هـ"):
        cal, t = "hijri", t[:-3]
    elif t.endswith(" م"):
        t = t[:-2]
    words = t.split(" ")
    day = None
    if DIGIT_RUN.fullmatch(words[0]):
        day = int(words[0].translate(TO_WESTERN))
        words = words[1:]
    year = int(words[-1].translate(TO_WESTERN))
    mname = " ".join(words[:-1])
    sets = [s for (s, n) in MONTH_LOOKUP if n == mname]
    if not sets:
        raise ValueError("unknown month %r in %r" % (mname, text))
    if cal == "hijri":
        if "hijri" not in sets or day is None:
            raise ValueError("bad hijri date %r" % text)
        return from_hijri(year, MONTH_LOOKUP[("hijri", mname)], day).isoformat(), "hijri", "written", ["hijri"]
    sets = [s for s in sets if s != "hijri"]
    mo = MONTH_LOOKUP[(sets[0], mname)]
    if day is None:
        return "%04d-%02d" % (year, mo), "gregorian", "partial", sets
    return datetime.date(year, mo, day).isoformat(), "gregorian", "written", sets


AMOUNT_RE = re.compile(r"^([0-9٠-٩۰-۹]{1,3}(?:[,٬][0-9٠-٩۰-۹]{3})*|[0-9٠-٩۰-۹]+)(?:[.٫]([0-9٠-٩۰-۹]+))? (\S+)(?: (\S+))?$")


def check_page(name, gt_lines, items):
    gt = "\n".join(gt_lines)
    spans = {}
    for it in items:
        li, a, b = it.span
        if gt_lines[li][a:b] != it.text:
            raise SystemExit("%s: item %r not at its place" % (name, it.text))
        spans.setdefault(li, []).append((a, b, it))

    def covered(li, a, b, kinds):
        return any(s <= a and b <= e and it.kind in kinds for s, e, it in spans.get(li, []))

    for li, line in enumerate(gt_lines):
        for m in DIGIT_RUN.finditer(line):
            if not covered(li, m.start(), m.end(), ("reference", "date", "amount", "decoy")):
                raise SystemExit("%s: number %r on line %d is neither a field nor a decoy" % (name, m.group(), li + 1))
        for w in ALL_MONTH_WORDS:
            for m in word_re(w).finditer(line):
                if not covered(li, m.start(), m.end(), ("date", "party", "decoy")):
                    raise SystemExit("%s: month name %r outside a date on line %d" % (name, w, li + 1))
        for w in CURRENCY_WORDS:
            for m in word_re(w).finditer(line):
                if not covered(li, m.start(), m.end(), ("amount",)):
                    raise SystemExit("%s: currency %r outside an amount on line %d" % (name, w, li + 1))
    mains = 0
    for it in items:
        d = it.data
        if it.kind == "reference":
            if d["value"] != norm_ref(it.text) or not re.search("[0-9]", d["value"]):
                raise SystemExit("%s: reference %r" % (name, it.text))
        elif it.kind == "date":
            value, cal, form, sets = parse_date(it.text)
            if (value, cal, form) != (d["value"], d["calendar"], d["form"]) or d["month_set"] not in sets:
                raise SystemExit("%s: date %r parsed as %r, index says %r" % (name, it.text, (value, cal, form, sets), d))
            if not ("1950" <= value[:4] <= "2020"):
                raise SystemExit("%s: date %r out of range" % (name, it.text))
            mains += bool(d.get("main"))
        elif it.kind == "amount":
            m = AMOUNT_RE.match(it.text)
            if not m:
                raise SystemExit("%s: amount %r" % (name, it.text))
            whole = re.sub("[,٬]", "", m.group(1)).translate(TO_WESTERN)
            value = whole + ("." + m.group(2).translate(TO_WESTERN) if m.group(2) else "")
            if value != d["value"] or m.group(3) != d["currency"] or m.group(3) not in CURRENCY_WORDS:
                raise SystemExit("%s: amount %r vs %r" % (name, it.text, d))
        elif it.kind == "party":
            if DIGIT_RUN.search(it.text) or not 2 <= len(it.text.split()) <= 7:
                raise SystemExit("%s: party %r" % (name, it.text))
    if any(it.kind == "date" for it in items) and mains != 1:
        raise SystemExit("%s: %d main dates" % (name, mains))
    return gt


def set_main(items):
    dates = [it for it in items if it.kind == "date"]
    for it in dates:
        it.data["main"] = False
    if dates:
        lab = [it for it in dates if it.data.get("labelled")]
        (lab or dates)[0].data["main"] = True


def fields_of(items):
    f = {"references": [], "dates": [], "parties": [], "amounts": []}
    decoys = []
    for it in items:
        d = it.data
        if it.kind == "reference":
            f["references"].append({"text": it.text, "value": d["value"], "label": d["label"]})
        elif it.kind == "date":
            f["dates"].append({"text": it.text, "value": d["value"], "calendar": d["calendar"], "main": d["main"],
                               "form": d["form"], "month_set": d["month_set"]})
        elif it.kind == "party":
            f["parties"].append({"role": d["role"], "label": d["label"], "text": it.text})
        elif it.kind == "amount":
            f["amounts"].append({"text": it.text, "value": d["value"], "currency": d["currency"],
                                 "currency_text": d["currency_text"]})
        else:
            decoys.append({"kind": d["decoy"], "label": d["label"], "text": it.text})
    return f, decoys


# --------------------------------------------------------------------------
# rendering
# --------------------------------------------------------------------------
# no -strip: it would drop pHYs (the 300 dpi); the chunks excluded here are the metadata
# (time stamps, text, background) that would make reruns differ
PNG_TAIL = ["-units", "PixelsPerInch", "-density", "300",
            "-define", "png:exclude-chunks=date,time,tEXt,zTXt,iTXt,bKGD",
            "-define", "png:color-type=0", "-define", "png:bit-depth=8",
            "-define", "png:compression-level=9", "-define", "png:compression-filter=1"]


class Renderer:
    def __init__(self, tmp):
        self.tmp = tmp
        self.n = 0

    def path(self, stem):
        self.n += 1
        return os.path.join(self.tmp, "%04d-%s" % (self.n, stem))

    def line(self, text, font, size, style):
        t = xml_escape(text)
        if style in ("h1", "h1c"):
            t = '<span size="112%%"><b>%s</b></span>' % t
        elif style in ("h2", "h2c", "title"):
            t = "<b>%s</b>" % t
        src = self.path("l.txt")
        with open(src, "w", encoding="utf-8") as f:
            f.write(t)
        out = self.path("l.png")
        run(["pango-view", "--markup", "--font=%s %d" % (FONTS[font][0], size), "--dpi=300", "--rtl",
             "--align=left", "--margin=0", "--background=white", "--foreground=black", "--hinting=none",
             "-q", "-o", out, src])
        w, h = png_size(out)
        return out, w, h

    def page(self, doc, font, size, rng, out):
        """Compose the lines; returns the page facts, or None if a line is too wide."""
        right, left = rng.randint(120, 170), rng.randint(120, 170)
        top, bottom = rng.randint(110, 160), rng.randint(110, 160)
        gap = rng.randint(6, 20) + (6 if font.startswith("Kacst") else 0)
        maxw = PAGE_W - right - left
        pieces, y = [], top
        rules = []
        for i, (text, _, style) in enumerate(doc.lines):
            png, w, h = self.line(text, font, size, style)
            if w > maxw:
                return None
            if style in ("h1c", "h2c", "title"):
                x = (PAGE_W - w) // 2
            elif style == "sign":
                x = left + rng.randint(0, 60)
            else:
                x = PAGE_W - right - w
            pieces += [png, "-geometry", "+%d+%d" % (x, y), "-composite"]
            y += h + gap
            if i in doc.rules:
                rules.append(y + 4)
                y += 22
        H = y - gap + bottom
        if H > MAX_H:
            return None
        draw = ["rectangle %d,%d %d,%d" % (left - 20, ry, PAGE_W - right + 20, ry + 2) for ry in rules]
        if doc.frame:
            x0, y0, x1, y1 = left - 50, top - 45, PAGE_W - right + 50, H - bottom + 40
            draw += ["rectangle %d,%d %d,%d" % (x0, y0, x1, y0 + 2), "rectangle %d,%d %d,%d" % (x0, y1 - 2, x1, y1),
                     "rectangle %d,%d %d,%d" % (x0, y0, x0 + 2, y1), "rectangle %d,%d %d,%d" % (x1 - 2, y0, x1, y1)]
        clean = self.path("clean.png")
        args = ["-size", "%dx%d" % (PAGE_W, H), "xc:white"] + pieces
        if draw:
            args += ["-fill", "black", "-stroke", "none", "-draw", " ".join(draw)]
        run([CONVERT] + args + ["-colorspace", "Gray", "-depth", "8", clean])
        wear = self.wear(clean, H, rng, out)
        return dict(height=H, wear=wear)

    def wear(self, clean, H, rng, out):
        """Clean to mildly worn: tilt <= 0.5 degrees, blur <= 0.6, grey ink on off-white paper,
        light noise on the ink of some pages; 5-6 grey levels keep the PNG small."""
        kind = rng.choice(["clean", "soft", "soft", "worn"])
        angle = 0.0
        blur = 0.0
        ink, paper = rng.randint(0, 6), rng.randint(97, 100)
        noise = 0.0
        if kind in ("soft", "worn"):
            blur = round(rng.uniform(0.35, 0.6), 2)
            ink, paper = rng.randint(6, 14), rng.randint(92, 97)
        if kind == "worn":
            angle = round(rng.choice([-1, 1]) * rng.uniform(0.15, 0.5), 2)
            noise = round(rng.uniform(0.1, 0.2), 2)
        levels = 6 if kind == "clean" else 5
        args = [clean]
        if angle:
            args += ["-background", "white", "-rotate", str(angle), "-gravity", "center",
                     "-extent", "%dx%d" % (PAGE_W, H), "+gravity", "+repage"]
        if blur:
            args += ["-blur", "0x%s" % blur]
        args += ["+level", "%d%%,%d%%" % (ink, paper)]
        if noise:
            # Gaussian noise kept off the flat paper: applied through a mask of the ink
            seed = str(rng.randint(1, 999999))
            args += ["(", "-clone", "0", "-seed", seed, "-attenuate", str(noise), "+noise", "Gaussian", ")",
                     "(", "-clone", "0", "-threshold", "%d%%" % (paper - 3), "-negate",
                     "-morphology", "Dilate", "Disk:1", ")",
                     "-compose", "over", "-composite", "+compose"]
        args += ["-posterize", str(levels)] + PNG_TAIL + ["PNG:" + out]
        run([CONVERT] + args)
        return dict(kind=kind, rotation_degrees=angle, blur=blur, ink_percent=ink, paper_percent=paper,
                    ink_noise=noise, grey_levels=levels)


# --------------------------------------------------------------------------
# existing pages (Fixtures/boxes/box-folder, rendered by make_fixtures.py)
# --------------------------------------------------------------------------
# (page path inside box-folder, layout, fields as printed); checked against the ground truth
EXISTING = [
    ("file-57231/scan-01.jpg", dict(
        references=[("رقم المعاملة", "57231/1976")],
        dates=[("1976/05/10", "1976-05-10", True)],
        parties=[("applicant", "مقدم الطلب", "مصطفى حسن البغدادي")],
        amounts=[("600 ريال", "600")],
        decoys=[("year_in_prose", "عام", "1974")])),
    ("file-57231/scan-02.png", dict(
        references=[("رقم المعاملة", "٥٧٢٣١/١٩٧٦")],
        dates=[("٠٢/٠٦/١٩٧٦", "1976-06-02", True)],
        # named in prose only: "طلب الصيدلي مصطفى حسن البغدادي"
        parties=[("applicant", "الصيدلي", "مصطفى حسن البغدادي")],
        amounts=[("٦٠٠ ريال", "600")],
        # the licence the committee grants, not the transaction's number
        decoys=[("licence_number", "رقم الترخيص", "٧٧٣٠٤"), ("signatory", "رئيس اللجنة", "نبيل جميل الحكيم")])),
    ("معاملة-90214/page-1.tif", dict(
        references=[("رقم المعاملة", "90214/2011")],
        dates=[("2011/08/29", "2011-08-29", True)],
        parties=[("applicant", "اسم المعلمة", "خديجة إسحاق المصري")],
        amounts=[],
        decoys=[("year_in_prose", "عام", "2004"), ("employee_number", "الرقم الوظيفي", "448120")])),
    ("letter-77851.png", dict(
        references=[("رقم المعاملة", "٧٧٨٥١/١٩٨٩")],
        dates=[("١٢/٠٥/١٩٨٩", "1989-05-12", True)],
        # also named in prose ("تتقدم المواطنة سلمى عيسى القاسم"): one party, listed once
        parties=[("applicant", "اسم المستفيدة", "سلمى عيسى القاسم")],
        amounts=[("١٢٠٠٠ ريال", "12000")],
        decoys=[("count", "عدد النخيل", "٣٥٠"), ("signatory", "مدير المديرية", "فيصل راشد الدوسري")])),
]


def existing_entries():
    with open(os.path.join(FIX, "expected.json"), encoding="utf-8") as f:
        exp = json.load(f)
    pages = {}
    for rec in exp["boxes"]["box-folder"]["records"]:
        for p in rec["page_files"]:
            pages[p["path"]] = (rec["file"], p)
    out = []
    for path, spec in EXISTING:
        record, p = pages[path]
        gt_rel = p["groundtruth"]
        with open(os.path.join(FIX, gt_rel), encoding="utf-8") as f:
            gt_lines = f.read().rstrip("\n").split("\n")
        items = []

        def find(text, after=None):
            for li, line in enumerate(gt_lines):
                key = (after + text) if after else text
                k = line.find(key)
                if k >= 0:
                    a = k + (len(after) if after else 0)
                    return (li, a, a + len(text))
            raise SystemExit("existing %s: %r not in the ground truth" % (path, text))

        for label, text in spec["references"]:
            it = Item("reference", text, value=norm_ref(text), label=label, form="slash_year")
            it.span = find(text, label + ": ")
            items.append(it)
        for text, value, main in spec["dates"]:
            it = Item("date", text, value=value, calendar="gregorian", form="numeric", month_set=None, main=main)
            it.span = find(text, "التاريخ: ")
            items.append(it)
        for role, label, text in spec["parties"]:
            it = Item("party", text, role=role, label=label)
            it.span = find(text, label + (": " if label.startswith("اسم") or label == "مقدم الطلب" else " "))
            items.append(it)
        for text, value in spec["amounts"]:
            it = Item("amount", text, value=value, currency=text.split()[1], currency_text=text.split()[1])
            it.span = find(text)
            items.append(it)
        for kind, label, text in spec["decoys"]:
            it = Item("decoy", text, decoy=kind, label=label)
            it.span = find(text, label + ": ") if kind not in ("year_in_prose", "signatory") else \
                find(text, "عام " if kind == "year_in_prose" else None)
            items.append(it)
        check_page("existing " + path, gt_lines, items)
        fields, decoys = fields_of(items)
        out.append({
            "set": "existing", "file": "boxes/box-folder/" + path, "groundtruth": gt_rel,
            "record": record, "font": p["font"], "layout": "admin-letter", "country": None,
            "digits": p["digits"], "fields": fields, "decoys": decoys,
        })
    return out


# --------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------
def build_page(R, nn, layout, font, country, digits, months, tmp):
    slug = FONTS[font][1]
    stem = "%02d-%s-%s" % (nn, layout, slug)
    for attempt in range(30):
        rng = random.Random("%s:%02d:%d" % (SEED, nn, attempt))
        st = months.state()
        year = rng.randint(1955, 2018)
        ctx = Ctx(rng, country, digits, months, year, font)
        ctx.variant = [p[0] for p in PLAN[:nn - 1]].count(layout)
        doc = Doc()
        LAYOUTS[layout](doc, ctx)
        if not 9 <= len(doc.lines) <= 13:
            months.restore(st)
            continue
        set_main(doc.items)
        sizes = FONTS[font][2]
        size = rng.choice(sizes)
        out = os.path.join(tmp, stem + ".png")
        facts = R.page(doc, font, size, rng, out)
        if facts is None and size > sizes[0]:
            size = sizes[0]
            facts = R.page(doc, font, size, rng, out)
        if facts is None:
            months.restore(st)
            continue
        break
    else:
        raise SystemExit("page %s: no layout fits" % stem)
    gt_lines = [g for (_, g, _) in doc.lines]
    gt = check_page(stem, gt_lines, doc.items) + "\n"
    page_rel = "pages/%s.png" % stem
    gt_rel = "groundtruth/%s.txt" % stem
    shutil.move(out, os.path.join(OUT, page_rel))
    with open(os.path.join(OUT, gt_rel), "w", encoding="utf-8", newline="\n") as f:
        f.write(gt)
    fields, decoys = fields_of(doc.items)
    return {
        "set": "new", "file": page_rel, "groundtruth": gt_rel, "font": "%s %d" % (font, size),
        "layout": layout, "country": country, "digits": digits, "year": ctx.year,
        "lines": len(gt_lines), "height": facts["height"], "wear": facts["wear"],
        "fields": fields, "decoys": decoys,
    }


def main():
    fixtures_check_tools([fam for fam, _, _ in FONTS.values()])
    reset_dir(OUT)
    for d in ("pages", "groundtruth"):
        os.makedirs(os.path.join(OUT, d))
    tmp = tempfile.mkdtemp(prefix="sijill-fields-")
    months = MonthQueues(random.Random(SEED + ":months"))
    try:
        R = Renderer(tmp)
        recs = [build_page(R, i + 1, *p, months, tmp) for i, p in enumerate(PLAN)]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    # every month name of every set is printed at least once
    seen = {ms: set() for ms in MONTHS}
    for r in recs:
        for d in r["fields"]["dates"]:
            if d["month_set"]:
                name = re.sub(r"[0-9٠-٩۰-۹]+| هـ$| م$", "", d["text"]).strip()
                seen[d["month_set"]].add(MONTH_LOOKUP[(d["month_set"], name)])
    missing = {ms: sorted(set(range(1, 13)) - got) for ms, got in seen.items() if len(got) < 12}
    if missing:
        raise SystemExit("month names never printed: %r" % missing)
    index = {
        "generator": "Fixtures/tools/make_fields.py",
        "seed": SEED,
        "paths": "set=new: file and groundtruth are relative to Fixtures/fields/; "
                 "set=existing: relative to Fixtures/",
        "pages": recs + existing_entries(),
    }
    text = json.dumps(index, ensure_ascii=False, indent=1)
    # one line per innermost object (a field, a decoy, the wear): short and still easy to diff
    text = re.sub(r"\{\n\s*([^{}\[\]]*?)\n\s*\}", lambda m: "{" + re.sub(r"\n\s*", " ", m.group(1)) + "}", text)
    json.loads(text)
    with open(os.path.join(OUT, "index.json"), "w", encoding="utf-8", newline="\n") as f:
        f.write(text + "\n")
    total = 0
    for r in recs:
        total += os.path.getsize(os.path.join(OUT, r["file"]))
    print("%d pages, %d bytes of images; written to %s" % (len(recs), total, OUT))


if __name__ == "__main__":
    main()
