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
    /// The main date read from the pages (ISO Gregorian; see ``TransactionFields``).
    public var mainDate: String?

    enum CodingKeys: String, CodingKey {
        case record, title, reference, series, date, box, score, pages
        case mainDate = "main_date"
    }
}
