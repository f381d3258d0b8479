import GRDB

/// A failure of the catalog database.
public struct CatalogError: Error, Sendable, CustomStringConvertible {
    private enum Internal: Sendable {
        case database(String, String)
        case integrity(String)
    }

    private let value: Internal

    /// SQLite refused to open or use the database at `path`.
    public static func database(_ path: String, _ error: DatabaseError) -> Self {
        .init(value: .database(path, "\(error.resultCode): \(error.message ?? "unknown")"))
    }
    /// The catalog contradicts itself or the store.
    public static func integrity(_ detail: String) -> Self { .init(value: .integrity(detail)) }

    public var description: String {
        switch value {
        case .database(let path, let detail): "catalog database \(path): \(detail)"
        case .integrity(let detail): "catalog integrity: \(detail)"
        }
    }
}
