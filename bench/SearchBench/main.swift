// sijill-search-bench: builds an FTS5 index of a synthetic corpus with Sijill's catalog schema and
// Arabic tokenizer, then times the clerk's search (top 10) per query class. Run by bench/search.
//
//   sijill-search-bench --corpus corpus.tsv --queries queries.tsv --db fts.sqlite --json out.json
//     [--exact-limit 4000] [--budget 3000] [--reuse] [--postgres postgres://user@host:port/db]
//
// With --postgres, the same corpus goes into a PostgreSQL catalog (tsvector + GIN, see
// Catalog+SearchPostgres) instead of the SQLite file, and the same queries are timed there.
// --skip-exact: no exact-bm25 runs (no overlap@10); --print-tsqueries: print each query's class,
// text and tsquery (for experiments in psql) after loading, and stop.
import Foundation
import GRDB
import SijillCatalog
import SijillCore

#if canImport(Glibc)
import Glibc
#endif

struct Options {
    var corpus = "", queries = "", db = "", json = ""
    var exactLimit = 4_000
    var budget = 3_000
    var reuse = false
    var postgres = ""
    var skipExact = false
    var printTSQueries = false

    init(_ args: [String]) {
        var i = 1
        func next() -> String {
            i += 1
            guard i < args.count else { fatalError("missing value for \(args[i - 1])") }
            return args[i]
        }
        while i < args.count {
            switch args[i] {
            case "--corpus": corpus = next()
            case "--queries": queries = next()
            case "--db": db = next()
            case "--json": json = next()
            case "--exact-limit": exactLimit = Int(next()) ?? exactLimit
            case "--budget": budget = Int(next()) ?? budget
            case "--reuse": reuse = true
            case "--postgres": postgres = next()
            case "--skip-exact": skipExact = true
            case "--print-tsqueries": printTSQueries = true
            default: fatalError("unknown argument \(args[i])")
            }
            i += 1
        }
        guard !corpus.isEmpty, !queries.isEmpty, !db.isEmpty || !postgres.isEmpty else {
            fatalError("usage: sijill-search-bench --corpus F --queries F --db F [--json F] [--exact-limit N] [--budget N] [--reuse]")
        }
    }
}

/// Reads a file line by line without loading it whole.
func forEachLine(_ path: String, _ body: (String) throws -> Void) throws {
    guard let file = fopen(path, "r") else { fatalError("cannot open \(path)") }
    defer { fclose(file) }
    var buffer: UnsafeMutablePointer<CChar>?
    var capacity = 0
    defer { free(buffer) }
    while getline(&buffer, &capacity, file) > 0 {
        var line = String(cString: buffer!)
        if line.hasSuffix("\n") { line.removeLast() }
        try body(line)
    }
}

func percentile(_ values: [Double], _ p: Double) -> Double {
    guard !values.isEmpty else { return 0 }
    let sorted = values.sorted()
    let index = min(sorted.count - 1, max(0, Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1))
    return sorted[index]
}

func milliseconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
}

let options = Options(CommandLine.arguments)
let fm = FileManager.default
if !options.reuse, options.postgres.isEmpty {
    for suffix in ["", "-wal", "-shm"] { try? fm.removeItem(atPath: options.db + suffix) }
}
// The page texts, standing in for the blob store: snippets are cut from them, as in `sijill search`.
final class TextTable: @unchecked Sendable {
    var texts: [ContentID: String] = [:]
}
let textTable = TextTable()
let onPostgres = !options.postgres.isEmpty
let loader: Catalog.PageTextLoader = { id in textTable.texts[id] ?? "" }
let catalog = onPostgres
    ? try Catalog.open(postgres: options.postgres, pageText: loader)
    : try Catalog.open(at: URL(fileURLWithPath: options.db), pageText: loader)
var pages = try catalog.counts().pages
var buildSeconds = 0.0
var ftsSeconds = 0.0

