import SijillCatalog
import SijillCore

/// Extracted transaction fields as CSV for auditors and data-entry checks: one row per field
/// with its record, the page it came from and the text as printed beside the value read.
public enum FieldsExport {
    /// One field with its record, as JSON exports list them.
    public struct Row: Encodable, Sendable {
        public var record: String, reference: String?, title: String?, field: TransactionFields.Field

        public init(_ row: (record: ContentID, reference: String?, title: String?, field: TransactionFields.Field)) {
            record = row.record.hex
            reference = row.reference
            title = row.title
            field = row.field
        }
    }

    public static func csv(_ rows: [(record: ContentID, reference: String?, title: String?, field: TransactionFields.Field)]) -> String {
        var out = "\u{FEFF}"
        func row(_ cells: [String?]) { out += cells.map { CSVCell.escape($0 ?? "") }.joined(separator: ",") + "\r\n" }
        row([
            "المعرّف / record", "المرجع / reference", "العنوان / title", "الحقل / field", "القيمة / value",
            "النص المطبوع / printed", "التقويم / calendar", "هجري / hijri", "الدور / role", "العملة / currency",
            "الصفحة / page", "السطر / line", "الثقة / confidence", "رئيسي / main",
        ])
        for r in rows {
            let f = r.field
            row([
                r.record.hex, r.reference, r.title, f.kind.rawValue, f.value, f.text, f.calendar,
                f.kind == .date ? ArabicCalendar.hijriText(f.value) : nil, f.role, f.currency, String(f.page), String(f.line),
                String(format: "%.2f", f.confidence), f.main == true ? "yes" : nil,
            ])
        }
        return out
    }
}
