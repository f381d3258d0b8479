#!/usr/bin/env bash
# Reproducible training pipeline for Ingest/models/digits/digits.traineddata:
# a small from-scratch Tesseract LSTM that reads one number (Arabic-Indic or
# Western digits, printed in an Arabic font) from a word crop.
#
#   bash Ingest/models/digits/train.sh            # full run (~45 min on 1 core)
#   ITERATIONS=3000 bash .../train.sh             # quick smoke run
#   DEGRADED_ONLY=1 bash .../train.sh             # only step 4c: fine-tune the committed
#                                                 # model on degraded scans (~25 min)
#   MODEL=refs LETTERS=0.5 SKIP_DEGRADED=1 bash .../train.sh
#                                                 # the references model: the same numbers
#                                                 # plus, on half the lines of Arabic fonts,
#                                                 # references with a letter (١٤٣/ج/٢٠٠١)
#   PERSIAN=1 DEGRADED_ONLY=1 bash .../train.sh   # step 4c on the committed model with Persian-
#                                                 # digit renders (۱۴۰۷) added to the mix
#   MODEL=refs LETTERS=0.5 PERSIAN=1 DEGRADED_ONLY=1 SKIP_DEGRADED=1 bash .../train.sh
#                                                 # the same for the references model
#
# Scratch goes to $WORK (default /tmp/digits-train); the model is written next
# to this script. Uses one core (OMP_THREAD_LIMIT=1, no parallel jobs).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
MODEL="${MODEL:-digits}"                  # model name: digits, or refs (with LETTERS)
LETTERS="${LETTERS:-0}"                   # share of lettered references per Arabic-font line
WORK="${WORK:-/tmp/$MODEL-train}"
ITERATIONS="${ITERATIONS:-80000}"          # upper bound on lstmtraining iterations
FINETUNE_ITERATIONS="${FINETUNE_ITERATIONS:-140000}"  # second stage, learning rate 2e-4
FINETUNE_MINUTES="${FINETUNE_MINUTES:-15}"
TRAIN_MINUTES="${TRAIN_MINUTES:-25}"       # wall-clock cap for lstmtraining
LINES_PER_RENDER="${LINES_PER_RENDER:-50}" # lines per text2image call (3 calls per font)
TEST_LINES_PER_RENDER="${TEST_LINES_PER_RENDER:-50}"  # same for the held-out test set (600 lines)
DEGRADED_ONLY="${DEGRADED_ONLY:-0}"        # 1: skip steps 3-4b, run 4c on the committed model
SKIP_DEGRADED="${SKIP_DEGRADED:-0}"        # 1: skip step 4c
DEGRADED_MINUTES="${DEGRADED_MINUTES:-20}" # wall-clock cap for step 4c
DEGRADED_ITERATIONS="${DEGRADED_ITERATIONS:-400000}"  # upper bound, absolute iteration count
DEGRADED_STRIDE="${DEGRADED_STRIDE:-1}"   # degrade every Nth training render (3: one of each font's 3)
DEGRADED_RATE="${DEGRADED_RATE:-1e-4}"     # Adam moments start from zero (int model): keep it low
PERSIAN="${PERSIAN:-0}"                    # 1: render Persian-digit pages (train-fa) and add them
                                           # to step 4c's mix (also runs 4c when SKIP_DEGRADED=1)
NET_SPEC_BODY='[1,36,0,1 Ct3,3,16 Mp3,3 Lfys48 Lfx96 Lrx96 Lfx96 O1c%d]'
FONTS_DIR=/usr/share/fonts
CONVERT=/usr/bin/convert                   # NOT /usr/local/bin/convert (a stand-in)
export OMP_THREAD_LIMIT=1

# ---------------------------------------------------------------- 0. packages
need=()
for p in tesseract-ocr imagemagick fontconfig fonts-noto-core fonts-kacst fonts-hosny-amiri \
         fonts-sil-scheherazade fonts-sil-lateef fonts-sil-harmattan fonts-arabeyes \
         fonts-noto-ui-core fonts-dejavu-core $([ "$PERSIAN" = 1 ] && echo fonts-farsiweb); do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
fi

