import SijillCore

/// A failure of the blob store: a corrupt or missing object, or a storage problem.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    private enum Internal: Sendable {
        case corrupt(ContentID, actual: ContentID)
        case missing(ContentID)
        case io(String, String)
    }

    private let value: Internal

    /// The bytes stored under `id` hash to `actual`: the blob was altered or damaged.
    public static func corrupt(_ id: ContentID, actual: ContentID) -> Self { .init(value: .corrupt(id, actual: actual)) }
    /// Nothing is stored under `id`.
    public static func missing(_ id: ContentID) -> Self { .init(value: .missing(id)) }
    /// The file system refused an operation on `path`.
    public static func io(_ path: String, _ message: String) -> Self { .init(value: .io(path, message)) }

    /// Whether the stored bytes failed verification.
    public var isCorrupt: Bool { if case .corrupt = value { true } else { false } }

    public var description: String {
        switch value {
        case .corrupt(let id, let actual):
            "stored object \(id) is corrupt: its bytes now hash to \(actual.short)…; it will not be served"
        case .missing(let id): "stored object \(id) is missing from the store"
        case .io(let path, let message): "storage error at \(path): \(message)"
        }
    }
}
