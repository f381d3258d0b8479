import Foundation
import SijillCore

/// The search index's entries, on either database. SQLite: the contentless FTS5 table
/// `page_text` (the `arabic` tokenizer analyses the text). PostgreSQL: `page_index`, one
/// `tsvector` per page built here from the same analysis (``IndexTokens``), metadata words
/// weighted `A`, page words `D`.
enum PageIndex {
    /// Adds `page`'s entry inside the caller's transaction.
    static func add(_ db: any SQLConnection, page: Int64, text: String, meta: String) throws {
        switch db.dialect {
        case .sqlite:
            try db.execute("INSERT INTO page_text(rowid, text, meta) VALUES (?, ?, ?)", [page, text, meta])
        case .postgres:
            let body = IndexTokens(text)
            let head = IndexTokens(meta)
            try forget(db, page: page, text: text, meta: meta)
            try db.execute(
                """
                INSERT INTO page_index(page_id, tokens, length, meta_length) VALUES (?, setweight(?::tsvector, 'A') || ?::tsvector, ?, ?)
                """,
                [page, head.tsvector, body.tsvector, body.words, head.words])
            try db.execute("UPDATE index_totals SET pages = pages + 1, tokens = tokens + ?", [body.words + head.words])
        }
    }

    /// Removes `page`'s entry. A contentless FTS5 index forgets a row only when told the exact
    /// text and metadata it indexed.
    static func forget(_ db: any SQLConnection, page: Int64?, text: String, meta: String) throws {
        switch db.dialect {
        case .sqlite:
            try db.execute(
                "INSERT INTO page_text(page_text, rowid, text, meta) VALUES ('delete', ?, ?, ?)", [page, text, meta])
        case .postgres:
            // The totals that bm25 reads (page count, average length) follow every change.
            try db.execute(
                """
                WITH gone AS (DELETE FROM page_index WHERE page_id = ? RETURNING length + meta_length AS n)
                UPDATE index_totals SET pages = pages - (SELECT count(*) FROM gone),
                    tokens = tokens - (SELECT coalesce(sum(n), 0) FROM gone)
                """,
                [page])
        }
    }

    /// Page IDs with no index entry, and entries with no page.
    static func consistency(_ db: any SQLConnection) throws -> (unindexed: [Int64], stray: [Int64]) {
        let entries = db.dialect == .sqlite ? "SELECT id FROM page_text_docsize" : "SELECT page_id FROM page_index"
        let key = db.dialect == .sqlite ? "id" : "page_id"
        return (
            try db.column(Int64.self, "SELECT id FROM page WHERE id NOT IN (\(entries)) ORDER BY id"),
            try db.column(Int64.self, "\(entries) WHERE \(key) NOT IN (SELECT id FROM page) ORDER BY \(key)")
        )
    }
}

/// A text's index tokens as the `arabic` FTS5 tokenizer makes them, with positions: each word
/// folded; at the same position its light stem (marked) and its form without a leading و; after
/// the last word, the page's impact-tier tokens.
struct IndexTokens {
    /// (token, 1-based position).
    var tokens: [(String, Int)] = []
    /// Words in the text.
    var words = 0

    init(_ text: String) {
        var uses: [String: Int] = [:]
        var position = 0
        for raw in ArabicText.tokens(text) {
            let folded = ArabicText.fold(raw)
            guard !folded.isEmpty else { continue }
            position += 1
            tokens.append((folded, position))
            let stem = ImpactTier.key(folded)
            uses[stem, default: 0] += 1
            if stem != folded, !stem.isEmpty { tokens.append((String(ArabicStemmer.stemMarker) + stem, position)) }
            if let withoutConjunction = ArabicStemmer.conjunctionToken(folded) {
                tokens.append((withoutConjunction, position))
                let rest = ImpactTier.key(String(withoutConjunction.unicodeScalars.dropFirst()))
                if rest != stem { uses[rest, default: 0] += 1 }
            }
        }
        words = position
        guard position > 0 else { return }
        for (key, count) in uses.sorted(by: { $0.key < $1.key }) where !key.isEmpty {
            guard let tiers = ImpactTier.tiers(uses: count, length: position) else { continue }
            for tier in tiers { tokens.append((ImpactTier.token(key: key, tier: tier), position)) }
        }
    }

    /// The tokens as a `tsvector` literal (`'word':1,7 'other':2`); positions above PostgreSQL's
    /// 16,383 are kept at 16,383.
    var tsvector: String {
        var positions: [String: [Int]] = [:]
        var order: [String] = []
        for (token, position) in tokens {
            if positions[token] == nil { order.append(token) }
            positions[token, default: []].append(min(position, 16_383))
        }
        return order.map { token in
            let quoted = token.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "''")
            return "'\(quoted)':" + positions[token]!.map(String.init).joined(separator: ",")
        }.joined(separator: " ")
    }
}

extension Catalog {
    /// How many pages the search index holds entries for (checks and tests).
    public func indexedPages() throws -> Int {
        try database.read { db in
            try db.scalar(Int.self, db.dialect == .sqlite ? "SELECT count(*) FROM page_text_docsize" : "SELECT count(*) FROM page_index") ?? 0
        }
    }
}
