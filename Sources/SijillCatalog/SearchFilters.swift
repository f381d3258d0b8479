import Foundation
import SijillCore

/// Narrows a search to records of a series, agency or box, or to a date range (the record's
/// manifest date). The same filters are API parameters.
public struct SearchFilters: Sendable, Hashable {
    public var series: String?
    public var agency: String?
    public var box: String?
    /// Inclusive bounds as `YYYY-MM-DD` (a year or year-month is widened to the whole period).
    public private(set) var from: String?
    public private(set) var to: String?

    /// Only records in this retention state (`active`, `due`, `on-hold`, `destroyed`,
    /// `transferred`, `permanent`, `unscheduled`) on `stateDay` (YYYY-MM-DD, default today).
    public private(set) var retentionState: String?
    public var stateDay: String?

    public static let retentionStates = ["active", "due", "on-hold", "destroyed", "transferred", "permanent", "unscheduled"]

    public init(
        series: String? = nil, agency: String? = nil, box: String? = nil, from: String? = nil, to: String? = nil,
        retentionState: String? = nil
    ) throws {
        if let state = retentionState, !state.isEmpty {
            guard SearchFilters.retentionStates.contains(state) else {
                throw SijillInputError.badOption(
                    "state", reason: "'\(state)' is not a retention state (\(SearchFilters.retentionStates.joined(separator: ", ")))")
            }
            self.retentionState = state
        }
        self.series = series?.isEmpty == true ? nil : series
        self.agency = agency?.isEmpty == true ? nil : agency
        self.box = box?.isEmpty == true ? nil : box
        self.from = try from.map { try SearchFilters.date($0, end: false) }
        self.to = try to.map { try SearchFilters.date($0, end: true) }
    }

    /// Accepts `YYYY`, `YYYY-MM`, `YYYY-MM-DD` (or `/`), in either digit script; a Hijri date
    /// with `H` or `هـ` after it (`1402-05H`, `١٤٠٢هـ`) becomes the first (or, for `end`, the
    /// last) Gregorian day of its period by Umm al-Qura.
    static func date(_ input: String, end: Bool) throws -> String {
        var folded = ArabicText.fold(input.trimmingCharacters(in: .whitespaces)).replacingOccurrences(of: "/", with: "-")
        var hijri = false
        for suffix in ["هـ", "ه", "h"] where folded.hasSuffix(suffix) {
            folded = String(folded.dropLast(suffix.count)).trimmingCharacters(in: .whitespaces)
            hijri = true
            break
        }
        if hijri {
            let parts = folded.split(separator: "-").map { Int($0) }
            guard (1...3).contains(parts.count), parts.allSatisfy({ $0 != nil }),
                let resolved = ArabicCalendar.resolve(
                    year: parts[0]!, month: parts.count > 1 ? parts[1] : nil, day: parts.count > 2 ? parts[2] : nil, system: .hijri)
            else {
                throw SijillInputError.badQuery(input, reason: "a Hijri date is written YYYY-MM-DD H (or YYYY-MM H, or YYYY H), years 1300–1600")
            }
            return end ? resolved.to : resolved.from
        }
        let parts = folded.split(separator: "-").map(String.init)
        guard (1...3).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && Int($0) != nil }),
            parts[0].count == 4, let year = Int(parts[0])
        else {
            throw SijillInputError.badQuery(input, reason: "dates are written YYYY-MM-DD (or YYYY-MM, or YYYY)")
        }
        let month = parts.count > 1 ? Int(parts[1])! : (end ? 12 : 1)
        let day = parts.count > 2 ? Int(parts[2])! : (end ? 31 : 1)
        guard (1...12).contains(month), (1...31).contains(day), (1...9999).contains(year) else {
            throw SijillInputError.badQuery(input, reason: "no such date")
        }
        return String(format: "%04d-%02d-%02d", year, month, day)
    }
}


