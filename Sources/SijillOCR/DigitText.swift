import Foundation
import SijillCore

/// Post-processing of recognised numbers. Printed numbers use one digit script at a time and
/// read left to right; Tesseract's Arabic models break both rules in known ways.
enum DigitText {
    /// Whether the indices are consecutive (one span of words).
    static func isContiguous(_ indices: [Int]) -> Bool {
        zip(indices, indices.dropFirst()).allSatisfy { $0 + 1 == $1 }
    }

    /// Sorted indices grouped into runs of consecutive values: [1,2,4] → [1...2, 4...4].
    static func spans(_ indices: [Int]) -> [ClosedRange<Int>] {
        var result: [ClosedRange<Int>] = []
        for i in indices {
            if let last = result.last, last.upperBound + 1 == i {
                result[result.count - 1] = last.lowerBound...i
            } else {
                result.append(i...i)
            }
        }
        return result
    }

    /// Removes joiners (`/ - . : ,` and spaces) at either end: a label's colon caught in a crop.
    static func trimJoiners(_ text: String) -> String {
        var scalars = Substring(text).unicodeScalars[...]
        while let first = scalars.first, isNumberJoiner(first) || first == " " { scalars = scalars.dropFirst() }
        while let last = scalars.last, isNumberJoiner(last) || last == " " { scalars = scalars.dropLast() }
        return String(String.UnicodeScalarView(scalars))
    }

    /// Whether the text holds both Western and Arabic-Indic (or Persian) digits.
    static func mixesScripts(_ text: String) -> Bool {
        let digits = text.unicodeScalars.filter(isDigit)
        return digits.contains(where: isIndic) && digits.contains { !isIndic($0) }
    }

    /// Whether the text holds any digit (Western, Arabic-Indic or Persian).
    static func hasDigit(_ text: String) -> Bool {
        text.unicodeScalars.contains(where: isDigit)
    }

    /// Whether the text is a reference with a letter part, as printed: parts joined by `/` or
    /// `-`, each all digits or one to three letters, both kinds present (٤٢٠/م/١٩٨٢, 63/ق,
    /// ج/3328). A misread number with letters inside a part (`/اوه11/95`) is not one.
    /// A lettered reference with the digit parts of `reference` and the letter parts of
    /// `letters` (both in logical order), when their parts line up (as many, letters in the same
    /// places); or `reference` itself when it has the same letters but the main reading had a
    /// part too many (٩/١٣٩٨/ع/٢٠٠٤ for ١٣٩٨/ع/٢٠٠٤). Nil otherwise.
    static func referenceDigits(of reference: String, letters: String) -> String? {
        func parts(_ text: String) -> [String] {
            ArabicText.stripBidiControls(text).trimmingCharacters(in: CharacterSet(charactersIn: ".,،؛:;()[]\"'«»"))
                .split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        }
        func isLetters(_ part: String) -> Bool { !part.isEmpty && !part.unicodeScalars.contains(where: isDigit) }
        let digitsFrom = parts(reference), lettersFrom = parts(letters)
        guard isLetteredReference(reference), isLetteredReference(letters) else { return nil }
        if digitsFrom.count == lettersFrom.count, zip(digitsFrom, lettersFrom).allSatisfy({ isLetters($0) == isLetters($1) }) {
            return zip(digitsFrom, lettersFrom).map { isLetters($0) ? $1 : $0 }.joined(separator: "/")
        }
        return digitsFrom.filter(isLetters) == lettersFrom.filter(isLetters) ? digitsFrom.joined(separator: "/") : nil
    }

    /// A lettered reference whose letter part can be a series mark, as the field rules take
    /// one: not a word's start (ال…). `١/الم` is ٧١/م misread, not a reference with letters.
    static func hasSeriesLetters(_ text: String) -> Bool {
        isLetteredReference(text)
            && !ArabicText.stripBidiControls(text).split(whereSeparator: { $0 == "/" || $0 == "-" }).contains { $0.hasPrefix("ال") }
    }

    static func isLetteredReference(_ text: String) -> Bool {
        // Bidi marks Tesseract adds, and punctuation after the reference (`٤١١/و،`), are not parts.
        let core = ArabicText.stripBidiControls(text).trimmingCharacters(in: CharacterSet(charactersIn: ".,،؛:;()[]\"'«»"))
        let parts = core.unicodeScalars.split(omittingEmptySubsequences: false) { $0 == "/" || $0 == "-" }
        guard parts.count >= 2, parts.allSatisfy({ !$0.isEmpty }) else { return false }
        var digits = false, letters = false
        for part in parts {
            if part.allSatisfy(isDigit) {
                digits = true
            } else if part.count <= 3, part.allSatisfy({ $0.properties.isAlphabetic && !isDigit($0) }) {
                letters = true
            } else {
                return false
            }
        }
        return digits && letters
    }

