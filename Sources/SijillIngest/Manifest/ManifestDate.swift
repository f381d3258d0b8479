import Foundation
import SijillCore

/// A manifest's `date` cell as the archive stores it: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, so that
/// date searches and date-triggered retention can compare it.
///
/// Spreadsheets in Arab offices write dates their own way: `14/03/1982` (day first), Arabic-Indic
/// digits, Hijri dates with هـ, month names. Such a cell is read by the same rules as the dates on
/// the pages (``FieldExtractor``: day/month/year or year/month/day, every regional month set, Hijri
/// converted with Umm al-Qura), when they find exactly one date there and nothing else with a
/// digit. A Hijri date of a month or a year only covers parts of two Gregorian months and is not
/// taken. The cell as written is kept beside it (`date_as_written`).
enum ManifestDate {
    enum Reading: Equatable {
        /// Already `YYYY[-MM[-DD]]` in Western digits.
        case iso
        /// Read as this ISO date.
        case read(String)
        /// Not a date the rules can read.
        case unread
    }

    static func read(_ cell: String) -> Reading {
        let trimmed = cell.trimmingCharacters(in: .whitespaces)
        if isISO(trimmed) { return .iso }
        // A time after the day, as spreadsheets export date cells (14/03/1982 00:00), is not kept.
        let text = trimmed.replacingOccurrences(
            of: #"\s+[0-9٠-٩]{1,2}:[0-9٠-٩]{2}(:[0-9٠-٩]{2})?(\s*([AaPp][Mm]|ص|م))?$"#, with: "", options: .regularExpression)
        // Excel's day number (a date cell of a workbook, or of a CSV saved from one as a number):
        // days since 1899-12-30; only 10000–80000 (1927–2119), so a year (1982) stays a year.
        if let serial = Double(text), serial.rounded(.down) >= 10_000, serial < 80_000 {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            if let epoch = calendar.date(from: DateComponents(year: 1899, month: 12, day: 30)),
                let day = calendar.date(byAdding: .day, value: Int(serial.rounded(.down)), to: epoch)
            {
                let c = calendar.dateComponents([.year, .month, .day], from: day)
                return .read(String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!))
            }
        }
        // (Arabic-Indic digits: ١٩٩٥-٠٦-٠٨)
        let digits = ArabicText.fold(text)
        if isISO(digits) { return .read(digits) }
        let dates = FieldExtractor.extract(pages: [(1, text)]).dates
        guard dates.count == 1, let date = dates.first else { return .unread }
        // (nothing else with a digit in the cell: "14/03/1982 or 15/03/1982" is two dates)
        let rest = text.replacingOccurrences(of: date.text, with: "")
        guard !rest.unicodeScalars.contains(where: { $0.properties.numericType != nil }) else { return .unread }
        if date.dayFrom != nil, date.dayFrom == date.dayTo, let day = date.dayFrom { return .read(day) }
        return date.calendar == "gregorian" && isISO(date.value) ? .read(date.value) : .unread
    }

    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD` with a real month and day (a partial date counts from
    /// the last day it could mean where dates are compared).
    static func isISO(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count), parts[0].count == 4, parts.dropFirst().allSatisfy({ $0.count == 2 }),
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) })
        else { return false }
        let numbers = parts.map { Int($0)! }
        guard numbers[0] >= 1 else { return false }
        if numbers.count > 1, !(1...12).contains(numbers[1]) { return false }
        if numbers.count > 2 { return ArabicCalendar.isValidGregorian(year: numbers[0], month: numbers[1], day: numbers[2]) }
        return true
    }
}
