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
        if database.dialect == .postgres {
            // One transaction, pages read and entries written 500 at a time (multi-row inserts).
            return try database.write { db in
                try db.execute("DELETE FROM page_index")
                var after: Int64 = 0, count = 0, tokens = 0
                while true {
                    let rows = try db.rows(
                        """
                        SELECT page.id, page.text_id, \(Catalog.metaSQL) AS meta
                        FROM page JOIN record ON record.id = page.record_id WHERE page.id > ? ORDER BY page.id LIMIT 500
                        """,
                        [after])
                    guard let last = rows.last else { break }
                    after = last["id"]
                    var values: [any SQLValueConvertible] = []
                    for row in rows {
                        let body = IndexTokens(try text(row["text_id"])), head = IndexTokens(row["meta"])
                        values += [row["id"] as Int64, head.tsvector, body.tsvector, body.words, head.words]
                        tokens += body.words + head.words
                    }
                    try db.execute(
                        "INSERT INTO page_index(page_id, tokens, length, meta_length) VALUES "
                            + rows.map { _ in "(?, setweight(?::tsvector, 'A') || ?::tsvector, ?, ?)" }.joined(separator: ", "),
                        values)
                    count += rows.count
                }
                try db.execute("UPDATE index_totals SET pages = ?, tokens = ?", [count, tokens])
                return count
            }
        }
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
            try db.execute(sql: "INSERT OR REPLACE INTO catalog_setting(key, value) VALUES ('index_tiers', '1')")
            try db.execute(
                sql: "INSERT OR REPLACE INTO catalog_setting(key, value) VALUES ('index_tokenizer', ?)",
                arguments: [Catalog.tokenizerVersion])
            return count
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
