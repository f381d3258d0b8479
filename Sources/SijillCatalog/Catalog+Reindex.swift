import Foundation
import Synchronization
import GRDB
import SijillCore

extension Catalog {
    /// Rebuilds the whole search index from the stored OCR text of every page, in one
    /// transaction: readers see the old index until the new one is complete, and a failure
    /// (e.g. a corrupt text object) leaves the old index untouched.
    ///
    /// `text` returns the stored text for a text object ID (verified by the store).
    @discardableResult
    public func rebuildIndex(text: (ContentID) throws -> String) throws -> Int {
        defer { termStatistics.removeAll() }
        if database.dialect == .postgres { return try rebuildIndexPostgres(text: text) }
        return try writer.write { db in
            try db.execute(sql: "INSERT INTO page_text(page_text) VALUES ('delete-all')")
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT page.id, page.text_id, \(Catalog.metaSQL) AS meta
                    FROM page JOIN record ON record.id = page.record_id ORDER BY page.id
                    """)
            let insert = try db.makeStatement(sql: "INSERT INTO page_text(rowid, text, meta) VALUES (?, ?, ?)")
            var count = 0
            while let row = try rows.next() {
                let textID: ContentID = row["text_id"]
                try insert.execute(arguments: [row["id"] as Int64, try text(textID), row["meta"] as String])
                count += 1
            }
            try Self.recordIndexSettings(GRDBDatabase.Connection(db: db))
            return count
        }
    }

    /// PostgreSQL: in one transaction, like SQLite's. The GIN index is dropped and built again
    /// once at the end (several times faster than growing it page by page; searches wait for
    /// the rebuild meanwhile). The pages' tokens are made on another thread while the previous
    /// batch is written, and their texts are read here, 500 pages at a time.
    func rebuildIndexPostgres(text: (ContentID) throws -> String) throws -> Int {
        try database.write { db in
            try db.execute("DELETE FROM page_index")
            try db.execute("DROP INDEX IF EXISTS page_index_tokens")
            var after: Int64 = 0, count = 0, tokens = 0
            var pending: [SQLValue] = [], pendingRows = 0
            func flush() throws {
                guard pendingRows > 0 else { return }
                try db.execute(
                    "INSERT INTO page_index(page_id, tokens, length, meta_length) VALUES "
                        + Array(repeating: "(?, setweight(?::tsvector, 'A') || ?::tsvector, ?, ?)", count: pendingRows)
                            .joined(separator: ", "),
                    pending)
                pending = []
                pendingRows = 0
            }
            while true {
                let rows = try db.rows(
                    """
                    SELECT page.id, page.text_id, \(Catalog.metaSQL) AS meta
                    FROM page JOIN record ON record.id = page.record_id WHERE page.id > ? ORDER BY page.id LIMIT 500
                    """,
                    [after])
                guard let last = rows.last else { break }
                after = last["id"]
                let inputs: [(id: Int64, text: String, meta: String)] = try rows.map { (try $0["id"], try text($0["text_id"]), try $0["meta"]) }
                // Tokens for this batch on another thread while the previous batch is written.
                let made = Mutex<(values: [SQLValue], tokens: Int)>(([], 0))
                let group = DispatchGroup()
                DispatchQueue.global().async(group: group) {
                    var values: [SQLValue] = [], words = 0
                    values.reserveCapacity(inputs.count * 5)
                    for input in inputs {
                        let body = IndexTokens(input.text), head = IndexTokens(input.meta)
                        values += [.integer(input.id), .text(head.tsvector), .text(body.tsvector), .integer(Int64(body.words)), .integer(Int64(head.words))]
                        words += body.words + head.words
                    }
                    made.withLock { $0 = (values, words) }
                }
                try flush()
                group.wait()
                let batch = made.withLock { $0 }
                pending = batch.values
                pendingRows = inputs.count
                tokens += batch.tokens
                count += inputs.count
            }
            try flush()
            try db.execute("SET LOCAL maintenance_work_mem = '256MB'")
            try db.execute(PostgresSchema.pageIndexGIN)
            try db.execute("UPDATE index_totals SET pages = ?, tokens = ?", [count, tokens])
            try Self.recordIndexSettings(db)
            return count
        }
    }

    /// Records that the index was built with impact tiers by this tokenizer version.
    static func recordIndexSettings(_ db: any SQLConnection) throws {
        for (key, value) in [("index_tiers", "1"), ("index_tokenizer", tokenizerVersion)] {
            try db.execute(
                "INSERT INTO catalog_setting(key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [key, value])
        }
    }

    /// The tokenizer's version: raised when the same text would be indexed differently.
    static let tokenizerVersion = "2"

    /// Why the search index should be rebuilt with `sijill reindex` (it was built by an older
    /// tokenizer or without impact tiers), or nil when it is current.
    public func indexAdvice() throws -> String? {
        try database.read { db in
            var reasons: [String] = []
            if try !indexHasTiers(db) { reasons.append("built before impact tiers (common words are ranked slowly)") }
            let tokenizer = try db.scalar(String.self, "SELECT value FROM catalog_setting WHERE key = 'index_tokenizer'")
            if tokenizer != Catalog.tokenizerVersion {
                reasons.append("built by an older tokenizer (words around ALM, bidi isolates or emoji are glued together)")
            }
            return reasons.isEmpty ? nil : "the search index was " + reasons.joined(separator: " and ") + "; run `sijill reindex`"
        }
    }
}
