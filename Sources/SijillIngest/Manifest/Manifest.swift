import Foundation
import SijillCore

/// A box's `manifest.csv`: which files form which records, with their capture metadata.
///
/// A header row is required and must name a `file` column; `series`, `agency`, `date`, `title`
/// and `reference` are recognised, any other column is kept as record metadata. Column names are
/// matched without regard to case or surrounding spaces.
public struct Manifest: Sendable {
    /// One usable row.
    public struct Entry: Sendable, Hashable {
        /// Line in the CSV file (1-based), for reports.
        public var line: Int
        /// Normalised path inside the box: an image, a multi-page TIFF, or a folder.
        public var file: String
        public var metadata: RecordMetadata
        /// For a re-scan: the record (ID or ≥12-hex prefix) and page number this image replaces.
        public var replaces: PageReference?
    }

    /// A page of a catalogued record, as a manifest names it.
    public struct PageReference: Sendable, Hashable {
        public var record: String
        public var page: Int
    }

    /// A row that cannot be used, and why.
    public struct RowProblem: Sendable, Hashable {
        public var line: Int
        public var file: String?
        public var reason: String
        public var code: String
    }

    public var name: String
    /// How the file was read (encoding and separator).
    public var dialect: CSVReader.Dialect
    public var entries: [Entry]
    public var problems: [RowProblem]
    /// What the archivist should know about rows that were used: a date read from how it was
    /// written (`14/03/1982` as 1982-03-14), or a date cell no rule can read (kept as written,
    /// not used for date searches or retention).
    public var notes: [RowProblem]

    /// Longest accepted cell, in UTF-8 bytes: a title or reference is a line, not a document.
    public static let maxCellBytes = 8192

    static let known: Set<String> = ["file", "series", "agency", "date", "title", "reference", "record", "page"]

    /// Arabic names an archivist may give the known columns (matched folded: hamza forms, ة/ه
    /// and ى/ي alike), each standing for its English name.
    static let arabicColumns: [String: String] = Dictionary(uniqueKeysWithValues: [
        ("الملف", "file"), ("ملف", "file"), ("اسم الملف", "file"), ("الصورة", "file"), ("السلسلة", "series"),
        ("سلسلة", "series"), ("الجهة", "agency"), ("الجهة المصدرة", "agency"), ("الدائرة", "agency"), ("التاريخ", "date"),
        ("العنوان", "title"), ("الموضوع", "title"), ("المرجع", "reference"), ("الرقم", "reference"),
        ("رقم المعاملة", "reference"),
    ].map { (ArabicText.fold($0.0), $0.1) })

    /// A header cell as a column name: trimmed, lower-cased, an Arabic name of a known column
    /// as that column (any other Arabic name is kept as written).
    static func column(_ cell: String) -> String {
        let name = cell.trimmingCharacters(in: .whitespaces).lowercased()
        let folded = ArabicText.fold(name).split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return arabicColumns[folded] ?? name
    }

    /// Parses manifest bytes; `name` is used in messages.
    public init(data: Data, name: String) throws {
        self.name = name
        // (a workbook, manifest.xlsx or .ods, is read from its first sheet)
        let (rows, dialect) = XLSXReader.isWorkbook(data)
            ? (try XLSXReader.rows(data, name: name), CSVReader.Dialect(
                encoding: name.lowercased().hasSuffix(".ods") ? "OpenDocument spreadsheet" : "Excel workbook", separator: ","))
            : try CSVReader.read(data, name: name)
        self.dialect = dialect
        guard let header = rows.first else { throw ManifestError.header(name, "the file is empty") }
        let columns = header.fields.map { Self.column($0) }
        guard let fileIndex = columns.firstIndex(of: "file") else {
            throw ManifestError.header(
                name, "no 'file' column (found: \(columns.map { "'\($0)'" }.joined(separator: ", ")))")
        }
        var seen: Set<String> = []
        for column in columns where !column.isEmpty {
            guard seen.insert(column).inserted else {
                throw ManifestError.header(name, "column '\(column)' appears twice")
            }
        }
        entries = []
        problems = []
        notes = []
        for row in rows.dropFirst() {
            if row.fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            if row.fields.count > columns.count,
                row.fields[columns.count...].contains(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty })
            {
                problems.append(RowProblem(
                    line: row.line, file: nil, reason: "row has \(row.fields.count) fields but the header has \(columns.count)",
                    code: "manifest-row-fields"))
                continue
            }
            if let long = row.fields.firstIndex(where: { $0.utf8.count > Manifest.maxCellBytes }) {
                let column = long < columns.count ? "'\(columns[long])'" : "\(long + 1)"
                problems.append(RowProblem(
                    line: row.line, file: nil,
                    reason: "cell \(column) is \(row.fields[long].utf8.count) bytes long; the limit is \(Manifest.maxCellBytes)",
                    code: "manifest-cell-too-long"))
                continue
            }
            func value(_ i: Int) -> String? {
                guard i < row.fields.count else { return nil }
                let v = row.fields[i].trimmingCharacters(in: .whitespacesAndNewlines)
                return v.isEmpty ? nil : v
            }
            guard let rawFile = value(fileIndex) else {
                problems.append(RowProblem(line: row.line, file: nil, reason: "the 'file' cell is empty", code: "manifest-row-file"))
                continue
            }
            let file: String
            switch EntryPath.normalize(rawFile) {
            case .success(let path): file = path
            case .failure(let unsafe):
                problems.append(RowProblem(line: row.line, file: rawFile, reason: "unsafe path: \(unsafe.message)", code: "unsafe-path"))
                continue
            }
            var replaces: PageReference?
            let recordCell = columns.firstIndex(of: "record").flatMap(value)
            let pageCell = columns.firstIndex(of: "page").flatMap(value)
            if recordCell != nil || pageCell != nil {
                guard let recordCell, let pageCell, let page = Int(pageCell), page >= 1,
                    (try? IDPrefix(recordCell)) != nil
                else {
                    problems.append(RowProblem(
                        line: row.line, file: file,
                        reason: "a re-scan row needs both 'record' (an ID or a prefix of at least 12 hex digits) and 'page' (a page number from 1)",
                        code: "manifest-row-rescan"))
                    continue
                }
                replaces = PageReference(record: recordCell, page: page)
            }
            var metadata = RecordMetadata()
            for (i, column) in columns.enumerated() where i != fileIndex && !column.isEmpty && column != "record" && column != "page" {
                guard let v = value(i) else { continue }
                switch column {
                case "series": metadata.series = v
                case "agency": metadata.agency = v
                case "date":
                    switch ManifestDate.read(v) {
                    case .iso: metadata.date = v
                    case .read(let iso):
                        metadata.date = iso
                        metadata.extra["date_as_written"] = v
                        notes.append(RowProblem(line: row.line, file: file, reason: "date '\(v)' read as \(iso)", code: "manifest-date-read"))
                    case .unread:
                        metadata.extra["date_as_written"] = v
                        notes.append(RowProblem(
                            line: row.line, file: file,
                            reason: "date '\(v)' is not a date Sijill can read (YYYY-MM-DD, 14/03/1982, ١٤٠٢/٠٥/١٩هـ, آذار ١٩٨٢ …): kept as written, not used for date searches or retention",
                            code: "manifest-date-unread"))
                    }
                case "title": metadata.title = v
                case "reference": metadata.reference = v
                default: metadata.extra[column] = v
                }
            }
            entries.append(Entry(line: row.line, file: file, metadata: metadata, replaces: replaces))
        }
    }
}
