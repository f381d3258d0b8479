#!/usr/bin/env python3
"""bench/search_tantivy.py — the tantivy side of bench/search (tantivy is Paperless-ngx's engine).

    bench/search_tantivy.py --corpus corpus.tsv --queries queries.tsv --index DIR [--json OUT]
        [--heap-mb 2000] [--threads 2] [--no-fold]

Builds a tantivy index of the corpus (schema: `id` u64 stored, indexed, fast; `text` indexed
with the default tokenizer, not stored) into DIR (emptied first), then times each query top-10
by BM25: one warm-up pass over all queries, then 5 runs of each query, median kept. A query is
the AND of its words; a word that splits into several tokens (81559/1982) is a phrase of them.
The timed call is query construction + search + reading the 10 ids from the `id` fast field.

Text and queries are folded the way Sijill's tokenizer folds them (Arabic-Indic digits → 0-9,
أ إ آ ٱ → ا, ى → ي, ة → ه, ؤ → و, ئ → ي, tatweel and harakat dropped) before tantivy sees them,
so both engines match the same surface forms; the folding counts in the build time. `--no-fold`
indexes the text as is (the Paperless-ngx default analyzer has no Arabic folding).

Percentiles are nearest-rank, as in bench/SearchBench.
"""
import argparse, json, math, os, re, shutil, statistics, subprocess, sys, time

import tantivy

try:
    from importlib.metadata import version as _version
    TANTIVY_VERSION = _version("tantivy")
except Exception:  # noqa: BLE001
    TANTIVY_VERSION = "?"

FOLD = str.maketrans({
    **{chr(0x0660 + i): str(i) for i in range(10)},
    **{chr(0x06F0 + i): str(i) for i in range(10)},
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ی": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي", "ک": "ك",
    **{chr(c): None for c in list(range(0x064B, 0x0653)) + [0x0670, 0x0640]},
})
TOKEN = re.compile(r"[^\W_]+")  # runs of letters/digits, like tantivy's SimpleTokenizer


def percentile(values, p):
    """Nearest rank, the same definition as bench/SearchBench."""
    if not values:
        return 0.0
    s = sorted(values)
    return s[min(len(s) - 1, max(0, math.ceil(p / 100 * len(s)) - 1))]


def summary(values):
    return {"p50": percentile(values, 50), "p95": percentile(values, 95), "p99": percentile(values, 99)}


def du_bytes(path):
    try:
        return int(subprocess.run(["du", "-sb", path], capture_output=True, text=True, check=True).stdout.split()[0])
    except (subprocess.CalledProcessError, FileNotFoundError, ValueError):
        return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs)


def build(args, schema):
    if os.path.exists(args.index):
        shutil.rmtree(args.index)
    os.makedirs(args.index)
    index = tantivy.Index(schema, path=args.index)
    start = time.perf_counter()
    writer = index.writer(heap_size=args.heap_mb * 1_000_000, num_threads=args.threads)
    pages = 0
    fold = not args.no_fold
    with open(args.corpus, encoding="utf-8") as f:
        for line in f:
            rowid, _, text = line.rstrip("\n").partition("\t")
            if fold:
                text = text.translate(FOLD)
            doc = tantivy.Document()
            doc.add_unsigned("id", int(rowid))
            doc.add_text("text", text)
            writer.add_document(doc)
            pages += 1
            if pages % 100_000 == 0:
                print(f"tantivy: added {pages} pages ({time.perf_counter() - start:.0f} s)", file=sys.stderr)
    writer.commit()
    writer.wait_merging_threads()
    seconds = time.perf_counter() - start
    index.reload()
    return index, pages, seconds


def make_query(schema, text, fold):
    """AND of the query's words; a multi-token word is a phrase."""
    parts = []
    for word in text.split():
        tokens = [t.lower() for t in TOKEN.findall(word.translate(FOLD) if fold else word)]
        if not tokens:
            continue
        if len(tokens) == 1:
            q = tantivy.Query.term_query(schema, "text", tokens[0])
        else:
            q = tantivy.Query.phrase_query(schema, "text", tokens)
        parts.append((tantivy.Occur.Must, q))
    return tantivy.Query.boolean_query(parts)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--queries", required=True)
    ap.add_argument("--index", required=True)
    ap.add_argument("--json")
    ap.add_argument("--heap-mb", type=int, default=2000, help="writer heap, split between threads")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--no-fold", action="store_true")
    args = ap.parse_args()
    fold = not args.no_fold

    sb = tantivy.SchemaBuilder()
    sb.add_unsigned_field("id", stored=True, indexed=True, fast=True)
    sb.add_text_field("text", stored=False, tokenizer_name="default", index_option="position")
    schema = sb.build()

    index, pages, build_seconds = build(args, schema)
    index_bytes = du_bytes(args.index)
    searcher = index.searcher()
    print(f"tantivy: built {pages} pages in {build_seconds:.1f} s ({pages / build_seconds:.0f} pages/s), "
          f"{index_bytes / 1e6:.1f} MB, {searcher.num_segments} segments", file=sys.stderr)

    queries = []
    with open(args.queries, encoding="utf-8") as f:
        for line in f:
            cls, _, q = line.rstrip("\n").partition("\t")
            if q:
                queries.append((cls, q))

    def run(q):
        result = searcher.search(make_query(schema, q, fold), 10, count=False)
        return searcher.fast_field_values("id", [addr for _, addr in result.hits])

    for _, q in queries:  # warm-up
        run(q)
    latency, top10, matches = {"all": []}, {}, {}
    for cls, q in queries:
        times = []
        for _ in range(args.runs):
            t = time.perf_counter()
            ids = run(q)
            times.append((time.perf_counter() - t) * 1000)
        med = statistics.median(times)
        latency.setdefault(cls, []).append(med)
        latency["all"].append(med)
        top10[q] = [int(i) for i in ids]
        matches[q] = searcher.search(make_query(schema, q, fold), 1, count=True).count

    result = {
        "engine": f"tantivy-py {TANTIVY_VERSION} (default tokenizer{', Sijill folding' if fold else ''})",
        "pages": pages,
        "build_seconds": build_seconds,
        "pages_per_second": pages / build_seconds if build_seconds else 0,
        "index_bytes": index_bytes,
        "segments": searcher.num_segments,
        "writer_heap_bytes": args.heap_mb * 1_000_000,
        "writer_threads": args.threads,
        "latency_ms": {k: summary(v) for k, v in latency.items()},
        "top10": top10,
        "matches": matches,
    }
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(result, f, ensure_ascii=False, indent=1, sort_keys=True)
    else:
        json.dump(result, sys.stdout, ensure_ascii=False, indent=1, sort_keys=True)
        print()
    a = result["latency_ms"]["all"]
    zero = sum(1 for v in matches.values() if v == 0)
    print(f"tantivy: top-10 latency p50 {a['p50']:.2f} ms p95 {a['p95']:.2f} ms p99 {a['p99']:.2f} ms"
          f" over {len(queries)} queries ({zero} without hits)", file=sys.stderr)


if __name__ == "__main__":
    main()
