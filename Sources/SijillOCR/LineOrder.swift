/// Puts the words of a right-to-left line in logical (reading) order from their positions,
/// the way the Unicode bidi algorithm lays them out: Arabic words read right to left, and a run
/// of left-to-right words (numbers, Latin) keeps its own left-to-right order inside that flow.
/// Tesseract's iterator sometimes emits a number before the Arabic words that precede it
/// (`٠٢/٠٦/١٩٧٦ التاريخ:`); geometry settles it.
enum LineOrder {
    enum Direction { case rtl, ltr, neutral }

    static func direction(_ text: String) -> Direction {
        var ltr = false
        for s in text.unicodeScalars {
            if ArabicPunctuation.isArabicLetter(s) { return .rtl }
            if s.properties.isAlphabetic || DigitText.isDigit(s) { ltr = true }
        }
        return ltr ? .ltr : .neutral
    }

    static func logical(_ words: [RecognizedPage.Word]) -> [RecognizedPage.Word] {
        let directions = words.map { direction($0.text) }
        guard directions.contains(.rtl), words.count > 1 else { return words }
        // Visual order, right to left.
        let visual = zip(words, directions).sorted {
            ($0.0.box.left + $0.0.box.right) > ($1.0.box.left + $1.0.box.right)
        }
        var result: [RecognizedPage.Word] = []
        var ltrRun: [RecognizedPage.Word] = []
        for (word, dir) in visual {
            if dir == .ltr {
                ltrRun.append(word)
            } else {
                result.append(contentsOf: ltrRun.reversed())
                ltrRun = []
                result.append(word)
            }
        }
        result.append(contentsOf: ltrRun.reversed())
        return result
    }
}
