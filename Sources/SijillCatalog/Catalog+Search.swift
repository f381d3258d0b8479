import Foundation
import GRDB
import SijillCore

/// How search results are ranked.
public enum SearchRanking: Sendable, Hashable {
    /// bm25 over every matching page. A common word in a large archive scores hundreds of
    /// thousands of pages (seconds).
    case exact
    /// bm25 over every matching page when the query's rarest word is in at most `exactLimit`
    /// pages (names, numbers: the usual clerk's query). A query made only of common words is
    /// ranked exactly among the pages where one of its words reaches an ``ImpactTier`` whose
    /// pages number at most `budget` in all; if that leaves too few results, the next lower
    /// tier is tried, then the exact ranking.
    case bounded(exactLimit: Int = 4_000, budget: Int = 3_000)

    public static let `default` = SearchRanking.bounded()
}

extension Catalog {
    /// Pages matching `query` and `filters`, best first.
    ///
    /// The query was parsed into quoted, folded terms by ``SearchQuery``, so the MATCH expression
    /// never contains user syntax; the same tokenizer folds index and query. Ranking is bm25
    /// (`sijill_bm25`, FTS5's formula with cached document counts) with the record's title,
    /// reference, agency and series weighted 4× above page text; see ``SearchRanking``.
    public func search(
        _ query: SearchQuery, filters: SearchFilters? = nil, limit: Int = 20, offset: Int = 0,
        ranking: SearchRanking = .default
    ) throws -> [SearchHit] {
        let matcher = Snippet.Matcher(query, vocabulary: snippetCache.vocabulary)
        return try rankedPages(query, filters: filters, limit: limit, offset: offset, ranking: ranking)
            .map { try withSnippet($0, matcher: matcher) }
    }

    /// A hit and where its page text is stored; the snippet is cut only for hits that are shown.
    struct RankedPage {
        var hit: SearchHit
        var textID: ContentID
    }

    func withSnippet(_ page: RankedPage, matcher: Snippet.Matcher) throws -> SearchHit {
        var hit = page.hit
        // Cut from the stored text (verified by the store); the index keeps no copy.
        if let pageText {
            let analysis = try snippetCache.analysis(page.textID, vocabulary: matcher.vocabulary) { try pageText(page.textID) }
            hit.snippet = Snippet.make(analysis, matcher: matcher)
        }
        return hit
    }

    /// One way to run a query: the query itself, or the query limited to the pages where its
    /// words reach an impact tier (``ImpactTier``), as an FTS5 MATCH expression (SQLite) and a
    /// `tsquery` (PostgreSQL); for FTS5, how many tier phrases follow the query's own phrases
    /// (weighted ~0 so they do not change the score).
    struct SearchPlan: Equatable {
        var expression: String
        var tsquery: String
        var tierPhrases = 0
        var tier: Int?
    }

    /// The plans to try in order; the last is always exact.
    func searchPlans(_ query: SearchQuery, ranking: SearchRanking, _ db: Database) throws -> [SearchPlan] {
        try searchPlans(query, ranking: ranking, GRDBDatabase.Connection(db: db))
    }

    func searchPlans(_ query: SearchQuery, ranking: SearchRanking, _ db: any SQLConnection) throws -> [SearchPlan] {
        let exact = SearchPlan(expression: query.ftsExpression, tsquery: query.tsquery)
        guard case .bounded(let exactLimit, let budget) = ranking, try indexHasTiers(db) else { return [exact] }
        let rows = try TermStatistics.indexRows(db)
        // A group matches at most the pages its alternatives are in.
        let groupPages = try query.required.map { group in
            try group.flatMap(\.alternatives).reduce(0) { $0 + (try termStatistics.documents($1, rows: rows, db)) }
        }
        guard let rarest = groupPages.min(), rarest > exactLimit else { return [exact] }
        // Tiers are counted for single words (not phrases, prefixes or OR groups). A word in most
        // pages barely moves bm25 (its idf is near 0), so only words weighing at least a quarter
        // of the rarest one choose the candidates.
        let words = zip(query.required, groupPages).compactMap { group, pages -> (key: String, idf: Double)? in
            guard group.count == 1, let term = group.first, term.tokens.count == 1, !term.prefix else { return nil }
            return (ImpactTier.key(term.tokens[0]), TermStatistics.idf(documents: min(pages, rows), rows: rows))
        }
        guard let heaviest = words.map(\.idf).max() else { return [exact] }
        let keys = Array(Set(words.filter { $0.idf >= heaviest / 4 }.map(\.key))).sorted()
        func pages(_ token: String) throws -> Int {
            try termStatistics.documents(.init(tokens: [token], prefix: false), rows: rows, db)
        }
        // Tier t: pages where every word reaches t (bm25 saturates, so pages using all the
        // words rank first), or one word reaches t + 2.
        let top = ImpactTier.thresholds.count
        var tiers: [(pages: Int, plan: SearchPlan)] = []
        for tier in 1...top {
            let all = keys.map { ImpactTier.token(key: $0, tier: tier) }
            var cost = try all.map(pages).min() ?? 0
            var clause = all.map { "\"\($0)\"" }.joined(separator: " AND ")
            var tsClause = all.map(SearchQuery.lexeme).joined(separator: " & ")
            var phrases = all.count
            if keys.count > 1 {
                let heavy = keys.map { ImpactTier.token(key: $0, tier: min(tier + 2, top)) }
                cost += try heavy.reduce(0) { $0 + (try pages($1)) }
                clause = "(" + clause + ") OR " + heavy.map { "\"\($0)\"" }.joined(separator: " OR ")
                tsClause = "(" + tsClause + ") | " + heavy.map(SearchQuery.lexeme).joined(separator: " | ")
                phrases += heavy.count
            }
            guard cost > 0 else { continue }
            tiers.append((cost, SearchPlan(
                expression: "(" + exact.expression + ") AND (" + clause + ")",
                tsquery: "(" + exact.tsquery + ") & (" + tsClause + ")", tierPhrases: phrases, tier: tier)))
        }
        // The lowest (largest) tier within budget, else the highest; then lower tiers; then exact.
        guard let start = tiers.first(where: { $0.pages <= budget })?.plan.tier ?? tiers.last?.plan.tier else { return [exact] }
        return tiers.filter { $0.plan.tier! <= start }.reversed().map(\.plan) + [exact]
    }