if options.reuse, pages > 0 {
    try forEachLine(options.corpus) { line in
        guard let tab = line.firstIndex(of: "\t"), let rowid = Int64(line[..<tab]) else { return }
        textTable.texts[ContentID.of(Data("page \(rowid)".utf8))] = String(line[line.index(after: tab)...])
    }
    // A PostgreSQL run stopped while its index was built: build it now.
    if onPostgres, try catalog.database.read({ db in try db.scalar(Int.self, "SELECT pages FROM index_totals") }) == 0 {
        let indexStart = Date()
        try catalog.rebuildIndex { id in textTable.texts[id] ?? "" }
        try (catalog.database as! PostgresDatabase).administer("VACUUM ANALYZE")
        ftsSeconds = Date().timeIntervalSince(indexStart)
    }
}
if !options.reuse || pages == 0 {
    // Records and pages rows first (one record per page), then the index, timed on its own:
    // that is the reindex path (stored OCR text → FTS5 with the Arabic tokenizer).
    let buildStart = Date()
    textTable.texts.reserveCapacity(1_100_000)
    var texts: [(Int64, String)] = []
    texts.reserveCapacity(20_000)
    func flush() throws {
        let batch = texts
        texts.removeAll(keepingCapacity: true)
        if onPostgres {
            // Rows only (500 per statement); the index is built after, by `rebuildIndex` (timed).
            try catalog.database.write { db in
                for chunk in stride(from: 0, to: batch.count, by: 500).map({ Array(batch[$0..<min($0 + 500, batch.count)]) }) {
                    var records: [any SQLValueConvertible] = [], pages: [any SQLValueConvertible] = []
                    for (rowid, _) in chunk {
                        let id = ContentID.of(Data("page \(rowid)".utf8)).hex
                        records += [id, id, "p\(rowid)"]
                        pages += [rowid, id, id, id, "p\(rowid)", id, id]
                    }
                    try db.execute(
                        "INSERT INTO record(id, manifest_id, box, source, extra, page_count, ingested_at) VALUES "
                            + chunk.map { _ in "(?, ?, 'bench', ?, '{}', 1, '2026-01-01T00:00:00Z')" }.joined(separator: ", "),
                        records)
                    try db.execute(
                        """
                        INSERT INTO page(id, record_id, page_no, image_id, source_id, source, frame, text_id, hocr_id, confidence,
                            word_count, low_conf_words, ocr_engine, ocr_settings, dpi, dpi_assumed) VALUES
                        """ + chunk.map { _ in "(?, ?, 1, ?, ?, ?, 0, ?, ?, 90, 120, 0, 'bench', 'bench', 300, 0)" }
                            .joined(separator: ", "),
                        pages)
                }
            }
            return
        }
        try catalog.writer.write { db in
            let record = try db.makeStatement(sql: """
                INSERT INTO record(id, manifest_id, box, source, extra, page_count, ingested_at)
                VALUES (?, ?, 'bench', ?, '{}', 1, '2026-01-01T00:00:00Z')
                """)
            let page = try db.makeStatement(sql: """
                INSERT INTO page(id, record_id, page_no, image_id, source_id, source, frame, text_id, hocr_id, confidence,
                    word_count, low_conf_words, ocr_engine, ocr_settings, dpi, dpi_assumed)
                VALUES (?, ?, 1, ?, ?, ?, 0, ?, ?, 90, 120, 0, 'bench', 'bench', 300, 0)
                """)
            for (rowid, _) in batch {
                let id = ContentID.of(Data("page \(rowid)".utf8)).hex
                try record.execute(arguments: [id, id, "p\(rowid)"])
                try page.execute(arguments: [rowid, id, id, id, "p\(rowid)", id, id])
            }
        }
        let ftsStart = Date()
        try catalog.writer.write { db in
            let insert = try db.makeStatement(sql: "INSERT INTO page_text(rowid, text, meta) VALUES (?, ?, '')")
            for (rowid, text) in batch { try insert.execute(arguments: [rowid, text]) }
        }
        ftsSeconds += Date().timeIntervalSince(ftsStart)
    }
    try forEachLine(options.corpus) { line in
        guard let tab = line.firstIndex(of: "\t"), let rowid = Int64(line[..<tab]) else { return }
        let text = String(line[line.index(after: tab)...])
        texts.append((rowid, text))
        textTable.texts[ContentID.of(Data("page \(rowid)".utf8))] = text
        if texts.count == 20_000 {
            try flush()
            pages += 20_000
            FileHandle.standardError.write(Data("indexed \(pages) pages\r".utf8))
        }
    }
    if !texts.isEmpty {
        pages += texts.count
        try flush()
    }
    if onPostgres {
        let indexStart = Date()
        try catalog.rebuildIndex { id in textTable.texts[id] ?? "" }
        try (catalog.database as! PostgresDatabase).administer("VACUUM ANALYZE")
        ftsSeconds = Date().timeIntervalSince(indexStart)
    } else {
        let optimizeStart = Date()
        try catalog.writer.write { db in try db.execute(sql: "INSERT INTO page_text(page_text) VALUES ('optimize')") }
        ftsSeconds += Date().timeIntervalSince(optimizeStart)
        try catalog.writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
    }
    buildSeconds = Date().timeIntervalSince(buildStart)
    FileHandle.standardError.write(Data("\n".utf8))
}

