import Foundation
import SijillCore

/// A disposition batch: records due for one action, prepared, approved, executed.
public struct DispositionBatch: Sendable, Hashable, Codable {
    public var id: Int64
    public var action: String
    public var asOf: String
    public var preparedBy: String
    public var preparedAt: String
    public var approvedBy: String?
    public var approvedAt: String?
    public var executedBy: String?
    public var executedAt: String?
    public var certificateId: String?

}

/// The stored objects a destroyed record's pages used, and whether another record still uses each.
public struct RecordContent: Sendable {
    public var objects: [ContentID]
    public var sharedWithOthers: Set<ContentID>
}

extension Catalog {
    /// Creates a batch of `records` for `action`.
    public func createBatch(action: String, asOf: String, records: [ContentID], actor: String, at now: Date) throws -> DispositionBatch {
        try database.write { db in
            let id = try db.scalar(
                Int64.self, "INSERT INTO disposition_batch(action, as_of, prepared_by, prepared_at) VALUES (?, ?, ?, ?) RETURNING id",
                [action, asOf, actor, Timestamp.string(now)]) ?? 0
            for record in records {
                try db.execute("INSERT INTO disposition_item(batch_id, record_id) VALUES (?, ?)", [id, record])
            }
            try appendAudit(
                db, actor: actor, action: "disposition.prepare", target: "batch:\(id)",
                detail: ["action": action, "as_of": asOf, "records": String(records.count)], at: now)
            return try db.record(DispositionBatch.self, "SELECT * FROM disposition_batch WHERE id = ?", [id])!
        }
    }

    public func batch(_ id: Int64) throws -> (batch: DispositionBatch, records: [ContentID])? {
        try database.read { db in
            guard let batch = try db.record(DispositionBatch.self, "SELECT * FROM disposition_batch WHERE id = ?", [id])
            else { return nil }
            let records = try db.column(ContentID.self, "SELECT record_id FROM disposition_item WHERE batch_id = ? ORDER BY record_id", [id])
            return (batch, records)
        }
    }

    public func batches() throws -> [DispositionBatch] {
        try database.read { db in try db.records(DispositionBatch.self, "SELECT * FROM disposition_batch ORDER BY id DESC") }
    }

    /// Approves batch `id`; the approver must not be its preparer.
    public func approveBatch(_ id: Int64, actor: String, at now: Date) throws -> DispositionBatch {
        try database.write { db in
            guard let batch = try db.record(DispositionBatch.self, "SELECT * FROM disposition_batch WHERE id = ?\(db.forUpdate())", [id])
            else { throw SijillInputError.notFound(String(id), kind: "disposition batch") }
            guard batch.approvedAt == nil else {
                throw SijillInputError.badOption("batch \(id)", reason: "already approved by \(batch.approvedBy ?? "?")")
            }
            guard batch.preparedBy != actor else {
                throw SijillInputError.badOption("batch \(id)", reason: "it was prepared by \(actor); another admin must approve it")
            }
            try db.execute("UPDATE disposition_batch SET approved_by = ?, approved_at = ? WHERE id = ?", [actor, Timestamp.string(now), id])
            try appendAudit(db, actor: actor, action: "disposition.approve", target: "batch:\(id)", detail: ["action": batch.action], at: now)
            return try db.record(DispositionBatch.self, "SELECT * FROM disposition_batch WHERE id = ?", [id])!
        }
    }

    /// The objects `record`'s pages use (images, source files, texts, hOCR) and which of them
    /// another record not yet destroyed also uses (those are kept).
    public func content(of record: ContentID) throws -> RecordContent {
        try database.read { db in
            var objects: [ContentID] = []
            for row in try db.rows("SELECT image_id, source_id, text_id, hocr_id FROM page WHERE record_id = ?", [record]) {
                for column in ["image_id", "source_id", "text_id", "hocr_id"] { objects.append(row[column]) }
            }
            // Text a PDF carried for the record's pages.
            objects += try db.column(ContentID.self, """
                    SELECT text_id FROM image_origin WHERE text_id IS NOT NULL
                        AND image_id IN (SELECT image_id FROM page WHERE record_id = ?)
                    """, [record])
            objects = Array(Set(objects)).sorted { $0.hex < $1.hex }
            var shared = Set<ContentID>()
            for object in objects {
                let used = try db.scalar(Bool.self, """
                        SELECT EXISTS(SELECT 1 FROM page WHERE record_id != ?1
                            AND (image_id = ?2 OR source_id = ?2 OR text_id = ?2 OR hocr_id = ?2
                                OR image_id IN (SELECT image_id FROM image_origin WHERE text_id = ?2)))
                        """, [record, object]) ?? false
                if used { shared.insert(object) }
            }
            return RecordContent(objects: objects, sharedWithOthers: shared)
        }
    }

