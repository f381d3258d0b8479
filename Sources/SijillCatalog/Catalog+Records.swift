import Foundation
import GRDB
import SijillCore

extension Catalog {
    /// The searchable record fields stored with each page's text (weighted above it).
    static func meta(of record: StoredRecord) -> String {
        [record.title, record.reference, record.agency, record.series].compactMap { $0 }.joined(separator: " \n ")
    }

    /// The same, in SQL over a joined `record` row.
    static let metaSQL = """
        coalesce(record.title, '') || ' \n ' || coalesce(record.reference, '') || ' \n ' || \
        coalesce(record.agency, '') || ' \n ' || coalesce(record.series, '')
        """

    /// A record ready to be written: its row and its pages with their recognised text.
    public struct NewRecord: Sendable {
        public var record: StoredRecord
        public var pages: [(page: StoredPage, text: String)]

        public init(record: StoredRecord, pages: [(page: StoredPage, text: String)]) {
            self.record = record
            self.pages = pages
        }
    }

    /// Writes a record, its pages and their index entries in one transaction.
    /// Returns false (and writes nothing) when the record is already catalogued.
    @discardableResult
    public func insert(_ new: NewRecord) throws -> Bool {
        try writer.write { db in try insert(new, db) }
    }

    /// The same, inside the caller's transaction.
    @discardableResult
    func insert(_ new: NewRecord, _ db: Database) throws -> Bool {
        if try StoredRecord.exists(db, key: new.record.id) { return false }
        try new.record.insert(db)
        for (page, text) in new.pages {
            var page = page
            try page.insert(db)
            try db.execute(
                sql: "INSERT INTO page_text(rowid, text, meta) VALUES (?, ?, ?)",
                arguments: [page.id, text, Catalog.meta(of: new.record)])
        }
        try appendAudit(
            db, actor: "ingest", action: "record.add", target: "record:\(new.record.id.hex)",
            detail: ["box": new.record.box, "pages": String(new.pages.count), "series": new.record.series ?? ""],
            at: Timestamp.date(new.record.ingestedAt) ?? Date())
        return true
    }

    /// Whether a record with this ID is catalogued.
    public func recordExists(_ id: ContentID) throws -> Bool {
        try writer.read { db in try StoredRecord.exists(db, key: id) }
    }

    /// A record and its pages in order, or nil.
    public func record(_ id: ContentID) throws -> (record: StoredRecord, pages: [StoredPage])? {
        try writer.read { db in
            guard let record = try StoredRecord.fetchOne(db, key: id) else { return nil }
            let pages = try StoredPage.filter(Column("record_id") == id).order(Column("page_no")).fetchAll(db)
            return (record, pages)
        }
    }

    /// The one record whose ID starts with `prefix`.
    public func resolveRecord(_ prefix: IDPrefix) throws -> ContentID {
        let ids = try writer.read { db in
            try ContentID.fetchAll(
                db, sql: "SELECT id FROM record WHERE id >= ? AND id < ? ORDER BY id LIMIT 1000",
                arguments: [prefix.hex, prefix.hex + "g"])
        }
        switch ids.count {
        case 0: throw SijillInputError.notFound(prefix.hex, kind: "record")
        case 1: return ids[0]
        default: throw SijillInputError.ambiguous(prefix.hex, candidates: ids.count)
        }
    }

    /// Where an image is already used as a page: (record, page number) pairs.
    public func uses(ofImage id: ContentID) throws -> [(record: ContentID, pageNo: Int)] {
        try writer.read { db in
            try Row.fetchAll(
                db, sql: "SELECT record_id, page_no FROM page WHERE image_id = ? OR source_id = ? ORDER BY record_id, page_no",
                arguments: [id, id]
            ).map { (record: $0["record_id"], pageNo: $0["page_no"]) }
        }
    }

    /// Number of records and pages catalogued.
    public func counts() throws -> (records: Int, pages: Int) {
        try writer.read { db in
            (try StoredRecord.fetchCount(db), try StoredPage.fetchCount(db))
        }
    }

    /// A finished OCR result for this image and settings, if any.
    public func cachedOCR(image: ContentID, settings: String) throws -> OCRRow? {
        try writer.read { db in
            try OCRRow.fetchOne(db, key: ["image_id": image.databaseValue, "settings": settings.databaseValue])
        }
    }

