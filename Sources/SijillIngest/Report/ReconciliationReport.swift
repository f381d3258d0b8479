import Foundation
import SijillCore

/// Every entry of a box accounted for: stored, duplicate (of which ID), rejected (why), or
/// ignored (operating-system clutter); plus what happened to each record.
///
/// Printed as a table or as JSON by `sijill ingest`, and stored as an object in the archive.
public struct ReconciliationReport: Sendable, Codable {
    /// What became of one entry (or manifest row, or the archive itself).
    public enum Status: String, Sendable, Codable, CaseIterable {
        case stored, duplicate, rejected, ignored, manifest
    }

    public struct Item: Sendable, Codable, Hashable {
        /// The entry name as in the box, or `manifest.csv:LINE` for a manifest row.
        public var name: String
        public var status: Status
        /// Content ID of the entry's bytes, when read.
        public var contentId: ContentID?
        /// For duplicates: the record and page that already hold these bytes, when known.
        public var duplicateOf: String?
        /// Record and page number the entry became, when stored.
        public var record: ContentID?
        public var pages: [Int]?
        /// Why it was rejected or ignored (English, for logs) and a stable code.
        public var reason: String?
        public var code: String?
        /// What an archivist should know about a stored file (a PDF's pages, attachments not
        /// extracted, scripts never run).
        public var notes: [String]?

        enum CodingKeys: String, CodingKey {
            case name, status, contentId = "content_id", duplicateOf = "duplicate_of", record, pages, reason, code, notes
        }
    }

    /// What became of one record described by the manifest (or by the folder layout).
    public struct RecordOutcome: Sendable, Codable, Hashable {
        public enum Status: String, Sendable, Codable { case added, updated, existing, rejected }
        public var source: String
        public var status: Status
        public var record: ContentID?
        public var pages: Int
        public var reason: String?
        /// The box folder it came from, when the delivery holds several boxes.
        public var box: String?
    }

    public struct Summary: Sendable, Codable, Hashable {
        public var entries = 0
        public var stored = 0
        public var duplicate = 0
        public var rejected = 0
        public var ignored = 0
        public var recordsAdded = 0
        public var recordsExisting = 0
        public var recordsRejected = 0
        public var pagesAdded = 0
        public var pagesReplaced = 0

        enum CodingKeys: String, CodingKey {
            case entries, stored, duplicate, rejected, ignored
            case recordsAdded = "records_added", recordsExisting = "records_existing"
            case recordsRejected = "records_rejected", pagesAdded = "pages_added", pagesReplaced = "pages_replaced"
        }
    }

    public var box: String
    public var path: String
    public var run: Int64?
    public var startedAt: String
    public var finishedAt: String
    public var manifest: String?
    public var ocr: String
    /// The box folders of a delivery that holds several boxes (each with its own manifest), in order.
    public var boxes: [String]?
    /// Set when the box as a whole is damaged (nothing from it was imported).
    public var boxError: String?
    public var summary: Summary
    public var items: [Item]
    public var records: [RecordOutcome]
    /// The content ID the report was stored under (not part of the stored bytes).
    public var storedAs: ContentID?

    enum CodingKeys: String, CodingKey {
        case box, path, run, boxes, boxError = "box_error", startedAt = "started_at", finishedAt = "finished_at", manifest, ocr, summary, items, records
    }

    /// Whether nothing was rejected (exit code 0).
    public var isClean: Bool { summary.rejected == 0 && summary.recordsRejected == 0 }

    /// Whether the run added nothing because everything was already in the archive.
    public var addedNothing: Bool { summary.recordsAdded == 0 && summary.stored == 0 && summary.pagesReplaced == 0 }

    /// Pretty JSON (sorted keys, Arabic unescaped).
    public func jsonData() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try! encoder.encode(self)
    }

    mutating func recount() {
        var s = Summary()
        for item in items {
            switch item.status {
            case .stored: s.stored += 1
            case .duplicate: s.duplicate += 1
            case .rejected: s.rejected += 1
            case .ignored: s.ignored += 1
            case .manifest: break
            }
        }
        s.entries = items.count
        for r in records {
            switch r.status {
            case .added:
                s.recordsAdded += 1
                s.pagesAdded += r.pages
            case .updated: s.pagesReplaced += r.pages
            case .existing: s.recordsExisting += 1
            case .rejected: s.recordsRejected += 1
            }
        }
        summary = s
    }
}
