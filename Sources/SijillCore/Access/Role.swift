/// What an API token may do.
///
/// - `archivist`, `clerk`: read and search everything.
/// - `auditor`: read record metadata and reports, not page content.
/// - `admin`: everything, including approving dispositions.
///
/// Citizens have no role and no token: an ``AccessCode`` opens one record.
public enum Role: String, Sendable, Codable, CaseIterable, Hashable {
    case archivist, clerk, auditor, admin

    /// Whether this role may read page images, text and copies of any record, and search.
    public var readsContent: Bool { self != .auditor }
}
