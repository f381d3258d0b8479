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
