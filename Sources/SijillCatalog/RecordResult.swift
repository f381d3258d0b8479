import SijillCore

/// One record in a search result, with its best-matching pages.
public struct RecordResult: Sendable, Hashable, Codable {
    public var record: ContentID
    public var title: String?
    public var reference: String?
    public var series: String?
    public var date: String?
    public var box: String
    /// The best page's score.
    public var score: Double
    /// Best pages first (at most three).
    public var pages: [SearchHit]
}