    /// Whether a reading is one of the reference shapes the references model was trained on:
    /// digits/letter/digits, digits/letter or letter/digits, one letter, joined by slashes
    /// (٢٠٠١/ج/١٤٣, ٣٣٢٨/ج). Anything else it reads with a letter (four parts, two letters) is a
    /// misreading of something else, e.g. a date.
    static func isReferenceShape(_ text: String) -> Bool {
        let parts = text.unicodeScalars.split(separator: "/", omittingEmptySubsequences: false)
        func digits(_ p: Substring.UnicodeScalarView.SubSequence) -> Bool { !p.isEmpty && p.allSatisfy(isDigit) }
        func letter(_ p: Substring.UnicodeScalarView.SubSequence) -> Bool {
            p.count == 1 && p.allSatisfy { $0.properties.isAlphabetic && !isDigit($0) }
        }
        switch parts.count {
        case 2: return (digits(parts[0]) && letter(parts[1])) || (letter(parts[0]) && digits(parts[1]))
        case 3: return digits(parts[0]) && letter(parts[1]) && digits(parts[2])
        default: return false
        }
    }

    /// Whether the text is one Arabic letter (U+0621–U+064A; not a digit, mark or tatweel).
    static func isLetter(_ text: String) -> Bool {
        guard text.unicodeScalars.count == 1, let s = text.unicodeScalars.first else { return false }
        return (0x621...0x64A).contains(s.value) && s.value != 0x640
    }

    /// A lettered reference as seen, left to right, put in logical order: its parts (digit runs,
    /// letters) run right to left in an Arabic line, the digits of each part left to right, so
    /// the parts are reversed (٢٠٠١/ج/١٤٣ → ١٤٣/ج/٢٠٠١, ٣٣٢٨/ج → ج/٣٣٢٨).
    static func referenceInLogicalOrder(_ seen: String) -> String {
        seen.split(separator: "/", omittingEmptySubsequences: false).reversed().joined(separator: "/")
    }

    /// A span of number words widened by a lone letter (one or two letters, punctuation aside)
    /// beyond a slash at the span's end: words run right to left, a number's text left to
    /// right, so a slash leading the last word faces the next word, a slash ending the first
    /// word faces the word before.
    static func withLoneLetters(_ span: ClosedRange<Int>, of words: [String]) -> ClosedRange<Int> {
        func lone(_ i: Int) -> Bool {
            guard words.indices.contains(i) else { return false }
            let core = ArabicText.stripBidiControls(words[i]).unicodeScalars.filter { !".,،؛:".unicodeScalars.contains($0) }
            return (1...2).contains(core.count) && core.allSatisfy { $0.properties.isAlphabetic && !isDigit($0) }
        }
        func trimmed(_ text: String) -> String { ArabicText.stripBidiControls(text) }
        // A slash and one letter with marks the main model reads for digits ("؟/ص": ٣٥٢١/ص read
        // as "٥٢١" and "؟/ص", the ٣ taken for ؟).
        func slashAndLetter(_ i: Int) -> Bool {
            guard words.indices.contains(i) else { return false }
            let core = trimmed(words[i]).unicodeScalars
            return core.contains("/") && core.filter { $0.properties.isAlphabetic && !isDigit($0) }.count == 1
                && core.allSatisfy { ($0.properties.isAlphabetic && !isDigit($0)) || "/؟?*”“\"'`^|!.٠".unicodeScalars.contains($0) }
        }
        var lower = span.lowerBound, upper = span.upperBound
        if trimmed(words[upper]).hasPrefix("/"), lone(upper + 1) { upper += 1 } else if slashAndLetter(upper + 1) { upper += 1 }
        if trimmed(words[lower]).hasSuffix("/"), lone(lower - 1) { lower -= 1 } else if slashAndLetter(lower - 1) { lower -= 1 }
        return lower...upper
    }

    /// The index ranges of the runs of single digits in a sequence of symbols.
    static func digitRuns(_ symbols: [String]) -> [Range<Int>] {
        func digit(_ s: String) -> Bool { s.unicodeScalars.count == 1 && isDigit(s.unicodeScalars.first!) }
        var runs: [Range<Int>] = []
        var i = 0
        while i < symbols.count {
            guard digit(symbols[i]) else { i += 1; continue }
            var j = i
            while j < symbols.count, digit(symbols[j]) { j += 1 }
            runs.append(i..<j)
            i = j
        }
        return runs
    }

