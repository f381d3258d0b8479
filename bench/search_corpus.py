#!/usr/bin/env python3
"""bench/search_corpus.py — synthetic Arabic transaction-file corpus and queries for bench/search.

    bench/search_corpus.py --pages N --seed S --out DIR

Writes DIR/corpus.tsv (`<rowid>\\t<text>`, rowid 1..N, one page per line) and DIR/queries.tsv
(`<class>\\t<query>`, 30 rare, 30 common, 20 mixed), plus DIR/corpus.meta.json (pages, seed,
generator version) so the driver can reuse the files. Deterministic for a given seed.

Text: ~50,000 word forms built from a few hundred base words of government correspondence with
attached clitics (و ف ب ل ك ال …) and suffixes (ة ات ين ون ه ها هم …), drawn Zipf (s = 1.05) by a
weighted rank; ~5,000 person names (first + father + family, Zipf s = 1.1); transaction numbers
(81559/1982), dates (1982/03/14) and amounts, ~5 % in Arabic-Indic digits; 60 % of pages start
with a header `رقم المعاملة <no> التاريخ <date> الموضوع`. 60–200 words a page, mean ~120.

Every query has at least one hit: its words are taken from one page of the corpus.
"""
import argparse, json, os, sys, time

import numpy as np

VERSION = 1

FUNCTION_WORDS = """من في على إلى عن أن التي الذي مع هذا هذه ذلك بعد قبل حيث كما أو ثم لا لم قد كل بين
عند حتى غير لدى منذ خلال إن ما وفق حسب بموجب بشأن بخصوص نحو ضمن لكن إذا أي هو هي تلك الذين""".split()

NOUNS = """وزارة معاملة طلب قرار مواطن إدارة رقم تاريخ موضوع أحوال ملكية قطعة أرض رخصة بناء شهادة ميلاد
زواج طلاق وفاة محكمة حكم دعوى مبلغ ريال رسوم سداد تسجيل عقد بيع شراء إيجار عقار مبنى منزل شقة محل مكتب
مدير رئيس وكيل نائب موظف مراجع مقدم صاحب مالك مستأجر ورثة وارث تركة وصية وكالة توكيل هوية بطاقة جواز
سفر إقامة تأشيرة جنسية قيد سجل صورة نسخة أصل مستند وثيقة ملف خطاب كتاب مذكرة تعميم إفادة بلاغ شكوى تظلم
اعتراض استئناف جلسة محامي شاهد بينة إثبات نفقة حضانة ولاية مهر صك حجة مساحة حدود موقع مخطط بلدية أمانة
محافظة مديرية منطقة مدينة قرية حي شارع عنوان هاتف صندوق بريد فرع قسم شعبة لجنة مجلس هيئة مؤسسة شركة
مصلحة جهة دائرة ديوان نيابة شرطة مركز مستشفى مدرسة جامعة تعليم صحة عدل داخلية مالية زراعة تجارة صناعة
عمل خدمة معاش راتب تقاعد إجازة تعيين نقل ترقية فصل استقالة عقوبة مخالفة غرامة تعويض ضمان كفالة قرض دين
حساب بنك مصرف شيك إيصال فاتورة سند قبض صرف تحويل إيداع ميزانية ضريبة زكاة جمارك استيراد تصدير بضاعة
سيارة مركبة لوحة قيادة حادث مرور تأمين إصلاح صيانة مشروع مناقصة عطاء توريد مقاول مواصفات تنفيذ استلام
تسليم إنجاز متابعة مراجعة دراسة تقرير محضر اجتماع زيارة معاينة كشف فحص تحقيق قضية نزاع صلح اتفاق
اتفاقية تسوية إحالة توجيه موافقة رفض إلغاء تعديل تجديد تمديد إصدار منح سحب إيقاف حجز رهن إخلاء هدم
ترميم توسعة مياه كهرباء طريق مسجد وقف أوقاف مقبرة سوق مزرعة بئر نخيل ماشية أسرة عائلة ابن بنت زوج زوجة
أخ أخت والد والدة طفل قاصر سكان سكن مسكن حق واجب نظام لائحة قانون مادة فقرة بند شرط إجراء أمر مرسوم
توقيع ختم تصديق توثيق ترجمة اعتماد صلاحية مدة فترة يوم شهر سنة عام موعد مهلة أسبوع ساعة مستحقات نموذج
استمارة مرفق صفحة ملاحظة بيان رد جواب سؤال تعهد إقرار محافظ قاضي كاتب أمين مندوب مختار عاقل شيخ
تصريح إذن ترخيص ملحق مرجع أرشيف حفظ إتلاف خزينة إيراد مصروف عهدة مخزن مستودع أثاث جهاز حاسب برنامج شبكة
اتصال رسالة برقية طابع ظرف إشعار إنذار تنبيه تذكير دعوة حضور غياب انتداب مهمة بدل مكافأة علاوة خصم
استقطاع قسط دفعة مستخلص أتعاب عمولة فائدة خسارة شريك شراكة تأسيس تصفية إفلاس دائن مدين حوالة قيمة ثمن
سعر تقدير تثمين خبير خبرة مساح مسح حيازة انتفاع تملك نزع استملاك تخصيص منحة هبة قسمة حصر إرث نصيب حصة
جنحة جناية جريمة متهم مدعي موكل استيفاء مصادرة ضبط تفتيش سجن إفراج كفيل بصمة مختبر تحليل علاج دواء مريض
طبيب إعاقة عجز إصابة دفن نقابة جمعية نادي اتحاد منظمة سفارة قنصلية بعثة منفذ ميناء مطار شحنة حمولة
ناقلة شاحنة رحلة تذكرة سائق راكب عامل مهنة حرفة ورشة مصنع منشأة نشاط غرفة فندق مطعم صيدلية عيادة مخبز""".split()