var queries: [(cls: String, text: String)] = []
try forEachLine(options.queries) { line in
    let parts = line.split(separator: "\t", maxSplits: 1).map(String.init)
    if parts.count == 2 { queries.append((parts[0], parts[1])) }
}
// For experiments in psql (other index types): each query and its tsquery, then stop.
if options.printTSQueries {
    for (cls, text) in queries { print("\(cls)\t\(text)\t\(try SearchQuery(text).tsquery)") }
    exit(0)
}

var latency: [String: [Double]] = [:]
var latencyExact: [String: [Double]] = [:]
var latencyRankOnly: [String: [Double]] = [:]
// The same index without page texts: ranking alone, no snippets (what tantivy's side times).
let rankOnly = onPostgres ? Catalog(sharing: catalog, pageText: nil) : try Catalog.open(at: URL(fileURLWithPath: options.db))
var overlaps: [String: [Double]] = [:]
var top10: [String: [Int64]] = [:]
var top10Exact: [String: [Int64]] = [:]
var matches: [String: Int] = [:]
var perQuery: [String: [String: Double]] = [:]

func rowids(_ hits: [SearchHit]) throws -> [Int64] {
    try catalog.database.read { db in
        try hits.map { hit in
            try db.scalar(Int64.self, "SELECT id FROM page WHERE record_id = ? AND page_no = ?", [hit.record, hit.page]) ?? -1
        }
    }
}