    /// Sentence punctuation (. , ،) the main model read at the left or right end of a
    /// number's symbols, outside its digits: each with the edge of the ink it leaves for the
    /// number (the next symbol's edge). Only a mark that looks like one: under 0.4 of the digits'
    /// height, in the bottom third of their extent (on the baseline; the dot-like ٠ sits higher).
    static func sentencePunctuation(
        around symbols: [RecognizedPage.Symbol]
    ) -> (left: (text: String, innerEdge: Int)?, right: (text: String, innerEdge: Int)?) {
        let marks: Set<String> = [".", ",", "،"]
        let sorted = symbols.sorted { $0.box.left < $1.box.left }
        let digits = sorted.filter { $0.text.unicodeScalars.allSatisfy(isDigit) }
        guard sorted.count >= 3, digits.count >= 2 else { return (nil, nil) }
        let heights = digits.map(\.box.height).sorted()
        let digitHeight = heights[heights.count / 2]
        let top = digits.map(\.box.top).min()!, bottom = digits.map(\.box.bottom).max()!
        func looksLikeMark(_ s: RecognizedPage.Symbol) -> Bool {
            let center = Double(s.box.top + s.box.bottom) / 2
            return marks.contains(s.text) && Double(s.box.height) <= 0.4 * Double(digitHeight)
                && center >= Double(top) + Double(bottom - top) * 2 / 3
        }
        var left: (text: String, innerEdge: Int)?
        var right: (text: String, innerEdge: Int)?
        if looksLikeMark(sorted[0]), sorted[1].text.unicodeScalars.allSatisfy(isDigit) {
            left = (sorted[0].text, sorted[1].box.left)
        }
        let n = sorted.count
        if looksLikeMark(sorted[n - 1]), sorted[n - 2].text.unicodeScalars.allSatisfy(isDigit) {
            right = (sorted[n - 1].text, sorted[n - 2].box.right)
        }
        return (left, right)
    }

    static func isDigit(_ s: Unicode.Scalar) -> Bool {
        (0x30...0x39).contains(s.value) || (0x660...0x669).contains(s.value) || (0x6F0...0x6F9).contains(s.value)
    }

    /// `other` is `reading` with one or more digits read ٤, ٥ or ٦ instead (as many symbols,
    /// every difference one of those three): how the references model, which has seen the
    /// Persian shapes ۴ ۵ ۶, reads what the digits model took for other digits (۶۳۹۹ as ٢٣٩٩).
    static func differsInPersianShapes(_ reading: String, _ other: String) -> Bool {
        let a = Array(reading.unicodeScalars), b = Array(other.unicodeScalars)
        return a.count == b.count && a != b
            && zip(a, b).allSatisfy { $0 == $1 || (isIndic($0) && "\u{0664}\u{0665}\u{0666}".unicodeScalars.contains($1)) }
    }

    static func isIndic(_ s: Unicode.Scalar) -> Bool {
        (0x660...0x669).contains(s.value) || (0x6F0...0x6F9).contains(s.value)
    }

    /// Characters that join digits into one number: 81559/1982, 12-05-1989, 2.5, 10:30.
    static func isNumberJoiner(_ s: Unicode.Scalar) -> Bool {
        "/-.:,٫٬".unicodeScalars.contains(s)
    }

    /// Digit runs joined by single joiners (81559/1982, 12.05.1989, 10:30); not "17/0:/1900".
    static func isPlainNumberShape(_ text: String) -> Bool {
        var previousDigit = false
        for s in text.unicodeScalars {
            if isDigit(s) {
                previousDigit = true
            } else if isNumberJoiner(s), previousDigit {
                previousDigit = false
            } else {
                return false
            }
        }
        return previousDigit
    }

