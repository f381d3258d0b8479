#!/usr/bin/env python3
"""Evaluate Ingest/models/digits/digits.traineddata.

(a) held-out synthetic set: the lines rendered by train.sh with the fixture fonts
    that are kept OUT of training (Amiri, Noto Naskh Arabic, KacstOne, KacstBook),
    cut out of the text2image pages with their .box files and padded like a word
    crop (0.5 x height left/right, 0.25 x height top/bottom).
(c) held-out DEGRADED synthetic set: the pages of (a) degraded by train.sh step 4c
    like the degraded scans (low resolution resampled back to 300 dpi, fax 200x100,
    bilevel + salt-and-pepper, JPEG q40-60, thick strokes, faded ink), same crops.
(b) real crops from the fixture pages: number words found by `tesseract -l ara
    --psm 3 tsv` (words containing a digit), cropped with the same padding, and
    compared with the numbers of the matching ground-truth line.

Prints exact-number accuracy of the digits model (psm 7/8/13) vs `ara` and
`Arabic` (psm 7) on the same crops, and vs ara's own page-level word text.
Stdlib only; needs tesseract and ImageMagick (/usr/bin/convert).

usage: python3 evaluate.py [--work /tmp/digits-train] [--model-dir DIR] [--show]
                          [--digits-only] [--parts abc]
"""
import argparse, csv, difflib, glob, io, json, os, re, subprocess, sys, tarfile, zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
CONVERT = os.environ.get("CONVERT", "/usr/bin/convert")
NUM_RE = re.compile(r"[0-9٠-٩]+(?:[/\-.:,][0-9٠-٩]+)*")
DIGIT_RE = re.compile(r"[0-9٠-٩]")
ENV = dict(os.environ, OMP_THREAD_LIMIT="1")


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, env=ENV, **kw)


def norm(s):
    """The number as the model printed it: spaces removed, stray edge colons /
    separators (a neighbouring label's ':') stripped. Digit script is kept."""
    s = re.sub(r"\s+", "", s)
    return s.strip(":/-.,")


def ocr_batch(images, lang, psm, model_dir=None):
    """OCR many single-number crops in one tesseract process (list file)."""
    if not images:
        return []
    lst = os.path.join(os.path.dirname(images[0]), "..", "list-%s-%d.txt" % (lang, psm))
    with open(lst, "w") as f:
        f.write("\n".join(images) + "\n")
    cmd = ["tesseract", lst, "-", "--psm", str(psm), "-l", lang]
    if model_dir:
        cmd[1:1] = []
        cmd += ["--tessdata-dir", model_dir]
    out = run(cmd).stdout.decode("utf-8")
    pages = out.split("\f")
    if len(pages) == len(images) + 1:
        pages = pages[:-1]
    assert len(pages) == len(images), (len(pages), len(images))
    return [p.strip() for p in pages]


def crop(src, dst, l, t, r, b, W, H, hpad=0.5):
    h = b - t
    x0, x1 = max(0, int(l - hpad * h)), min(W, int(r + hpad * h))
    y0, y1 = max(0, int(t - 0.25 * h)), min(H, int(b + 0.25 * h))
    return (dst, ["%dx%d+%d+%d" % (x1 - x0, y1 - y0, x0, y0)])


def do_crops(src, jobs):
    """jobs: list of (dst, geometry). One convert call per page."""
    if not jobs:
        return
    cmd = [CONVERT, src, "-colorspace", "Gray"]
    for dst, (geom,) in jobs:
        cmd += ["(", "-clone", "0", "-crop", geom, "+repage", "-write", dst, "+delete", ")"]
    cmd += ["null:"]
    run(cmd)


def image_size(path):
    out = run(["identify", "-format", "%w %h\n", path]).stdout.decode().split()
    return int(out[0]), int(out[1])


DIGITS_ONLY = False


def models(model_dir):
    if DIGITS_ONLY:
        return [("digits psm7", "digits", 7, model_dir)]
    return [("digits psm7", "digits", 7, model_dir), ("digits psm8", "digits", 8, model_dir),
            ("digits psm13", "digits", 13, model_dir), ("ara psm7", "ara", 7, None),
            ("Arabic psm7", "Arabic", 7, None)]


