import Foundation

/// How long a record is kept: years, months and days after its trigger.
public struct RetentionPeriod: Sendable, Hashable, Codable, CustomStringConvertible {
    public var years = 0
    public var months = 0
    public var days = 0

    public init(years: Int = 0, months: Int = 0, days: Int = 0) {
        self.years = years
        self.months = months
        self.days = days
    }

    /// `30y`, `6m`, `90d`, `10y6m`, `0d` (keep until the trigger).
    public init?(_ text: String) {
        var number = ""
        var seen = Set<Character>()
        for ch in text.trimmingCharacters(in: .whitespaces) {
            if ch.isASCII, ch.isNumber {
                number.append(ch)
            } else if "ymd".contains(ch), let n = Int(number), !seen.contains(ch) {
                seen.insert(ch)
                switch ch {
                case "y": years = n
                case "m": months = n
                default: days = n
                }
                number = ""
            } else {
                return nil
            }
        }
        guard number.isEmpty, !seen.isEmpty else { return nil }
    }

    public var description: String {
        var parts: [String] = []
        if years > 0 { parts.append("\(years)y") }
        if months > 0 { parts.append("\(months)m") }
        if days > 0 || parts.isEmpty { parts.append("\(days)d") }
        return parts.joined()
    }

    /// `date` (YYYY-MM-DD) plus this period, in the Gregorian calendar.
    public func added(to date: String) -> String? {
        guard let start = CivilDate(date) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let from = calendar.date(from: DateComponents(year: start.year, month: start.month, day: start.day)),
            let to = calendar.date(byAdding: DateComponents(year: years, month: months, day: days), to: from)
        else { return nil }
        let c = calendar.dateComponents([.year, .month, .day], from: to)
        return CivilDate(year: c.year!, month: c.month!, day: c.day!).text
    }
}

/// What starts the retention clock.
public enum RetentionTrigger: String, Sendable, Hashable, Codable, CaseIterable {
    /// The record's date from the manifest.
    case date
    /// A cut-off event recorded later (`sijill retention close`), e.g. the file was closed.
    case closed
    /// The day the record was ingested.
    case ingested
}

/// What happens when the period ends.
public enum DispositionAction: String, Sendable, Hashable, Codable, CaseIterable {
    case destroy, transfer, permanent, review
}

/// The schedule of one record series: "class determines destiny".
public struct Schedule: Sendable, Hashable, Codable {
    public var series: String
    public var titleArabic: String
    public var titleEnglish: String
    /// The law, decree or mandate that sets it.
    public var authority: String
    public var period: RetentionPeriod
    public var trigger: RetentionTrigger
    public var action: DispositionAction
    /// Where it was read (file name and line), for messages.
    public var source: String
}

/// A day as `YYYY-MM-DD`.
public struct CivilDate: Sendable, Hashable, Comparable {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// `YYYY-MM-DD`; a partial manifest date (`YYYY` or `YYYY-MM`) counts from the last day it
    /// could mean, so a record is never due before its time.
    public init?(_ text: String) {
        let parts = text.split(separator: "-").map { Int($0) }
        guard (1...3).contains(parts.count), parts.allSatisfy({ $0 != nil }), text.count >= 4 else { return nil }
        year = parts[0]!
        month = parts.count > 1 ? parts[1]! : 12
        guard (1...12).contains(month), (1...9999).contains(year) else { return nil }
        let last = CivilDate.daysIn(month: month, year: year)
        day = parts.count > 2 ? parts[2]! : last
        guard (1...last).contains(day) else { return nil }
    }

    public var text: String { String(format: "%04d-%02d-%02d", year, month, day) }

    public static func < (a: CivilDate, b: CivilDate) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// The UTC day of `date`.
    public init(_ date: Date) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        self.init(year: c.year!, month: c.month!, day: c.day!)
    }
}