    /// The joiners of a number in order ("22/06/2006" → "//"), anything else left out.
    static func joiners(of text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.filter(isNumberJoiner)))
    }

    /// Persian forms the `Arabic` script model emits for Arabic documents: digits ۰–۹ → ٠–٩,
    /// ی → ي, ک → ك. Then, inside a digit run that mixes scripts (never printed), Western digits
    /// that are glyph twins of Arabic-Indic ones become those (0 → ٥ circle, 1 → ١, 9 → ٩).
    static func normalizeScripts(_ word: String) -> String {
        var scalars = Array(word.unicodeScalars).map { s -> Unicode.Scalar in
            switch s.value {
            case 0x6F0...0x6F9: return Unicode.Scalar(s.value - 0x6F0 + 0x660)!
            case 0x6CC: return "\u{064A}"
            case 0x6A9: return "\u{0643}"
            default: return s
            }
        }
        var i = 0
        while i < scalars.count {
            guard isDigit(scalars[i]) else { i += 1; continue }
            var j = i
            while j < scalars.count, isDigit(scalars[j]) { j += 1 }
            let run = scalars[i..<j]
            let indic = run.filter(isIndic).count
            if indic > 0, indic < run.count, indic * 2 >= run.count {
                for k in i..<j {
                    switch scalars[k] {
                    case "0": scalars[k] = "\u{0665}"
                    case "1": scalars[k] = "\u{0661}"
                    case "9": scalars[k] = "\u{0669}"
                    default: break
                    }
                }
            }
            i = j
        }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: scalars)
        return ArabicText.stripBidiControls(String(out))
    }

    /// Puts the digits of a word in left-to-right (logical) order using their boxes on the page:
    /// each run of digits and joiners is re-ordered by x. Words whose symbols do not spell the
    /// word exactly are left alone.
    ///
    /// A number never starts with a full stop or a comma: one that x-order puts first stands at
    /// the number's left, where a right-to-left sentence that the number closes has its stop
    /// (`منذ عام 1976.`), so it is written after the number (`1976.`, not `.1976`).
    static func logicalOrder(_ word: RecognizedPage.Word) -> String {
        let symbols = word.symbols
        guard !symbols.isEmpty, symbols.map(\.text).joined() == word.text else { return word.text }
        // In a reference with letters (8076/س/1972) the parts run right to left and a joiner
        // belongs between two of them: only the digits of each run are put in order.
        let lettered = isLetteredReference(word.text)
        func numeric(_ s: RecognizedPage.Symbol) -> Bool {
            guard let first = s.text.unicodeScalars.first, s.text.unicodeScalars.count == 1 else { return false }
            return isDigit(first) || (!lettered && isNumberJoiner(first))
        }
        var out: [String] = []
        var i = 0
        while i < symbols.count {
            guard numeric(symbols[i]) else { out.append(symbols[i].text); i += 1; continue }
            var j = i
            while j < symbols.count, numeric(symbols[j]) { j += 1 }
            let run = symbols[i..<j]
            if run.contains(where: { isDigit($0.text.unicodeScalars.first!) }) {
                var ordered = run.sorted { $0.box.left < $1.box.left }.map(\.text)
                let stops = ordered.prefix { $0 == "." || $0 == "," }
                ordered.removeFirst(stops.count)
                out.append(contentsOf: ordered + stops)
            } else {
                out.append(contentsOf: run.map(\.text))
            }
            i = j
        }
        return out.joined()
    }

    /// A joiner the recogniser put inside a number where the page leaves no room for one:
    /// "3304.7" for a clearly printed 33047 (the `.` box overlaps the 4 and the 7, which are
    /// 2 px apart). A printed `.` `/` `:` `-` or `,` sits in a gap of at least a third of a digit's
    /// width; a joiner whose neighbouring digits are closer than a quarter of the median digit
    /// width is dropped. Only for a word that is digits and joiners alone, spelt by its symbols
    /// left to right (the numbers of this pipeline); anything else is returned as it is.
    static func droppingPhantomJoiners(_ word: RecognizedPage.Word) -> String {
        let symbols = word.symbols.sorted { $0.box.left < $1.box.left }
        let scalars = symbols.compactMap { $0.text.unicodeScalars.count == 1 ? $0.text.unicodeScalars.first : nil }
        guard symbols.count >= 3, scalars.count == symbols.count,
            scalars.allSatisfy({ isDigit($0) || isNumberJoiner($0) }),
            String(String.UnicodeScalarView(scalars)) == word.text
        else { return word.text }
        let widths = symbols.filter { isDigit($0.text.unicodeScalars.first!) }.map(\.box.width).sorted()
        guard widths.count >= 2 else { return word.text }
        let digitWidth = widths[widths.count / 2]
        var keep = [Bool](repeating: true, count: symbols.count)
        for k in 1..<(symbols.count - 1) where isNumberJoiner(scalars[k]) {
            guard isDigit(scalars[k - 1]), isDigit(scalars[k + 1]) else { continue }
            let room = symbols[k + 1].box.left - symbols[k - 1].box.right
            if room * 4 < digitWidth { keep[k] = false }
        }
        guard keep.contains(false) else { return word.text }
        return String(String.UnicodeScalarView(zip(scalars, keep).filter(\.1).map(\.0)))
    }
}
