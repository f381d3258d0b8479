import SijillTestSupport
import Testing
@testable import SijillCore

/// Properties of the search analysis (folding, tokens, stems, snippets) on random text; see
/// ``Fuzz`` for the seed and iteration settings.
@Suite struct AnalyzerFuzzTests {
    static let tokenMarkers: Set<Unicode.Scalar> = [ArabicStemmer.stemMarker, ArabicStemmer.conjunctionMarker, ImpactTier.marker]

    @Test("analysis never crashes or hangs on any text")
    func neverCrashes() {
        let failure = Fuzz.firstFailure("analysis total", iterations: 1_500, generate: { $0.text(maxLength: 3_000) }) { text in
            _ = ArabicText.stripBidiControlsAndTrim(text)
            for token in ArabicText.tokens(text) {
                let folded = ArabicText.fold(token)
                _ = (ArabicStemmer.stem(folded), ArabicStemmer.stemToken(folded), ArabicStemmer.conjunctionToken(folded))
                _ = (ArabicStemmer.queryStemToken(folded), ArabicStemmer.queryConjunctionToken(folded))
            }
            _ = ArabicText.fold(text)  // also called on whole inputs (search filters)
            return nil
        }
        #expect(failure == nil, "\(failure ?? "")")
    }

    @Test("folding is idempotent and leaves none of what it folds away")
    func foldIsIdempotent() {
        let failure = Fuzz.firstFailure("fold idempotent", iterations: 3_000, generate: { $0.text() }) { text in
            let once = ArabicText.fold(text)
            let twice = ArabicText.fold(once)
            if twice != once { return "fold(fold(x)) = \(Fuzz.escape(twice)) but fold(x) = \(Fuzz.escape(once))" }
            if let left = once.unicodeScalars.first(where: Self.foldedAway) {
                return "fold(x) still holds U+\(String(left.value, radix: 16, uppercase: true)): \(Fuzz.escape(once))"
            }
            return nil
        }
        #expect(failure == nil, "\(failure ?? "")")
    }

