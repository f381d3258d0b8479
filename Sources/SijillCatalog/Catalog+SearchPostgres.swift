import Foundation
import SijillCore

extension SearchQuery {
    /// A lexeme as `tsquery` text: quoted, taken as it is (it is already folded, as the index's).
    static func lexeme(_ token: String) -> String {
        "'" + token.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "''") + "'"
    }

    /// The query as a PostgreSQL `tsquery`, term for term the FTS5 expression: groups ANDed,
    /// alternatives ORed, phrases as `<->` sequences, prefixes as `:*`, exclusions as `!`.
    public var tsquery: String {
        var expr = required.map { group in
            "(" + group.flatMap(\.alternatives).map(\.tsquery).joined(separator: " | ") + ")"
        }.joined(separator: " & ")
        for term in excluded { expr = "(" + expr + ") & !(" + term.exact.tsquery + ")" }
        return expr
    }
}

extension SearchQuery.Phrase {
    /// The phrase as a `tsquery`.
    public var tsquery: String {
        let parts = tokens.enumerated().map { i, token in
            SearchQuery.lexeme(token) + (prefix && i == tokens.count - 1 ? ":*" : "")
        }
        return parts.count == 1 ? parts[0] : "(" + parts.joined(separator: " <-> ") + ")"
    }
}

