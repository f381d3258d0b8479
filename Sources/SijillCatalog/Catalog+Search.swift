import GRDB
import SijillCore

extension Catalog {
    /// Pages matching `query`, best first.
    ///
    /// The query was parsed into quoted, folded terms by ``SearchQuery``, so the MATCH expression
    /// never contains user syntax; the same tokenizer folds index and query.
    public func search(_ query: SearchQuery, limit: Int = 20) throws -> [SearchHit] {
        let limit = max(1, min(limit, 1_000))
        return try writer.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT page.record_id, page.page_no, page.image_id, page.source, record.box,
                           record.title, record.reference,
                           snippet(page_text, 0, '[', ']', '…', 12) AS snippet,
                           bm25(page_text) AS rank
                    FROM page_text
                    JOIN page ON page.id = page_text.rowid
                    JOIN record ON record.id = page.record_id
                    WHERE page_text MATCH ?
                    ORDER BY rank, page.record_id, page.page_no
                    LIMIT ?
                    """,
                arguments: [query.ftsExpression, limit])
            return rows.map { row in
                let rank: Double = row["rank"]
                return SearchHit(
                    record: row["record_id"], page: row["page_no"], pageId: row["image_id"],
                    source: row["source"], box: row["box"],
                    snippet: (row["snippet"] as String? ?? "").replacingOccurrences(of: "\n", with: " "),
                    score: -rank,
                    title: row["title"], reference: row["reference"])
            }
        }
    }
}
