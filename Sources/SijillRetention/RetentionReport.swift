import Foundation
import SijillCatalog
import SijillCore

/// Every record's retention standing on one day, and a summary per series.
public struct RetentionReport: Sendable, Encodable {
    public struct Line: Sendable, Encodable {
        public var record: String
        public var series: String?
        public var title: String?
        public var reference: String?
        public var date: String?
        public var schedule: String?
        public var authority: String?
        public var action: String?
        public var trigger: String?
        public var triggerDate: String?
        public var dueDate: String?
        public var state: RetentionState
        public var holds: [Int64]
        /// Why a date is missing, in words.
        public var note: String?

        enum CodingKeys: String, CodingKey {
            case record, series, title, reference, date, schedule, authority, action, trigger, state, holds, note
            case triggerDate = "trigger_date"
            case dueDate = "due_date"
        }

        init(_ facts: RetentionRecordFacts, state: RetentionState) {
            let r = facts.retention
            record = r.recordId.hex
            series = r.series
            title = facts.title
            reference = facts.reference
            date = facts.date
            schedule = r.scheduleSource.map { _ in "\(r.period ?? "") \(r.trigger ?? "") → \(r.action ?? "")" }
            authority = r.authority
            action = r.action
            trigger = r.trigger
            triggerDate = r.triggerDate
            dueDate = r.dueDate
            self.state = state
            holds = facts.holds
            if !r.scheduled {
                note = r.series == nil ? "no series in the manifest" : "series \(r.series!) has no retention schedule"
            } else if r.triggerSource == "pages" {
                note = "no date in the manifest: trigger date read from the pages (extracted main date)"
            } else if r.triggerDate == nil {
                note = switch r.trigger {
                case "closed": "waiting for its cut-off (sijill retention close)"
                case "date": "no date in the manifest"
                default: "no trigger date"
                }
            }
        }
    }

    public struct SeriesSummary: Sendable, Encodable {
        public var series: String
        public var records: Int
        public var states: [String: Int]
    }

    public var asOf: String
    /// The fingerprint of the schedule set used.
    public var schedules: String
    public var lines: [Line]

    enum CodingKeys: String, CodingKey {
        case asOf = "as_of"
        case schedules, lines, summary
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(asOf, forKey: .asOf)
        try c.encode(schedules, forKey: .schedules)
        try c.encode(lines, forKey: .lines)
        try c.encode(summary, forKey: .summary)
    }

    /// Counts per series (records without a series under "—") and state.
    public var summary: [SeriesSummary] {
        var bySeries: [String: [String: Int]] = [:]
        for line in lines { bySeries[line.series ?? "—", default: [:]][line.state.rawValue, default: 0] += 1 }
        return bySeries.keys.sorted().map { s in
            SeriesSummary(series: s, records: bySeries[s]!.values.reduce(0, +), states: bySeries[s]!)
        }
    }

    /// The report as CSV for Excel with Arabic: UTF-8 with a BOM, CRLF, RFC 4180 quoting, and
    /// cells that a spreadsheet would run as a formula (= + - @, tab, CR) prefixed with `'`.
    /// Two sections: the records, then the summary per series.
    public func csv() -> String {
        var out = "\u{FEFF}"
        func row(_ cells: [String?]) { out += cells.map { CSVCell.escape($0 ?? "") }.joined(separator: ",") + "\r\n" }
        row(["تاريخ التقرير / as of", asOf, "جدول الحفظ / schedules", schedules])
        row([
            "المعرّف / record", "السلسلة / series", "العنوان / title", "المرجع / reference", "التاريخ / date",
            "الجدول / schedule", "السند النظامي / authority", "بداية الاحتساب / trigger date", "تاريخ الاستحقاق / due",
            "الحالة / state", "الحالة (عربي)", "الحجوزات / holds", "ملاحظة / note",
        ])
        for l in lines {
            row([
                l.record, l.series, l.title, l.reference, l.date, l.schedule, l.authority, l.triggerDate, l.dueDate,
                l.state.rawValue, l.state.arabic, l.holds.map(String.init).joined(separator: " "), l.note,
            ])
        }
        row([])
        let states = RetentionState.allCases
        row(["السلسلة / series", "السجلات / records"] + states.map { "\($0.arabic) / \($0.rawValue)" })
        for s in summary { row([s.series, String(s.records)] + states.map { String(s.states[$0.rawValue] ?? 0) }) }
        return out
    }
}

/// One CSV cell, RFC 4180, safe to open in a spreadsheet.
public enum CSVCell {
    public static func escape(_ value: String) -> String {
        var v = value
        if let first = v.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { v = "'" + v }
        guard v.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return v }
        return "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
