import Foundation

/// A short passage of a page around the words a query matched, with those words in `[ ]`.
///
/// Cut on word boundaries (tokens as the index sees them: letters, digits and their combining
/// marks), so a grapheme, a harakah or a lam-alef is never split, and the text between the
/// words is kept as printed. Built from the stored page text, not from the index.
public enum Snippet {
    /// Decides which words of a page a query matched. Folding and stemming cost far more than
    /// cutting, and pages repeat their words, so one matcher remembers its answer per word form
    /// across all the pages of a result list.
    public final class Matcher {
        private let wanted: Set<String>
        private let wantedStems: Set<String>
        private let prefixes: [String]
        private var known: [String: Bool] = [:]

        public init(_ query: SearchQuery) {
            wanted = Set(query.positiveTokens)
            wantedStems = Set(query.positiveTokens.map(ArabicStemmer.stem))
            prefixes = query.required.flatMap { $0 }.filter(\.prefix).compactMap(\.tokens.last)
        }

        /// Whether the word `token` (as printed) is one the query looks for.
        public func matches(_ token: String) -> Bool {
            if let answer = known[token] { return answer }
            let folded = ArabicText.fold(token)
            let answer = wanted.contains(folded) || wantedStems.contains(ArabicStemmer.stem(folded))
                || (folded.hasPrefix("\u{0648}") && wanted.contains(String(folded.dropFirst())))
                || prefixes.contains { folded.hasPrefix($0) }
            if known.count < 100_000 { known[token] = answer }
            return answer
        }
    }

    /// The passage of `text` with the most matches of `query` within `width` words.
    public static func make(_ text: String, query: SearchQuery, width: Int = 14) -> String {
        make(text, matcher: Matcher(query), width: width)
    }

    /// The same with a matcher shared by several pages.
    public static func make(_ text: String, matcher: Matcher, width: Int = 14) -> String {
        let scalars = Array(text.unicodeScalars)
        // Token ranges over the scalars.
        var tokens: [Range<Int>] = []
        var start: Int?
        for (i, s) in scalars.enumerated() {
            if ArabicText.isTokenScalar(s) {
                if start == nil { start = i }
            } else if let s0 = start {
                tokens.append(s0..<i)
                start = nil
            }
        }
        if let s0 = start { tokens.append(s0..<scalars.count) }
        guard !tokens.isEmpty else { return "" }
        func string(_ r: Range<Int>) -> String {
            var v = String.UnicodeScalarView()
            v.append(contentsOf: scalars[r])
            return String(v)
        }
        let matched: [Bool] = tokens.map { matcher.matches(string($0)) }
        // The window of `width` tokens holding the most matches (earliest on ties).
        let width = max(1, min(width, tokens.count))
        var best = 0, bestCount = -1, count = 0
        for i in 0..<tokens.count {
            if matched[i] { count += 1 }
            if i >= width, matched[i - width] { count -= 1 }
            if i >= width - 1, count > bestCount {
                bestCount = count
                best = i - width + 1
            }
        }
        var out = best > 0 ? "…" : ""
        for i in best..<(best + width) {
            if i > best {
                // The separators as printed, with newlines as spaces.
                out += string(tokens[i - 1].upperBound..<tokens[i].lowerBound)
                    .replacingOccurrences(of: "\n", with: " ")
            }
            out += matched[i] ? "[" + string(tokens[i]) + "]" : string(tokens[i])
        }
        if best + width < tokens.count { out += "…" }
        return out
    }
}
