#!/usr/bin/env bash
# Regenerates the web font the pages are set in: Noto Naskh Arabic (SIL Open Font License 1.1,
# Debian fonts-noto-core), regular and bold, subset to Arabic (with presentation forms the
# shaper may need), Arabic-Indic digits, Basic Latin and the punctuation the pages use, as WOFF2.
# Needs: apt fonts-noto-core; pip fonttools brotli. Touch ../../assets.c afterwards.
set -euo pipefail
cd "$(dirname "$0")"
src=/usr/share/fonts/truetype/noto
unicodes="U+0020-007E,U+00A0,U+00AB,U+00BB,U+00D7,U+0600-06FF,U+0750-077F,U+08A0-08FF,U+FB50-FDFF,U+FE70-FEFF,U+200C-200F,U+2010-2027,U+202A-202E,U+2066-2069,U+25CC"
for weight in Regular Bold; do
  pyftsubset "$src/NotoNaskhArabic-$weight.ttf" --unicodes="$unicodes" --layout-features='*' \
    --flavor=woff2 --no-hinting --desubroutinize --output-file="naskh-$(echo $weight | tr A-Z a-z).woff2"
done
ls -l naskh-*.woff2
