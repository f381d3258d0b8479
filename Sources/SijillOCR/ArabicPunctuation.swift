/// Repairs the Arabic comma, which Tesseract's `ara` model often reads as `»` or as a Latin
/// comma. A `»` closing a word in a line without any `«` is not a quotation mark, and a Latin
/// comma right after an Arabic letter is, in Arabic text, the Arabic comma.
enum ArabicPunctuation {
    static func repair(_ line: inout RecognizedPage.Line) {
        let hasOpeningGuillemet = line.words.contains { $0.text.contains("«") }
        for w in line.words.indices {
            var text = line.words[w].text
            guard let last = text.unicodeScalars.last, last == "»" || last == "," else { continue }
            let before = text.unicodeScalars.dropLast().last
            guard let before, isArabicLetter(before) else { continue }
            if last == "»", hasOpeningGuillemet { continue }
            text.unicodeScalars.removeLast()
            text.unicodeScalars.append("\u{060C}")
            line.words[w].text = text
        }
    }

    static func isArabicLetter(_ s: Unicode.Scalar) -> Bool {
        (0x0621...0x064A).contains(s.value) || (0x0671...0x06D3).contains(s.value)
    }
}
