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
        let text = cell.trimmingCharacters(in: .whitespaces)
        if isISO(text) { return .iso }
        let digits = String(String.UnicodeScalarView(text.unicodeScalars.map(DigitFold.western)))
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
        if numbers.count > 2 {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            guard let first = calendar.date(from: DateComponents(year: numbers[0], month: numbers[1], day: 1)),
                let days = calendar.range(of: .day, in: .month, for: first)
            else { return false }
            return days.contains(numbers[2])
        }
        return true
    }
}

/// Digits of every script as ASCII digits (٠–٩, ۰–۹), other characters as they are.
enum DigitFold {
    static func western(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        switch scalar.value {
        case 0x0660...0x0669: Unicode.Scalar(scalar.value - 0x0660 + 0x30)!
        case 0x06F0...0x06F9: Unicode.Scalar(scalar.value - 0x06F0 + 0x30)!
        default: scalar
        }
    }
}