# Broken (or irregular) plurals replace the sound plural for these nouns.
BROKEN = {
    "رقم": "أرقام", "حكم": "أحكام", "وثيقة": "وثائق", "مستند": "مستندات", "شاهد": "شهود", "قطعة": "قطع",
    "أرض": "أراضي", "مبلغ": "مبالغ", "عقد": "عقود", "مبنى": "مباني", "منزل": "منازل", "محل": "محلات",
    "مكتب": "مكاتب", "مدير": "مدراء", "رئيس": "رؤساء", "موظف": "موظفين", "مالك": "ملاك", "وارث": "ورثة",
    "ملف": "ملفات", "كتاب": "كتب", "شكوى": "شكاوى", "دعوى": "دعاوى", "قرية": "قرى", "شارع": "شوارع",
    "فرع": "فروع", "قسم": "أقسام", "مجلس": "مجالس", "جهة": "جهات", "دائرة": "دوائر", "مدرسة": "مدارس",
    "حساب": "حسابات", "بنك": "بنوك", "شيك": "شيكات", "سند": "سندات", "سيارة": "سيارات", "حادث": "حوادث",
    "مشروع": "مشاريع", "تقرير": "تقارير", "قضية": "قضايا", "طريق": "طرق", "مسجد": "مساجد", "سوق": "أسواق",
    "بئر": "آبار", "ابن": "أبناء", "بنت": "بنات", "زوج": "أزواج", "أخ": "إخوة", "طفل": "أطفال", "حق": "حقوق",
    "واجب": "واجبات", "نظام": "أنظمة", "قانون": "قوانين", "مادة": "مواد", "شرط": "شروط", "أمر": "أوامر",
    "يوم": "أيام", "شهر": "أشهر", "سنة": "سنوات", "عام": "أعوام", "موعد": "مواعيد", "سؤال": "أسئلة",
    "شيخ": "مشايخ", "قاضي": "قضاة", "كاتب": "كتاب", "أمين": "أمناء", "مندوب": "مندوبين", "حد": "حدود",
    "مصرف": "مصارف", "صك": "صكوك", "سجل": "سجلات", "موقع": "مواقع", "مركز": "مراكز", "شهادة": "شهادات",
}

