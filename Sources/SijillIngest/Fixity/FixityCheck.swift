import Foundation
import SijillCatalog
import SijillCore
import SijillStore

/// `sijill fsck`: are the stored objects still what they were, and do catalog, store and index
/// agree? Re-hashes every object (or a random sample, for a daily cron), lists corrupt,
/// missing, orphaned and stray files and index inconsistencies, checks the audit chain, and
/// records the run in the audit log.
public struct FixityCheck: Sendable {
    public let archive: ArchiveHome

    public init(archive: ArchiveHome) {
        self.archive = archive
    }

    public struct Result: Sendable, Encodable {
        public var objects: Int
        public var verified: Int
        public var corrupt: [String]
        /// Referred to by the catalog, not in the store.
        public var missing: [String]
        /// In the store, referred to by nothing (e.g. page files of a refused dossier).
        public var orphaned: [String]
        /// Files under objects/ that are not named by their hash.
        public var strays: [String]
        public var unindexedPages: [Int64]
        public var strayIndexEntries: [Int64]
        public var auditIntact: Bool
        public var auditProblem: String?
        /// Temporary files of writes a killed process never finished, removed (older than an hour).
        public var abandonedWritesRemoved: Int = 0
        /// Advice (not a failure): why the search index should be rebuilt.
        public var indexAdvice: String?

        /// Whether anything is wrong (orphans are reported, not failures).
        public var isClean: Bool {
            corrupt.isEmpty && missing.isEmpty && strays.isEmpty && unindexedPages.isEmpty && strayIndexEntries.isEmpty && auditIntact
        }

        enum CodingKeys: String, CodingKey {
            case objects, verified, corrupt, missing, orphaned, strays
            case unindexedPages = "unindexed_pages"
            case strayIndexEntries = "stray_index_entries"
            case auditIntact = "audit_intact"
            case auditProblem = "audit_problem"
            case abandonedWritesRemoved = "abandoned_writes_removed"
            case indexAdvice = "index_advice"
            case clean
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(objects, forKey: .objects)
            try c.encode(verified, forKey: .verified)
            try c.encode(corrupt, forKey: .corrupt)
            try c.encode(missing, forKey: .missing)
            try c.encode(orphaned, forKey: .orphaned)
            try c.encode(strays, forKey: .strays)
            try c.encode(unindexedPages, forKey: .unindexedPages)
            try c.encode(strayIndexEntries, forKey: .strayIndexEntries)
            try c.encode(auditIntact, forKey: .auditIntact)
            try c.encodeIfPresent(auditProblem, forKey: .auditProblem)
            try c.encode(abandonedWritesRemoved, forKey: .abandonedWritesRemoved)
            try c.encodeIfPresent(indexAdvice, forKey: .indexAdvice)
            try c.encode(isClean, forKey: .clean)
        }
    }

    /// Runs the check; `sample` re-hashes only that many objects chosen at random (existence
    /// and consistency are always checked in full).
    public func run(sample: Int? = nil, actor: String, at now: Date) throws -> Result {
        let store = archive.store, catalog = archive.catalog
        let abandoned = (store as? FileSystemBlobStore)?.removeAbandonedWrites(olderThan: 3600, now: now) ?? 0
        let (objects, strays) = try store.inventory()
        let present = Set(objects)
        let references = try catalog.referencedObjects()
        var toVerify = objects
        if let sample, sample < objects.count {
            var rng = SystemRandomNumberGenerator()
            toVerify = Array(objects.shuffled(using: &rng).prefix(max(0, sample)))
        }
        var corrupt: [String] = []
        for id in toVerify {
            do {
                try store.verify(id)
            } catch let error as StoreError where error.isCorrupt {
                corrupt.append(id.hex + (references[id].map { " (\($0))" } ?? ""))
            } catch {
                corrupt.append(id.hex + " (unreadable)")
            }
        }
        let missing = references.filter { !present.contains($0.key) }.map { "\($0.key.hex) (\($0.value))" }.sorted()
        let orphaned = objects.filter { references[$0] == nil }.map(\.hex)
        let index = try catalog.indexConsistency()
        let audit = try catalog.verifyAudit()
        var result = Result(
            objects: objects.count, verified: toVerify.count, corrupt: corrupt, missing: missing, orphaned: orphaned,
            strays: strays, unindexedPages: index.unindexedPages, strayIndexEntries: index.strayEntries,
            auditIntact: audit.firstBroken == nil,
            auditProblem: audit.firstBroken.map { "entry \($0): \(audit.problem ?? "")" })
        result.abandonedWritesRemoved = abandoned
        result.indexAdvice = try catalog.indexAdvice()
        var detail: [String: String] = [
            "objects": String(result.objects), "verified": String(result.verified), "corrupt": String(corrupt.count),
            "missing": String(missing.count), "orphaned": String(orphaned.count), "strays": String(strays.count),
        ]
        detail["index_problems"] = String(index.unindexedPages.count + index.strayEntries.count)
        detail["audit_intact"] = String(result.auditIntact)
        detail["abandoned_writes_removed"] = String(abandoned)
        try catalog.audit([AuditEvent(actor: actor, action: "fsck", target: "store", detail: detail, at: now)])
        return result
    }
}
