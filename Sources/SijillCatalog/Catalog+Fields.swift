import Foundation
import SijillCore

/// Transaction fields (``FieldExtractor``) stored per record: one row per field, the version of
/// the rules that found them on the record (`record.fields_version`; NULL: never extracted).
extension Catalog {
    /// The same statements on SQLite and PostgreSQL.
    static let fieldsSchema = [
        """
        CREATE TABLE record_field (
            record_id TEXT NOT NULL REFERENCES record(id) ON DELETE CASCADE, seq INTEGER NOT NULL,
            kind TEXT NOT NULL, value TEXT NOT NULL, text TEXT NOT NULL, page_no INTEGER NOT NULL,
            line_no INTEGER NOT NULL, confidence REAL NOT NULL, calendar TEXT, day_from TEXT, day_to TEXT,
            main INTEGER NOT NULL DEFAULT 0, role TEXT, label TEXT, currency TEXT, box TEXT,
            PRIMARY KEY (record_id, seq))
        """,
        "CREATE INDEX record_field_value ON record_field(kind, value)",
        "ALTER TABLE record ADD COLUMN fields_version INTEGER",
        // Retention may trigger on the extracted main date; the row says so.
        "ALTER TABLE record_retention ADD COLUMN trigger_source TEXT",
    ]

    /// Replaces `record`'s fields inside the caller's transaction.
    func saveFields(_ fields: TransactionFields, of record: ContentID, _ db: any SQLConnection) throws {
        try db.execute("DELETE FROM record_field WHERE record_id = ?", [record])
        for (seq, f) in fields.all.enumerated() {
            try db.execute(
                """
                INSERT INTO record_field(record_id, seq, kind, value, text, page_no, line_no, confidence, calendar,
                    day_from, day_to, main, role, label, currency, box)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    record, seq, f.kind.rawValue, f.value, f.text, f.page, f.line, f.confidence, f.calendar, f.dayFrom,
                    f.dayTo, f.main == true ? 1 : 0, f.role, f.label, f.currency,
                    f.box.map { $0.map(String.init).joined(separator: " ") },
                ])
        }
        try db.execute("UPDATE record SET fields_version = ? WHERE id = ?", [FieldExtractor.version, record])
    }

    /// `record`'s stored fields (empty when none were found or extraction never ran).
    public func fields(of record: ContentID) throws -> TransactionFields {
        try database.read { db in try Catalog.fields(of: record, db) }
    }

    static func fields(of record: ContentID, _ db: any SQLConnection) throws -> TransactionFields {
        let rows = try db.rows("SELECT * FROM record_field WHERE record_id = ? ORDER BY seq", [record])
        return TransactionFields(rows.compactMap(Catalog.field(_:)))
    }

    static func field(_ row: SQLRow) -> TransactionFields.Field? {
        guard let kind = TransactionFields.Kind(rawValue: row["kind"]) else { return nil }
        let main: Int = row["main"]
        return TransactionFields.Field(
            kind: kind, text: row["text"], value: row["value"], page: row["page_no"], line: row["line_no"],
            confidence: row["confidence"], calendar: row["calendar"], dayFrom: row["day_from"], dayTo: row["day_to"],
            main: kind == .date ? main != 0 : nil, role: row["role"], label: row["label"], currency: row["currency"],
            box: (row["box"] as String?).map { $0.split(separator: " ").compactMap { Int($0) } })
    }

    /// Extracts `record`'s fields again from its pages' current text; returns them.
    @discardableResult
    public func reextract(_ record: ContentID) throws -> TransactionFields {
        let loadText = try requirePageText()
        return try database.write { db in try reextract(record, db, loadText: loadText) }
    }

    func reextract(_ record: ContentID, _ db: any SQLConnection, loadText: PageTextLoader) throws -> TransactionFields {
        let pages = try Catalog.pages(of: record, db)
        let fields = try extractFields(pages.map { ($0, try loadText($0.textId)) })
        try saveFields(fields, of: record, db)
        return fields
    }

    /// The fields of pages with their text, boxed on their hOCR when the catalog can read
    /// stored objects (a page whose hOCR cannot be read keeps its fields unboxed).
    func extractFields(_ pages: [(page: StoredPage, text: String)]) throws -> TransactionFields {
        var fields = FieldExtractor.extract(pages: pages.map { ($0.page.pageNo, $0.text) })
        if let pageText, !fields.isEmpty {
            var hocr: [Int: String] = [:]
            for (page, _) in pages { hocr[page.pageNo] = try? pageText(page.hocrId) }
            FieldExtractor.locate(&fields, hocr: hocr)
        }
        return fields
    }

    /// Records whose fields were extracted by older rules than ``FieldExtractor/version`` (or
    /// never), in ingest order; `all` lists every record.
    public func recordsNeedingExtraction(all: Bool = false, series: String? = nil) throws -> [ContentID] {
        var conditions = SQLConditions()
        if !all { conditions.add("(fields_version IS NULL OR fields_version < ?)", FieldExtractor.version) }
        conditions.add("series = ?", series)
        return try database.read { db in
            try db.column(
                ContentID.self, "SELECT id FROM record \(conditions.isEmpty ? "" : "WHERE " + conditions.sql) ORDER BY ingested_at, id",
                conditions.values())
        }
    }

    /// Every field of the records of `series` (all records when nil), for auditors' CSV: record
    /// ID, reference and title beside each field.
    public func fieldRows(series: String?) throws -> [(record: ContentID, reference: String?, title: String?, field: TransactionFields.Field)] {
        var conditions = SQLConditions()
        conditions.add("record.series = ?", series)
        return try database.read { db in
            try db.rows(
                """
                SELECT record_field.*, record.reference AS record_reference, record.title AS record_title FROM record_field
                JOIN record ON record.id = record_field.record_id \(conditions.isEmpty ? "" : "WHERE " + conditions.sql)
                ORDER BY record.ingested_at, record.id, record_field.seq
                """, conditions.values()
            ).compactMap { row in
                Catalog.field(row).map { (row["record_id"], row["record_reference"], row["record_title"], $0) }
            }
        }
    }
}
