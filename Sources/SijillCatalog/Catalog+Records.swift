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
        try writer.write { db in
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
            let meta = Catalog.meta(of: record)
            for page in try StoredPage.filter(Column("record_id") == id).fetchAll(db) {
                try db.execute(
                    sql: "INSERT INTO page_text(page_text, rowid, text, meta) VALUES ('delete', ?, ?, ?)",
                    arguments: [page.id, try loadText(page.textId), meta])
            }
            try db.execute(sql: "DELETE FROM page WHERE record_id = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM record WHERE id = ?", arguments: [id])
            return true
        }
    }
}