    /// Removes `record`'s pages, their OCR results and index entries, keeping the record row
    /// as a stub, and marks it destroyed by `batch` — in one transaction. The page texts are
    /// read (through `pageText`) before anything is removed: the contentless index needs them.
    /// `objects` (not shared with other records) are noted on the batch item, to be removed
    /// from the store after this commits (``objectsToRemove(batch:)`` lists them again if that
    /// step was interrupted).
    public func destroyContent(
        of record: ContentID, batch: Int64, objects: [ContentID], actor: String, at now: Date
    ) throws {
        let loadText = try requirePageText()
        try database.write { db in
            guard let stored = try db.find(StoredRecord.self, key: [record]) else {
                throw SijillInputError.notFound(record.hex, kind: "record")
            }
            // OCR results of images no other record uses, and the revision history, go too.
            try db.execute("""
                    DELETE FROM ocr_result WHERE image_id IN (SELECT image_id FROM page WHERE record_id = ?1)
                        AND NOT EXISTS (SELECT 1 FROM page p WHERE p.image_id = ocr_result.image_id AND p.record_id != ?1)
                    """, [record])
            try db.execute("""
                    DELETE FROM image_origin WHERE image_id IN (SELECT image_id FROM page WHERE record_id = ?1)
                        AND NOT EXISTS (SELECT 1 FROM page p WHERE p.image_id = image_origin.image_id AND p.record_id != ?1)
                    """, [record])
            try db.execute("DELETE FROM page_revision WHERE record_id = ?", [record])
            let pages = try removePages(of: stored, db, loadText: loadText)
            try db.execute("INSERT INTO record_disposition(record_id, state, batch, at) VALUES (?, 'destroyed', ?, ?) ON CONFLICT (record_id) DO UPDATE SET state = excluded.state, batch = excluded.batch, at = excluded.at", [record, String(batch), Timestamp.string(now)])
            try db.execute("UPDATE disposition_item SET outcome = 'destroyed', objects = ? WHERE batch_id = ? AND record_id = ?", [objects.map(\.hex).joined(separator: " "), batch, record])
            try appendAudit(
                db, actor: actor, action: "record.destroy", target: "record:\(record.hex)",
                detail: ["batch": String(batch), "pages": String(pages.count)], at: now)
        }
    }

    /// Marks `record` transferred (its bag was written) by `batch`.
    public func markTransferred(_ record: ContentID, batch: Int64, bag: String, actor: String, at now: Date) throws {
        try database.write { db in
            try db.execute("INSERT INTO record_disposition(record_id, state, batch, at) VALUES (?, 'transferred', ?, ?) ON CONFLICT (record_id) DO UPDATE SET state = excluded.state, batch = excluded.batch, at = excluded.at", [record, String(batch), Timestamp.string(now)])
            try db.execute("UPDATE disposition_item SET outcome = 'transferred' WHERE batch_id = ? AND record_id = ?", [batch, record])
            try appendAudit(
                db, actor: actor, action: "record.transfer", target: "record:\(record.hex)", detail: ["batch": String(batch), "bag": bag],
                at: now)
        }
    }

    /// Records an item the execution skipped (e.g. a hold placed after approval), and why.
    public func skipItem(_ record: ContentID, batch: Int64, reason: String, actor: String, at now: Date) throws {
        try database.write { db in
            try db.execute("UPDATE disposition_item SET outcome = ? WHERE batch_id = ? AND record_id = ?", ["skipped: " + reason, batch, record])
            try appendAudit(
                db, actor: actor, action: "disposition.skip", target: "record:\(record.hex)", detail: ["batch": String(batch), "reason": reason],
                at: now)
        }
    }

    /// Files the certificate (its JSON object `certificate`, with the CSV beside it) as a record
    /// and marks batch `id` executed, in one transaction: a run interrupted before this commits
    /// files its certificate when run again, and one interrupted after it finds the batch executed,
    /// so a batch never gets two certificates.
    public func finishBatch(
        _ id: Int64, action: String, certificate: ContentID, csv: ContentID, title: String, actor: String, at now: Date
    ) throws {
        try database.write { db in
            // Checked again here: another process may have executed it since this one began.
            if let by = try db.scalar(String.self, "SELECT executed_by FROM disposition_batch WHERE id = ? AND executed_at IS NOT NULL\(db.forUpdate())", [id])
            {
                throw SijillInputError.badOption("batch \(id)", reason: "already executed by \(by)")
            }
            try insert(Catalog.certificateRecord(id: certificate, csv: csv, batch: id, action: action, title: title, at: now), db)
            try db.execute("UPDATE disposition_batch SET executed_by = ?, executed_at = ?, certificate_id = ? WHERE id = ?", [actor, Timestamp.string(now), certificate, id])
            try appendAudit(
                db, actor: actor, action: "disposition.execute", target: "batch:\(id)", detail: ["certificate": certificate.hex], at: now)
        }
    }

    /// Objects that destroyed items of batch `id` noted for removal.
    public func objectsToRemove(batch id: Int64) throws -> [ContentID] {
        try database.read { db in
            try db.column(String.self, "SELECT objects FROM disposition_item WHERE batch_id = ? AND outcome = 'destroyed' AND objects IS NOT NULL", [id]
            ).flatMap { $0.split(separator: " ").compactMap { ContentID(hex: String($0)) } }
        }
    }

    /// Items of batch `id` with their outcomes.
    public func batchOutcomes(_ id: Int64) throws -> [(record: ContentID, outcome: String?)] {
        try database.read { db in
            try db.rows("SELECT record_id, outcome FROM disposition_item WHERE batch_id = ? ORDER BY record_id", [id])
                .map { ($0["record_id"], $0["outcome"]) }
        }
    }
}

extension Catalog {
    /// The series a disposition certificate is filed under (a record of its own, no pages).
    public static let certificateSeries = "DISPOSITION-CERTIFICATE"

    /// A certificate (its JSON object `id`, with the CSV beside it) as a record of its own.
    static func certificateRecord(id: ContentID, csv: ContentID, batch: Int64, action: String, title: String, at now: Date) -> NewRecord {
        let metadata = RecordMetadata(
            series: Catalog.certificateSeries, date: String(Timestamp.string(now).prefix(10)), title: title,
            reference: "batch-\(batch)", extra: ["certificate_json": id.hex, "certificate_csv": csv.hex, "action": action])
        var record = StoredRecord(
            id: id, box: "disposition", source: "batch-\(batch).json", metadata: metadata, pageCount: 0,
            ingestedAt: Timestamp.string(now), runId: nil)
        record.manifestId = id
        return NewRecord(record: record, pages: [])
    }
}
