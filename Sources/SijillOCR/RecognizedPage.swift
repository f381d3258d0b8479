import CTesseract

/// Recognised text with its layout, as read from Tesseract's result iterator: lines of words,
/// each with a box, a confidence and its symbols' boxes. The text and hOCR are built from it,
/// so corrections made here (the numbers pass, digit order) reach both.
struct RecognizedPage {
    struct Box: Hashable {
        var left: Int, top: Int, right: Int, bottom: Int
        var width: Int { right - left }
        var height: Int { bottom - top }

        /// The smallest box holding all of `boxes` (not empty).
        static func union(_ boxes: [Box]) -> Box {
            Box(
                left: boxes.map(\.left).min()!, top: boxes.map(\.top).min()!,
                right: boxes.map(\.right).max()!, bottom: boxes.map(\.bottom).max()!)
        }
    }

    struct Symbol {
        var text: String
        var box: Box
    }

    struct Word {
        var text: String
        var box: Box
        var confidence: Double
        var symbols: [Symbol]
        /// Set when the numbers pass replaced the text.
        var revised = false
    }

    struct Line {
        var box: Box
        var words: [Word]
        var startsParagraph: Bool

        /// The box of a span of words, kept off the other words' ink: Tesseract sometimes gives
        /// a number a box that runs over its label (٩١٧٢٣/١٤٠٨ boxed with "الرقم:" beside it),
        /// and a crop of that box reads the label as more digits. Another word that overlaps
        /// the span's box from one side (its centre beyond the box's centre) cuts it at its
        /// edge, when at least half the box is left.
        func box(of span: ClosedRange<Int>) -> Box {
            let union = Box.union(words[span].map(\.box))
            var box = union
            let center = (union.left + union.right) / 2
            for (i, other) in words.enumerated() where !span.contains(i) {
                let otherCenter = (other.box.left + other.box.right) / 2
                if otherCenter > center, other.box.left < box.right, other.box.left > box.left {
                    box.right = other.box.left
                } else if otherCenter < center, other.box.right > box.left, other.box.right < box.right {
                    box.left = other.box.right
                }
            }
            return box.width * 2 >= union.width ? box : union
        }
    }

    var lines: [Line] = []
    /// Clockwise quarter turns that bring the text upright, from how the layout analysis saw
    /// the blocks of most words: on a page read sideways Tesseract finds lines running down the
    /// page and reads them as vertical writing (top to bottom), with boxes on the sideways page.
    /// Lines ordered right to left there were the top of a page turned a quarter clockwise.
    var quarterTurnsToUpright = 0

    var words: [Word] { lines.flatMap(\.words) }

    /// Mean word confidence, 0 when nothing was read.
    var meanConfidence: Double {
        let all = words.map(\.confidence)
        return all.isEmpty ? 0 : all.reduce(0, +) / Double(all.count)
    }

    /// Plain text: one line per line, a blank line between paragraphs.
    var text: String {
        var out = ""
        for (i, line) in lines.enumerated() {
            if i > 0 { out += line.startsParagraph ? "\n\n" : "\n" }
            out += line.words.map(\.text).joined(separator: " ")
        }
        return out
    }

    /// Reads the layout after `TessBaseAPIRecognize`; coordinates are divided by `scale` (the
    /// image read was resized by it) and shifted by `offset`.
    static func read(_ api: OpaquePointer, offsetX: Int = 0, offsetY: Int = 0, scale: Double = 1) -> RecognizedPage {
        var page = RecognizedPage()
        guard let it = TessBaseAPIGetIterator(api) else { return page }
        defer { TessResultIteratorDelete(it) }
        let pit = TessResultIteratorGetPageIterator(it)
        func box(_ level: TessPageIteratorLevel) -> Box {
            var l: Int32 = 0, t: Int32 = 0, r: Int32 = 0, b: Int32 = 0
            _ = TessPageIteratorBoundingBox(pit, level, &l, &t, &r, &b)
            func page(_ v: Int32) -> Int { scale == 1 ? Int(v) : Int((Double(v) / scale).rounded()) }
            return Box(left: page(l) + offsetX, top: page(t) + offsetY, right: page(r) + offsetX, bottom: page(b) + offsetY)
        }
        func text(_ level: TessPageIteratorLevel) -> String {
            guard let p = TessResultIteratorGetUTF8Text(it, level) else { return "" }
            defer { TessDeleteText(p) }
            return String(cString: p)
        }
        var across = 0, downLinesRightToLeft = 0, downLinesLeftToRight = 0
        repeat {
            if TessPageIteratorIsAtBeginningOf(pit, RIL_WORD) != 0 {
                var orientation = ORIENTATION_PAGE_UP, writing = WRITING_DIRECTION_RIGHT_TO_LEFT
                var order = TEXTLINE_ORDER_TOP_TO_BOTTOM
                var deskew: Float = 0
                TessPageIteratorOrientation(pit, &orientation, &writing, &order, &deskew)
                switch (writing, order) {
                case (WRITING_DIRECTION_TOP_TO_BOTTOM, TEXTLINE_ORDER_RIGHT_TO_LEFT): downLinesRightToLeft += 1
                case (WRITING_DIRECTION_TOP_TO_BOTTOM, _): downLinesLeftToRight += 1
                default: across += 1
                }
            }
            if TessPageIteratorIsAtBeginningOf(pit, RIL_TEXTLINE) != 0 || page.lines.isEmpty {
                let para = TessPageIteratorIsAtBeginningOf(pit, RIL_PARA) != 0
                page.lines.append(Line(box: box(RIL_TEXTLINE), words: [], startsParagraph: para && !page.lines.isEmpty))
            }
            if TessPageIteratorIsAtBeginningOf(pit, RIL_WORD) != 0 || page.lines[page.lines.count - 1].words.isEmpty {
                let word = Word(
                    text: text(RIL_WORD), box: box(RIL_WORD),
                    confidence: Double(TessResultIteratorConfidence(it, RIL_WORD)), symbols: [])
                page.lines[page.lines.count - 1].words.append(word)
            }
            let symbol = Symbol(text: text(RIL_SYMBOL), box: box(RIL_SYMBOL))
            let l = page.lines.count - 1
            page.lines[l].words[page.lines[l].words.count - 1].symbols.append(symbol)
        } while TessResultIteratorNext(it, RIL_SYMBOL) != 0
        if downLinesRightToLeft + downLinesLeftToRight > across {
            page.quarterTurnsToUpright = downLinesRightToLeft >= downLinesLeftToRight ? 3 : 1
        }
        page.lines.removeAll { $0.words.allSatisfy { $0.text.isEmpty } }
        for l in page.lines.indices { page.lines[l].words.removeAll { $0.text.isEmpty } }
        return page
    }
}