def report(title, truths, results, extra=None):
    print("\n== %s: %d numbers" % (title, len(truths)), flush=True)
    rows = list(results.items()) + (list(extra.items()) if extra else [])
    for name, outs in rows:
        ok = sum(1 for t, o in zip(truths, outs) if norm(o) == t)
        val = sum(1 for t, o in zip(truths, outs) if to_western(norm(o)) == to_western(t))
        n = max(1, len(truths))
        print("  %-28s exact %4d/%-4d = %5.1f%%   same value (digit script ignored) %5.1f%%"
              % (name, ok, len(truths), 100.0 * ok / n, 100.0 * val / n))


# ------------------------------------------------------------------ (a) synthetic
def synthetic(work, model_dir, show, subset="test", title="(a) held-out synthetic (fonts never seen in training)"):
    tifs = sorted(glob.glob(os.path.join(work, subset, "*.tif")))
    out = os.path.join(work, "eval-synth" if subset == "test" else "eval-synth-" + subset)
    os.makedirs(out, exist_ok=True)
    crops, truths, fonts = [], [], []
    for tif in tifs:
        base = tif[:-4]
        # text2image does not always end a line with a tab box: start a new line
        # at a tab, a page change, or a box with no vertical overlap with the line
        lines, cur = [], []
        for raw in open(base + ".box", encoding="utf-8"):
            parts = raw.rstrip("\n").split(" ")
            ch, (l, b, r, t, page) = parts[0], map(int, parts[-5:])
            if ch == "\t":
                if cur:
                    lines.append(cur)
                cur = []
                continue
            if cur:
                lb, lt = min(c[2] for c in cur), max(c[4] for c in cur)
                if page != cur[-1][5] or t < lb or b > lt:
                    lines.append(cur)
                    cur = []
            cur.append((ch, l, b, r, t, page))
        if cur:
            lines.append(cur)
        npages = len(run(["identify", tif]).stdout.decode().strip().splitlines())
        for p in range(npages):
            page_png = "%s/%s.p%d.png" % (out, os.path.basename(base), p)
            run([CONVERT, "%s[%d]" % (tif, p), page_png])
            W, H = image_size(page_png)
            jobs = []
            for k, ln in enumerate(l for l in lines if l[0][5] == p):
                # words of one line (a stray ':' is its own word) are separated by gaps
                text = ln[0][0]
                for prev, c in zip(ln, ln[1:]):
                    gap = abs(c[1] - prev[3]) if c[1] >= prev[3] else abs(prev[1] - c[3])
                    text += (" " if gap > 0.25 * (prev[4] - prev[2]) else "") + c[0]
                real = ln
                L = min(c[1] for c in real); R = max(c[3] for c in real)
                T = H - max(c[4] for c in real); B = H - min(c[2] for c in real)
                dst = "%s/%s.p%d.l%03d.png" % (out, os.path.basename(base), p, k)
                jobs.append(crop(page_png, dst, L, T, R, B, W, H))
                crops.append(dst); truths.append(norm(text)); fonts.append(os.path.basename(base).rsplit(".", 1)[0])
            do_crops(page_png, jobs)
    results = {name: ocr_batch(crops, lang, psm, md) for name, lang, psm, md in models(model_dir)}
    report(title, truths, results)
    for font in sorted(set(fonts)):
        idx = [i for i, f in enumerate(fonts) if f == font]
        r = results["digits psm7"]
        ok = sum(1 for i in idx if norm(r[i]) == truths[i])
        print("     digits psm7 %-22s %3d/%-3d = %5.1f%%" % (font, ok, len(idx), 100.0 * ok / len(idx)))
    for script, pat in (("Arabic-Indic", "[٠-٩]"), ("Western", "[0-9]")):
        idx = [i for i, t in enumerate(truths) if re.search(pat, t)]
        for name in [n for n in ("digits psm7", "ara psm7") if n in results]:
            ok = sum(1 for i in idx if norm(results[name][i]) == truths[i])
            print("     %-12s %-12s %3d/%-3d = %5.1f%%" % (name, script, ok, len(idx), 100.0 * ok / len(idx)))
    if show:
        for i, t in enumerate(truths):
            if norm(results["digits psm7"][i]) != t:
                print("     miss %-22s truth=%s digits=%s ara=%s" % (fonts[i], t, results["digits psm7"][i], results["ara psm7"][i]))


