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
        let totals = try db.row("SELECT pages, tokens FROM index_totals")
        let rows = max(1, (totals?["pages"] as Int64?) ?? 1)
        let idfs = try termStatistics.idfs(query, rows: Int((totals?["pages"] as Int64?) ?? 0), db)
        let avgdl = max(1, Double((totals?["tokens"] as Int64?) ?? 1) / Double(rows))
        // The lexemes whose positions score the pages: every phrase token, and prefixes.
        var exact = Set<String>()
        var prefixes = Set<String>()
        for phrase in phrases {
            for (i, token) in phrase.tokens.enumerated() {
                if phrase.prefix && i == phrase.tokens.count - 1 { prefixes.insert(token) } else { exact.insert(token) }
            }
        }
        // Only the query's lexemes are read from each page's tsvector. Exact lexemes: marked with
        // weight B and kept by ts_filter, in C, and sent as the tsvector's text, one row per page
        // (unnesting them into rows costs a third more than the whole read). Prefixes need every
        // lexeme unnested and tested.
        var arguments: [any SQLValueConvertible]
        let sql: String
        let join = conditions.isEmpty ? "" : "JOIN page ON page.id = pi.page_id JOIN record ON record.id = page.record_id"
        let filter = conditions.isEmpty ? "" : "AND " + conditions.sql
        if prefixes.isEmpty {
            arguments = [Self.textArray(exact.sorted()), plan.tsquery] + conditions.values()
            sql = """
                SELECT pi.page_id, pi.length + pi.meta_length AS len, pi.meta_length AS meta,
                       ts_filter(setweight(pi.tokens, 'B', ?::text[]), '{B}')::text AS lexemes
                FROM page_index pi \(join)
                WHERE pi.tokens @@ ?::tsquery \(filter)
                """
        } else {
            arguments = [plan.tsquery] + conditions.values() + [Self.textArray(exact.sorted())]
            var test = "u.lexeme = ANY(?::text[])"
            for prefix in prefixes.sorted() {
                test += " OR starts_with(u.lexeme, ?)"
                arguments.append(prefix)
            }
            sql = """
                SELECT pi.page_id, pi.length + pi.meta_length AS len, pi.meta_length AS meta,
                       u.lexeme, array_to_string(u.positions, ',') AS pos
                FROM page_index pi \(join)
                CROSS JOIN LATERAL unnest(pi.tokens) u
                WHERE pi.tokens @@ ?::tsquery \(filter) AND (\(test))
                """
        }
        // Positions up to meta_length are the metadata's: `setweight(meta, 'A') || text` puts
        // the text's positions after the metadata's last. Without filters the page and record
        // rows are not joined: only the best pages' are read, after scoring.
        let found = try db.rows(sql, arguments)
        // Each page's positions per slot: one slot per exact lexeme, then one per prefix (every
        // lexeme that starts with it, merged). A phrase token reads one slot.
        let exactList = exact.sorted(), prefixList = prefixes.sorted()
        let exactSlot = Dictionary(uniqueKeysWithValues: exactList.enumerated().map { ($1, $0) })
        let phraseSlots: [[Int]] = phrases.map { phrase in
            phrase.tokens.enumerated().map { i, token in
                phrase.prefix && i == phrase.tokens.count - 1
                    ? exactList.count + prefixList.firstIndex(of: token)! : exactSlot[token]!
            }
        }
        struct Page {
            var id: Int64
            var length: Int
            /// Positions up to this one are the metadata's.
            var meta: Int
            var slots: [[Int]]
        }
        var pages: [Page] = []
        pages.reserveCapacity(found.count)
        if prefixes.isEmpty {
            for row in found {
                var page = Page(id: row["page_id"], length: row["len"], meta: row["meta"], slots: Array(repeating: [], count: exactList.count))
                for entry in TSVectorText.entries(row["lexemes"]) {
                    if let slot = exactSlot[entry.lexeme] { page.slots[slot] = entry.positions }
                }
                pages.append(page)
            }
        } else {
            var index: [Int64: Int] = [:]
            for row in found {
                let id: Int64 = row["page_id"]
                let at = index[id] ?? {
                    pages.append(Page(id: id, length: row["len"], meta: row["meta"], slots: Array(repeating: [], count: exactList.count + prefixList.count)))
                    index[id] = pages.count - 1
                    return pages.count - 1
                }()
                let lexeme: String = row["lexeme"]
                let positions = (row["pos"] as String).split(separator: ",").compactMap { Int($0) }
                if let slot = exactSlot[lexeme] { pages[at].slots[slot] += positions }
                for (j, prefix) in prefixList.enumerated() where lexeme.hasPrefix(prefix) {
                    pages[at].slots[exactList.count + j] += positions
                }
            }
            // Several lexemes (a word and its stem) may share a position: counted once.
            for i in pages.indices { pages[i].slots = pages[i].slots.map { Array(Set($0)).sorted() } }
        }
        let k1 = 1.2, b = 0.75
        /// Uses of a phrase on a page: its first token's positions followed by the others', all
        /// in the metadata (×4) or all in the text.
        func occurrences(_ slots: [Int], in page: Page) -> Double {
            let first = page.slots[slots[0]]
            var meta = 0, text = 0
            for p in first {
                var follows = true
                for k in 1..<max(1, slots.count) {
                    let next = p + k
                    if (p <= page.meta && next > page.meta) || !page.slots[slots[k]].sortedContains(next) {
                        follows = false
                        break
                    }
                }
                if follows { if p <= page.meta { meta += 1 } else { text += 1 } }
            }
            return Double(meta) * 4 + Double(text)
        }
        var scored: [(id: Int64, score: Double)] = pages.map { page in
            let norm = k1 * (1 - b + b * Double(page.length) / avgdl)
            var score = 0.0
            for (i, slots) in phraseSlots.enumerated() {
                let f = occurrences(slots, in: page)
                if f > 0 { score += idfs[i] * (f * (k1 + 1)) / (f + norm) }
            }
            return (page.id, score)
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

/// The text form of a `tsvector` (`'lexeme':1A,5 'other':3B`), read back into lexemes and
/// positions (weights dropped).
enum TSVectorText {
    struct Entry: Equatable {
        var lexeme: String
        var positions: [Int]
    }

    /// The entries of `text`, in order. PostgreSQL quotes each lexeme, doubling `'` and
    /// escaping `\` with a backslash.
    static func entries(_ text: String) -> [Entry] {
        var text = text
        return text.withUTF8 { bytes in
            var result: [Entry] = []
            var i = 0
            let n = bytes.count
            let quote = UInt8(ascii: "'"), backslash = UInt8(ascii: "\\"), colon = UInt8(ascii: ":")
            let space = UInt8(ascii: " "), comma = UInt8(ascii: ","), zero = UInt8(ascii: "0"), nine = UInt8(ascii: "9")
            var lexeme: [UInt8] = []
            while i < n {
                guard bytes[i] == quote else {
                    i += 1
                    continue
                }
                i += 1
                lexeme.removeAll(keepingCapacity: true)
                while i < n {
                    let c = bytes[i]
                    i += 1
                    if c == backslash, i < n {
                        lexeme.append(bytes[i])
                        i += 1
                    } else if c == quote {
                        guard i < n, bytes[i] == quote else { break }
                        lexeme.append(quote)
                        i += 1
                    } else {
                        lexeme.append(c)
                    }
                }
                var positions: [Int] = []
                if i < n, bytes[i] == colon {
                    i += 1
                    var value = 0, digits = false
                    while i < n, bytes[i] != space {
                        let c = bytes[i]
                        i += 1
                        if c >= zero && c <= nine {
                            value = value * 10 + Int(c - zero)
                            digits = true
                        } else if c == comma {
                            if digits { positions.append(value) }
                            value = 0
                            digits = false
                        }
                    }
                    if digits { positions.append(value) }
                }
                result.append(Entry(lexeme: String(decoding: lexeme, as: UTF8.self), positions: positions))
            }
            return result
        }
    }
}

extension Array where Element == Int {
    /// Whether this sorted array holds `value` (binary search).
    func sortedContains(_ value: Int) -> Bool {
        var low = 0, high = count
        while low < high {
            let mid = (low + high) / 2
            if self[mid] < value { low = mid + 1 } else { high = mid }
        }
        return low < count && self[low] == value
    }
}
