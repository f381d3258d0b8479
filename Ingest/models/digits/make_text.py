#!/usr/bin/env python3
"""Generate training text for the Sijill digits model: one number per line.

Numbers look like those in Arabic government documents: plain integers
(1-6 digits, sometimes longer IDs), amounts with thousands separators,
dates (d/m/y and y/m/d with / - .), references (n/yyyy), times (hh:mm).
Each line uses ONE digit script: Western (0-9) or Arabic-Indic (U+0660-0669).

Arabic-Indic lines use only the separators / . : ,  (Unicode bidi class CS),
because a '-' (class ES) between Arabic-Indic digits gets reordered by the bidi
algorithm in a right-to-left paragraph, so the rendered (visual) order would no
longer equal the text order.

With --letters P (the refs model), a share P of the lines are references with one
Arabic letter beside or between slashes, as registries number them: ١٤٣/ج/٢٠٠١,
ج/٣٣٢٨, 63/ق (written in the order they are seen, see lettered_reference). No bare
alif (it is drawn like ١ in most fonts); no letters for Latin fonts.

With --persian P, a share P of the Arabic-Indic lines are written in Persian digits
(U+06F0-06F9), whose 4, 5 and 6 are drawn differently (۴۵۶ against ٤٥٦); the other seven
look the same. train.sh renders them so and then writes the truth back in Arabic-Indic
digits: the model reads a Persian ۴ as the digit ٤ (same value; it has no way to tell a
Persian ۱ from an Arabic-Indic ١).

usage: make_text.py --seed N --lines N [--scripts western,indic] [--seps '/-.:,']
                    [--stray-colon P] [--letters P] [--persian P] > out.txt
"""
import argparse
import random

INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def rnd_int(r, lo_len=1, hi_len=6):
    n = r.choices(range(lo_len, hi_len + 1),
                  weights=[3, 4, 5, 6, 5, 4, 2, 1, 1, 2][lo_len - 1:hi_len])[0]
    first = r.choice("123456789") if n > 1 or r.random() < 0.9 else "0"
    s = first + "".join(r.choice("0123456789") for _ in range(n - 1))
    # round numbers (amounts such as 12000, 600, 10000) are common in documents
    if n >= 3 and r.random() < 0.35:
        k = r.randint(1, n - 1)
        s = s[:n - k] + "0" * k
    return s


def year(r):
    return str(r.randint(1940, 2030)) if r.random() < 0.7 else str(r.randint(1380, 1450))


def two(r, hi):
    v = r.randint(1, hi)
    return "%02d" % v if r.random() < 0.75 else str(v)


def make_number(r, seps):
    kinds = ["int", "int", "int", "amount", "date_dmy", "date_ymd", "ref", "time", "long"]
    while True:
        kind = r.choice(kinds)
        if kind == "int":
            return rnd_int(r)
        if kind == "long":
            return rnd_int(r, 7, 10)
        if kind == "amount":
            sep = r.choice([c for c in ",." if c in seps] or [""])
            if not sep:
                continue
            v = r.randint(1000, 9999999)
            if r.random() < 0.5:
                v = v // 100 * 100
            s = "{:,}".format(v).replace(",", sep)
            if r.random() < 0.2 and "." in seps and sep == ",":
                s += "." + "%02d" % r.randint(0, 99)
            return s
        if kind in ("date_dmy", "date_ymd"):
            sep = r.choice([c for c in "/-." if c in seps] or [""])
            if not sep:
                continue
            d, m, y = two(r, 28), two(r, 12), year(r)
            return sep.join([d, m, y] if kind == "date_dmy" else [y, m, d])
        if kind == "ref":
            sep = r.choice([c for c in "/-" if c in seps] or [""])
            if not sep:
                continue
            a = rnd_int(r, 1, 6)
            b = year(r) if r.random() < 0.7 else rnd_int(r, 1, 4)
            return a + sep + b
        if kind == "time":
            if ":" not in seps:
                continue
            return "%02d:%02d" % (r.randint(0, 23), r.randint(0, 59))


# Isolated letters used in reference numbers (series, office or register codes).
LETTERS = "أبتثجحخدذرزسشصضطظعغفقكلمنهوي"


def lettered_reference(r):
    """A reference with a letter, in the order it is SEEN, left to right: in a right-to-left
    line ١٤٣/ج/٢٠٠١ shows as ٢٠٠١/ج/١٤٣ and ج/٣٣٢٨ as ٣٣٢٨/ج. It is wrapped in LRO…PDF so that
    text2image draws it in exactly that order and writes its boxes left to right, as one
    line (without the override, text2image boxes the bidi runs in logical order and breaks
    the line at each change of direction). The model so reads what it sees, left to right,
    like the digits model; the reader puts the parts in logical order."""
    n = rnd_int(r, 1, 5)
    letter = r.choice(LETTERS)
    form = r.random()
    if form < 0.4:
        seen = (year(r) if r.random() < 0.8 else rnd_int(r, 1, 4)) + "/" + letter + "/" + n
    elif form < 0.7:
        seen = n + "/" + letter
    else:
        seen = letter + "/" + n
    return "\u202d" + seen + "\u202c"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--lines", type=int, default=100)
    ap.add_argument("--scripts", default="western,indic")
    ap.add_argument("--seps", default="/-.:,")
    ap.add_argument("--stray-colon", type=float, default=0.04,
                    help="fraction of Western lines with a separate ':' before/after")
    ap.add_argument("--letters", type=float, default=0.0,
                    help="fraction of lines that are references with an Arabic letter")
    ap.add_argument("--persian", type=float, default=0.0,
                    help="fraction of Arabic-Indic lines written in Persian digits")
    a = ap.parse_args()
    r = random.Random(a.seed)
    scripts = a.scripts.split(",")
    for _ in range(a.lines):
        script = r.choice(scripts)
        seps = a.seps if script == "western" else "".join(c for c in a.seps if c in "/.:,")
        lettered = a.letters > 0 and "/" in seps and r.random() < a.letters
        s = lettered_reference(r) if lettered else make_number(r, seps)
        if script == "indic":
            # (the default run draws no extra random number: its text is unchanged)
            persian = a.persian > 0 and r.random() < a.persian
            s = s.translate(PERSIAN if persian else INDIC)
        elif ":" in seps and not lettered and r.random() < a.stray_colon:
            s = (s + " :") if r.random() < 0.5 else (": " + s)
        print(s)


if __name__ == "__main__":
    main()
