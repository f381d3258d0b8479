import Foundation
import SijillCore

/// The lines and words of a stored hOCR page (Sijill's own, words in logical order), with
/// their boxes in pixels of the page as it was read.
struct HOCRLayout: Sendable {
    struct Box: Sendable, Equatable {
        var left, top, right, bottom: Int
        var width: Int { right - left }
        var height: Int { bottom - top }
    }

    struct Word: Sendable {
        var box: Box
        var text: String
    }

    struct Line: Sendable {
        var box: Box
        var words: [Word]
    }

    var width: Int
    var height: Int
    var lines: [Line]

    /// The text as Sijill stores it: a line per hOCR line, words separated by one space.
    var text: String { lines.map { $0.words.map(\.text).joined(separator: " ") }.joined(separator: "\n") }

    static func parse(_ hocr: String) -> HOCRLayout {
        var layout = HOCRLayout(width: 0, height: 0, lines: [])
        var rest = hocr[...]
        func bbox(_ title: Substring) -> Box? {
            guard let range = title.range(of: "bbox ") else { return nil }
            let numbers = title[range.upperBound...].prefix { $0 != ";" && $0 != "\"" }.split(separator: " ").compactMap { Int($0) }
            guard numbers.count == 4 else { return nil }
            return Box(left: numbers[0], top: numbers[1], right: numbers[2], bottom: numbers[3])
        }
        func title(_ tag: Substring) -> Substring {
            guard let start = tag.range(of: "title=\"") else { return "" }
            return tag[start.upperBound...].prefix { $0 != "\"" }
        }
        while let open = rest.range(of: "<") {
            rest = rest[open.upperBound...]
            guard let close = rest.firstIndex(of: ">") else { break }
            let tag = rest[..<close]
            rest = rest[rest.index(after: close)...]
            if tag.contains("class=\"ocr_page\""), let box = bbox(title(tag)) {
                layout.width = box.right
                layout.height = box.bottom
            } else if tag.contains("class=\"ocr_line\""), let box = bbox(title(tag)) {
                layout.lines.append(Line(box: box, words: []))
            } else if tag.contains("class=\"ocrx_word\""), let box = bbox(title(tag)), !layout.lines.isEmpty {
                // The word's text runs to its closing tag (inner tags, if any, dropped).
                guard let end = rest.range(of: "</span>") else { break }
                var text = String(rest[..<end.lowerBound])
                while let a = text.range(of: "<"), let b = text[a.lowerBound...].firstIndex(of: ">") {
                    text.removeSubrange(a.lowerBound...b)
                }
                rest = rest[end.upperBound...]
                let word = XMLText.unescape(text).trimmingCharacters(in: .whitespacesAndNewlines)
                if !word.isEmpty { layout.lines[layout.lines.count - 1].words.append(Word(box: box, text: word)) }
            }
        }
        layout.lines.removeAll { $0.words.isEmpty }
        return layout
    }
}

/// The order in which a word's characters appear on the page, left to right, under the Unicode
/// bidirectional algorithm in a right-to-left paragraph (simplified to what OCR text holds):
/// Arabic and Hebrew letters run right to left; runs of digits (either script, with single
/// separators such as `/ - . , :` between digits) and of Latin letters run left to right;
/// anything else takes the direction around it, else right to left. PDF text extractors
/// (Poppler, PDFium) read glyphs by position, as drawn, and turn that visual order back into
/// logical order; text drawn in logical order from left to right comes out reversed.
enum VisualOrder {
    enum Kind { case rtl, ltr, number, separator, neutral }

    static func kind(_ scalar: Unicode.Scalar) -> Kind {
        let v = scalar.value
        switch v {
        case 0x30...0x39, 0x660...0x669, 0x6F0...0x6F9: return .number
        case 0x2F, 0x2D, 0x2E, 0x2C, 0x3A, 0x60C, 0x66B, 0x66C: return .separator
        case 0x590...0x5FF, 0x600...0x65F, 0x66A, 0x66D...0x6EF, 0x6FA...0x8FF, 0xFB1D...0xFDFF, 0xFE70...0xFEFF: return .rtl
        default:
            return scalar.properties.isAlphabetic ? .ltr : .neutral
        }
    }

