// Prints every Gregorian day from $1 to $2 (YYYY-MM-DD) with its Umm al-Qura Hijri date, as
// Foundation's Calendar(identifier: .islamicUmmAlQura) gives it (ICU: the calendar Sijill uses):
// "YYYY-MM-DD HY HM HD" per line. make_fields.py reads it for its ground truth.
import Foundation

var gregorian = Calendar(identifier: .gregorian)
var hijri = Calendar(identifier: .islamicUmmAlQura)
let utc = TimeZone(identifier: "UTC")!
gregorian.timeZone = utc
hijri.timeZone = utc
let args = CommandLine.arguments
func day(_ text: String) -> Date {
    let p = text.split(separator: "-").map { Int($0)! }
    return gregorian.date(from: DateComponents(year: p[0], month: p[1], day: p[2]))!
}
var date = day(args[1])
let end = day(args[2])
var out = ""
while date <= end {
    let g = gregorian.dateComponents([.year, .month, .day], from: date)
    let h = hijri.dateComponents([.year, .month, .day], from: date)
    out += String(format: "%04d-%02d-%02d %d %d %d\n", g.year!, g.month!, g.day!, h.year!, h.month!, h.day!)
    date = gregorian.date(byAdding: .day, value: 1, to: date)!
}
FileHandle.standardOutput.write(out.data(using: .utf8)!)