# -------------------------------------------------------------------- (b) fixtures
def fixture_pages(tmp):
    """Yield (page_png, gt_lines, label) for every page of the fixture boxes."""
    exp = json.load(open(os.path.join(REPO, "Fixtures", "expected.json"), encoding="utf-8"))
    bx = os.path.join(REPO, "Fixtures", "boxes")
    for box, info in exp["boxes"].items():
        for rec in info["records"]:
            for pf in rec["page_files"]:
                path = pf["path"]
                dst = os.path.join(tmp, "src", box, path)
                os.makedirs(os.path.dirname(dst), exist_ok=True)
                if not os.path.exists(dst):
                    if box.endswith(".zip"):
                        with zipfile.ZipFile(os.path.join(bx, box)) as z:
                            open(dst, "wb").write(z.read(path))
                    elif box.endswith(".tar.gz"):
                        with tarfile.open(os.path.join(bx, box)) as t:
                            open(dst, "wb").write(t.extractfile(path).read())
                    else:
                        open(dst, "wb").write(open(os.path.join(bx, box, path), "rb").read())
                n = pf.get("tiff_page")
                png = os.path.join(tmp, "pages", "%s__%s%s.png" % (box, path.replace("/", "__"), "" if n is None else ".%d" % n))
                os.makedirs(os.path.dirname(png), exist_ok=True)
                if not os.path.exists(png):
                    run([CONVERT, "%s[%d]" % (dst, (n or 1) - 1), "-colorspace", "Gray", "-density", "300", "-units", "PixelsPerInch", png])
                gt = open(os.path.join(REPO, "Fixtures", pf["groundtruth"]), encoding="utf-8").read().splitlines()
                yield png, gt, "%s/%s%s [%s, %s]" % (box, path, "" if n is None else "#%d" % n, pf["font"], pf["digits"])


