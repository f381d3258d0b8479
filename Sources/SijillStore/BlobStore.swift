import Foundation
import SijillCore

/// Where stored objects live, addressed by the SHA-256 of their bytes.
///
/// Implementations verify the hash on every read: a blob whose bytes no longer match its ID is an
/// error, never returned. Writing bytes that are already stored changes nothing.
public protocol BlobStore: Sendable {
    /// Stores `bytes` and returns their ID; `created` is false when they were already stored.
    @discardableResult
    func put(_ bytes: Data) throws -> (id: ContentID, created: Bool)

    /// The verified bytes of `id`.
    func get(_ id: ContentID) throws -> Data

    /// Whether `id` is stored (without reading it).
    func contains(_ id: ContentID) -> Bool

    /// The stored IDs that start with `prefix` (at most `limit` of them).
    func resolve(_ prefix: IDPrefix, limit: Int) throws -> [ContentID]

    /// The stored size of `id` in bytes, nil when it is not stored.
    func size(_ id: ContentID) throws -> Int?

    /// `length` bytes of `id` from `offset` (fewer at the end), unverified: a range cannot be
    /// checked against the whole object's hash. Nil when `id` is not stored.
    func read(_ id: ContentID, offset: Int, length: Int) throws -> Data?

    /// Re-hashes the stored object (in constant memory where the store allows) and returns its
    /// size; throws ``StoreError/missing(_:)`` or ``StoreError/corrupt(_:actual:)``.
    @discardableResult
    func verify(_ id: ContentID) throws -> Int

    /// Deletes the stored object (disposition); true when it existed.
    @discardableResult
    func remove(_ id: ContentID) throws -> Bool

    /// Every stored object (fixity checks): the IDs of well-named ones and the names of
    /// anything else found among them (strays).
    func inventory() throws -> (objects: [ContentID], strays: [String])

    /// Where the store is, for messages and reports (a directory, or `s3://bucket/…`).
    var location: String { get }
}

extension BlobStore {
    /// The one stored ID that `prefix` names; throws when none or several match.
    public func resolveUnique(_ prefix: IDPrefix) throws -> ContentID {
        let found = try resolve(prefix, limit: 2)
        switch found.count {
        case 0: throw SijillInputError.notFound(prefix.hex, kind: "stored object")
        case 1: return found[0]
        default:
            let all = try resolve(prefix, limit: 1_000)
            throw SijillInputError.ambiguous(prefix.hex, candidates: all.count)
        }
    }
}

/// Opens the blob store an archive names.
public enum BlobStores {
    /// `s3://…` → ``S3BlobStore`` (credentials from the environment); anything else is a
    /// directory path (or `file://` URL) → ``FileSystemBlobStore``.
    public static func open(_ url: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> any BlobStore {
        if url.hasPrefix("s3://") { return try S3BlobStore.open(url, environment: environment) }
        let path = url.hasPrefix("file://") ? String(url.dropFirst("file://".count)) : url
        guard !path.isEmpty else { throw SijillInputError.badOption("--store", reason: "empty store location") }
        return try FileSystemBlobStore(root: URL(fileURLWithPath: path))
    }
}
