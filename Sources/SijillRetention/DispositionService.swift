import Foundation
import SijillCatalog
import SijillCore
import SijillStore

/// Disposition in two steps with four eyes: due records are put in batches (one per action),
/// an admin other than the preparer approves a batch, then it is executed. Destroy removes the
/// pages' objects, OCR text and index entries, keeps a stub, and stores a destruction
/// certificate as a record of its own; transfer writes a BagIt bag and marks the records
/// transferred. A record on hold, or no longer due, when the batch runs is skipped and the
/// reason kept.
public struct DispositionService: Sendable {
    public let retention: RetentionService
    public let store: any BlobStore
    public var catalog: Catalog { retention.catalog }

    public init(retention: RetentionService, store: any BlobStore) {
        self.retention = retention
        self.store = store
    }

    /// Records due on `asOf`, by action (`review` records are listed for a person to decide).
    public func due(asOf: CivilDate) throws -> [String: [RetentionReport.Line]] {
        try Dictionary(grouping: retention.report(asOf: asOf).lines.filter { $0.state == .due }) { $0.action ?? "?" }
    }

    /// Puts due `destroy` and `transfer` records not already in a pending batch into new batches.
    public func prepare(asOf: CivilDate, actor: String, at now: Date) throws -> [DispositionBatch] {
        let pending = Set(try catalog.batches().filter { $0.executedAt == nil }.flatMap { try catalog.batch($0.id)?.records ?? [] })
        var made: [DispositionBatch] = []
        for (action, lines) in try due(asOf: asOf).sorted(by: { $0.key < $1.key }) where action == "destroy" || action == "transfer" {
            let records = lines.compactMap { ContentID(hex: $0.record) }.filter { !pending.contains($0) }
            guard !records.isEmpty else { continue }
            made.append(try catalog.createBatch(action: action, asOf: asOf.text, records: records, actor: actor, at: now))
        }
        return made
    }

    /// What an execution did.
    public struct Outcome: Sendable {
        public var batch: DispositionBatch
        public var done: [ContentID]
        public var skipped: [(record: ContentID, reason: String)]
        /// The destruction certificate's JSON object (and its record), or the transfer receipt.
        public var certificate: ContentID
        public var certificateCSV: ContentID?
        public var bag: URL?
    }

    /// Runs approved batch `id` (`bags`: where transfer bags are written).
    public func execute(_ id: Int64, actor: String, at now: Date, bags: URL? = nil) throws -> Outcome {
        guard let (batch, records) = try catalog.batch(id) else { throw SijillInputError.notFound(String(id), kind: "disposition batch") }
        guard let approver = batch.approvedBy else {
            throw SijillInputError.badOption("batch \(id)", reason: "it is not approved yet (`sijill disposition approve \(id)` by an admin)")
        }
        guard batch.executedAt == nil else {
            throw SijillInputError.badOption("batch \(id)", reason: "already executed by \(batch.executedBy ?? "?") at \(batch.executedAt!)")
        }
        // Due today, not on the day the batch was prepared for: nothing goes early.
        let report = try retention.report(asOf: CivilDate(now))
        let standing = Dictionary(uniqueKeysWithValues: report.lines.map { ($0.record, $0) })
        var done: [ContentID] = [], skipped: [(ContentID, String)] = []
        var bag: BagWriter?
        if batch.action == "transfer" {
            guard let bags else { throw SijillInputError.badOption("--bags", reason: "a transfer batch needs a directory for its bag") }
            bag = try BagWriter(directory: bags.appendingPathComponent("sijill-transfer-batch-\(id)"))
        }
        for record in records {
            let line = standing[record.hex]
            let already = try catalog.batchOutcomes(id).first { $0.record == record }?.outcome
            if already == "destroyed" || already == "transferred" {
                done.append(record)
                continue
            }
            guard let line, line.state == .due else {
                let reason = line.map { "state is \($0.state.rawValue)" + ($0.holds.isEmpty ? "" : " (holds \($0.holds.map(String.init).joined(separator: ", ")))") }
                    ?? "no longer in the catalog"
                try catalog.skipItem(record, batch: id, reason: reason, actor: actor, at: now)
                skipped.append((record, reason))
                continue
            }
            if batch.action == "destroy" {
                let content = try catalog.content(of: record)
                let removable = content.objects.filter { !content.sharedWithOthers.contains($0) }
                try catalog.destroyContent(of: record, batch: id, objects: removable, actor: actor, at: now)
            } else {
                try bag!.add(record: record, catalog: catalog, store: store)
                try catalog.markTransferred(record, batch: id, bag: bag!.directory.lastPathComponent, actor: actor, at: now)
            }
            done.append(record)
        }
        // After the catalog no longer refers to them (also finishes an interrupted run).
        for object in try catalog.objectsToRemove(batch: id) { try store.remove(object) }
        try bag?.finish(batch: batch, approver: approver, executor: actor, at: now)
        let certificate = try Certificate(
            batch: batch, approver: approver, executor: actor, at: now, done: done, skipped: skipped, standing: standing,
            bag: bag?.directory.lastPathComponent)
        let json = try store.put(certificate.json()).id
        let csv = try store.put(Data(certificate.csv().utf8)).id
        try catalog.finishBatch(
            id, action: batch.action, certificate: json, csv: csv, title: certificate.title, actor: actor, at: now)
        return Outcome(
            batch: try catalog.batch(id)!.batch, done: done, skipped: skipped, certificate: json, certificateCSV: csv,
            bag: bag?.directory)
    }
}
