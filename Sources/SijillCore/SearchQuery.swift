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
        /// For a typed date: the other ways pages write that day (``DateForms``).
        public var forms: [Phrase] = []

        /// The exact (folded) form: a word, a phrase, or a prefix.
        public var exact: Phrase { Phrase(tokens: tokens, prefix: prefix) }

        /// What the term matches: the exact form and, for a single word, its indexed light stem,
        /// its form without a leading conjunction and its stem as a word.
        public var alternatives: [Phrase] {
            if !forms.isEmpty { return [exact] + forms.filter { $0 != exact } }
            guard tokens.count == 1, !prefix, let stem = ArabicStemmer.queryStemToken(tokens[0]) else { return [exact] }
            var phrases = [exact, Phrase(tokens: [stem], prefix: false)]
            if let conjunction = ArabicStemmer.queryConjunctionToken(tokens[0]) {
                phrases.append(Phrase(tokens: [conjunction], prefix: false))
            }
            // A page word that is its own stem has no stem token, only its surface form: الدباغ
            // must also ask for دباغ.
            let stemmed = ArabicStemmer.stem(tokens[0])
            if stemmed != tokens[0] { phrases.append(Phrase(tokens: [stemmed], prefix: false)) }
            return phrases
        }

        var fts: String { alternatives.map(\.ftsText).joined(separator: " OR ") }
    }

    /// Groups of alternatives: every group must match; within a group, any term.
    public private(set) var required: [[Term]] = []
    /// Terms that must not occur.
    public private(set) var excluded: [Term] = []
    /// `ref:` values, as ``FieldExtractor/referenceValue(_:)`` normalises them: the record must
    /// have each as an extracted reference.
    public private(set) var references: [String] = []
    /// The text as typed.
    public let text: String

    /// Parses `text`; throws ``SijillInputError/badQuery(_:reason:)`` when nothing searchable is left.
    public init(_ text: String) throws {
        self.text = text
        guard text.unicodeScalars.count <= 1_000 else {
            throw SijillInputError.badQuery(String(text.prefix(40)) + "…", reason: "the query is longer than 1000 characters")
        }
        var pendingOr = false
        var parts = SearchQuery.split(text)[...]
        while let raw = parts.popFirst() {
            if raw.word == "OR", !raw.quoted {
                pendingOr = !required.isEmpty
                continue
            }
            var body = raw.word.unicodeScalars
            var negated = false
            if !raw.quoted, body.first == "-", body.count > 1 {
                negated = true
                body.removeFirst()
            }
            // ref:81559/1982: records whose pages give this reference (an extracted field),
            // found by its words and kept only where the field matches exactly.
            if !raw.quoted, !negated, String(body).lowercased().hasPrefix("ref:") {
                // As typed: `ref: 81559/1982`, `ref:ب / 31` (the words of one reference).
                var value = String(String(body).dropFirst(4))
                while let next = parts.first, !next.quoted,
                    value.isEmpty || value.hasSuffix("/") || value.hasSuffix("-") || next.word.hasPrefix("/") || next.word.hasPrefix("-")
                        || (next.word.unicodeScalars.count == 1 && next.word.unicodeScalars.first!.properties.isAlphabetic)
                {
                    value += next.word
                    parts.removeFirst()
                }
                let tokens = ArabicText.foldedTokens(value)
                guard !tokens.isEmpty else {
                    throw SijillInputError.badQuery(text, reason: "ref: needs a reference after it (ref:81559/1982)")
                }
                // Normalised as extracted references are (866 ص and 866/ص are one reference).
                references.append(FieldExtractor.referenceToken(value)?.value ?? FieldExtractor.referenceValue(value))
                required.append([Term(tokens: tokens, prefix: false)])
                pendingOr = false
                continue
            }
            var prefix = false
            if !raw.quoted, body.last == "*" {
                prefix = true
                while body.last == "*" { body.removeLast() }
            }
            let tokens = ArabicText.foldedTokens(String(body))
            guard !tokens.isEmpty else { pendingOr = false; continue }
            var term = Term(tokens: tokens, prefix: prefix)
            // A date typed one way (14/03/1982) finds the pages that write it another
            // (1982/03/14, ١٤ آذار ١٩٨٢, 14 مارس 1982, its Hijri day).
            if !raw.quoted, !prefix { term.forms = DateForms.phrases(String(body)) }
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

    /// Only `ref:` terms: answered from the extracted references alone (their words may be
    /// garbled in the page text: OCR reads /812م for 812/م).
    public var isReferenceOnly: Bool { !references.isEmpty && required.count == references.count && excluded.isEmpty }

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

    /// Scalar by scalar, as the index reads text: as characters (graphemes), a space would take
    /// the combining mark after it along, and a prepended sign (U+0600) the space or quote after it.
    private static func split(_ text: String) -> [(word: String, quoted: Bool)] {
        var parts: [(String, Bool)] = []
        var current = String.UnicodeScalarView()
        var inQuote = false
        for ch in text.unicodeScalars {
            if ch == "\"" || ch == "“" || ch == "”" || ch == "«" || ch == "»" {
                if inQuote {
                    parts.append((String(current), true))
                    current = String.UnicodeScalarView()
                } else if !current.isEmpty {
                    parts.append((String(current), false))
                    current = String.UnicodeScalarView()
                }
                inQuote.toggle()
            } else if ch.properties.isWhitespace, !inQuote {
                if !current.isEmpty { parts.append((String(current), false)) }
                current = String.UnicodeScalarView()
            } else {
                current.append(ch)
            }
        }
        if !current.isEmpty { parts.append((String(current), inQuote)) }
        return parts
    }
}

/// The ways Arab pages write one day, as search phrases: a typed numeric date (day/month/year or
/// year/month/day, either digit script, Hijri with هـ) read by ``FieldExtractor``, then written
/// day first and year first (with and without the leading zeros), with each month name of every
/// regional set, and as its Hijri (Umm al-Qura) day, numeric and named. Nothing for a word that is
/// not one whole day.
enum DateForms {
    static func phrases(_ word: String) -> [SearchQuery.Phrase] {
        guard word.unicodeScalars.contains(where: { $0.properties.numericType != nil }),
            word.unicodeScalars.contains(where: { "/-.".unicodeScalars.contains($0) }),
            let date = FieldExtractor.extract(pages: [(1, word)]).dates.first,
            let day = date.dayFrom, day == date.dayTo,
            case let parts = day.split(separator: "-").compactMap({ Int($0) }), parts.count == 3
        else { return [] }
        var out: [SearchQuery.Phrase] = []
        func add(_ words: [String]) {
            let tokens = words.flatMap(ArabicText.foldedTokens)
            let phrase = SearchQuery.Phrase(tokens: tokens, prefix: false)
            if !tokens.isEmpty, !out.contains(phrase) { out.append(phrase) }
        }
        func forms(year: Int, month: Int, day: Int, system: ArabicCalendar.System) {
            let y = String(year)
            for (m, d) in [(String(format: "%02d", month), String(format: "%02d", day)), (String(month), String(day))] {
                add([d, m, y])
                add([y, m, d])
            }
            for name in ArabicCalendar.months where name.month == month && name.system == system {
                add([String(day), name.name, y])
            }
        }
        forms(year: parts[0], month: parts[1], day: parts[2], system: .gregorian)
        if let h = ArabicCalendar.hijri(year: parts[0], month: parts[1], day: parts[2]) {
            forms(year: h.year, month: h.month, day: h.day, system: .hijri)
        }
        return out
    }
}
