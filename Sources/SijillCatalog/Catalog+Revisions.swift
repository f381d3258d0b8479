import Foundation
import SijillCore

extension Catalog {
    /// Why a page changed.
    public enum RevisionReason: String, Sendable {
        /// A better scan of the same page replaced the image (the old image stays stored).
        case rescan
        /// The same image was recognised again with newer settings.
        case reocr
    }

    /// Replaces a page's image and/or OCR and its index entry in one transaction, and records
    /// the change. Returns false when the page does not exist.
    @discardableResult
    public func revisePage(
        record: ContentID, pageNo: Int, image: ContentID? = nil, source: (id: ContentID, path: String, frame: Int)? = nil,
        ocr: OCRRow, text: String, reason: RevisionReason, at time: String, runID: Int64? = nil
    ) throws -> Bool {
        let loadText = try requirePageText()
        return try database.write { db in
            guard var page = try db.record(
                StoredPage.self, "SELECT * FROM page WHERE record_id = ? AND page_no = ?", [record, pageNo])
            else { return false }
            let old = page
            if let image { page.imageId = image }
            if let source {
                page.sourceId = source.id
                page.source = source.path
                page.frame = source.frame
            }
            page.apply(ocr)
            try db.update(page)
            let meta = try db.find(StoredRecord.self, key: [record]).map(Catalog.meta(of:)) ?? ""
            try PageIndex.forget(db, page: page.id, text: loadText(old.textId), meta: meta)
            try PageIndex.add(db, page: page.id ?? 0, text: text, meta: meta)
            // The record's fields, from its pages' text as it now reads.
            let pages = try Catalog.pages(of: record, db)
            try saveFields(try extractFields(pages.map { ($0, $0.pageNo == pageNo ? text : try loadText($0.textId)) }), of: record, db)
            try db.execute(
                """
                    INSERT INTO page_revision(record_id, page_no, reason, old_image_id, new_image_id, old_text_id,
                        new_text_id, old_settings, new_settings, old_confidence, new_confidence, at, run_id)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                [
                    record, pageNo, reason.rawValue, old.imageId, page.imageId, old.textId, page.textId, old.ocrSettings,
                    page.ocrSettings, old.confidence, page.confidence, time, runID,
                ])
            try appendAudit(
                db, actor: "ingest", action: "page.revise", target: "page:\(record.hex)/\(pageNo)",
                detail: ["reason": reason.rawValue, "old_text": old.textId.hex, "new_text": page.textId.hex,
                         "old_image": old.imageId.hex, "new_image": page.imageId.hex],
                at: Timestamp.date(time) ?? Date())
            return true
        }
    }

    /// Pages selected for re-OCR.
    public struct PageSelection: Sendable {
        public var series: String?
        public var belowConfidence: Double?
        public var record: ContentID?
        /// Skip pages already read with these settings.
        public var excludingSettings: String?

        public init(series: String? = nil, belowConfidence: Double? = nil, record: ContentID? = nil, excludingSettings: String? = nil) {
            self.series = series
            self.belowConfidence = belowConfidence
            self.record = record
            self.excludingSettings = excludingSettings
        }
    }

    /// The pages a selection names, in record and page order.
    public func pages(_ selection: PageSelection) throws -> [StoredPage] {
        try database.read { db in
            var conditions = SQLConditions()
            conditions.add("record.series = ?", selection.series)
            conditions.add("page.confidence < ?", selection.belowConfidence)
            conditions.add("page.record_id = ?", selection.record)
            conditions.add("page.ocr_settings <> ?", selection.excludingSettings)
            return try db.records(
                StoredPage.self,
                """
                SELECT page.* FROM page JOIN record ON record.id = page.record_id \(conditions.whereClause)
                ORDER BY page.record_id, page.page_no
                """,
                conditions.values())
        }
    }

    /// A page flagged for re-scanning, with where it came from.
    public struct RescanItem: Sendable, Codable, Hashable {
        public var record: ContentID
        public var page: Int
        public var pageId: ContentID
        public var box: String
        public var source: String
        public var frame: Int
        public var confidence: Double
        public var words: Int
        public var lowConfidenceWords: Int
        public var title: String?
        public var reference: String?

        enum CodingKeys: String, CodingKey {
            case record, page, pageId = "page_id", box, source, frame, confidence, words
            case lowConfidenceWords = "low_confidence_words", title, reference
        }
    }

    /// Pages flagged "needs re-scan", optionally of one box.
    public func rescanList(box: String? = nil) throws -> [RescanItem] {
        try database.read { db in
            var sql = """
                SELECT page.record_id, page.page_no, page.image_id, record.box, page.source, page.frame, page.confidence,
                       page.word_count, page.low_conf_words, record.title, record.reference
                FROM page JOIN record ON record.id = page.record_id WHERE page.needs_rescan <> 0
                """
            var arguments: [any SQLValueConvertible] = []
            if let box {
                sql += " AND record.box = ?"
                arguments.append(box)
            }
            sql += " ORDER BY record.box, page.source, page.frame"
            return try db.rows(sql, arguments).map { row in
                RescanItem(
                    record: row["record_id"], page: row["page_no"], pageId: row["image_id"], box: row["box"],
                    source: row["source"], frame: row["frame"], confidence: row["confidence"], words: row["word_count"],
                    lowConfidenceWords: row["low_conf_words"], title: row["title"], reference: row["reference"])
            }
        }
    }

    /// The revisions of a record's pages, oldest first.
    public func revisions(of record: ContentID) throws -> [SQLRow] {
        try database.read { db in
            try db.rows("SELECT * FROM page_revision WHERE record_id = ? ORDER BY id", [record])
        }
    }
}