ADJECTIVES = """مدني رسمي قانوني عقاري شرعي إداري مالي تجاري محلي وطني حكومي أهلي سكني زراعي صحي تعليمي قضائي
جنائي شخصي عائلي سنوي شهري نهائي أساسي فعلي كلي جزئي إضافي خارجي داخلي ابتدائي استئنافي جزائي عقاري
مؤقت دائم جديد قديم سابق لاحق مذكور مختص معني لازم مطلوب مستحق كامل أول ثاني أخير صادر وارد موحد
معتمد ساري مصدق""".split()

VERBS = """تم يتم نفيد نرجو يرجى أفاد أفادت تقدم تقدمت قرر قررت وافق وافقت صدر صدرت أحيل أحيلت نأمل نحيط علما
يفيد تبين اتضح ثبت يجوز يلزم يتعين نود نعيد أرفق نرفق طالب يطالب حضر حضرت قدم قدمت سلم استلم وقع أقر
اعترف ادعى أجاب طلبت يرغب رغب أفيدكم نحيطكم يعتمد اعتمد يحال يستكمل استكمل""".split()

# Already definite: titles and set phrases; take a clitic but no ال.
DEFINITE = """السيد السيدة الأستاذ الشيخ الدكتور المهندس المكرم الفاضل المحترم الموقر المذكور المذكورة
التالي التالية المرفقة المشار اللازمة المختصة المعنية المطلوبة""".split()

FIRST_NAMES = """محمد أحمد علي عبدالله حسن حسين عبدالرحمن عبدالعزيز إبراهيم خالد سعد سعيد صالح ناصر يوسف
عبدالكريم عمر سالم فهد عبدالرحيم عبدالملك عبدالوهاب عبدالقادر عبدالسلام عبدالحميد عبدالمجيد عبداللطيف
عبدالناصر إسماعيل يحيى يعقوب موسى عيسى سليمان داود منصور فيصل سلطان تركي بندر نايف ماجد مشعل طلال
وليد هشام هاني سامي سمير عادل عثمان عمار ياسر ياسين طارق زياد زيد زكريا مصطفى مراد مازن مالك منير
نبيل نادر نزار نواف حمد حمود حامد حمدي جمال جميل جابر جاسم جعفر حازم حاتم حسام رائد راشد رشيد رضا
رياض سيف شريف شاكر صادق صابر صلاح ضياء عاصم عبيد عزيز عصام علاء عماد عوض غازي غالب فؤاد فارس فاروق
فتحي قاسم كريم كمال لؤي محمود مهدي معاذ مبارك مسعود مشاري متعب نجيب نصر هادي هيثم وائل وحيد أنس أسامة
أيمن أكرم بسام بشير بكر توفيق ثامر جلال حبيب حمزة خليل خليفة رامي سامر شادي عدنان عمرو غسان قيس ماهر
مجدي ناجي نعمان عبدالإله عبدالرزاق عبدالغني عبدالجبار عبدالحكيم عبدالفتاح""".split()
FEMALE_NAMES = "فاطمة عائشة خديجة مريم زينب نورة سارة هدى أمل منى ليلى سلمى هند رقية أسماء".split()