    /// Saves an OCR result (replacing one for the same image and settings).
    public func saveOCR(_ row: OCRRow) throws {
        try writer.write { db in try row.save(db) }
    }
}

extension Catalog {
    /// Removes a record, its pages and their index entries in one transaction (stored objects
    /// are not touched). Returns false when there is no such record.
    @discardableResult
    public func deleteRecord(_ id: ContentID) throws -> Bool {
        let loadText = try requirePageText()
        return try writer.write { db in
            guard let record = try StoredRecord.fetchOne(db, key: id) else { return false }
            try removePages(of: record, db, loadText: loadText)
            try db.execute(sql: "DELETE FROM record WHERE id = ?", arguments: [id])
            return true
        }
    }

    /// Removes `record`'s pages and their index entries inside the caller's transaction;
    /// returns the pages removed.
    @discardableResult
    func removePages(of record: StoredRecord, _ db: Database, loadText: PageTextLoader) throws -> [StoredPage] {
        let meta = Catalog.meta(of: record)
        let pages = try StoredPage.filter(Column("record_id") == record.id).fetchAll(db)
        for page in pages { try forgetIndexEntry(db, page: page.id, text: loadText(page.textId), meta: meta) }
        try db.execute(sql: "DELETE FROM page WHERE record_id = ?", arguments: [record.id])
        return pages
    }

    /// Removes one page's index entry. A contentless index forgets a row only when told the
    /// exact text and metadata it indexed.
    func forgetIndexEntry(_ db: Database, page: Int64?, text: String, meta: String) throws {
        try db.execute(
            sql: "INSERT INTO page_text(page_text, rowid, text, meta) VALUES ('delete', ?, ?, ?)", arguments: [page, text, meta])
    }
}

extension Catalog {
    /// Every object ID the catalog refers to (records' manifests, pages' images, sources, texts
    /// and hOCR, OCR results, ingest reports, certified copies), with what refers to it.
    public func referencedObjects() throws -> [ContentID: String] {
        try writer.read { db in
            var refs: [ContentID: String] = [:]
            func collect(_ sql: String, _ what: String) throws {
                for row in try Row.fetchAll(db, sql: sql) {
                    for column in row.columnNames {
                        if let hex = row[column] as String?, let id = ContentID(hex: hex), refs[id] == nil {
                            refs[id] = "\(what) \(column)"
                        }
                    }
                }
            }
            // A destroyed record keeps its row as a stub; its manifest object is metadata and kept.
            try collect("SELECT manifest_id FROM record", "record")
            try collect("SELECT image_id, source_id, text_id, hocr_id FROM page", "page")
            try collect("SELECT text_id, hocr_id FROM ocr_result WHERE image_id IN (SELECT image_id FROM page)", "ocr_result")
            try collect(
                "SELECT text_id FROM image_origin WHERE text_id IS NOT NULL AND image_id IN (SELECT image_id FROM page)",
                "embedded text")
            try collect("SELECT report_id FROM ingest_run WHERE report_id IS NOT NULL", "ingest report")
            try collect("SELECT report_id FROM box_job WHERE report_id IS NOT NULL", "uploaded box report")
            try collect("SELECT pdf_id, p7s_id, manifest_id FROM certified_copy", "certified copy")
            try collect("SELECT certificate_id FROM disposition_batch WHERE certificate_id IS NOT NULL", "disposition certificate")
            // Objects named in a record's extra fields (a certificate's CSV beside its JSON).
            for extra in try String.fetchAll(db, sql: "SELECT extra FROM record WHERE extra LIKE '%certificate_%'") {
                let fields = (try? JSONDecoder().decode([String: String].self, from: Data(extra.utf8))) ?? [:]
                for value in fields.values { if let id = ContentID(hex: value), refs[id] == nil { refs[id] = "record extra" } }
            }
            return refs
        }
    }

    /// Pages with no index entry, and index entries with no page.
    public func indexConsistency() throws -> (unindexedPages: [Int64], strayEntries: [Int64]) {
        try writer.read { db in
            let unindexed = try Int64.fetchAll(db, sql: "SELECT id FROM page WHERE id NOT IN (SELECT id FROM page_text_docsize) ORDER BY id")
            let stray = try Int64.fetchAll(db, sql: "SELECT id FROM page_text_docsize WHERE id NOT IN (SELECT id FROM page) ORDER BY id")
            return (unindexed, stray)
        }
    }
}
