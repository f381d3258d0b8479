import CLeptonica
import CTesseract

/// Lines the page layout analysis left out. Tesseract's automatic segmentation (psm 3) now and
/// then drops a whole line of a degraded page (a fax with streaks, a photocopy, a skewed
/// page): the words are on the page and in no line it returns. A page's text must account for
/// its ink, so after the main reading the page's ink outside every recognised line is looked
/// for; each band of it the height of a text line is read as one line (psm 7), or as a block
/// (psm 6) when taller, and kept only when it reads as text with confidence.
enum MissedLines {
    /// Bands of ink outside the recognised lines: (top, bottom, left, right) in page pixels.
    static func bands(
        in pix: UnsafeMutablePointer<PIX>, lines: [RecognizedPage.Line]
    ) -> [RecognizedPage.Box] {
        let heights = lines.map(\.box.height).filter { $0 > 4 }.sorted()
        guard heights.count >= 2, pixGetDepth(pix) == 8 else { return [] }
        let lineHeight = heights[heights.count / 2]
        let width = Int(pixGetWidth(pix)), height = Int(pixGetHeight(pix))
        var binaryOwner = pixConvertTo1(pix, 128)
        defer { pixDestroy(&binaryOwner) }
        guard let binary = binaryOwner else { return [] }
        // What was read is no longer looked for (with a margin for ascenders and dots).
        for line in lines {
            let margin = max(2, line.box.height / 5)
            var box: UnsafeMutablePointer<BOX>? = boxCreate(
                Int32(max(0, line.box.left - margin)), Int32(max(0, line.box.top - margin)),
                Int32(line.box.width + 2 * margin), Int32(line.box.height + 2 * margin))
            pixClearInRect(binary, box)
            boxDestroy(&box)
        }
        // Specks, dust and thin streaks are not text: keep components at least a third of a
        // line tall, not wider than half the page and under three lines tall (a page's edge or
        // a rule left standing would join every row into one band too tall to be a line).
        let minimum = Int32(max(3, lineHeight / 3))
        var tallOwner = pixSelectBySize(binary, 1, minimum, 8, Int32(L_SELECT_HEIGHT), Int32(L_SELECT_IF_GTE), nil)
        defer { pixDestroy(&tallOwner) }
        guard let tall = tallOwner else { return [] }
        var textOwner = pixSelectBySize(
            tall, Int32(width / 2), Int32(3 * lineHeight), 8, Int32(L_SELECT_IF_BOTH), Int32(L_SELECT_IF_LT), nil)
        defer { pixDestroy(&textOwner) }
        guard let text = textOwner else { return [] }
        guard let counts = pixCountPixelsByRow(text, nil) else { return [] }
        defer { var c: UnsafeMutablePointer<NUMA>? = counts; numaDestroy(&c) }
        var rows = [Int](repeating: 0, count: height)
        for y in 0..<height {
            var value: Float = 0
            numaGetFValue(counts, Int32(y), &value)
            rows[y] = Int(value)
        }
        // Any ink of text height counts (a short line in a thin font has few pixels a row).
        let floor = 2
        var result: [RecognizedPage.Box] = []
        var y = 0
        while y < height {
            guard rows[y] >= floor else { y += 1; continue }
            var end = y
            while end < height, rows[end] >= floor || (end + 1 < height && rows[end + 1] >= floor) { end += 1 }
            let bandHeight = end - y
            if bandHeight >= lineHeight / 2, bandHeight <= lineHeight * 4 {
                // The band's horizontal extent: its ink's bounding box.
                var region: UnsafeMutablePointer<BOX>? = boxCreate(0, Int32(y), Int32(width), Int32(bandHeight))
                var clipped: UnsafeMutablePointer<BOX>?
                var stripOwner = pixClipRectangle(text, region, nil)
                if let strip = stripOwner {
                    if pixClipToForeground(strip, nil, &clipped) == 0, let c = clipped {
                        var bx: Int32 = 0, by: Int32 = 0, bw: Int32 = 0, bh: Int32 = 0
                        boxGetGeometry(c, &bx, &by, &bw, &bh)
                        if Int(bw) >= lineHeight {
                            result.append(RecognizedPage.Box(
                                left: Int(bx), top: y + Int(by), right: Int(bx + bw), bottom: y + Int(by + bh)))
                        }
                        boxDestroy(&clipped)
                    }
                    pixDestroy(&stripOwner)
                }
                boxDestroy(&region)
            }
            y = end + 1
        }
        return Array(result.prefix(12))
    }
}