    /// A record is in a date range when its manifest date is, or any date its pages give
    /// (extracted fields: the Gregorian days a date covers overlap the range).
    static func addDateConditions(from: String?, to: String?, to conditions: inout SQLConditions) {
        let extracted = "EXISTS (SELECT 1 FROM record_field f WHERE f.record_id = record.id AND f.kind = 'date'"
        switch (from, to) {
        case let (from?, to?):
            conditions.add("((record.date >= ? AND record.date <= ?) OR \(extracted) AND f.day_to >= ? AND f.day_from <= ?))", values: [from, to, from, to])
        case let (from?, nil):
            conditions.add("(record.date >= ? OR \(extracted) AND f.day_to >= ?))", values: [from, from])
        case let (nil, to?):
            conditions.add("(record.date <= ? OR \(extracted) AND f.day_from <= ?))", values: [to, to])
        case (nil, nil):
            break
        }
    }

    /// `enough` says whether a tier's pages answer the query (default: a full page of `limit`);
    /// if not, the next plan runs.
    func rankedPages(
        _ query: SearchQuery, filters: SearchFilters?, limit: Int, offset: Int, ranking: SearchRanking,
        enough: (([RankedPage]) -> Bool)? = nil
    ) throws -> [RankedPage] {
        let limit = max(1, min(limit, 5_000))
        var conditions = SQLConditions()
        conditions.add("record.series = ?", filters?.series)
        conditions.add("record.agency = ?", filters?.agency)
        conditions.add("record.box = ?", filters?.box)
        Catalog.addDateConditions(from: filters?.from, to: filters?.to, to: &conditions)
        for reference in query.references {
            conditions.add("record.id IN (SELECT record_id FROM record_field WHERE kind = 'reference' AND value = ?)", reference)
        }
        if let state = filters?.retentionState {
            conditions.add("(\(Catalog.retentionStateSQL(day: filters?.stateDay))) = ?", state)
        }
        if query.isReferenceOnly {
            // The pages that give the reference, newest records first (no text ranking).
            return try searchDatabase.read { db in
                try db.rows(
                    """
                    SELECT DISTINCT page.record_id, page.page_no, page.image_id, page.source, page.text_id, record.box,
                        record.title, record.reference, record.ingested_at
                    FROM record_field f JOIN record ON record.id = f.record_id
                    JOIN page ON page.record_id = f.record_id AND page.page_no = f.page_no
                    WHERE f.kind = 'reference' AND f.value = ? \(conditions.isEmpty ? "" : "AND " + conditions.sql)
                    ORDER BY record.ingested_at DESC, page.record_id, page.page_no LIMIT ? OFFSET ?
                    """, [query.references[0]] + conditions.values([limit, max(0, offset)])
                ).map { row in
                    RankedPage(
                        hit: SearchHit(
                            record: row["record_id"], page: row["page_no"], pageId: row["image_id"], source: row["source"],
                            box: row["box"], snippet: "", score: 1, title: row["title"], reference: row["reference"]),
                        textID: row["text_id"])
                }
            }
        }
        if database.dialect == .postgres {
            return try searchDatabase.read { db in
                let plans = try searchPlans(query, ranking: ranking, db)
                var pages: [RankedPage] = []
                for plan in plans {
                    pages = try rankedPagesPostgres(query, plan: plan, conditions: conditions, limit: limit, offset: offset, db)
                    if enough?(pages) ?? (pages.count >= limit) { break }
                }
                return pages
            }
        }
        return try writer.read { db in
            let plans = try searchPlans(query, ranking: ranking, db)
            var pages: [RankedPage] = []
            for plan in plans {
                let idf = try termStatistics.idfBlob(query, extraPhrases: plan.tierPhrases, GRDBDatabase.Connection(db: db))
                // Cached: the same shapes of statement run again and again (no re-parse).
                let rows = try Row.fetchAll(
                    db.cachedStatement(sql: """
                        SELECT page.record_id, page.page_no, page.image_id, page.source, page.text_id, record.box,
                               record.title, record.reference, sijill_bm25(page_text, 1.0, 4.0, ?) AS rank
                        FROM page_text
                        JOIN page ON page.id = page_text.rowid
                        JOIN record ON record.id = page.record_id
                        WHERE page_text MATCH ? \(conditions.isEmpty ? "" : "AND " + conditions.sql)
                        ORDER BY rank, page.record_id, page.page_no
                        LIMIT ? OFFSET ?
                        """),
                    arguments: [idf, plan.expression] + conditions.statementArguments([limit, max(0, offset)]))
                pages = rows.map { row in
                    let rank: Double = row["rank"]
                    let hit = SearchHit(
                        record: row["record_id"], page: row["page_no"], pageId: row["image_id"],
                        source: row["source"], box: row["box"], snippet: "",
                        score: -rank, title: row["title"], reference: row["reference"])
                    return RankedPage(hit: hit, textID: row["text_id"])
                }
                // A tier that fills the page is the answer; otherwise a lower tier may hold more.
                if enough?(pages) ?? (pages.count >= limit) { break }
            }
            return pages
        }
    }