def to_western(s):
    return s.translate(str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789"))


def fixtures(tmp, model_dir, show, hpad):
    crops, truths, ara_words, labels = [], [], [], []
    total_gt, found_gt = 0, set()
    for png, gt, label in fixture_pages(tmp):
        # ara's page layout does not depend on the digits model: cached next to the work dir
        cache = os.path.join(os.path.dirname(tmp), "eval-ara-tsv", os.path.basename(png) + ".tsv")
        if os.path.exists(cache):
            tsv = open(cache, encoding="utf-8").read()
        else:
            tsv = run(["tesseract", png, "-", "-l", "ara", "--psm", "3", "tsv"]).stdout.decode("utf-8")
            os.makedirs(os.path.dirname(cache), exist_ok=True)
            open(cache, "w", encoding="utf-8").write(tsv)
        rows = list(csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE))
        words = [r for r in rows if r["level"] == "5" and r["text"].strip()]
        # tesseract text lines, top to bottom
        lines = {}
        for w in words:
            lines.setdefault((w["block_num"], w["par_num"], w["line_num"]), []).append(w)
        order = sorted(lines, key=lambda k: min(int(w["top"]) for w in lines[k]))
        W, H = image_size(png)
        gt_nums = [NUM_RE.findall(l) for l in gt]
        total_gt += sum(len(n) for n in gt_nums)
        jobs = []
        for li, key in enumerate(order):
            ws = lines[key]
            text = " ".join(w["text"] for w in ws)
            # match the gt line: text similarity plus closeness in line index
            def score(j):
                sim = difflib.SequenceMatcher(None, to_western(text), to_western(gt[j])).ratio()
                return sim - 0.05 * abs(j - li * len(gt) / max(1, len(order)))
            j = max(range(len(gt)), key=score)
            # number words of this line, each assigned to the most similar gt number of
            # the matched gt line; pieces of one number that ara split into two words
            # (adjacent, same gt number) are merged into one box.
            pieces = []
            for w in sorted(ws, key=lambda w: int(w["left"])):
                if not DIGIT_RE.search(w["text"]) or not gt_nums[j]:
                    continue
                cand = max(gt_nums[j], key=lambda g: difflib.SequenceMatcher(
                    None, to_western(norm(w["text"])), to_western(g)).ratio())
                l, t, ww, hh = (int(w[k]) for k in ("left", "top", "width", "height"))
                if pieces and pieces[-1][0] == cand and l - pieces[-1][3] < 1.5 * hh:
                    c, L, T, R, B, txt = pieces[-1]
                    pieces[-1] = (c, min(L, l), min(T, t), max(R, l + ww), max(B, t + hh), w["text"] + " " + txt)
                else:
                    pieces.append((cand, l, t, l + ww, t + hh, w["text"]))
            for cand, l, t, r, b, txt in pieces:
                dst = os.path.join(tmp, "crops", "%s.w%d_%d.png" % (os.path.basename(png)[:-4], l, t))
                os.makedirs(os.path.dirname(dst), exist_ok=True)
                jobs.append(crop(png, dst, l, t, r, b, W, H, hpad))
                crops.append(dst); truths.append(cand); ara_words.append(txt); labels.append(label)
                found_gt.add((png, j, cand))
        do_crops(png, jobs)
    results = {name: ocr_batch(crops, lang, psm, md) for name, lang, psm, md in models(model_dir)}
    print("\nfixture pages: %d numbers in ground truth, %d number words found by ara --psm 3 (%d distinct gt numbers)"
          % (total_gt, len(crops), len(found_gt)))
    # hybrid: keep ara's page-level word when it is a clean Western number, else the digits model
    hybrid = [a if re.fullmatch(r"[0-9][0-9/\-.:,]*[0-9]|[0-9]", norm(a)) else d
              for a, d in zip(ara_words, results["digits psm7"])]
    report("(b) real fixture crops, padding %.2f x height left/right, 0.25 x height top/bottom" % hpad,
           truths, results, {"ara page-level word text": ara_words,
                             "hybrid ara-if-Western else digits psm7": hybrid})
    for script, pat in (("Arabic-Indic", "[٠-٩]"), ("Western", "[0-9]")):
        idx = [i for i, t in enumerate(truths) if re.search(pat, t)]
        for name in ("digits psm7", "ara page-level word text"):
            src = results.get(name, ara_words)
            ok = sum(1 for i in idx if norm(src[i]) == truths[i])
            print("     %-25s %-12s %3d/%-3d = %5.1f%%" % (name, script, ok, len(idx), 100.0 * ok / max(1, len(idx))))
    if show and not DIGITS_ONLY:
        for i, t in enumerate(truths):
            print("     %s truth=%-12s digits7=%-12s digits13=%-12s ara-word=%-12s Arabic7=%-12s %s" % (
                "ok  " if norm(results["digits psm7"][i]) == t else "MISS", t, results["digits psm7"][i],
                results["digits psm13"][i], ara_words[i], results["Arabic psm7"][i], labels[i]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", default="/tmp/digits-train")
    ap.add_argument("--model-dir", default=HERE)
    ap.add_argument("--show", action="store_true", help="print every fixture crop and synthetic miss")
    ap.add_argument("--skip-synthetic", action="store_true")
    ap.add_argument("--digits-only", action="store_true", help="only the digits model at psm 7 (fast)")
    ap.add_argument("--parts", default="abc", help="which parts to run: a, b, c (default abc)")
    a = ap.parse_args()
    global DIGITS_ONLY
    DIGITS_ONLY = a.digits_only
    if "a" in a.parts and not a.skip_synthetic:
        synthetic(a.work, a.model_dir, a.show)
    if "c" in a.parts:
        if glob.glob(os.path.join(a.work, "test-deg", "*.tif")):
            synthetic(a.work, a.model_dir, a.show, "test-deg",
                      "(c) held-out DEGRADED synthetic (held-out fonts, train.sh step 4c degradations)")
        else:
            print("\n(c) skipped: no %s/test-deg (run DEGRADED_ONLY=1 train.sh)" % a.work)
    if "b" in a.parts:
        for hpad in (0.3, 0.5):
            fixtures(os.path.join(a.work, "eval-fixtures-%.1f" % hpad), a.model_dir, a.show, hpad)


if __name__ == "__main__":
    main()
