import Foundation

/// A line of OCR text folded for matching as the index folds words (``ArabicText/fold(_:)``:
/// digits of every script → 0–9, hamza forms → ا, ة → ه, ى → ي, harakat, tatweel and direction
/// marks removed), and number separators made ASCII (٫ → `.`, ٬ → `,`, no-break spaces → space),
/// with the offset in the printed line of every folded UTF-16 unit, so that what matched can be
/// quoted as printed.
struct FieldText {
    let printed: NSString
    let folded: String
    private let origin: [Int]

    init(_ line: String) {
        printed = line as NSString
        var folded = String.UnicodeScalarView()
        var origin: [Int] = []
        var offset = 0
        for scalar in line.unicodeScalars {
            var piece = String.UnicodeScalarView()
            FieldText.appendFolded(scalar, to: &piece)
            for added in piece {
                folded.append(added)
                origin += Array(repeating: offset, count: added.utf16.count)
            }
            offset += scalar.utf16.count
        }
        self.folded = String(folded)
        self.origin = origin
    }

    static func appendFolded(_ scalar: Unicode.Scalar, to out: inout String.UnicodeScalarView) {
        switch scalar.value {
        case 0x066B: out.append(".")
        case 0x066C: out.append(",")
        case 0x00A0, 0x2009, 0x202F: out.append(" ")
        default: ArabicText.appendFolded(scalar, to: &out)
        }
    }

    /// `text` folded as lines are (labels, month names, reference values, queries).
    static func fold(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars { appendFolded(scalar, to: &out) }
        return String(out)
    }

    /// The printed text of a folded range, trimmed.
    func printed(_ range: NSRange) -> String {
        guard range.length > 0, range.location < origin.count else { return "" }
        let start = origin[range.location]
        let next = range.location + range.length
        // Up to the next unit kept by folding: a final tatweel or haraka is printed text (هـ).
        let end = next < origin.count ? origin[next] : printed.length
        let text = printed.substring(with: NSRange(location: start, length: end - start))
        return String(String.UnicodeScalarView(text.unicodeScalars.filter { !ArabicText.isBidiControl($0) && $0.value != 0xFEFF }))
            .trimmingCharacters(in: .whitespaces)
    }
}