FAMILY_NAMES = """السيوفي الحربي العتيبي القحطاني الغامدي الزهراني الشهري الدوسري المطيري الشمري العنزي السبيعي
الرشيدي الجهني البلوي العمري الأحمدي الحازمي المالكي الثقفي الهاشمي القرشي التميمي الأنصاري الخزرجي
الزبيدي الحمادي الكبسي الأهدل الحضرمي العدني الصنعاني التعزي الإبي الذماري الحجري المخلافي الشرعبي
العبسي الأغبري الوصابي الريمي الآنسي العولقي الكثيري العمودي باوزير بامطرف باشراحيل بن_عيسى السقاف
العطاس الجفري الحبشي المحضار البار العيدروس الكاف المشهور باعلوي النهدي اليافعي الصبيحي الفضلي
العوذلي الحوشبي الشعيبي الضالعي الردفاني الحالمي القعيطي المهري السعدي الجابري الخليفي الكعبي
النعيمي المري الهاجري العجمي الظفيري البقمي السهلي الشهراني العسيري القرني البارقي الألمعي الفيفي
الحكمي المدخلي النعمي الصميلي العواجي الشريف الحسني الحسيني الموسوي الكاظمي الرضوي العلوي الجعفري
البغدادي الدمشقي الحلبي الحمصي المصري القاهري الإسكندراني المغربي الفاسي التونسي الجزائري الليبي
السوداني الأردني الفلسطيني المقدسي النابلسي الخليلي الغزي اللبناني البيروتي الطرابلسي الموصلي البصري
الكوفي النجفي الكربلائي الأنباري التكريتي الدليمي الجبوري العبيدي الشمري_الجربا الطائي الخزاعي
الأسدي الكناني الهذلي السلمي الحارثي المذحجي الهمداني الكندي الأزدي البجلي الخثعمي الدوسي العوفي
النجار الحداد الخياط العطار الصباغ الدباغ الخباز القصاب الحلاق الفخراني الزجاج الصائغ البناء الجمال
الحمال السقا الطحان الزيات السمان البقال الكتبي الوراق الخطيب الإمام المؤذن القاضي المفتي الفقيه
الشيخ المحامي الطبيب الكاتب المعلم المهندس الضابط الحاج الأمين الوكيل الناظر الشاهد المختار العاقل
الصافي الزين الحسن الطيب الكريم الحليم الرحيم الصالح الفاضل الراشد الناصر المنصور السعيد السالم
الغانم الماجد العزيز الحميد المجيد اللطيف الشامي اليمني العراقي الحجازي النجدي التهامي الجنوبي
الشمالي الشرقي الغربي البدوي الحضري الجبلي الساحلي الوادي البحري النهري الصحراوي القروي المدني_الأصل
الرفاعي الجيلاني القادري الشاذلي النقشبندي التيجاني الإدريسي السنوسي المرغني الميرغني الخطابي
العثماني الأيوبي الفاطمي العباسي الأموي الزيدي الرسولي الطاهري القاسمي المتوكل الهادي المؤيدي
الشوكاني الأمير الوزير المعلمي الحرازي الآنسي_الكبير الشامي_الصغير البيضاني الرداعي العنسي المراني
الأكوع الإرياني الحيمي السياني الخولاني السنحاني البكيلي الحاشدي الأرحبي النهمي الجوفي المأربي
الشبواني البيحاني الهمامي المرقشي الدياني العزاني الجعدني النسي الواحدي الباكري الحريزي الفقير
الضبياني الشعبي القميشي السعيدي الكلدي المفلحي الرصاصي الذيباني الأحول الأعرج الطويل القصير الأسمر
الأبيض الأحمر الأخضر الأسود الكبير الصغير""".split()
FAMILY_NAMES = [n for n in FAMILY_NAMES if "_" not in n]  # single-token family names only

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")

DEF_PREFIXES = ["", "ال", "و", "وال", "ب", "بال", "ل", "لل", "ف", "فال", "ك", "كال", "وب", "وبال", "ول", "ولل"]
DEF_PREFIX_W = [1.0, 0.9, 0.25, 0.3, 0.15, 0.25, 0.1, 0.2, 0.05, 0.04, 0.03, 0.03, 0.04, 0.06, 0.03, 0.05]
POSS_PREFIXES = ["", "و", "ب", "ل", "ف", "وب", "ول"]
POSS_PREFIX_W = [1.0, 0.25, 0.15, 0.1, 0.05, 0.04, 0.03]


POSSESSIVE = [("ه", 0.08), ("ها", 0.05), ("هم", 0.03), ("ي", 0.04), ("نا", 0.04), ("كم", 0.03)]


# Nouns that are already plural (or collective) take possessives but no plural or dual ending.
PLURAL_NOUNS = set("""أحوال رسوم ورثة مستحقات مواصفات أوقاف سكان نخيل ماشية مياه أتعاب حدود""".split())