# ------------------------------------------------------------------- 1. fonts
# "text2image name|fontconfig pattern". Held OUT of training (test fonts of the
# fixtures, and same-design siblings): Amiri*, Amiri Quran*, Noto Naskh Arabic*,
# Noto Naskh Arabic UI*, KacstOne*, KacstBook. Also left out: Persian-digit fonts
# (Homa, Nazli, Titr draw U+0664-0666 in Persian shapes), Noto Nastaliq Urdu (Urdu
# digit shapes), and unreadable display fonts (AlManzomah, Haramain, Shado, KacstTitleL).
TRAIN_FONTS=(
"AlArabiya|AlArabiya" "AlBattar|AlBattar" "AlHor|AlHor" "AlYarmook|AlYarmook" "Arab|Arab"
"Cortoba|Cortoba" "DejaVu Sans|DejaVu Sans:style=Book" "DejaVu Sans Bold|DejaVu Sans:style=Bold"
"DejaVu Sans Mono|DejaVu Sans Mono:style=Book" "Dimnah|Dimnah" "Electron|Electron" "Furat|Furat"
"Granada|Granada" "Graph|Graph" "Hani|Hani" "Harmattan|Harmattan:style=Regular"
"Harmattan Bold|Harmattan:style=Bold" "Hor|Hor" "Japan|Japan" "Jet|Jet"
"KacstArt Medium|KacstArt" "KacstDecorative Medium|KacstDecorative" "KacstDigital Medium|KacstDigital"
"KacstFarsi Medium|KacstFarsi" "KacstLetter Medium|KacstLetter" "KacstNaskh Medium|KacstNaskh"
"KacstOffice Medium|KacstOffice" "KacstPen Medium|KacstPen" "KacstPoster Medium|KacstPoster"
"KacstQurn|KacstQurn" "KacstScreen Medium|KacstScreen" "KacstTitle Medium|KacstTitle"
"Kayrawan|Kayrawan" "Khalid|Khalid" "Lateef|Lateef:style=Regular" "Lateef Bold|Lateef:style=Bold"
"Mashq|Mashq:style=Regular" "Metal|Metal" "Nada|Nada" "Nagham|Nagham" "Nice|Nice"
"Noto Kufi Arabic|Noto Kufi Arabic:style=Regular" "Noto Kufi Arabic Bold|Noto Kufi Arabic:style=Bold"
"Noto Sans Arabic|Noto Sans Arabic:style=Regular" "Noto Sans Arabic Bold|Noto Sans Arabic:style=Bold"
"Noto Sans Arabic UI|Noto Sans Arabic UI:style=Regular" "Ostorah|Ostorah" "Ouhod Bold|Ouhod"
"Petra|Petra" "Rasheeq Bold|Rasheeq" "Rehan|Rehan" "Salem|Salem" "Scheherazade|Scheherazade:style=Regular"
"Scheherazade Bold|Scheherazade:style=Bold" "Sharjah|Sharjah" "Sindbad|Sindbad" "Tarablus|Tarablus"
"Tholoth|Tholoth"
)
# Latin fonts, Western digits only: Western digits in Arabic documents are often
# drawn with Latin-style (serif/sans) digit glyphs or by a Latin fallback font.
LATIN_FONTS=("Nimbus Roman|Nimbus Roman:style=Regular" "Nimbus Sans|Nimbus Sans:style=Regular"
"C059|C059:style=Roman" "P052|P052:style=Roman" "DejaVu Serif|DejaVu Serif:style=Book"
"Noto Serif|Noto Serif:style=Regular" "Noto Sans|Noto Sans:style=Regular" "Nimbus Mono PS|Nimbus Mono PS:style=Regular"
"URW Bookman Light|URW Bookman:style=Light" "URW Gothic|URW Gothic:style=Book")
TEST_FONTS=("Amiri|Amiri:style=Regular" "Noto Naskh Arabic|Noto Naskh Arabic:style=Regular"
            "KacstOne|KacstOne:style=Regular" "KacstBook Medium|KacstBook")

# Persian digits (PERSIAN=1): the training fonts that draw U+06F0-06F9, plus Homa, Nazli and
# Titr, which draw even U+0664-0666 in the Persian shapes. Their truth is Arabic-Indic (below).
PERSIAN_DIGITS="6f0 6f1 6f2 6f3 6f4 6f5 6f6 6f7 6f8 6f9"
FARSI_FONTS=("Homa|Homa" "Nazli|Nazli:style=Regular" "Titr Bold|Titr")
persian_fonts() {   # $@: "name|pattern" entries -> those drawing Persian digits
  local entry
  for entry in "$@"; do covers "${entry#*|}" "$PERSIAN_DIGITS" && echo "$entry"; done
}

