/// Impact tiers: index tokens that say "this page uses this word at least n times".
///
/// A common word (in half the pages of a large archive) cannot be ranked by scoring every page
/// that holds it within a clerk's patience. BM25 ranks first the pages that use the query's
/// words most often, so when indexing a page each word form's light stem gets, besides its
/// ordinary tokens, one marker token per tier it reaches (2, 4, 8 uses). A query of common
/// words is then ranked exactly among the pages where at least one of its words reaches a tier
/// small enough to score quickly (see `Catalog.search`).
public enum ImpactTier {
    /// Starts every tier token (a private-use character, kept inside tokens by the tokenizer).
    public static let marker: Unicode.Scalar = "\u{E002}"
    /// Uses of a word's stem on one page needed to reach tier 1, 2, 3.
    public static let thresholds = [2, 4, 8]

    /// The key a word is counted under: its light stem (the word itself when it has none).
    public static func key(_ folded: String) -> String { ArabicStemmer.stem(folded) }

    /// The index token for `key` at `tier` (1-based).
    public static func token(key: String, tier: Int) -> String {
        String(marker) + String(tier) + key
    }

    /// The tiers (1-based) a word used `count` times on one page reaches.
    public static func tiers(forCount count: Int) -> ClosedRange<Int>? {
        let reached = thresholds.lastIndex { count >= $0 }.map { $0 + 1 }
        return reached.map { 1...$0 }
    }
}
