/// Light stemming of folded Arabic tokens (Larkey's light10, as in Lucene's `ArabicStemmer`):
/// strips one article or conjunction prefix and common suffixes, keeping at least two letters,
/// so "الوزارة", "وزارة" and "والوزارات" meet at "وزار" without the over-stemming of root
/// stemmers (Snowball turns وزارة into زار).
///
/// Works on ``ArabicText/fold(_:)`` output (ة already ه, ى already ي).
public enum ArabicStemmer {
    // light10 also strips a lone و from words of 4+ letters, which turns وزارة into زار (the
    // over-stemming the brief warns about) and وزير into زير. Here the lone و is not part of
    // the stem; ``conjunctionStemToken(_:)`` indexes the و-less form as an extra token instead.
    static let prefixes = ["وال", "بال", "كال", "فال", "ال", "لل"].map { Array($0.unicodeScalars) }
    static let suffixes = ["ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي"].map { Array($0.unicodeScalars) }

    /// The stem of a folded token; tokens holding digits or Latin letters are returned unchanged.
    /// (Called for every indexed word: no allocation beyond the result.)
    public static func stem(_ token: String) -> String {
        let scalars = token.unicodeScalars
        var count = 0
        for s in scalars {
            guard (0x0621...0x064A).contains(s.value) else { return token }
            count += 1
        }
        var start = scalars.startIndex
        var end = scalars.endIndex
        var length = count
        for prefix in prefixes where length >= prefix.count + 2 && matches(scalars, from: start, prefix) {
            start = scalars.index(start, offsetBy: prefix.count)
            length -= prefix.count
            break
        }
        for suffix in suffixes where length >= suffix.count + 2 {
            let from = scalars.index(end, offsetBy: -suffix.count)
            if matches(scalars, from: from, suffix) {
                end = from
                length -= suffix.count
            }
        }
        if start == scalars.startIndex && end == scalars.endIndex { return token }
        return String(String.UnicodeScalarView(scalars[start..<end]))
    }

    private static func matches(
        _ scalars: String.UnicodeScalarView, from index: String.UnicodeScalarView.Index, _ pattern: [Unicode.Scalar]
    ) -> Bool {
        var i = index
        for p in pattern {
            guard i < scalars.endIndex, scalars[i] == p else { return false }
            i = scalars.index(after: i)
        }
        return true
    }

    /// Marks a stem token in the index so it never collides with a surface form
    /// (a private-use character, which the tokenizer keeps inside tokens).
    public static let stemMarker: Unicode.Scalar = "\u{E000}"

    /// The stem token a query word is also looked up by: documents index a stem token only where
    /// the stem differs from the word, so `دباغ` must also ask for the stem token `دباغ` to meet
    /// `الدباغ`. Nil for tokens that are not Arabic words.
    public static func queryStemToken(_ folded: String) -> String? {
        guard folded.unicodeScalars.count >= 2,
            folded.unicodeScalars.allSatisfy({ (0x0621...0x064A).contains($0.value) })
        else { return nil }
        return String(stemMarker) + stem(folded)
    }

    /// Marks the form of a word without a leading conjunction و.
    public static let conjunctionMarker: Unicode.Scalar = "\u{E001}"

    /// For a word that may carry the conjunction و (4+ letters after it, not وال…): the index
    /// token for the rest of the word, exactly, so "ومحمد" is found by "محمد" while "وزارات" is
    /// not found by "زار". Nil otherwise.
    public static func conjunctionToken(_ folded: String) -> String? {
        let s = Array(folded.unicodeScalars)
        guard s.count >= 5, s[0] == "\u{0648}", !(s[1] == "\u{0627}" && s[2] == "\u{0644}"),
            s.allSatisfy({ (0x0621...0x064A).contains($0.value) })
        else { return nil }
        var rest = String.UnicodeScalarView()
        rest.append(conjunctionMarker)
        rest.append(contentsOf: s.dropFirst())
        return String(rest)
    }

    /// The conjunction token a query word also asks for (see ``conjunctionToken(_:)``).
    public static func queryConjunctionToken(_ folded: String) -> String? {
        guard folded.unicodeScalars.count >= 4,
            folded.unicodeScalars.allSatisfy({ (0x0621...0x064A).contains($0.value) })
        else { return nil }
        return String(conjunctionMarker) + folded
    }

    /// The index token for the stem of `folded`, or nil when stemming changes nothing.
    public static func stemToken(_ folded: String) -> String? {
        let stemmed = stem(folded)
        guard stemmed != folded, !stemmed.isEmpty else { return nil }
        return String(stemMarker) + stemmed
    }
}
