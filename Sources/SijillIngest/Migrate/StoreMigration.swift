import Foundation
import SijillCatalog
import SijillCore
import SijillStore

/// Copies an archive's objects into another store (the data directory into S3), then makes that
/// store the archive's own. Resumable: an object already in the target is not sent again, so a
/// run cut short is finished by running it again. Verified before the switch: every object is
/// read back from the target and re-hashed, the counts must match, and the audit chain must be
/// intact. The source objects are left where they were (remove them once the new store is
/// backed up).
public struct StoreMigration {
    public struct Result: Codable, Sendable {
        public var target: String
        public var objects: Int
        public var copied: Int
        public var alreadyThere: Int
        public var verified: Int
        public var bytes: Int

        enum CodingKeys: String, CodingKey {
            case target, objects, copied, verified, bytes
            case alreadyThere = "already_there"
        }
    }

    public let archive: ArchiveHome

    public init(archive: ArchiveHome) { self.archive = archive }

    /// Runs the copy to `target` (opened from `targetURL`, which is recorded as the archive's
    /// store at the end). `progress(done, total)` after each object.
    public func run(
        to target: any BlobStore, targetURL: String, actor: String, at now: Date,
        progress: (Int, Int) -> Void = { _, _ in }
    ) throws -> Result {
        let source = archive.store
        guard source.location != target.location else {
            throw IngestError("the archive's objects are already in \(target.location)")
        }
        let (objects, strays) = try source.inventory()
        if !strays.isEmpty {
            throw IngestError(
                "\(strays.count) stray file(s) in \(source.location) (first: \(strays[0])): run `sijill fsck` and clear them first")
        }
        var result = Result(target: target.location, objects: objects.count, copied: 0, alreadyThere: 0, verified: 0, bytes: 0)
        for (n, id) in objects.enumerated() {
            if target.contains(id) {
                result.alreadyThere += 1
            } else {
                // `get` re-hashes the source copy: a corrupt object is not carried over.
                let bytes = try source.get(id)
                try target.put(bytes)
                result.copied += 1
                result.bytes += bytes.count
            }
            progress(n + 1, objects.count * 2)
        }
        for (n, id) in objects.enumerated() {
            try target.verify(id)
            result.verified += 1
            progress(objects.count + n + 1, objects.count * 2)
        }
        let audit = try archive.catalog.verifyAudit()
        if let broken = audit.firstBroken {
            throw IngestError("the audit chain is broken at entry \(broken) (\(audit.problem ?? "")): not switching stores")
        }
        let record = ArchiveHome.storeRecord(archive.url)
        do {
            try (targetURL + "\n").write(to: record, atomically: true, encoding: .utf8)
        } catch {
            throw IngestError("cannot record the new store in \(record.path): \(error.localizedDescription)")
        }
        try archive.catalog.audit([AuditEvent(
            actor: actor, action: "store.migrate", target: "store",
            detail: [
                "from": source.location, "to": target.location, "objects": String(result.objects),
                "copied": String(result.copied), "verified": String(result.verified),
            ], at: now)])
        return result
    }
}