def noun_variants(s, broken):
    """(form, weight, possessive?) suffix variants of an indefinite noun or adjective."""
    out = [(s, 1.0, False)]
    if s in PLURAL_NOUNS:
        stem = s[:-1] + "ت" if s.endswith("ة") else s
        return out + [(stem + suf, w, True) for suf, w in POSSESSIVE]
    if s.endswith("ة"):
        t = s[:-1]
        out += [(t + suf, w, True) for suf, w in
                [("ته", 0.08), ("تها", 0.05), ("تهم", 0.03), ("تي", 0.04), ("تنا", 0.04), ("تكم", 0.03)]]
        if broken:
            out.append((broken, 0.35, False))
        elif not t.endswith("ا"):   # زكاة, حياة: no sound plural or dual built by rule
            out += [(t + "ات", 0.35, False), (t + "تين", 0.05, False), (t + "تان", 0.03, False)]
            out += [(t + "ات" + suf, 0.35 * w, True) for suf, w in POSSESSIVE]
    elif s.endswith("ي") and len(s) > 3:
        out += [(s + "ة", 0.5, False), (s + "ين", 0.15, False), (s + "ون", 0.08, False), (s + "ات", 0.1, False)]
    else:
        if broken:
            out.append((broken, 0.35, False))
        else:
            out += [(s + "ات", 0.2, False), (s + "ين", 0.08, False)]
            out += [(s + "ات" + suf, 0.2 * w, True) for suf, w in POSSESSIVE]
        out.append((s + "ان", 0.05, False))
        out += [(s + suf, w, True) for suf, w in POSSESSIVE]
    return out


def build_vocabulary(rng, size):
    """Word forms and a weight each; returns (forms sorted by weight desc, set of function forms)."""
    weights = {}

    def add(form, w):
        if w > weights.get(form, 0.0):
            weights[form] = w

    function_forms = set()
    for i, f in enumerate(FUNCTION_WORDS):
        base = 2000.0 / (i + 1) ** 0.8
        for p, pw in (("", 1.0), ("و", 0.3), ("ف", 0.05)):
            add(p + f, base * pw)
            function_forms.add(p + f)
    for i, v in enumerate(VERBS):
        base = 3.0 * rng.lognormal(0, 0.6)
        for p, pw in (("", 1.0), ("و", 0.3), ("ف", 0.08)):
            add(p + v, base * pw)
    for d in DEFINITE:
        base = 4.0 * rng.lognormal(0, 0.5)
        bare = d[2:]  # without ال
        for p, pw in (("", 1.0), ("و", 0.3), ("ب", 0.1), ("ف", 0.03), ("وب", 0.03)):
            add(p + d, base * pw)
        for p, pw in (("لل", 0.15), ("ولل", 0.04)):
            add(p + bare, base * pw)
    content = [(n, BROKEN.get(n)) for n in dict.fromkeys(NOUNS)] + [(a, None) for a in dict.fromkeys(ADJECTIVES)]
    for s, broken in content:
        base = 5.0 * rng.lognormal(0, 0.8)
        for form, fw, poss in noun_variants(s, broken):
            if poss:
                for p, pw in zip(POSS_PREFIXES, POSS_PREFIX_W):
                    add(p + form, base * fw * pw * rng.lognormal(0, 0.3))
            else:
                for p, pw in zip(DEF_PREFIXES, DEF_PREFIX_W):
                    add(p + form, base * fw * pw * rng.lognormal(0, 0.3))
    forms = sorted(weights, key=lambda f: (-weights[f], f))[:size]
    return forms, function_forms


