import Foundation
import Synchronization

/// A short passage of a page around the words a query matched, with those words in `[ ]`.
///
/// Cut on word boundaries (tokens as the index sees them: letters, digits and their combining
/// marks), so a grapheme, a harakah or a lam-alef is never split, and the text between the
/// words is kept as printed. Built from the stored page text, not from the index.
///
/// Folding and stemming every word of every result page costs far more than cutting, so a
/// page's words are analysed once (``Snippet/Analysis``, cached by the caller per stored text)
/// into interned word numbers; matching a query is then comparing integers.
public enum Snippet {
    /// Word forms as numbers, shared by every analysis and matcher of one ``Vocabulary``.
    public final class Vocabulary: Sendable {
        private let ids = Mutex<[String: Int32]>([:])

        public init() {}

        /// The number of `word`, assigned on first sight.
        public func id(_ word: String) -> Int32 {
            ids.withLock { table in
                if let id = table[word] { return id }
                let id = Int32(truncatingIfNeeded: table.count)
                table[word] = id
                return id
            }
        }

        /// How many word forms it holds (callers start afresh past a bound).
        public var count: Int { ids.withLock { $0.count } }
    }

    /// A page's words: where each is, and its folded form, light stem and (after a leading و)
    /// the rest, as vocabulary numbers.
    public struct Analysis: Sendable {
        let scalars: [Unicode.Scalar]
        let tokens: [Range<Int>]
        let folded: [Int32]
        let stems: [Int32]
        let withoutConjunction: [Int32]
        /// Folded forms, for prefix queries.
        let foldedText: [String]

        public init(_ text: String, vocabulary: Vocabulary) {
            let scalars = Array(text.unicodeScalars)
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
            // Each distinct printed form is folded and stemmed once.
            var seen: [[Unicode.Scalar]: (Int32, Int32, Int32, String)] = [:]
            var folded: [Int32] = [], stems: [Int32] = [], rest: [Int32] = [], foldedText: [String] = []
            for range in tokens {
                let key = Array(scalars[range])
                let entry: (Int32, Int32, Int32, String)
                if let known = seen[key] {
                    entry = known
                } else {
                    var view = String.UnicodeScalarView()
                    view.append(contentsOf: key)
                    let f = ArabicText.fold(String(view))
                    let r: Int32 = f.hasPrefix("\u{0648}") ? vocabulary.id(String(f.dropFirst())) : -1
                    entry = (vocabulary.id(f), vocabulary.id(ArabicStemmer.stem(f)), r, f)
                    seen[key] = entry
                }
                folded.append(entry.0)
                stems.append(entry.1)
                rest.append(entry.2)
                foldedText.append(entry.3)
            }
            self.scalars = scalars
            self.tokens = tokens
            self.folded = folded
            self.stems = stems
            self.withoutConjunction = rest
            self.foldedText = foldedText
        }
    }

    /// What a query looks for, as vocabulary numbers.
    public struct Matcher: Sendable {
        let wanted: Set<Int32>
        let wantedStems: Set<Int32>
        let prefixes: [String]
        public let vocabulary: Vocabulary

        public init(_ query: SearchQuery, vocabulary: Vocabulary = Vocabulary()) {
            self.vocabulary = vocabulary
            wanted = Set(query.positiveTokens.map(vocabulary.id))
            wantedStems = Set(query.positiveTokens.map { vocabulary.id(ArabicStemmer.stem($0)) })
            prefixes = query.required.flatMap { $0 }.filter(\.prefix).compactMap(\.tokens.last)
        }

        func matches(_ page: Analysis, _ i: Int) -> Bool {
            wanted.contains(page.folded[i]) || wantedStems.contains(page.stems[i])
                || wanted.contains(page.withoutConjunction[i])
                || (!prefixes.isEmpty && prefixes.contains { page.foldedText[i].hasPrefix($0) })
        }
    }

    /// The passage of `text` with the most matches of `query` within `width` words.
    public static func make(_ text: String, query: SearchQuery, width: Int = 14) -> String {
        let matcher = Matcher(query)
        return make(Analysis(text, vocabulary: matcher.vocabulary), matcher: matcher, width: width)
    }

    /// The same from an analysed page (made with the matcher's vocabulary).
    public static func make(_ page: Analysis, matcher: Matcher, width: Int = 14) -> String {
        let tokens = page.tokens, scalars = page.scalars
        guard !tokens.isEmpty else { return "" }
        func string(_ r: Range<Int>) -> String {
            var v = String.UnicodeScalarView()
            v.append(contentsOf: scalars[r])
            return String(v)
        }
        let matched: [Bool] = tokens.indices.map { matcher.matches(page, $0) }
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
                // The separators as printed, with line breaks as spaces.
                var separator = String.UnicodeScalarView()
                for scalar in scalars[tokens[i - 1].upperBound..<tokens[i].lowerBound] {
                    separator.append(scalar == "\n" || scalar == "\r" ? " " : scalar)
                }
                out += String(separator)
            }
            out += matched[i] ? "[" + string(tokens[i]) + "]" : string(tokens[i])
        }
        if best + width < tokens.count { out += "…" }
        return out
    }
}
