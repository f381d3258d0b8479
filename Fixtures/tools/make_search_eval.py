#!/usr/bin/env python3
"""Writes Fixtures/search-eval.json: queries typed the way clerks type them, each with the
records that must be found. Generated from expected.json so it follows the fixtures.

Each record yields queries for its distinctive name and number in spelling variants:
hamza folded, harakat added, tatweel inserted, ة/ه and ى/ي swapped, Persian ی, the family name
with and without ال and with a و prefix, the number in Western and Arabic-Indic digits.
"""
import json, os

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.dirname(HERE)
INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
HARAKAT = ["\u064e", "\u064f", "\u0650", "\u0652"]


def with_harakat(word):
    out = []
    for i, ch in enumerate(word):
        out.append(ch)
        if "\u0621" <= ch <= "\u064a" and i < len(word) - 1:
            out.append(HARAKAT[i % len(HARAKAT)])
    return "".join(out)


def with_tatweel(word):
    mid = len(word) // 2
    return word[:mid] + "\u0640\u0640" + word[mid:] if len(word) > 3 else word


def swap_endings(word):
    return word.replace("ة", "ه").replace("ى", "ي")


def variants(name, plain):
    words = name.split()
    plain_words = plain.split()
    family = plain_words[-1]
    out = [
        ("hamza-folded", plain),
        ("as-written", name),
        ("harakat", " ".join(with_harakat(w) for w in plain_words)),
        ("tatweel", " ".join(with_tatweel(w) for w in plain_words)),
        ("taa-marbuta/alef-maqsura", " ".join(swap_endings(w) for w in words)),
        ("persian-yeh", plain.replace("ي", "ی")),
        ("first-and-family", f"{plain_words[0]} {family}"),
    ]
    if family.startswith("ال") and len(family) > 4:
        out.append(("family-without-al", family[2:]))
        out.append(("family-with-wa", "و" + family))
    return out


def main():
    expected = json.load(open(os.path.join(FIXTURES, "expected.json"), encoding="utf-8"))
    queries = []
    for box, info in expected["boxes"].items():
        for record in info["records"]:
            target = {"box": box, "file": record["file"].rstrip("/")}
            for kind, q in variants(record["name"], record["name_plain"]):
                queries.append({"query": q, "kind": "name:" + kind, "expect": [target]})
            number = record["number"]
            indic_only = all(p["digits"] == "indic" for p in record["page_files"])
            queries.append({"query": number, "kind": "number:western", "expect": [target],
                            "printed": "indic" if indic_only else "western"})
            queries.append({"query": number.translate(INDIC), "kind": "number:indic", "expect": [target],
                            "printed": "indic" if indic_only else "western"})
            queries.append({"query": number.split("/")[0], "kind": "number:first-part", "expect": [target]})
    out = {"generator": "Fixtures/tools/make_search_eval.py", "queries": queries}
    with open(os.path.join(FIXTURES, "search-eval.json"), "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"{len(queries)} queries")


if __name__ == "__main__":
    main()
