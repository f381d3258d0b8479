import Foundation

/// A line of OCR text folded for matching (digits of every script → 0–9, أإآٱ → ا, ة → ه,
/// ى → ي, ٫ → `.`, ٬ → `,`; harakat, tatweel and direction marks removed), with the offset in
/// the printed line of every folded UTF-16 unit, so that what matched can be quoted as printed.
struct FieldText {
    let printed: NSString
    let folded: String
    private let origin: [Int]

    init(_ line: String) {
        printed = line as NSString
        var units: [UInt16] = []
        var origin: [Int] = []
        for (offset, unit) in line.utf16.enumerated() {
            guard let mapped = FieldText.map(unit) else { continue }
            units.append(mapped)
            origin.append(offset)
        }
        folded = String(decoding: units, as: UTF16.self)
        self.origin = origin
    }

    static func map(_ unit: UInt16) -> UInt16? {
        switch unit {
        case 0x064B...0x0652, 0x0670, 0x0640, 0x200E, 0x200F, 0x061C, 0x202A...0x202E, 0x2066...0x2069, 0xFEFF: return nil
        case 0x0623, 0x0625, 0x0622, 0x0671: return 0x0627
        case 0x0629: return 0x0647
        case 0x0649: return 0x064A
        case 0x0660...0x0669: return unit - 0x0660 + 0x30
        case 0x06F0...0x06F9: return unit - 0x06F0 + 0x30
        case 0x066B: return 0x2E
        case 0x066C: return 0x2C
        case 0x00A0, 0x2009, 0x202F: return 0x20
        default: return unit
        }
    }

    /// Direction marks: not part of what was printed.
    static func isMark(_ v: UInt32) -> Bool {
        v == 0x200E || v == 0x200F || v == 0x061C || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) || v == 0xFEFF
    }

    /// `text` folded as lines are (labels, month names, reference values, queries).
    static func fold(_ text: String) -> String {
        String(decoding: text.utf16.compactMap(map), as: UTF16.self)
    }

    /// The printed text of a folded range, trimmed.
    func printed(_ range: NSRange) -> String {
        guard range.length > 0, range.location < origin.count else { return "" }
        let start = origin[range.location]
        let next = range.location + range.length
        // Up to the next unit kept by folding: a final tatweel or haraka is printed text (هـ).
        let end = next < origin.count ? origin[next] : printed.length
        let text = printed.substring(with: NSRange(location: start, length: end - start))
        return String(String.UnicodeScalarView(text.unicodeScalars.filter { !FieldText.isMark($0.value) }))
            .trimmingCharacters(in: .whitespaces)
    }

    func folded(_ range: NSRange) -> String { (folded as NSString).substring(with: range) }
}
