/// A clerk's search text, parsed into a safe FTS5 query.
///
/// Supported: words (all must match), `"exact phrases"`, `OR` between two terms, `-word` to
/// exclude, `prefix*`. Every word is folded with ``ArabicText`` and quoted, so nothing a person
/// types reaches FTS5 as syntax: `81559/1982` becomes the phrase `"81559 1982"`.
///
/// ```swift
/// let q = try SearchQuery("أحمد -محمد \"وزارة العدل\"")
/// q.ftsExpression  // ("احمد") AND ("وزاره العدل") NOT "محمد"
/// ```
public struct SearchQuery: Sendable, Hashable {
    /// One FTS5 phrase: a token sequence, optionally a prefix. FTS5 numbers the phrases of an
    /// expression left to right; ``SearchQuery/phrases`` lists them in that order.
    public struct Phrase: Sendable, Hashable {
        public var tokens: [String]
        public var prefix: Bool

        public init(tokens: [String], prefix: Bool) {
            self.tokens = tokens
            self.prefix = prefix
        }

        /// The phrase as FTS5 query text (tokens are folded words: no quotes inside).
        public var ftsText: String {
            "\"" + tokens.joined(separator: " ") + "\"" + (prefix ? " *" : "")
        }
    }

    /// One searchable unit: a folded word or phrase.
    public struct Term: Sendable, Hashable {
        public var tokens: [String]
        public var prefix: Bool

        /// The exact (folded) form: a word, a phrase, or a prefix.
        var exact: Phrase { Phrase(tokens: tokens, prefix: prefix) }

        /// What the term matches: the exact form and, for a single word, its indexed light stem
        /// and its form without a leading conjunction.
        public var alternatives: [Phrase] {
            guard tokens.count == 1, !prefix, let stem = ArabicStemmer.queryStemToken(tokens[0]) else { return [exact] }
            var phrases = [exact, Phrase(tokens: [stem], prefix: false)]
            if let conjunction = ArabicStemmer.queryConjunctionToken(tokens[0]) {
                phrases.append(Phrase(tokens: [conjunction], prefix: false))
            }
            return phrases
        }

        var fts: String { alternatives.map(\.ftsText).joined(separator: " OR ") }
    }

    /// Groups of alternatives: every group must match; within a group, any term.
    public private(set) var required: [[Term]] = []
    /// Terms that must not occur.
    public private(set) var excluded: [Term] = []
    /// The text as typed.
    public let text: String

    /// Parses `text`; throws ``SijillInputError/badQuery(_:reason:)`` when nothing searchable is left.
    public init(_ text: String) throws {
        self.text = text
        guard text.unicodeScalars.count <= 1_000 else {
            throw SijillInputError.badQuery(String(text.prefix(40)) + "…", reason: "the query is longer than 1000 characters")
        }
        var pendingOr = false
        for raw in SearchQuery.split(text) {
            if raw.word == "OR", !raw.quoted {
                pendingOr = !required.isEmpty
                continue
            }
            var body = raw.word
            var negated = false
            if !raw.quoted, body.hasPrefix("-"), body.count > 1 {
                negated = true
                body.removeFirst()
            }
            var prefix = false
            if !raw.quoted, body.hasSuffix("*") {
                prefix = true
                while body.hasSuffix("*") { body.removeLast() }
            }
            let tokens = ArabicText.foldedTokens(body)
            guard !tokens.isEmpty else { pendingOr = false; continue }
            let term = Term(tokens: tokens, prefix: prefix)
            if negated {
                excluded.append(term)
            } else if pendingOr {
                required[required.count - 1].append(term)
            } else {
                required.append([term])
            }
            pendingOr = false
        }
        guard !required.isEmpty else {
            throw SijillInputError.badQuery(
                text, reason: excluded.isEmpty
                    ? "it has no words or numbers to look for"
                    : "it only excludes words; add at least one word to look for")
        }
    }

    /// The FTS5 MATCH expression.
    public var ftsExpression: String {
        var expr = required.map { group in
            "(" + group.map(\.fts).joined(separator: " OR ") + ")"
        }.joined(separator: " AND ")
        for term in excluded {
            expr = "(" + expr + ") NOT " + term.exact.ftsText
        }
        return expr
    }

    /// The phrases of ``ftsExpression`` in FTS5's order (required alternatives, then exclusions).
    public var phrases: [Phrase] {
        required.flatMap { $0.flatMap(\.alternatives) } + excluded.map(\.exact)
    }

    /// Every folded token looked for (for highlighting).
    public var positiveTokens: [String] { required.flatMap { $0.flatMap(\.tokens) } }

    private static func split(_ text: String) -> [(word: String, quoted: Bool)] {
        var parts: [(String, Bool)] = []
        var current = ""
        var inQuote = false
        for ch in text {
            if ch == "\"" || ch == "“" || ch == "”" || ch == "«" || ch == "»" {
                if inQuote {
                    parts.append((current, true))
                    current = ""
                } else if !current.isEmpty {
                    parts.append((current, false))
                    current = ""
                }
                inQuote.toggle()
            } else if ch.isWhitespace, !inQuote {
                if !current.isEmpty { parts.append((current, false)) }
                current = ""
            } else {
                current.append(ch)
            }
        }
        if !current.isEmpty { parts.append((current, inQuote)) }
        return parts
    }
}