    /// Scalars `fold` must never return: harakat and other Arabic marks it removes, tatweel, bidi
    /// controls, joiners and BOM, the letters it maps, Eastern digits, ASCII capitals and
    /// presentation forms that have a base letter.
    static func foldedAway(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x064B...0x065F, 0x0670, 0x0640, 0x200C, 0x200D, 0xFEFF, 0x0622, 0x0623, 0x0625, 0x0671...0x0673, 0x0649,
             0x06CC, 0x06D0, 0x0629, 0x06C0, 0x06D5, 0x06A9, 0x06AA, 0x0624, 0x0626, 0x0660...0x0669, 0x06F0...0x06F9,
             0x41...0x5A:
            return true
        case 0xFB50...0xFDFF, 0xFE70...0xFEFE:
            return s.properties.generalCategory != .unassigned && "\(s)".decomposedCompatibility != "\(s)"
        default:
            return ArabicText.isBidiControl(s)
        }
    }

    @Test("bidi stripping and the stored-text trim are idempotent")
    func stripIsIdempotent() {
        let failure = Fuzz.firstFailure("strip idempotent", iterations: 2_000, generate: { r in
            r.text() + r.element(["", "\n", " \n\n", "\u{0C}", "\r\n", "\u{200F}\n", "\n\u{200E}", " \u{0301}"])
        }) { text in
            let stripped = ArabicText.stripBidiControls(text)
            if ArabicText.stripBidiControls(stripped) != stripped { return "stripBidiControls not idempotent" }
            if stripped.unicodeScalars.contains(where: ArabicText.isBidiControl) { return "bidi control left" }
            let stored = ArabicText.stripBidiControlsAndTrim(text)
            let again = ArabicText.stripBidiControlsAndTrim(stored)
            if again != stored { return "stripBidiControlsAndTrim: \(Fuzz.escape(stored)) then \(Fuzz.escape(again))" }
            return nil
        }
        #expect(failure == nil, "\(failure ?? "")")
    }

    /// FTS5 reads the index by tokenizing page text and folding each token, and reads a query by
    /// tokenizing the phrase text `SearchQuery` wrote (its folded tokens joined by spaces) and
    /// folding again. Both meet only if a folded token is still one token and folds to itself.
    @Test("a folded token is one token and survives the index's second reading")
    func foldedTokensAreStable() {
        let failure = Fuzz.firstFailure("folded tokens stable", iterations: 3_000, generate: { $0.text() }) { text in
            for token in ArabicText.tokens(text) {
                if !token.unicodeScalars.allSatisfy(ArabicText.isTokenScalar) { return "token \(Fuzz.escape(token)) has a separator" }
                let folded = ArabicText.fold(token)
                let reread = ArabicText.tokens(folded)
                if !(folded.isEmpty ? reread.isEmpty : reread == [folded]) {
                    return "token \(Fuzz.escape(token)) folds to \(Fuzz.escape(folded)), which tokenizes as \(reread.map { Fuzz.escape($0) })"
                }
            }
            let folded = ArabicText.foldedTokens(text)
            let reread = ArabicText.foldedTokens(folded.joined(separator: " "))
            if reread != folded {
                return "foldedTokens \(folded.map { Fuzz.escape($0) }) read again as \(reread.map { Fuzz.escape($0) })"
            }
            return nil
        }
        #expect(failure == nil, "\(failure ?? "")")
    }

    /// A folded Arabic word (letters U+0621–U+064A only), as the stemmer sees it.
    static func arabicWord(_ r: inout Random) -> String {
        if r.chance(0.3) {
            let letters = (0..<r.int(1...9)).map { _ in Unicode.Scalar(UInt32(r.int(0x0621...0x064A)))! }
            return String(String.UnicodeScalarView(letters))
        }
        return ArabicText.fold(r.element(Random.arabicPrefixes) + r.element(Random.arabicStems) + r.element(Random.arabicSuffixes))
    }

    @Test("stemming is deterministic, keeps two letters and only cuts affixes")
    func stemming() {
        let failure = Fuzz.firstFailure("stem shape", iterations: 4_000, generate: { r in
            r.chance(0.7) ? Self.arabicWord(&r) : ArabicText.fold(ArabicText.tokens(r.text(maxLength: 30)).first ?? "")
        }) { word in
            let stem = ArabicStemmer.stem(word)
            // The same answer for an equal string built another way (no state, no identity).
            if ArabicStemmer.stem(String(String.UnicodeScalarView(Array(word.unicodeScalars)))) != stem { return "not deterministic" }
            if word.isEmpty != stem.isEmpty { return "stem of \(Fuzz.escape(word)) is \(Fuzz.escape(stem))" }
            let letters = word.unicodeScalars.allSatisfy { (0x0621...0x064A).contains($0.value) }
            if !letters, stem != word { return "a non-Arabic-letter token was stemmed to \(Fuzz.escape(stem))" }
            if stem != word {
                // One article or conjunction prefix (or none) and then the stem: only affixes are cut.
                let w = Array(word.unicodeScalars), s = Array(stem.unicodeScalars)
                let cut = ["", "ال", "وال", "بال", "كال", "فال", "لل"].first { w.starts(with: Array($0.unicodeScalars) + s) }
                if s.count < 2 || cut == nil { return "stem \(Fuzz.escape(stem)) is not \(Fuzz.escape(word)) without affixes" }
                if ArabicStemmer.stemToken(word) != String(ArabicStemmer.stemMarker) + stem { return "stemToken disagrees with stem" }
            } else if ArabicStemmer.stemToken(word) != nil {
                return "stemToken for a word that is its own stem"
            }
            if letters, word.unicodeScalars.count >= 2, ArabicStemmer.queryStemToken(word) != String(ArabicStemmer.stemMarker) + stem {
                return "queryStemToken disagrees with stem"
            }
            return nil
        }
        #expect(failure == nil, "\(failure ?? "")")
    }

    /// The tokens `ArabicTokenizer` indexes for one folded word (its surface form, light stem and
    /// form without a conjunction), built from the same functions it calls.
    static func indexTokens(_ folded: String) -> Set<String> {
        var tokens: Set<String> = [folded]
        let stem = ImpactTier.key(folded)
        if stem != folded, !stem.isEmpty { tokens.insert(String(ArabicStemmer.stemMarker) + stem) }
        if let rest = ArabicStemmer.conjunctionToken(folded) { tokens.insert(rest) }
        return tokens
    }

    /// The single tokens a one-word query asks FTS5 for.
    static func queryTokens(_ typed: String) throws -> Set<String> {
        let query = try SearchQuery(typed)
        return Set(query.phrases.map { $0.tokens.joined(separator: " ") })
    }

    /// "الوزارة", "وزارة" and "والوزارات" meet at the stem وزار: a word typed in a query finds every
    /// page word with the same light stem, whichever of the two carries the affixes; and a word
    /// of four letters or more finds its form after the conjunction و.
    @Test("a query word finds the page words that share its stem, and its form after و")
    func stemsMeet() {
        let failure = Fuzz.firstFailure("stems meet", iterations: 4_000, generate: { r in
            let stem = r.element(Random.arabicStems)
            func form(_ r: inout Random) -> String {
                r.element(Random.arabicPrefixes) + stem + r.element(Random.arabicSuffixes)
            }
            return (form(&r), form(&r))
        }, show: { "query \(Fuzz.escape($0.0)), page word \(Fuzz.escape($0.1))" }) { typed, printed in
            let q = ArabicText.fold(typed), d = ArabicText.fold(printed)
            let sameStem = ArabicStemmer.stem(q) == ArabicStemmer.stem(d)
            let afterConjunction = "\u{0648}" + q == d && q.unicodeScalars.count >= 4 && !q.hasPrefix("\u{0627}\u{0644}")
            guard sameStem || afterConjunction else { return nil }
            guard q.unicodeScalars.allSatisfy({ (0x0621...0x064A).contains($0.value) }) else { return nil }
            let asked = try Self.queryTokens(typed), indexed = Self.indexTokens(d)
            if asked.isDisjoint(with: indexed) {
                return "asks \(asked.map { Fuzz.escape($0) }.sorted()), page indexes \(indexed.map { Fuzz.escape($0) }.sorted())"
            }
            return nil
        }
        #expect(failure == nil, "\(failure ?? "")")
    }

    @Test("a snippet is a window of the page's words with the query's words marked")
    func snippets() {
        let failure = Fuzz.firstFailure("snippet window", iterations: 1_500, generate: { r -> (String, String, Int) in
            let text = r.text(maxLength: 600)
            let words = ArabicText.tokens(text)
            var typed = (0..<r.int(1...3)).map { _ in words.isEmpty || r.chance(0.3) ? r.word() : r.element(words) }
            if r.chance(0.2) { typed[0] += "*" }
            return (text, typed.joined(separator: " "), r.element([1, 2, 5, 14, 14, 14, 40]))
        }, show: { "text \(Fuzz.escape($0.0)), query \(Fuzz.escape($0.1)), width \($0.2)" }) { text, typed, width in
            guard let query = try? SearchQuery(typed) else { return nil }
            let snippet = Snippet.make(text, query: query, width: width)
            let all = ArabicText.tokens(text), shown = ArabicText.tokens(snippet)
            if all.isEmpty { return snippet.isEmpty ? nil : "snippet of a text without words: \(Fuzz.escape(snippet))" }
            let n = min(width, all.count)
            guard shown.count == n, let start = (0...(all.count - n)).first(where: { Array(all[$0..<($0 + n)]) == shown }) else {
                return "snippet \(Fuzz.escape(snippet)) is not a run of \(n) of the page's words"
            }
            let wanted = Set(query.positiveTokens)
            for token in all[start..<(start + n)] where wanted.contains(ArabicText.fold(token)) {
                if !Self.contains(snippet, "[" + token + "]") { return "\(Fuzz.escape(token)) is not marked in \(Fuzz.escape(snippet))" }
            }
            if all.contains(where: { wanted.contains(ArabicText.fold($0)) }), !Self.contains(snippet, "[") {
                return "the page has a query word but the snippet \(Fuzz.escape(snippet)) marks none"
            }
            return nil
        }
        #expect(failure == nil, "\(failure ?? "")")
    }

    /// Whether `text` holds `part`, scalar by scalar (not by grapheme).
    static func contains(_ text: String, _ part: String) -> Bool {
        let t = Array(text.unicodeScalars), p = Array(part.unicodeScalars)
        guard p.count <= t.count else { return false }
        return (0...(t.count - p.count)).contains { Array(t[$0..<($0 + p.count)]) == p }
    }

    @Test("found by these properties")
    func regressions() throws {
        // Presentation forms without base letters: folding recursed on them until the stack overflowed.
        #expect(ArabicText.fold("\u{FE73}") == "\u{FE73}")
        #expect(ArabicText.fold("﴾") == "﴾")
        // Decompositions with a space (ﹲ is a space and a dammatan, ﷺ four words) split the token.
        #expect(ArabicText.fold("حسينة\u{FE72}") == "حسينه")
        #expect(ArabicText.foldedTokens("ﷺ").count == 1)
        // A page word that is its own stem is found by the word with affixes.
        #expect(!(try Self.queryTokens("الدباغ")).isDisjoint(with: Self.indexTokens("دباغ")))
    }
}