# coverage of a font: which scripts/separators it can draw itself
covers() { fc-list "$1:charset=$2" family | grep -q .; }
font_args() {   # -> "--scripts X --seps Y" for make_text.py
  local pat="$1" scripts="indic" seps=""
  covers "$pat" "30 31 32 33 34 35 36 37 38 39" && scripts="western,indic"
  covers "$pat" "660 661 662 663 664 665 666 667 668 669" || scripts="western"   # Latin fonts
  case "$pat" in KacstOne*) scripts="indic";; esac   # KacstOne draws 0-9 as Arabic-Indic
  for c in 2f:/ 2d:- 2e:. 3a:: 2c:,; do covers "$pat" "${c%%:*}" && seps="$seps${c#*:}"; done
  local letters=0
  covers "$pat" "62c 642 645" && letters="$LETTERS"   # draws Arabic letters (not the Latin fonts)
  [ "${FA_SET:-0}" = 1 ] && scripts="indic"      # a Persian-digit set: Persian lines only
  echo "--scripts $scripts --seps=$seps --letters $letters --persian ${FA_SET:-0}"
}

# ----------------------------------------------------------- 2. render + lstmf
render_set() {   # $1=name (train|test) $2=seed base, rest: fonts
  local set="$1" seed="$2"; shift 2
  local dir="$WORK/$set"; mkdir -p "$dir"
  local i=0 entry name pat args k base size spacing expo
  for entry in "$@"; do
    name="${entry%%|*}"; pat="${entry#*|}"; args="$(font_args "$pat")"
    for k in 0 1 2; do
      i=$((i+1)); base="$dir/$(echo "$name" | tr ' ' '_').$k"
      [ -s "$base.lstmf" ] && continue
      size=$(( 10 + (seed + i*7 + k*3) % 7 ))                 # 10..16 pt
      spacing=$(awk -v v=$(( (seed*13 + i*5 + k) % 5 )) 'BEGIN{print v*0.04}')  # 0..0.16 em
      expo=$(( (seed + i + k) % 3 - 1 ))                       # -1..1
      python3 "$HERE/make_text.py" --seed $((seed*1000 + i)) --lines "$LINES_PER_RENDER" $args > "$base.gt"
      text2image --text "$base.gt" --outputbase "$base" --font "$name" --fonts_dir "$FONTS_DIR" \
        --ptsize "$size" --resolution 300 --char_spacing "$spacing" --exposure "$expo" \
        --degrade_image=true --rotate_image=true --distort_image=$([ $k = 2 ] && echo true || echo false) \
        --invert=false --strip_unrenderable_words=false --xsize 1400 --ysize 2600 --margin 60 \
        --leading 24 >"$base.t2i.log" 2>&1 || { echo "text2image failed: $name" >&2; continue; }
      # Persian digits are read as the Arabic-Indic digits of the same value: the truth the
      # model learns from (box file and text) is written back to U+0660-0669.
      perl -CSD -pi -e 'tr/\x{6F0}-\x{6F9}/\x{660}-\x{669}/' "$base.box" "$base.gt"
      # extra scan-like degradation without moving any pixel (boxes stay valid)
      case $(( (seed + i + k) % 3 )) in
        1) "$CONVERT" "$base.tif" -colorspace Gray -blur 0x0.9 -threshold $(( 45 + (i % 4) * 5 ))% \
              -depth 8 "$base.tif" ;;                         # bilevel, like a G4 TIFF
        2) "$CONVERT" "$base.tif" -colorspace Gray -blur 0x0.7 -level 0%,100%,0.8 \
              -attenuate 0.35 +noise Gaussian -depth 8 "$base.tif" ;;  # grey, noisy
      esac
      tesseract "$base.tif" "$base" lstm.train >"$base.tess.log" 2>&1 || echo "lstm.train failed: $name" >&2
    done
  done
  ls "$dir"/*.lstmf > "$WORK/$set.list"
  echo "$set: $(wc -l < "$WORK/$set.list") lstmf files"
}
mkdir -p "$WORK"
LINES_PER_RENDER="$TEST_LINES_PER_RENDER" render_set test 777 "${TEST_FONTS[@]}"
render_set train 11 "${TRAIN_FONTS[@]}" "${LATIN_FONTS[@]}"
if [ "$PERSIAN" = 1 ]; then
  mapfile -t fa_test < <(persian_fonts "${TEST_FONTS[@]}")
  mapfile -t fa_train < <(persian_fonts "${TRAIN_FONTS[@]}" "${FARSI_FONTS[@]}")
  FA_SET=1 LINES_PER_RENDER="$TEST_LINES_PER_RENDER" render_set test-fa 919 "${fa_test[@]}"
  FA_SET=1 render_set train-fa 53 "${fa_train[@]}"
fi

if [ "$DEGRADED_ONLY" != 1 ]; then

# ----------------------------------------------------- 3. unicharset + starter
# (without the LRO/PDF marks that make_text.py puts around a lettered reference)
printf '٠١٢٣٤٥٦٧٨٩\n0123456789\n/-.:,\n' | cat - "$WORK"/train/*.gt | sed 's/\xe2\x80[\xad\xac]//g' > "$WORK/all.txt"
unicharset_extractor --output_unicharset "$WORK/$MODEL.unicharset0" --norm_mode 1 "$WORK/all.txt"
mkdir -p "$WORK/script_dir" "$WORK/starter"
printf '# no Han characters in this model\n' > "$WORK/script_dir/radical-stroke.txt"  # must be non-empty
set_unicharset_properties -U "$WORK/$MODEL.unicharset0" -O "$WORK/$MODEL.unicharset" --script_dir "$WORK/script_dir"
combine_lang_model --input_unicharset "$WORK/$MODEL.unicharset" --script_dir "$WORK/script_dir" \
  --output_dir "$WORK/starter" --lang "$MODEL"
# output size = the recoder's code range (unicharset size minus the unused "Joined")
NCLASS=$(ls "$WORK"/starter/$MODEL/$MODEL.charset_size=*.txt | sed 's/.*charset_size=\([0-9]*\).txt/\1/')
NET_SPEC=$(printf "$NET_SPEC_BODY" "$NCLASS")
echo "net spec: $NET_SPEC"

# ----------------------------------------------------------------- 4. training
mkdir -p "$WORK/ckpt"
set +e
timeout $((TRAIN_MINUTES*60)) lstmtraining \
  --traineddata "$WORK/starter/$MODEL/$MODEL.traineddata" \
  --net_spec "$NET_SPEC" --model_output "$WORK/ckpt/$MODEL" \
  --train_listfile "$WORK/train.list" \
  --learning_rate 1e-3 --max_iterations "$ITERATIONS" --target_error_rate 0.01 \
  --debug_interval 0 2>&1 | tee "$WORK/train.log" | grep -E 'At iteration|Finished|best' 
set -e

# ------------------------------------------------- 4b. fine-tuning, lower rate
# Continuing from the last checkpoint at a fifth of the learning rate took the training
# character error from ~6 % to 1.8 % and the held-out (fixture fonts) BCER from 8.3 % to 5.7 %.
mkdir -p "$WORK/ft"
set +e
timeout $((FINETUNE_MINUTES*60)) lstmtraining \
  --continue_from "$WORK/ckpt/${MODEL}_checkpoint" \
  --traineddata "$WORK/starter/$MODEL/$MODEL.traineddata" --model_output "$WORK/ft/$MODEL" \
  --train_listfile "$WORK/train.list" \
  --learning_rate 2e-4 --max_iterations "$FINETUNE_ITERATIONS" --target_error_rate 0.005 \
  --debug_interval 0 2>&1 | tee "$WORK/finetune.log" | grep -E 'At iteration|Finished|best'
set -e
# The checkpoint with the lowest training error (its name starts with that error).
best="$(ls "$WORK/ft"/${MODEL}_*.checkpoint | sort -t_ -k2 -n | head -1)"
lstmtraining --stop_training --continue_from "$best" \
  --traineddata "$WORK/starter/$MODEL/$MODEL.traineddata" \
  --model_output "$WORK/$MODEL.float.traineddata"
lstmtraining --stop_training --convert_to_int --continue_from "$best" \
  --traineddata "$WORK/starter/$MODEL/$MODEL.traineddata" \
  --model_output "$HERE/$MODEL.traineddata"
ls -la "$HERE/$MODEL.traineddata"

# ------------------------------------------------------------- 5. quick check
lstmeval --model "$HERE/$MODEL.traineddata" --eval_listfile "$WORK/test.list" 2>&1 | tail -1
fi   # DEGRADED_ONLY

# --------------------------------------- 4c. fine-tuning on degraded scans
# Degraded copies of the rendered pages, one degradation per page, size kept (every
# resampling goes back to the exact original size, so the .box files stay valid):
#   0 phone   downscale to 33-50 % (100-150 dpi), back up to 300 dpi
#   1 fax     200x100 dpi: width 67 %, height 1/3, bilevel, back up (half with point sampling)
#   2 salt    bilevel + impulse (salt and pepper) noise, bilevel again
#   3 jpeg    mild resampling (55-75 %) + JPEG quality 40-60
#   4 thick   blur 0.8-1.5 + threshold 68-82 % (photocopy: fat, merged strokes)
#   5 faded   ink at 50-65 % grey (+level), light blur and noise
#   6 phone+jpeg  downscale to 40-50 %, JPEG quality 40-60, back up
degrade_page() {   # $1=input (file[page]) $2=output png $3=variant $4=random int
  local in="$1" out="$2" v="$3" r="$4" W H q
  read -r W H < <(identify -format '%w %h\n' "$in")
  q=$(( 40 + r % 21 ))
  case $v in
    0) "$CONVERT" "$in" -colorspace Gray -resize $(( 33 + r % 18 ))% -resize "${W}x${H}!" "$out" ;;
    1) "$CONVERT" "$in" -colorspace Gray -resize '66.67%x33.33%!' -threshold $(( 45 + r % 3 * 5 ))% \
         $( [ $((r % 2)) = 1 ] && echo "-filter Point" ) -resize "${W}x${H}!" "$out" ;;
    2) "$CONVERT" "$in" -colorspace Gray -threshold $(( 45 + r % 3 * 5 ))% \
         -attenuate "0.$(( 5 + r % 11 ))" +noise Impulse -threshold 50% "$out" ;;
    3) "$CONVERT" "$in" -colorspace Gray -resize $(( 55 + r % 21 ))% -resize "${W}x${H}!" \
         -quality "$q" jpg:- | "$CONVERT" jpg:- "$out" ;;
    4) "$CONVERT" "$in" -colorspace Gray -blur "0x$(awk -v v=$(( r % 8 )) 'BEGIN{print 0.8+v*0.1}')" \
         -threshold $(( 68 + r % 15 ))% "$out" ;;
    5) "$CONVERT" "$in" -colorspace Gray -blur 0x0.6 +level "$(( 50 + r % 16 ))%,100%" \
         -attenuate 0.25 +noise Gaussian "$out" ;;
    6) "$CONVERT" "$in" -colorspace Gray -resize $(( 40 + r % 11 ))% -quality "$q" jpg:- | \
         "$CONVERT" jpg:- -resize "${W}x${H}!" "$out" ;;
  esac
}
degrade_set() {    # $1=source set (train|test) $2=destination set $3=seed [$4=stride]
  local src="$WORK/$1" dst="$WORK/$2" seed="$3" stride="${4:-1}" i=0 tif base n p pages
  mkdir -p "$dst"
  for tif in "$src"/*.tif; do
    i=$((i+1)); base="$dst/$(basename "$tif" .tif)"
    [ -s "$base.lstmf" ] && continue
    [ -s "${tif%.tif}.box" ] && [ $(( i % stride )) = 0 ] || continue
    n=$(identify "$tif" | wc -l); pages=()
    for ((p=0; p<n; p++)); do
      degrade_page "$tif[$p]" "$base.p$p.png" $(( (seed + i + p) % 7 )) $(( seed*1000 + i*37 + p*11 ))
      pages+=("$base.p$p.png")
    done
    "$CONVERT" "${pages[@]}" -depth 8 -density 300 -units PixelsPerInch "$base.tif"
    rm -f "${pages[@]}"
    cp "${tif%.tif}.box" "$base.box"; cp "${tif%.tif}.gt" "$base.gt"
    tesseract "$base.tif" "$base" lstm.train >"$base.tess.log" 2>&1 || echo "lstm.train failed: $base" >&2
  done
  ls "$dst"/*.lstmf > "$WORK/$2.list"
  echo "$2: $(wc -l < "$WORK/$2.list") lstmf files"
}

if [ "$SKIP_DEGRADED" != 1 ] || [ "$PERSIAN" = 1 ]; then
  : > "$WORK/train-deg.list"
  if [ "$SKIP_DEGRADED" != 1 ]; then
    degrade_set test test-deg 5   # held-out fonts only: evaluate.py part (c), never trained on
    degrade_set train train-deg 3 "$DEGRADED_STRIDE"
  fi
  if [ "$PERSIAN" = 1 ]; then
    # The Persian pages, clean and degraded, join the degraded list as one in three of its
    # entries (one in six of the mix). Without degraded pages (SKIP_DEGRADED=1), clean pages
    # take the degraded ones' places.
    degrade_set train-fa train-fa-deg 7
    lstmeval --model "$HERE/$MODEL.traineddata" --eval_listfile "$WORK/test-fa.list" 2>&1 | tail -1 | sed 's/^/before, Persian test: /'
    base_list="$WORK/train-deg.list"; [ -s "$base_list" ] || base_list="$WORK/train.list"
    awk 'NR==FNR{f[n++]=$0; next} {print} FNR%2==0{print f[(m++)%n]}' \
      <(cat "$WORK/train-fa.list" "$WORK/train-fa-deg.list") "$base_list" > "$WORK/deg-fa.list"
    mv "$WORK/deg-fa.list" "$WORK/train-deg.list"
  fi
  mkdir -p "$WORK/deg"
  cp "$HERE/$MODEL.traineddata" "$WORK/$MODEL-before-4c.traineddata"   # to restore if not better
  # Start: the float checkpoint of step 4b if this run made one, else the committed
  # (integer) model turned back into floats (lstmtraining cannot continue from int).
  if [ "$DEGRADED_ONLY" != 1 ] && ls "$WORK"/ft/${MODEL}_*.checkpoint >/dev/null 2>&1; then
    start="$best"
  else
    combine_tessdata -e "$HERE/$MODEL.traineddata" "$WORK/deg/base-int.lstm" >/dev/null
    python3 "$HERE/int2float.py" "$WORK/deg/base-int.lstm" "$WORK/deg/base.lstm"
    start="$WORK/deg/base.lstm"
  fi
  # same unicharset/recoder as the committed model
  cp "$HERE/$MODEL.traineddata" "$WORK/deg/base.traineddata"
  # 50/50 clean and degraded pages (lstmtraining takes the documents round robin);
  # the degraded list is cycled if it is shorter (a time-capped degrade_set)
  awk 'NR==FNR{d[n++]=$0; next} {print; if (n) print d[(FNR-1)%n]}' \
    "$WORK/train-deg.list" "$WORK/train.list" > "$WORK/train-mix.list"
  set +e
  timeout $((DEGRADED_MINUTES*60)) lstmtraining \
    --continue_from "$start" --traineddata "$WORK/deg/base.traineddata" \
    --model_output "$WORK/deg/$MODEL" --train_listfile "$WORK/train-mix.list" \
    --learning_rate "$DEGRADED_RATE" --max_iterations "$DEGRADED_ITERATIONS" --target_error_rate 0.005 \
    --debug_interval 0 2>&1 | tee "$WORK/degraded.log" | grep -E 'At iteration|Finished|best'
  set -e
  # lowest TRAINING error (on the mixed list); never chosen by test or fixture figures
  best4c="$(ls "$WORK/deg"/${MODEL}_*.checkpoint | sort -t_ -k2 -n | head -1)"
  echo "step 4c: $best4c"
  lstmtraining --stop_training --convert_to_int --continue_from "$best4c" \
    --traineddata "$WORK/deg/base.traineddata" --model_output "$HERE/$MODEL.traineddata"
  ls -la "$HERE/$MODEL.traineddata"
  [ -s "$WORK/test-deg.list" ] && lstmeval --model "$HERE/$MODEL.traineddata" --eval_listfile "$WORK/test-deg.list" 2>&1 | tail -1
  [ "$PERSIAN" = 1 ] && lstmeval --model "$HERE/$MODEL.traineddata" --eval_listfile "$WORK/test-fa.list" 2>&1 | tail -1 | sed 's/^/after, Persian test: /'
  echo "previous model: $WORK/$MODEL-before-4c.traineddata (restore it if evaluate.py (c) is not better)"
fi
echo "evaluate: python3 $HERE/evaluate.py --work $WORK"
