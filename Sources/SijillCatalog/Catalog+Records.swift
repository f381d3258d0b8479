import Foundation
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
        // Fields (and the hOCR their boxes come from) are read before the transaction: no
        // object-store reads while it holds the writer.
        let fields = try extractFields(new.pages)
        return try database.write { db in try insert(new, fields: fields, db) }
    }

    /// The same, inside the caller's transaction (`fields`: extracted from the pages when nil).
    @discardableResult
    func insert(_ new: NewRecord, fields: TransactionFields? = nil, _ db: any SQLConnection) throws -> Bool {
        // Two ingests of the same record at once on PostgreSQL: the second waits for the first
        // to commit, then finds the record (rather than failing on its key). SQLite has one writer.
        if db.dialect == .postgres { try db.execute("SELECT pg_advisory_xact_lock(hashtext(?))", ["record:" + new.record.id.hex]) }
        if try db.find(StoredRecord.self, key: [new.record.id]) != nil { return false }
        try db.insert(new.record)
        for (page, text) in new.pages {
            let id = try db.insertReturningID(page)
            try PageIndex.add(db, page: id, text: text, meta: Catalog.meta(of: new.record))
        }
        try saveFields(try fields ?? extractFields(new.pages), of: new.record.id, db)
        try appendAudit(
            db, actor: "ingest", action: "record.add", target: "record:\(new.record.id.hex)",
            detail: ["box": new.record.box, "pages": String(new.pages.count), "series": new.record.series ?? ""],
            at: Timestamp.date(new.record.ingestedAt) ?? Date())
        return true
    }

    /// Whether a record with this ID is catalogued.
    public func recordExists(_ id: ContentID) throws -> Bool {
        try database.read { db in try db.scalar(Bool.self, "SELECT EXISTS (SELECT 1 FROM record WHERE id = ?)", [id]) ?? false }
    }

    /// A record and its pages in order, or nil.
    public func record(_ id: ContentID) throws -> (record: StoredRecord, pages: [StoredPage])? {
        try database.read { db in
            guard let record = try db.find(StoredRecord.self, key: [id]) else { return nil }
            return (record, try Catalog.pages(of: id, db))
        }
    }

    /// The one record whose ID starts with `prefix`.
    public func resolveRecord(_ prefix: IDPrefix) throws -> ContentID {
        let ids = try database.read { db in
            try db.column(
                ContentID.self, "SELECT id FROM record WHERE id >= ? AND id < ? ORDER BY id LIMIT 1000", [prefix.hex, prefix.hex + "g"])
        }
        switch ids.count {
        case 0: throw SijillInputError.notFound(prefix.hex, kind: "record")
        case 1: return ids[0]
        default: throw SijillInputError.ambiguous(prefix.hex, candidates: ids.count)
        }
    }

    /// Where an image is already used as a page: (record, page number) pairs.
    public func uses(ofImage id: ContentID) throws -> [(record: ContentID, pageNo: Int)] {
        try database.read { db in
            try db.rows(
                "SELECT record_id, page_no FROM page WHERE image_id = ? OR source_id = ? ORDER BY record_id, page_no", [id, id]
            ).map { (record: $0["record_id"], pageNo: $0["page_no"]) }
        }
    }

    /// Number of records and pages catalogued.
    public func counts() throws -> (records: Int, pages: Int) {
        try database.read { db in
            (try db.scalar(Int.self, "SELECT count(*) FROM record") ?? 0, try db.scalar(Int.self, "SELECT count(*) FROM page") ?? 0)
        }
    }

    /// A finished OCR result for this image and settings, if any.
    public func cachedOCR(image: ContentID, settings: String) throws -> OCRRow? {
        try database.read { db in try db.find(OCRRow.self, key: [image, settings]) }
    }

    /// Saves an OCR result (replacing one for the same image and settings).
    public func saveOCR(_ row: OCRRow) throws {
        try database.write { db in try db.save(row) }
    }
}

extension Catalog {
    /// Removes a record, its pages and their index entries in one transaction (stored objects
    /// are not touched). Returns false when there is no such record.
    @discardableResult
    public func deleteRecord(_ id: ContentID) throws -> Bool {
        let loadText = try requirePageText()
        return try database.write { db in
            guard let record = try db.find(StoredRecord.self, key: [id]) else { return false }
            try removePages(of: record, db, loadText: loadText)
            try db.execute("DELETE FROM copy_request WHERE record_id = ?", [id])
            try db.execute("DELETE FROM record WHERE id = ?", [id])
            return true
        }
    }

    /// Removes `record`'s pages and their index entries inside the caller's transaction;
    /// returns the pages removed.
    @discardableResult
    func removePages(of record: StoredRecord, _ db: any SQLConnection, loadText: PageTextLoader) throws -> [StoredPage] {
        let meta = Catalog.meta(of: record)
        let pages = try Catalog.pages(of: record.id, db)
        for page in pages { try PageIndex.forget(db, page: page.id, text: loadText(page.textId), meta: meta) }
        try db.execute("DELETE FROM page WHERE record_id = ?", [record.id])
        // Fields quote the pages (names, numbers): they go with them.
        try db.execute("DELETE FROM record_field WHERE record_id = ?", [record.id])
        return pages
    }

    /// A record's pages in order.
    static func pages(of record: ContentID, _ db: any SQLConnection) throws -> [StoredPage] {
        try db.records(StoredPage.self, "SELECT * FROM page WHERE record_id = ? ORDER BY page_no", [record])
    }
}

extension Catalog {
    /// Every object ID the catalog refers to (records' manifests, pages' images, sources, texts
    /// and hOCR, OCR results, ingest reports, certified copies), with what refers to it.
    public func referencedObjects() throws -> [ContentID: String] {
        try database.read { db in
            var refs: [ContentID: String] = [:]
            func collect(_ sql: String, _ what: String) throws {
                for row in try db.rows(sql, []) {
                    for (column, value) in zip(row.columns, row.values) {
                        if case .text(let hex) = value, let id = ContentID(hex: hex), refs[id] == nil {
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
            for extra in try db.column(String.self, "SELECT extra FROM record WHERE extra LIKE '%certificate_%'") {
                let fields = (try? JSONDecoder().decode([String: String].self, from: Data(extra.utf8))) ?? [:]
                for value in fields.values { if let id = ContentID(hex: value), refs[id] == nil { refs[id] = "record extra" } }
            }
            return refs
        }
    }

    /// Pages with no index entry, and index entries with no page.
    public func indexConsistency() throws -> (unindexedPages: [Int64], strayEntries: [Int64]) {
        try database.read { db in
            let found = try PageIndex.consistency(db)
            return (found.unindexed, found.stray)
        }
    }
}