def zipf_cdf(n, s):
    p = 1.0 / np.arange(1, n + 1, dtype=np.float64) ** s
    c = np.cumsum(p)
    return c / c[-1]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True)
    ap.add_argument("--vocab", type=int, default=50_000, help="word forms (before names and numbers)")
    args = ap.parse_args()
    t0 = time.perf_counter()
    rng = np.random.default_rng(args.seed)
    n_pages = args.pages
    os.makedirs(args.out, exist_ok=True)

    # ---- vocabulary -------------------------------------------------------------------------
    words, function_forms = build_vocabulary(rng, args.vocab)
    W = len(words)
    word_id = {w: i for i, w in enumerate(words)}

    # name tokens never coincide with a word form, so a rare name stays rare
    first = [n for n in dict.fromkeys(FIRST_NAMES) if n not in word_id]
    family = [n for n in dict.fromkeys(FAMILY_NAMES) if n not in word_id]
    first_cdf = zipf_cdf(len(first), 0.9)
    names, seen = [], set()
    while len(names) < 5000:
        a, b = np.searchsorted(first_cdf, rng.random(2))
        if a == b:
            continue
        giver = first[a] if rng.random() > 0.08 else FEMALE_NAMES[rng.integers(len(FEMALE_NAMES))]
        key = (giver, first[b], family[rng.integers(len(family))])
        if key not in seen:
            seen.add(key)
            names.append(key)
    N_NAMES = len(names)

    # Transaction numbers (a pool ~1.5 per page, each drawn uniformly: most occur on 0–3 pages),
    # dates (all of 1960–2024) and amounts; the Arabic-Indic copy of each pool follows it.
    n_txn = max(50_000, int(n_pages * 1.5))
    txn_no = rng.integers(100, 100_000, n_txn)
    txn_year = rng.integers(1960, 2025, n_txn)
    txn = [f"{a}/{b}" for a, b in zip(txn_no.tolist(), txn_year.tolist())]
    dates = [f"{y}/{m:02d}/{d:02d}" for y in range(1960, 2025) for m in range(1, 13) for d in range(1, 29)]
    amounts = sorted({k * 50 for k in range(1, 401)} | {k * 1000 for k in range(1, 501)} | {k * 25_000 for k in range(1, 201)})
    amount_cdf = zipf_cdf(len(amounts), 1.0)
    amount_perm = rng.permutation(len(amounts))  # popularity not simply by size

    # One id space: words, words + "،", words + ".", names, txn (+ Indic), dates (+ Indic), amounts (+ Indic).
    OFF_COMMA, OFF_DOT = W, 2 * W
    OFF_NAME = 3 * W
    OFF_TXN = OFF_NAME + N_NAMES
    OFF_DATE = OFF_TXN + 2 * n_txn
    OFF_AMT = OFF_DATE + 2 * len(dates)
    TOTAL = OFF_AMT + 2 * len(amounts)
    strings = (words + [w + "،" for w in words] + [w + "." for w in words] + [" ".join(n) for n in names]
               + txn + [t.translate(ARABIC_INDIC) for t in txn]
               + dates + [d.translate(ARABIC_INDIC) for d in dates]
               + [str(a) for a in amounts] + [str(a).translate(ARABIC_INDIC) for a in amounts])
    assert len(strings) == TOTAL
    word_cdf = zipf_cdf(W, 1.05)
    name_cdf = zipf_cdf(N_NAMES, 1.1)
    name_perm = rng.permutation(N_NAMES)
    t_vocab = time.perf_counter() - t0

    # ---- pages --------------------------------------------------------------------------------
    lengths = np.clip(np.rint(rng.normal(120, 30, n_pages)), 60, 200).astype(np.int64)
    offsets = np.zeros(n_pages + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    total = int(offsets[-1])
    ids = np.empty(total, dtype=np.int32)
    CHUNK = 20_000_000
    for lo in range(0, total, CHUNK):
        hi = min(total, lo + CHUNK)
        n = hi - lo
        kind = rng.random(n)
        out = np.searchsorted(word_cdf, rng.random(n)).astype(np.int32)
        # punctuation after ~5 % / ~4 % of words
        punct = rng.random(n)
        out[punct < 0.05] += OFF_COMMA
        out[(punct >= 0.05) & (punct < 0.09)] += OFF_DOT
        indic = rng.random(n) < 0.05
        m = kind < 0.012                                  # names (≈1.4 a page)
        out[m] = OFF_NAME + name_perm[np.searchsorted(name_cdf, rng.random(m.sum()))]
        m = (kind >= 0.012) & (kind < 0.022)              # transaction numbers
        out[m] = OFF_TXN + rng.integers(0, n_txn, m.sum()) + n_txn * indic[m]
        m = (kind >= 0.022) & (kind < 0.032)              # dates
        out[m] = OFF_DATE + rng.integers(0, len(dates), m.sum()) + len(dates) * indic[m]
        m = (kind >= 0.032) & (kind < 0.040)              # amounts
        out[m] = OFF_AMT + amount_perm[np.searchsorted(amount_cdf, rng.random(m.sum()))] + len(amounts) * indic[m]
        ids[lo:hi] = out
    # Headers: رقم المعاملة <txn> التاريخ <date> الموضوع
    header = rng.random(n_pages) < 0.6
    starts = offsets[:-1][header]
    nh = len(starts)
    hindic = rng.random(nh) < 0.05
    ids[starts] = word_id["رقم"]
    ids[starts + 1] = word_id["المعاملة"]
    ids[starts + 2] = OFF_TXN + rng.integers(0, n_txn, nh) + n_txn * hindic
    ids[starts + 3] = word_id["التاريخ"]
    ids[starts + 4] = OFF_DATE + rng.integers(0, len(dates), nh) + len(dates) * hindic
    ids[starts + 5] = word_id["الموضوع"]
    t_ids = time.perf_counter() - t0

    # ---- write corpus ----------------------------------------------------------------------------
    corpus_path = os.path.join(args.out, "corpus.tsv")
    tmp = corpus_path + ".tmp"
    getter = strings.__getitem__
    with open(tmp, "wb", buffering=16 << 20) as f:
        PAGE_CHUNK = 50_000
        for p0 in range(0, n_pages, PAGE_CHUNK):
            p1 = min(n_pages, p0 + PAGE_CHUNK)
            base = int(offsets[p0])
            toks = list(map(getter, ids[base:int(offsets[p1])].tolist()))
            offs = (offsets[p0:p1 + 1] - base).tolist()
            lines = [f"{p0 + i + 1}\t{' '.join(toks[offs[i]:offs[i + 1]])}" for i in range(p1 - p0)]
            lines.append("")
            f.write("\n".join(lines).encode())
    os.replace(tmp, corpus_path)
    t_write = time.perf_counter() - t0

    # ---- queries ---------------------------------------------------------------------------------
    counts = np.bincount(ids, minlength=TOTAL)
    wcounts = counts[:W] + counts[W:2 * W] + counts[2 * W:3 * W]   # punctuation folded back

    def page_of(token):
        """A random page containing token id (or any id in `token` when it is an array)."""
        pos = np.flatnonzero(np.isin(ids, token)) if isinstance(token, np.ndarray) else np.flatnonzero(ids == token)
        p = int(np.searchsorted(offsets, pos[rng.integers(len(pos))], side="right") - 1)
        return p

    def page_words(p):
        """Word ids on page p (punctuation folded back)."""
        t = ids[offsets[p]:offsets[p + 1]]
        t = t[t < 3 * W] % W
        return list(dict.fromkeys(t.tolist()))

    # frequent content words: top-200 by count, minus the top 10 and function words
    order = np.argsort(-wcounts, kind="stable")
    frequent = [int(i) for i in order[:200][10:] if words[i] not in function_forms]
    frequent_set = set(frequent)
    queries, used = [], set()

    def add(cls, q):
        if q not in used:
            used.add(q)
            queries.append((cls, q))
            return True
        return False

    def txn_query(idx):
        return txn[idx % n_txn]  # ASCII digits even when the page has Arabic-Indic ones

    # rare: 12 full names, 8 partial names (first or father + family), 10 transaction numbers.
    # Name tokens occur only in names, so the pages matching a name query (all its tokens on the
    # page, anywhere) are computed exactly from the name occurrences.
    name_pos = np.flatnonzero((ids >= OFF_NAME) & (ids < OFF_NAME + N_NAMES))
    name_page = np.searchsorted(offsets, name_pos, side="right") - 1
    name_of = ids[name_pos] - OFF_NAME
    token_names = {}
    for i, triple in enumerate(names):
        for t in triple:
            token_names.setdefault(t, []).append(i)

    def name_hits(tokens):
        pages = None
        for t in tokens:
            p = np.unique(name_page[np.isin(name_of, token_names[t])])
            pages = p if pages is None else np.intersect1d(pages, p, assume_unique=True)
        return len(pages)

    ncounts = counts[OFF_NAME:OFF_NAME + N_NAMES]
    rare_names = np.flatnonzero(ncounts > 0)
    rare_names = rare_names[np.argsort(ncounts[rare_names], kind="stable")][: max(40, len(rare_names) // 4)]
    picks = [int(x) for x in rng.permutation(rare_names)]
    full = sorted(picks[:60], key=lambda i: (name_hits(names[i]), i))
    for i in full:
        if sum(1 for c, _ in queries if c == "rare") == 12:
            break
        add("rare", " ".join(names[i]))
    partial = []
    for i in picks[60:160]:
        a, b, c = names[i]
        partial += [(name_hits((a, c)), a, c), (name_hits((b, c)), b, c)]
    for _, a, c in sorted(partial):
        if sum(1 for c_, _ in queries if c_ == "rare") == 20:
            break
        add("rare", f"{a} {c}")
    tcounts = counts[OFF_TXN:OFF_TXN + n_txn] + counts[OFF_TXN + n_txn:OFF_TXN + 2 * n_txn]
    present_txn = np.flatnonzero(tcounts > 0)
    tp = rng.permutation(present_txn)
    k = 0
    while sum(1 for c, _ in queries if c == "rare") < 30:
        add("rare", txn_query(int(tp[k]))); k += 1

    header_words = {word_id[w] for w in ("رقم", "المعاملة", "التاريخ", "الموضوع")}
    # common: 10 × 1 word, 10 × 2 words, 10 × 3 words, the words of one random page
    for nw in (1, 2, 3):
        got = 0
        while got < 10:
            p = int(rng.integers(n_pages))
            cand = [w for w in page_words(p) if w in frequent_set]
            if len(cand) < nw:
                continue
            chosen = [cand[i] for i in rng.choice(len(cand), nw, replace=False)]
            if sum(w in header_words for w in chosen) > 1:   # header words are on 60 % of pages
                continue
            got += add("common", " ".join(words[w] for w in chosen))

    # mixed: frequent word + (8 rare word forms, 6 partial names, 6 transaction numbers) on one page
    rare_words = [int(i) for i in order[W // 3:] if wcounts[i] > 0]
    rw = rng.permutation(len(rare_words))
    k = 0
    got = 0
    while got < 8:
        w = rare_words[rw[k]]; k += 1
        p = page_of(np.array([w, w + W, w + 2 * W]))
        cand = [x for x in page_words(p) if x in frequent_set]
        if cand:
            got += add("mixed", f"{words[cand[rng.integers(len(cand))]]} {words[w]}")
    got = 0
    for n_id in picks[160:]:
        if got == 6:
            break
        p = page_of(OFF_NAME + n_id)
        cand = [x for x in page_words(p) if x in frequent_set]
        if cand:
            a, _, c = names[n_id]
            got += add("mixed", f"{words[cand[rng.integers(len(cand))]]} {a} {c}")
    got = 0
    for t_id in tp[30:]:
        if got == 6:
            break
        t_id = int(t_id)
        p = page_of(np.array([OFF_TXN + t_id, OFF_TXN + n_txn + t_id]))
        cand = [x for x in page_words(p) if x in frequent_set]
        if cand:
            got += add("mixed", f"{words[cand[rng.integers(len(cand))]]} {txn_query(t_id)}")

    with open(os.path.join(args.out, "queries.tsv"), "w", encoding="utf-8") as f:
        for cls, q in queries:
            f.write(f"{cls}\t{q}\n")
    with open(os.path.join(args.out, "corpus.meta.json"), "w") as f:
        json.dump({"pages": n_pages, "seed": args.seed, "version": VERSION, "vocab": W,
                   "names": N_NAMES, "tokens": total}, f)
    t_all = time.perf_counter() - t0

    size = os.path.getsize(corpus_path)
    qsize = os.path.getsize(os.path.join(args.out, "queries.tsv"))
    print(f"search_corpus: {n_pages} pages, {W} word forms, {N_NAMES} names, {total} entries "
          f"(mean {total / n_pages:.1f}/page), {len(queries)} queries", file=sys.stderr)
    print(f"search_corpus: vocabulary {t_vocab:.1f} s, ids {t_ids - t_vocab:.1f} s, write {t_write - t_ids:.1f} s, "
          f"queries {t_all - t_write:.1f} s; total {t_all:.1f} s", file=sys.stderr)
    print(f"search_corpus: {corpus_path} {size / 1e6:.1f} MB, queries.tsv {qsize} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
