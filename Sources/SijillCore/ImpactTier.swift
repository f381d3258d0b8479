/// Impact tiers: index tokens that say "this word weighs at least this much on this page".
///
/// A common word (in half the pages of a large archive) cannot be ranked by scoring every page
/// that holds it within a clerk's patience. For one word, bm25 orders pages by
/// `uses / (1 − b + b · length / average length)` (its saturation is monotone in that ratio),
/// so when indexing a page each word's light stem gets, besides its ordinary tokens, one
/// marker token per tier that ratio reaches, computed with a fixed reference length. A query
/// of common words is then ranked exactly among the pages where its words reach a tier small
/// enough to score quickly (see `Catalog.search`).
public enum ImpactTier {
    /// Starts every tier token (a private-use character, kept inside tokens by the tokenizer).
    public static let marker: Unicode.Scalar = "\u{E002}"
    /// The weight (length-normalised uses) a word needs on a page to reach tier 1, 2, …
    public static let thresholds: [Double] = [1.5, 2, 3, 4, 6, 8]
    /// The page length (words) the weight is normalised against: a typical scanned form page.
    /// Only the order of pages within a tier depends on it, not which pages match.
    public static let referenceLength = 150.0
    /// bm25's length normalisation (FTS5's b).
    static let b = 0.75

    /// The key a word is counted under: its light stem (the word itself when it has none).
    public static func key(_ folded: String) -> String { ArabicStemmer.stem(folded) }

    /// The index token for `key` at `tier` (1-based).
    public static func token(key: String, tier: Int) -> String {
        String(marker) + String(tier) + key
    }

    /// The tiers (1-based) reached by a word used `uses` times on a page of `length` words.
    public static func tiers(uses: Int, length: Int) -> ClosedRange<Int>? {
        let weight = Double(uses) / (1 - b + b * Double(length) / referenceLength)
        let reached = thresholds.lastIndex { weight >= $0 }.map { $0 + 1 }
        return reached.map { 1...$0 }
    }
}