for (cls, text) in queries {
    let query = try SearchQuery(text)
    // Warm-up, then the median of 5 runs.
    let bounded = SearchRanking.bounded(exactLimit: options.exactLimit, budget: options.budget)
    var capped: [SearchHit] = try catalog.search(query, limit: 10, ranking: bounded)
    // Exact bm25 over every match of a common word scores hundreds of thousands of pages;
    // --skip-exact leaves it out (overlap@10 is then not measured).
    var exact: [SearchHit] = options.skipExact ? [] : try catalog.search(query, limit: 10, ranking: .exact)
    var times: [Double] = [], exactTimes: [Double] = []
    for _ in 0..<5 {
        times.append(try milliseconds { capped = try catalog.search(query, limit: 10, ranking: bounded) })
        if !options.skipExact {
            exactTimes.append(try milliseconds { exact = try catalog.search(query, limit: 10, ranking: .exact) })
        }
    }
    var rankTimes: [Double] = []
    _ = try rankOnly.search(query, limit: 10, ranking: bounded)
    for _ in 0..<5 { rankTimes.append(try milliseconds { _ = try rankOnly.search(query, limit: 10, ranking: bounded) }) }
    latencyRankOnly[cls, default: []].append(rankTimes.sorted()[2])
    latencyRankOnly["all", default: []].append(rankTimes.sorted()[2])
    let median = times.sorted()[2], exactMedian = exactTimes.isEmpty ? 0 : exactTimes.sorted()[2]
    latency[cls, default: []].append(median)
    latency["all", default: []].append(median)
    latencyExact[cls, default: []].append(exactMedian)
    latencyExact["all", default: []].append(exactMedian)
    perQuery[text] = ["bounded_ms": median, "exact_ms": exactMedian, "rank_only_ms": rankTimes.sorted()[2]]
    let a = try rowids(capped), b = try rowids(exact)
    top10[text] = a
    top10Exact[text] = b
    let overlap = b.isEmpty ? 1 : Double(Set(a).intersection(b).count) / Double(b.count)
    overlaps[cls, default: []].append(overlap)
    overlaps["all", default: []].append(overlap)
    matches[text] = try catalog.database.read { db in
        onPostgres
            ? try db.scalar(Int.self, "SELECT count(*) FROM page_index WHERE tokens @@ ?::tsquery", [query.tsquery]) ?? 0
            : try db.scalar(Int.self, "SELECT count(*) FROM page_text WHERE page_text MATCH ?", [query.ftsExpression]) ?? 0
    }
}

func summary(_ values: [String: [Double]]) -> [String: [String: Double]] {
    values.mapValues { ["p50": percentile($0, 50), "p95": percentile($0, 95), "p99": percentile($0, 99)] }
}

var indexBytes = 0
if onPostgres {
    indexBytes = try catalog.database.read { db in try db.scalar(Int.self, "SELECT pg_total_relation_size('page_index')") } ?? 0
} else {
    for suffix in ["", "-wal", "-shm"] {
        indexBytes += ((try? fm.attributesOfItem(atPath: options.db + suffix)[.size]) as? Int) ?? 0
    }
}
let result: [String: Any] = [
    "engine": onPostgres ? "postgresql-15 tsvector + GIN (Sijill analyzer, stems, impact tiers; bm25 in Swift)"
        : "sqlite-fts5 (Sijill arabic tokenizer, stems)",
    "pages": pages,
    "build_seconds": buildSeconds,
    "fts_seconds": ftsSeconds,
    "pages_per_second": ftsSeconds > 0 ? Double(pages) / ftsSeconds : 0.0,
    "index_bytes": indexBytes,
    "exact_limit": options.exactLimit,
    "budget": options.budget,
    "latency_ms": summary(latency),
    "latency_ms_exact": summary(latencyExact),
    "latency_ms_rank_only": summary(latencyRankOnly),
    "overlap_at_10": overlaps.mapValues { $0.reduce(0, +) / Double($0.count) },
    "top10": top10.mapValues { $0.map { Int($0) } },
    "top10_exact": top10Exact.mapValues { $0.map { Int($0) } },
    "matches": matches,
    "per_query_ms": perQuery,
]
let data = try JSONSerialization.data(withJSONObject: result, options: [.prettyPrinted, .sortedKeys])
if options.json.isEmpty {
    FileHandle.standardOutput.write(data)
} else {
    try data.write(to: URL(fileURLWithPath: options.json))
}
let l = summary(latency)["all"]!, e = summary(latencyExact)["all"]!
print(String(
    format: "pages %ld, index %.0f pages/s, %.1f MB; top-10 latency p50 %.2f ms p95 %.2f ms (exact: p50 %.2f p95 %.2f); overlap@10 %.3f",
    pages, ftsSeconds > 0 ? Double(pages) / ftsSeconds : 0.0, Double(indexBytes) / 1e6, l["p50"]!, l["p95"]!, e["p50"]!, e["p95"]!,
    overlaps["all"].map { $0.reduce(0, +) / Double($0.count) } ?? 0))