extension Catalog {
    /// One plan of a search on PostgreSQL: the pages its `tsquery` matches (GIN index), with the
    /// positions of the query's lexemes, scored here with the formula `sijill_bm25` uses on
    /// SQLite (k1 1.2, b 0.75, metadata words ×4, FTS5's idf), best first.
    func rankedPagesPostgres(
        _ query: SearchQuery, plan: SearchPlan, conditions: SQLConditions, limit: Int, offset: Int, _ db: any SQLConnection
    ) throws -> [RankedPage] {
        let phrases = query.phrases
        let idfs = try termStatistics.idfs(query, db)
        let totals = try db.row("SELECT pages, tokens FROM index_totals")
        let rows = max(1, (totals?["pages"] as Int64?) ?? 1)
        let avgdl = max(1, Double((totals?["tokens"] as Int64?) ?? 1) / Double(rows))
        // The lexemes whose positions score the pages: every phrase token, and prefixes.
        var exact = Set<String>()
        var prefixes = Set<String>()
        for phrase in phrases {
            for (i, token) in phrase.tokens.enumerated() {
                if phrase.prefix && i == phrase.tokens.count - 1 { prefixes.insert(token) } else { exact.insert(token) }
            }
        }
        // Only the query's lexemes are unnested from each page's tsvector. Exact lexemes: marked
        // with weight B and kept by ts_filter, in C (a page holds hundreds of lexemes; unnesting
        // them all and filtering in SQL costs 4× as much). Prefixes need the unnest and a test.
        let lexemes: String
        var arguments: [any SQLValueConvertible]
        var lexemeTest = ""
        if prefixes.isEmpty {
            lexemes = "unnest(ts_filter(setweight(pi.tokens, 'B', ?::text[]), '{B}'))"
            arguments = [Self.textArray(exact.sorted()), plan.tsquery] + conditions.values()
        } else {
            lexemes = "unnest(pi.tokens)"
            arguments = [plan.tsquery] + conditions.values() + [Self.textArray(exact.sorted())]
            lexemeTest = "AND (u.lexeme = ANY(?::text[])"
            for prefix in prefixes.sorted() {
                lexemeTest += " OR starts_with(u.lexeme, ?)"
                arguments.append(prefix)
            }
            lexemeTest += ")"
        }
        // Positions up to meta_length are the metadata's: `setweight(meta, 'A') || text` puts
        // the text's positions after the metadata's last. Without filters the page and record
        // rows are not joined: only the best pages' are read, after scoring.
        let found = try db.rows(
            """
            SELECT pi.page_id, pi.length + pi.meta_length AS len, pi.meta_length AS meta,
                   u.lexeme, array_to_string(u.positions, ',') AS pos
            FROM page_index pi \(conditions.isEmpty ? "" : "JOIN page ON page.id = pi.page_id JOIN record ON record.id = page.record_id")
            CROSS JOIN LATERAL \(lexemes) u
            WHERE pi.tokens @@ ?::tsquery \(conditions.isEmpty ? "" : "AND " + conditions.sql) \(lexemeTest)
            """,
            arguments)
        // Positions of each lexeme per page, metadata apart from page text.
        struct Page {
            var length: Int
            var positions: [String: (meta: Set<Int>, text: Set<Int>)] = [:]
        }
        var pages: [Int64: Page] = [:]
        for row in found {
            let id: Int64 = row["page_id"]
            var page = pages[id] ?? Page(length: row["len"])
            let meta: Int = row["meta"]
            var entry = page.positions[row["lexeme"], default: ([], [])]
            for position in (row["pos"] as String).split(separator: ",").compactMap({ Int($0) }) {
                if position <= meta { entry.meta.insert(position) } else { entry.text.insert(position) }
            }
            page.positions[row["lexeme"]] = entry
            pages[id] = page
        }
        let k1 = 1.2, b = 0.75
        func occurrences(_ phrase: SearchQuery.Phrase, in page: Page) -> Double {
            func positions(_ i: Int) -> (meta: Set<Int>, text: Set<Int>) {
                let token = phrase.tokens[i]
                if phrase.prefix && i == phrase.tokens.count - 1 {
                    var merged: (meta: Set<Int>, text: Set<Int>) = ([], [])
                    for (lexeme, p) in page.positions where lexeme.hasPrefix(token) {
                        merged.meta.formUnion(p.meta)
                        merged.text.formUnion(p.text)
                    }
                    return merged
                }
                return page.positions[token] ?? ([], [])
            }
            let first = positions(0)
            guard phrase.tokens.count > 1 else { return Double(first.meta.count) * 4 + Double(first.text.count) }
            let rest = (1..<phrase.tokens.count).map(positions)
            let meta = first.meta.filter { p in rest.enumerated().allSatisfy { $1.meta.contains(p + $0 + 1) } }.count
            let text = first.text.filter { p in rest.enumerated().allSatisfy { $1.text.contains(p + $0 + 1) } }.count
            return Double(meta) * 4 + Double(text)
        }
        var scored: [(id: Int64, score: Double)] = pages.map { id, page in
            let norm = k1 * (1 - b + b * Double(page.length) / avgdl)
            var score = 0.0
            for (i, phrase) in phrases.enumerated() {
                let f = occurrences(phrase, in: page)
                if f > 0 { score += idfs[i] * (f * (k1 + 1)) / (f + norm) }
            }
            return (id, score)
        }
        // The pages that can be shown: every page scoring at least the last one wanted (ties are
        // ordered by record and page number, as on SQLite, so all of a tie is read).
        scored.sort { $0.score > $1.score }
        let wanted = max(0, offset) + limit
        guard wanted > 0, !scored.isEmpty else { return [] }
        let cutoff = scored[min(wanted, scored.count) - 1].score
        let reach = scored.prefix { $0.score >= cutoff }
        let details = try db.rows(
            """
            SELECT page.id, page.record_id, page.page_no, page.image_id, page.source, page.text_id, record.box,
                   record.title, record.reference
            FROM page JOIN record ON record.id = page.record_id WHERE page.id = ANY(?::bigint[])
            """,
            ["{" + reach.map { String($0.id) }.joined(separator: ",") + "}"])
        let byID = Dictionary(details.map { ($0["id"] as Int64, $0) }, uniquingKeysWith: { a, _ in a })
        let place = byID.mapValues { (record: $0["record_id"] as String, page: $0["page_no"] as Int) }
        let ordered = reach.filter { place[$0.id] != nil }.sorted { a, b in
            if a.score != b.score { return a.score > b.score }
            let x = place[a.id]!, y = place[b.id]!
            return x.record != y.record ? x.record < y.record : x.page < y.page
        }
        let chosen = Array(ordered.dropFirst(max(0, offset)).prefix(limit))
        return chosen.compactMap { item in
            guard let row = byID[item.id] else { return nil }
            let hit = SearchHit(
                record: row["record_id"], page: row["page_no"], pageId: row["image_id"], source: row["source"],
                box: row["box"], snippet: "", score: item.score, title: row["title"], reference: row["reference"])
            return RankedPage(hit: hit, textID: row["text_id"])
        }
    }

    /// A PostgreSQL `text[]` literal.
    static func textArray(_ values: [String]) -> String {
        "{" + values.map { "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
            .joined(separator: ",") + "}"
    }
}
