#!/usr/bin/env python3
"""Generate a HELD-OUT degraded set: the kinds and pipelines of make_degraded.py, with six fonts
that neither Fixtures/ nor any threshold was tuned on, a different seed, and different texts.
Nothing is committed: write it where you like and measure on it.

    python3 Fixtures/tools/make_heldout.py /tmp/heldout [--seed S]
    bench/ocr-quality --sets degraded --degraded-dir /tmp/heldout

Fonts (Debian: fonts-sil-scheherazade, fonts-noto-core, fonts-kacst, fonts-dejavu-core,
fonts-sil-lateef, fonts-arabeyes; make_degraded.py's own fonts must be installed too, since it
checks them): Scheherazade, Noto Kufi Arabic, KacstNaskh, DejaVu Sans, Lateef, AlArabiya, two per
kind (30 pages). The digits model was trained on Scheherazade, Lateef and DejaVu Sans (see
Ingest/models/digits/README.md); the main `ara` model's fonts are not published.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_degraded as M  # noqa: E402

FONTS = {
    "Scheherazade": ("Scheherazade", "scheherazade"),
    "Noto Kufi Arabic": ("Noto Kufi Arabic", "noto-kufi"),
    "KacstNaskh": ("KacstNaskh", "kacstnaskh"),
    "DejaVu Sans": ("DejaVu Sans", "dejavu"),
    "Lateef": ("Lateef", "lateef"),
    "AlArabiya": ("AlArabiya", "alarabiya"),
}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out", help="output directory (emptied first)")
    ap.add_argument("--seed", default="heldout-2026-11-28")
    args = ap.parse_args()
    M.OUT = os.path.abspath(args.out)
    M.SEED = args.seed
    M.FONTS.update(FONTS)
    names = list(FONTS)
    M.PLAN = [(kind, [names[(i + j) % len(names)] for j in range(2)]) for i, (kind, _) in enumerate(M.PLAN)]
    M.main()


if __name__ == "__main__":
    main()
