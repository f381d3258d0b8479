/// Puts numbers and other left-to-right runs of a right-to-left line in logical (reading) order
/// from their positions, the way the Unicode bidi algorithm lays them out.
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

    /// Keeps Tesseract's order of the Arabic words (reliable even where a font's letter spacing
    /// makes word boxes overlap) and places each run of left-to-right words (a number, a Latin
    /// phrase) by position: after the Arabic words that stand to its right.
    static func logical(_ words: [RecognizedPage.Word]) -> [RecognizedPage.Word] {
        let directions = words.map { direction($0.text) }
        guard directions.contains(.rtl), directions.contains(.ltr) else { return words }
        // A word's place is the median of its symbols' centres: Tesseract sometimes gives an
        // Arabic word a box that runs over its neighbours (`فيفري` in `8 فيفري 1987` boxed from
        // the label `التاريخ:` on), and the box's centre then lands on the wrong side of the day.
        func center(_ w: RecognizedPage.Word) -> Int {
            guard !w.symbols.isEmpty else { return (w.box.left + w.box.right) / 2 }
            let centers = w.symbols.map { ($0.box.left + $0.box.right) / 2 }.sorted()
            return centers[centers.count / 2]
        }
        var rtl: [RecognizedPage.Word] = []
        var runs: [[RecognizedPage.Word]] = []
        var inRun = false
        for (word, dir) in zip(words, directions) {
            if dir == .ltr {
                if inRun { runs[runs.count - 1].append(word) } else { runs.append([word]) }
                inRun = true
            } else {
                rtl.append(word)
                inRun = false
            }
        }
        // Where each run goes: after the Arabic words whose centre is to its right.
        var slots: [Int: [[RecognizedPage.Word]]] = [:]
        for run in runs {
            let runCenter = run.map(center).reduce(0, +) / run.count
            let position = rtl.filter { center($0) > runCenter }.count
            slots[position, default: []].append(run.sorted { $0.box.left < $1.box.left })
        }
        var result: [RecognizedPage.Word] = []
        for i in 0...rtl.count {
            for run in slots[i] ?? [] { result.append(contentsOf: run) }
            if i < rtl.count { result.append(rtl[i]) }
        }
        return result
    }
}
