#!/usr/bin/env bash
# Regenerate every Sijill test fixture (boxes/, bad/, groundtruth/, expected.json).
# Usage: bash Fixtures/generate.sh        (works from any directory)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# The real ImageMagick (a stand-in `convert` may shadow it on PATH).
export CONVERT="${CONVERT:-/usr/bin/convert}"

missing=()
command -v python3 >/dev/null 2>&1 || missing+=(python3)
command -v pango-view >/dev/null 2>&1 || missing+=(pango1.0-tools)
{ [ -x "$CONVERT" ] && "$CONVERT" -version 2>/dev/null | grep -q ImageMagick; } || missing+=(imagemagick)
FAMILIES="$(fc-list : family 2>/dev/null || true)"
have_font() { grep -qi -- "$1" <<<"$FAMILIES"; }
have_font "Amiri" || missing+=(fonts-hosny-amiri)
have_font "Noto Naskh Arabic" || missing+=(fonts-noto-core)
{ have_font "KacstOne" && have_font "KacstBook"; } || missing+=(fonts-kacst fonts-kacst-one)
for tool in img2pdf ocrmypdf qpdf; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done

if [ "${#missing[@]}" -gt 0 ]; then
    echo "generate.sh: missing ${missing[*]}; installing the fixture toolchain" >&2
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 || { echo "need root (or sudo) to apt-get install" >&2; exit 1; }
        SUDO="sudo"
    fi
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update
    $SUDO apt-get install -y pango1.0-tools imagemagick fonts-hosny-amiri fonts-noto-core \
        fonts-kacst fonts-kacst-one fontconfig python3 img2pdf ocrmypdf qpdf
    command -v fc-cache >/dev/null 2>&1 && fc-cache -f >/dev/null 2>&1 || true
fi

python3 "$HERE/tools/make_fixtures.py" "$@"
python3 "$HERE/tools/make_search_eval.py"
python3 "$HERE/tools/make_bombs.py"
python3 "$HERE/tools/make_hostile.py"
python3 "$HERE/tools/make_deliveries.py"
python3 "$HERE/tools/make_cases.py"
python3 "$HERE/tools/make_degraded.py"
python3 "$HERE/tools/make_fields.py"
python3 "$HERE/tools/make_rescan.py"
