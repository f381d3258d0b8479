import SijillCore

/// One matching page.
public struct SearchHit: Sendable, Hashable, Codable {
    public var record: ContentID
    /// 1-based page number within the record.
    public var page: Int
    public var pageId: ContentID
    /// Path of the page's file inside its box.
    public var source: String
    public var box: String
    /// Matched words marked with `[` `]`, cut on word boundaries.
    public var snippet: String
    /// Relevance (higher is better; bm25 negated).
    public var score: Double
    public var title: String?
    public var reference: String?

    enum CodingKeys: String, CodingKey {
        case record, page, pageId = "page_id", source, box, snippet, score, title, reference
    }
}
