import SijillCatalog
import SijillCore

/// Who is asking: staff with an API token (or a web session opened with one), or a citizen
/// with an access code for one record.
public enum Principal: Sendable, Hashable {
    case staff(APIToken)
    case citizen(AccessGrant)

    /// The audit log's name for them.
    public var actor: String {
        switch self {
        case .staff(let token): "token:\(token.name)"
        case .citizen(let grant): "citizen:grant-\(grant.id)"
        }
    }

    /// Staff roles that read page content and search: archivist, clerk, admin.
    public var readsAllContent: Bool {
        if case .staff(let token) = self { token.role.readsContent } else { false }
    }

    /// Whether they may read this record's pages, text and copies.
    public func mayReadContent(of record: ContentID) -> Bool {
        switch self {
        case .staff(let token): token.role.readsContent
        case .citizen(let grant): grant.recordId == record
        }
    }

    /// Whether they may read this record's metadata (auditors may; citizens only their own).
    public func mayReadMetadata(of record: ContentID) -> Bool {
        switch self {
        case .staff: true
        case .citizen(let grant): grant.recordId == record
        }
    }
}
