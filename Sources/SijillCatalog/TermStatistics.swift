import Foundation
import SijillCore
import Synchronization

/// Document frequencies of query phrases, for ranking (``Catalog/search(_:filters:limit:offset:ranking:)``).
///
/// FTS5's own `bm25()` counts, before it scores the first row, every row that contains each
/// query phrase: a query pairing a rare name with a common word walks the common word's whole
/// doclist. Here a single word's count comes from the index's vocabulary (`page_text_vocab`) and
/// is kept until the index has grown or shrunk by more than 1 %; the page count and token
/// totals come from the index's averages record, which FTS5 keeps up to date. Weights are
/// FTS5's: idf = ln((N − n + 0.5) / (n + 0.5)), at least 1e-6.
final class TermStatistics: Sendable {
    private struct Entry {
        var documents: Int
        var indexRows: Int
    }

    private let cache = Mutex<[Key: Entry]>([:])
    private static let maxEntries = 50_000
    /// A prefix or phrase is counted by running it, up to this many rows.
    static let countLimit = 20_000

    private struct Key: Hashable {
        var tokens: [String]
        var prefix: Bool
    }

    /// The IDF of each phrase, as the blob `sijill_bm25` reads (native doubles, phrase order).
    /// `extraPhrases` more phrases follow the query's own (tier tokens) and weigh nothing.
    func idfBlob(_ query: SearchQuery, extraPhrases: Int = 0, _ db: any SQLConnection) throws -> Data {
        let idfs = try idfs(query, db) + Array(repeating: 0, count: extraPhrases)
        return idfs.withUnsafeBufferPointer { Data(buffer: $0) }
    }

    /// The IDF of each of the query's phrases, in order.
    /// `rows` is the index's page count when the caller has already read it.
    func idfs(_ query: SearchQuery, rows: Int? = nil, _ db: any SQLConnection) throws -> [Double] {
        let rows = try rows ?? Self.indexRows(db)
        return try query.phrases.map { Self.idf(documents: try documents($0, rows: rows, db), rows: rows) }
    }


    /// FTS5's idf of a phrase in `documents` of `rows` pages.
    static func idf(documents: Int, rows: Int) -> Double {
        max(1e-6, log((Double(rows) - Double(documents) + 0.5) / (Double(documents) + 0.5)))
    }

    /// Forgets every count (after the index was rebuilt).
    func removeAll() { cache.withLock { $0.removeAll() } }

    /// Pages holding `phrase` (for a phrase, its rarest word's count; for a prefix, counted up
    /// to ``countLimit``), in an index of `rows` pages (``indexRows(_:)``, read once per search:
    /// on PostgreSQL each read is a round trip).
    func documents(_ phrase: SearchQuery.Phrase, rows: Int, _ db: any SQLConnection) throws -> Int {
        let key = Key(tokens: phrase.tokens, prefix: phrase.prefix)
        if let entry = cache.withLock({ $0[key] }), abs(entry.indexRows - rows) * 100 <= max(entry.indexRows, 1) {
            return entry.documents
        }
        let count: Int
        let postgres = db.dialect == .postgres
        if phrase.prefix {
            count = try db.scalar(
                Int.self,
                postgres
                    ? "SELECT count(*) FROM (SELECT 1 FROM page_index WHERE tokens @@ ?::tsquery LIMIT ?) s"
                    : "SELECT count(*) FROM (SELECT 1 FROM page_text WHERE page_text MATCH ? LIMIT ?)",
                [postgres ? phrase.tsquery : phrase.ftsText, Self.countLimit]) ?? 0
        } else {
            // A phrase occurs in at most as many rows as its rarest word.
            var rarest = Int.max
            for token in Set(phrase.tokens) {
                let n = try db.scalar(
                    Int.self,
                    postgres
                        ? "SELECT count(*) FROM page_index WHERE tokens @@ ?::tsquery"
                        : "SELECT doc FROM page_text_vocab WHERE term = ?",
                    [postgres ? SearchQuery.Phrase(tokens: [token], prefix: false).tsquery : token]) ?? 0
                rarest = min(rarest, n)
            }
            count = rarest == .max ? 0 : rarest
        }
        cache.withLock { cache in
            if cache.count >= Self.maxEntries { cache.removeAll() }
            cache[key] = Entry(documents: count, indexRows: rows)
        }
        return count
    }

    /// Rows in the index, from FTS5's averages record (rowid 1 of `page_text_data`: a varint row
    /// count, then one varint token total per column).
    /// On PostgreSQL, `index_totals` (kept with every index change).
    static func indexRows(_ db: any SQLConnection) throws -> Int {
        if db.dialect == .postgres { return try db.scalar(Int.self, "SELECT pages FROM index_totals") ?? 0 }
        guard let block = try db.scalar(Data.self, "SELECT block FROM page_text_data WHERE id = 1") else { return 0 }
        return Int(clamping: varint(block))
    }

    /// SQLite's variable-length integer: big-endian groups of 7 bits, the ninth byte whole.
    static func varint(_ bytes: Data) -> UInt64 {
        var value: UInt64 = 0
        for (i, byte) in bytes.prefix(9).enumerated() {
            if i == 8 { return (value << 8) | UInt64(byte) }
            value = (value << 7) | UInt64(byte & 0x7F)
            if byte & 0x80 == 0 { return value }
        }
        return value
    }
}
