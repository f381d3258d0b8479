#!/usr/bin/env python3
"""Generate a HELD-OUT transaction-fields set: the layouts, countries, calendars and wear of
make_fields.py, with four fonts the field pages never use, a different seed (so other names,
numbers, references and dates), and no pages from Fixtures/boxes. Nothing is committed: write it
where you like and measure on it.

    python3 Fixtures/tools/make_heldout_fields.py /tmp/heldout-fields [--seed S]
    bench/extract --dir /tmp/heldout-fields

Fonts (Debian: fonts-sil-scheherazade, fonts-noto-core, fonts-kacst, fonts-dejavu-core; the
make_fields.py fonts must be installed too, since it checks them): Scheherazade, Noto Kufi
Arabic, KacstNaskh, DejaVu Sans. The digits and refs models were trained on Scheherazade and
DejaVu Sans, not on this text; Noto Kufi Arabic and KacstNaskh too (see
Ingest/models/digits/README.md). The main `ara` model's fonts are not published.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_fields as M  # noqa: E402

FONTS = {
    "Scheherazade": ("Scheherazade", "scheherazade", (15,)),
    "Noto Kufi Arabic": ("Noto Kufi Arabic", "noto-kufi", (11,)),
    "KacstNaskh": ("KacstNaskh", "kacstnaskh", (15,)),
    "DejaVu Sans": ("DejaVu Sans", "dejavu", (11,)),
}
SWAP = {"Amiri": "Scheherazade", "Noto Naskh Arabic": "Noto Kufi Arabic", "KacstBook": "KacstNaskh",
        "KacstOne": "DejaVu Sans"}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out", help="output directory (emptied first)")
    ap.add_argument("--seed", default="heldout-fields-d")  # one whose pages print every month name
    args = ap.parse_args()
    M.OUT = os.path.abspath(args.out)
    M.SEED = args.seed
    M.FONTS.update(FONTS)
    M.PLAN = [(layout, SWAP[font], country, digits) + tuple(rest) for layout, font, country, digits, *rest in M.PLAN]
    M.existing_entries = lambda: []
    M.main()


if __name__ == "__main__":
    main()
