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

    /// PostgreSQL: in one transaction, like SQLite's, into a new table that replaces the old one
    /// at the end: searches keep using the old index until then (they wait only for the swap),
    /// the new table's GIN index is built once (several times faster than growing it page by
    /// page), and the old table's entries leave no dead rows behind. Pages' tokens are made on
    /// another thread while the previous batch is written; texts are read here, 500 pages at a
    /// time. Before the swap, with ingest held off, what changed meanwhile is caught up: pages
    /// added, entries rewritten (revisions) and pages removed (disposition).
    func rebuildIndexPostgres(text: (ContentID) throws -> String) throws -> Int {
        try database.write { db in
            // Entries written by transactions still running when the rebuild began, or begun
            // after, may be missing from what the rebuild reads: their IDs are at least the
            // oldest one still running then (its snapshot's xmin).
            let started = try db.scalar(Int64.self, "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint") ?? 0
            try db.execute("DROP TABLE IF EXISTS page_index_new")
            try db.execute(
                "CREATE TABLE page_index_new (page_id BIGINT NOT NULL, tokens TSVECTOR NOT NULL, length BIGINT NOT NULL, meta_length BIGINT NOT NULL)")
            try db.execute(PostgresSchema.lz4Tokens(table: "page_index_new"))
            var pending: [SQLValue] = [], pendingRows = 0
            func flush() throws {
                guard pendingRows > 0 else { return }
                try db.execute(
                    "INSERT INTO page_index_new(page_id, tokens, length, meta_length) VALUES "
                        + Array(repeating: "(?, setweight(?::tsvector, 'A') || ?::tsvector, ?, ?)", count: pendingRows)
                            .joined(separator: ", "),
                    pending)
                pending = []
                pendingRows = 0
            }
            /// Indexes the pages `select` returns (id, text_id, meta), in batches.
            func index(_ select: String, _ extra: [SQLValue] = []) throws {
                var after: Int64 = 0
                while true {
                    let rows = try db.rows(select, [SQLValue.integer(after)] + extra)
                    guard let last = rows.last else { break }
                    after = last["id"]
                    let inputs: [(id: Int64, text: String, meta: String)] = try rows.map {
                        (try $0["id"], try text($0["text_id"]), try $0["meta"])
                    }
                    // Tokens for this batch on another thread while the previous batch is written.
                    let made = Mutex<[SQLValue]>([])
                    let group = DispatchGroup()
                    DispatchQueue.global().async(group: group) {
                        var values: [SQLValue] = []
                        values.reserveCapacity(inputs.count * 5)
                        for input in inputs {
                            let body = IndexTokens(input.text), head = IndexTokens(input.meta)
                            values += [
                                .integer(input.id), .text(head.tsvector), .text(body.tsvector), .integer(Int64(body.words)),
                                .integer(Int64(head.words)),
                            ]
                        }
                        made.withLock { $0 = values }
                    }
                    try flush()
                    group.wait()
                    pending = made.withLock { $0 }
                    pendingRows = inputs.count
                }
                try flush()
            }
            let pages = """
                SELECT page.id, page.text_id, \(Catalog.metaSQL) AS meta
                FROM page JOIN record ON record.id = page.record_id WHERE page.id > ?
                """
            try index(pages + " ORDER BY page.id LIMIT 500")
            try db.execute("SET LOCAL maintenance_work_mem = '256MB'")
            try db.execute("ALTER TABLE page_index_new ADD CONSTRAINT page_index_new_pkey PRIMARY KEY (page_id)")
            try db.execute("CREATE INDEX page_index_new_tokens ON page_index_new USING GIN (tokens)")
            // Catch up with ingest, revisions and disposition held off (searches go on).
            try db.execute("LOCK TABLE page, page_index IN SHARE ROW EXCLUSIVE MODE")
            let rewritten = try db.column(
                Int64.self, "SELECT page_id FROM page_index WHERE age(xmin) <= age((? % 4294967296)::text::xid)", [started])
            if !rewritten.isEmpty {
                try db.execute("DELETE FROM page_index_new WHERE page_id = ANY(?::bigint[])", [Self.bigintArray(rewritten)])
                try index(pages + " AND page.id = ANY(?::bigint[]) ORDER BY page.id LIMIT 500", [.text(Self.bigintArray(rewritten))])
            }
            try index(pages + " AND NOT EXISTS (SELECT 1 FROM page_index_new n WHERE n.page_id = page.id) ORDER BY page.id LIMIT 500")
            try db.execute("DELETE FROM page_index_new n WHERE NOT EXISTS (SELECT 1 FROM page WHERE page.id = n.page_id)")
            try db.execute(
                "ALTER TABLE page_index_new ADD CONSTRAINT page_index_new_page_id_fkey FOREIGN KEY (page_id) REFERENCES page(id) ON DELETE CASCADE")
            try db.execute("DROP TABLE page_index")
            try db.execute("ALTER TABLE page_index_new RENAME TO page_index")
            try db.execute("ALTER INDEX page_index_new_pkey RENAME TO page_index_pkey")
            try db.execute("ALTER INDEX page_index_new_tokens RENAME TO page_index_tokens")
            try db.execute("ALTER TABLE page_index RENAME CONSTRAINT page_index_new_page_id_fkey TO page_index_page_id_fkey")
            try db.execute(
                """
                UPDATE index_totals SET pages = s.pages, tokens = s.tokens
                FROM (SELECT count(*) AS pages, coalesce(sum(length + meta_length), 0) AS tokens FROM page_index) s
                """)
            try Self.recordIndexSettings(db)
            return try db.scalar(Int.self, "SELECT pages FROM index_totals") ?? 0
        }
    }

    /// A PostgreSQL `bigint[]` literal.
    static func bigintArray(_ values: [Int64]) -> String { "{" + values.map(String.init).joined(separator: ",") + "}" }

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