    /// Whether every page in the index was tokenized with impact tiers (see the v6 migration).
    func indexHasTiers(_ db: any SQLConnection) throws -> Bool {
        try db.scalar(String.self, "SELECT value FROM catalog_setting WHERE key = 'index_tiers'") == "1"
    }

    /// Records matching `query`, best first, each with up to `pagesPerRecord` best pages,
    /// skipping the first `offset` records (pagination; `offset + limit` ≤ 1000).
    public func searchRecords(
        _ query: SearchQuery, filters: SearchFilters? = nil, limit: Int = 20, offset: Int = 0, pagesPerRecord: Int = 3,
        ranking: SearchRanking = .default
    ) throws -> [RecordResult] {
        try searchRecordPage(
            query, filters: filters, limit: limit, offset: offset, pagesPerRecord: pagesPerRecord, ranking: ranking
        ).results
    }

    /// One page of records and whether more follow (for cursors).
    public struct RecordPage: Sendable {
        public var results: [RecordResult]
        public var hasMore: Bool
    }

    /// ``searchRecords(_:filters:limit:offset:pagesPerRecord:ranking:)`` with whether more
    /// records follow; snippets are cut only for the records returned.
    public func searchRecordPage(
        _ query: SearchQuery, filters: SearchFilters? = nil, limit: Int = 20, offset: Int = 0, pagesPerRecord: Int = 3,
        ranking: SearchRanking = .default
    ) throws -> RecordPage {
        let offset = max(0, min(offset, 999))
        let limit = max(1, min(limit, 1_000 - offset))
        let wanted = offset + limit
        // Enough page hits to fill the records wanted (and one more) in the usual case.
        let ranked = try rankedPages(
            query, filters: filters, limit: min(5_000, (wanted + 1) * 10), offset: 0, ranking: ranking,
            enough: { Set($0.lazy.map(\.hit.record)).count > wanted })
        var order: [ContentID] = []
        var position: [ContentID: Int] = [:]
        var chosen: [ContentID: [RankedPage]] = [:]
        for page in ranked {
            let record = page.hit.record
            if position[record] == nil {
                position[record] = order.count
                order.append(record)
            }
            guard let at = position[record], at >= offset, at < wanted else { continue }
            if chosen[record, default: []].count < pagesPerRecord { chosen[record, default: []].append(page) }
        }
        let hasMore = order.count > wanted
        let shown = Array(order.prefix(wanted).dropFirst(offset))
        // The few columns shown, read as rows (decoding whole records costs more than the search).
        let records = try searchDatabase.read { db in
            var byID: [ContentID: SQLRow] = [:]
            for id in shown {
                byID[id] = try db.row(
                    """
                    SELECT title, reference, series, date, box,
                        (SELECT value FROM record_field WHERE record_id = record.id AND kind = 'date' AND main = 1) AS main_date
                    FROM record WHERE id = ?
                    """, [id])
            }
            return byID
        }
        let matcher = Snippet.Matcher(query, vocabulary: snippetCache.vocabulary)
        let results = try shown.compactMap { id -> RecordResult? in
            guard let pages = chosen[id], let best = pages.first, let record = records[id] else { return nil }
            return RecordResult(
                record: id, title: record["title"], reference: record["reference"], series: record["series"],
                date: record["date"], box: record["box"], score: best.hit.score,
                pages: try pages.map { try withSnippet($0, matcher: matcher) }, mainDate: record["main_date"])
        }
        return RecordPage(results: results, hasMore: hasMore)
    }
}
