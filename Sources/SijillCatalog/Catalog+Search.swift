import GRDB
import SijillCore

extension Catalog {
    /// Pages matching `query` and `filters`, best first.
    ///
    /// The query was parsed into quoted, folded terms by ``SearchQuery``, so the MATCH expression
    /// never contains user syntax; the same tokenizer folds index and query. Ranking is bm25 with
    /// the record's title, reference, agency and series weighted 4× above page text.
    ///
    /// With `candidateLimit`, a query matching more pages than that is ranked exactly only among
    /// the `candidateLimit` most recently ingested matching pages: bm25 is computed for every
    /// matching row, so a common word over a million pages would otherwise score them all.
    /// Selective queries (names, numbers) match fewer pages and are always ranked exactly.
    public func search(
        _ query: SearchQuery, filters: SearchFilters? = nil, limit: Int = 20, offset: Int = 0,
        candidateLimit: Int? = nil
    ) throws -> [SearchHit] {
        try rankedPages(query, filters: filters, limit: limit, offset: offset, candidateLimit: candidateLimit)
            .map { try withSnippet($0, query: query) }
    }

    /// A hit and where its page text is stored; the snippet is cut only for hits that are shown.
    struct RankedPage {
        var hit: SearchHit
        var textID: ContentID
    }

    func withSnippet(_ page: RankedPage, query: SearchQuery) throws -> SearchHit {
        var hit = page.hit
        // Cut from the stored text (verified by the store); the index keeps no copy.
        if let pageText { hit.snippet = Snippet.make(try pageText(page.textID), query: query) }
        return hit
    }

    func rankedPages(
        _ query: SearchQuery, filters: SearchFilters?, limit: Int, offset: Int, candidateLimit: Int?
    ) throws -> [RankedPage] {
        let limit = max(1, min(limit, 1_000))
        var conditions = SQLConditions("page_text MATCH ?", query.ftsExpression)
        conditions.add("record.series = ?", filters?.series)
        conditions.add("record.agency = ?", filters?.agency)
        conditions.add("record.box = ?", filters?.box)
        conditions.add("record.date >= ?", filters?.from)
        conditions.add("record.date <= ?", filters?.to)
        return try writer.read { db in
            var conditions = conditions
            if let cap = candidateLimit, cap > 0 {
                // The cap-th newest matching page bounds the set that is ranked. Without filters
                // the FTS index alone answers (no joins per row).
                let boundary = try Int64.fetchOne(
                    db,
                    sql: conditions.clauses.count == 1
                        ? "SELECT rowid FROM page_text WHERE page_text MATCH ? ORDER BY rowid DESC LIMIT 1 OFFSET ?"
                        : """
                            SELECT page_text.rowid FROM page_text
                            JOIN page ON page.id = page_text.rowid JOIN record ON record.id = page.record_id
                            WHERE \(conditions.sql)
                            ORDER BY page_text.rowid DESC LIMIT 1 OFFSET ?
                            """,
                    arguments: conditions.statementArguments([cap - 1]))
                conditions.add("page_text.rowid >= ?", boundary)
            }
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT page.record_id, page.page_no, page.image_id, page.source, page.text_id, record.box,
                           record.title, record.reference, bm25(page_text, 1.0, 4.0) AS rank
                    FROM page_text
                    JOIN page ON page.id = page_text.rowid
                    JOIN record ON record.id = page.record_id
                    WHERE \(conditions.sql)
                    ORDER BY rank, page.record_id, page.page_no
                    LIMIT ? OFFSET ?
                    """,
                arguments: conditions.statementArguments([limit, max(0, offset)]))
            return rows.map { row in
                let rank: Double = row["rank"]
                let hit = SearchHit(
                    record: row["record_id"], page: row["page_no"], pageId: row["image_id"],
                    source: row["source"], box: row["box"], snippet: "",
                    score: -rank, title: row["title"], reference: row["reference"])
                return RankedPage(hit: hit, textID: row["text_id"])
            }
        }
    }

    /// Records matching `query`, best first, each with up to `pagesPerRecord` best pages.
    public func searchRecords(
        _ query: SearchQuery, filters: SearchFilters? = nil, limit: Int = 20, pagesPerRecord: Int = 3
    ) throws -> [RecordResult] {
        let limit = max(1, min(limit, 1_000))
        // Enough page hits to fill `limit` records in the usual case; snippets only for those shown.
        let ranked = try rankedPages(query, filters: filters, limit: min(1_000, limit * 10), offset: 0, candidateLimit: nil)
        var order: [ContentID] = []
        var grouped: [ContentID: [SearchHit]] = [:]
        for page in ranked {
            let record = page.hit.record
            if grouped[record] == nil {
                guard order.count < limit else { continue }
                order.append(record)
            }
            if grouped[record, default: []].count < pagesPerRecord {
                grouped[record, default: []].append(try withSnippet(page, query: query))
            }
        }
        let records = try writer.read { db in
            try StoredRecord.fetchAll(db, keys: order).reduce(into: [ContentID: StoredRecord]()) { $0[$1.id] = $1 }
        }
        return order.compactMap { id in
            guard let pages = grouped[id], let best = pages.first, let record = records[id] else { return nil }
            return RecordResult(
                record: id, title: record.title, reference: record.reference, series: record.series, date: record.date,
                box: record.box, score: best.score, pages: pages)
        }
    }
}