    /// Right-to-left mark: a strong right-to-left character that shows nothing.
    static let rlm: Unicode.Scalar = "\u{200F}"

    /// Separators PDF extractors (Poppler) count with numbers wherever they stand.
    static let numberPunctuation: Set<Unicode.Scalar> = [":", "/", "-", ".", ",", "\u{60C}", "+", "%", "#", "$", "\u{66B}", "\u{66C}", "\u{66A}"]

    /// Whether extractors will read a page of this text as right to left (Poppler counts
    /// left-to-right letters against right-to-left ones).
    static func isRightToLeft(_ text: String) -> Bool {
        var balance = 0
        for scalar in text.unicodeScalars {
            switch kind(scalar) {
            case .rtl: balance -= 1
            case .ltr: balance += 1
            default: break
            }
        }
        return balance < 0
    }

    /// The characters of a word as drawn, left to right. On a right-to-left page: visual order,
    /// with a right-to-left mark (U+200F) to the left of each left-to-right run and on both
    /// sides of number punctuation that is not inside a number, so that an extractor's
    /// visual-to-logical pass (Poppler's joins `: , . / -` and spaces to the number on their
    /// left) gives back the logical text; the marks are invisible format characters. On a
    /// left-to-right page: logical order, right-to-left runs reversed.
    static func drawn(_ text: String, rightToLeft: Bool) -> [Unicode.Scalar] {
        guard rightToLeft else {
            let scalars = Array(text.unicodeScalars)
            return scalars.contains(where: { kind($0) == .rtl }) ? visual(text) : scalars
        }
        let (order, ltr) = visualRuns(text)
        var out: [Unicode.Scalar] = []
        for (k, scalar) in order.enumerated() {
            let startsRun = ltr[k] && (k == 0 || !ltr[k - 1])
            if startsRun { out.append(rlm) }
            if !ltr[k] && numberPunctuation.contains(scalar) {
                out += [rlm, scalar, rlm]
            } else {
                out.append(scalar)
            }
        }
        return out
    }

    /// The scalars of `text` in visual (left-to-right) order.
    static func visual(_ text: String) -> [Unicode.Scalar] { visualRuns(text).order }

    /// Visual order, and for each position whether it is in a left-to-right run.
    static func visualRuns(_ text: String) -> (order: [Unicode.Scalar], ltr: [Bool]) {
        let scalars = Array(text.unicodeScalars)
        guard !scalars.isEmpty else { return ([], []) }
        var kinds = scalars.map(kind)
        // A separator between two digits belongs to the number; other separators are neutral.
        for i in kinds.indices where kinds[i] == .separator {
            let joins = i > 0 && i + 1 < kinds.count && kinds[i - 1] == .number && kinds[i + 1] == .number
            kinds[i] = joins ? .number : .neutral
        }
        // Levels: 1 for right to left, 2 for left to right runs (Latin, numbers). Numbers after
        // Latin letters join the Latin run; neutrals between two left-to-right runs join them.
        var ltr = kinds.map { $0 == .ltr || $0 == .number }
        var i = 0
        while i < kinds.count {
            guard kinds[i] == .neutral else {
                i += 1
                continue
            }
            var j = i
            while j < kinds.count && kinds[j] == .neutral { j += 1 }
            let before = i > 0 ? ltr[i - 1] : false
            let after = j < kinds.count ? ltr[j] : false
            // Between a Latin letter and Latin/number text: left to right (N1); numbers alone
            // on both sides act as right to left for the neutrals between them.
            let latinBefore = i > 0 && kinds[i - 1] == .ltr, latinAfter = j < kinds.count && kinds[j] == .ltr
            if before && after && (latinBefore || latinAfter) { for k in i..<j { ltr[k] = true } }
            i = j
        }
        // Reverse the whole (right-to-left paragraph), then each left-to-right run back.
        var order = Array(scalars.indices.reversed())
        var k = 0
        while k < order.count {
            guard ltr[order[k]] else {
                k += 1
                continue
            }
            var end = k
            while end < order.count && ltr[order[end]] { end += 1 }
            order[k..<end].reverse()
            k = end
        }
        return (order.map { scalars[$0] }, order.map { ltr[$0] })
    }
}
