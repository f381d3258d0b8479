import CLeptonica

/// Marks inside an Arabic-Indic number that the digits model reads as ٠.
///
/// The Arabic-Indic zero is a small dot, and the model (which has no ٫ in its alphabet and was
/// never shown a hyphen between Arabic-Indic digits) reads the other small marks between digits
/// as ٠ too: the decimal separator of ٧٤٠٫٥٣ ("٧٤٠٠٥٣"), the hyphens of ١٩٧٣-٦٢٧٨ ("١٩٧٣٠٦٢٧٨").
/// The mark's own ink tells them apart: measured on 8 Arabic fonts (pango, 300 dpi), relative to
/// the height of the digits around it, ٠ is 0.19–0.38 high, about as wide as high, centred
/// 0.48–0.63 down from the digits' top; a hyphen is under 0.2 high and 2.5–4.5 times as wide
/// as high; ٫ , . sit on the baseline, centred 0.67–1.03 down. The thousands separator ٬ is a
/// comma drawn high in most fonts (Amiri, KacstOne, KacstBook, DejaVu, Lateef, AlArabiya:
/// centred from 0.25 above the digits' top to 0.24 down, 0.35–0.59 high); Noto's fonts draw
/// it low, where nothing tells it from a comma.
/// A full stop or comma the model read is measured too: a comma read as `.` (١٢,٨٩٤ read
/// "١٢.٨٩٤" in DejaVu) is as tall as a decimal separator, and ``groupingCommas(_:)`` then
/// tells thousands from decimals.
/// The reading keeps the order the number shows on the page, left to right: Arabic-Indic groups
/// joined by hyphens are drawn right to left by the bidi algorithm unless their producer marked
/// them (as `Fixtures/fields` does), and the page cannot tell which was typed.
enum NumberMarks {
    enum Kind: Equatable { case zero, hyphen, decimal, stop, thousands }

    /// The mark a component is, from its size and place relative to the digits around it
    /// (`height` and `center` as shares of the digits' height, `center` from their top).
    static func kind(width: Double, height: Double, center: Double) -> Kind {
        guard height > 0 else { return .zero }
        if width / height >= 2.2, height <= 0.2 { return .hyphen }
        // (a comma is taller than wide: 1.7–2.5 times on the fonts measured; a full stop
        // 0.9–1.3 times)
        if center >= 0.75 { return height >= 0.38 || height >= 1.5 * width ? .decimal : .stop }
        if center < 0.4 { return .thousands }
        return .zero
    }

    /// The reading's symbols (sorted left to right, page coordinates) with each ٠ that is
    /// another mark on the page replaced by that mark (kept when the ink cannot be measured: no
    /// other digit, no component under the symbol), each full stop whose ink is a comma's made
    /// a comma, zeros left out at the end added
    /// (``trailingZeros(after:components:inkTop:digitHeight:)``); then each comma of an
    /// Arabic-Indic number made a thousands `,` or a decimal `٫` (``groupingCommas(_:)``).
    static func correct(_ symbols: [RecognizedPage.Symbol], in pix: UnsafeMutablePointer<PIX>) -> [RecognizedPage.Symbol] {
        groupingCommas(markingZeros(symbols, in: pix))
    }

    /// Each mark of an Arabic-Indic number as its ink shows it.
    private static func markingZeros(_ symbols: [RecognizedPage.Symbol], in pix: UnsafeMutablePointer<PIX>) -> [RecognizedPage.Symbol] {
        let zero = "\u{0660}"
        guard symbols.contains(where: { $0.text != zero && $0.text.unicodeScalars.allSatisfy(DigitText.isIndic) }) else { return symbols }
        let left = symbols.map(\.box.left).min()!, right = symbols.map(\.box.right).max()!
        let top = symbols.map(\.box.top).min()!, bottom = symbols.map(\.box.bottom).max()!
        let pad = max(2, (bottom - top) / 4)
        // Two digits' height beyond the number's right end: room for zeros the reading left out.
        let beyond = 2 * (bottom - top)
        let x = max(0, left - pad), y = max(0, top - pad)
        let w = min(Int(pixGetWidth(pix)) - x, right - left + pad + beyond), h = min(Int(pixGetHeight(pix)) - y, bottom - top + 2 * pad)
        guard w > 4, h > 4 else { return symbols }
        var region: UnsafeMutablePointer<BOX>? = boxCreate(Int32(x), Int32(y), Int32(w), Int32(h))
        defer { boxDestroy(&region) }
        var crop = pixClipRectangle(pix, region, nil)
        defer { pixDestroy(&crop) }
        guard let crop else { return symbols }
        var binary: UnsafeMutablePointer<PIX>?
        if pixGetDepth(crop) == 1 {
            binary = pixClone(crop)
        } else {
            var gray = pixGetDepth(crop) == 8 ? pixClone(crop) : pixConvertTo8(crop, 0)
            defer { pixDestroy(&gray) }
            guard let gray, pixOtsuAdaptiveThreshold(gray, Int32(w), Int32(h), 0, 0, 0.1, nil, &binary) == 0 else { return symbols }
        }
        defer { pixDestroy(&binary) }
        guard let binary else { return symbols }
        var boxes = pixConnCompBB(binary, 8)
        defer { boxaDestroy(&boxes) }
        guard let boxes else { return symbols }
        var components: [RecognizedPage.Box] = []
        for i in 0..<boxaGetCount(boxes) {
            var bx: Int32 = 0, by: Int32 = 0, bw: Int32 = 0, bh: Int32 = 0
            boxaGetBoxGeometry(boxes, i, &bx, &by, &bw, &bh)
            components.append(.init(left: x + Int(bx), top: y + Int(by), right: x + Int(bx + bw), bottom: y + Int(by + bh)))
        }
        func under(_ s: RecognizedPage.Symbol) -> [RecognizedPage.Box] {
            components.filter { c in
                let center = (c.left + c.right) / 2
                return center >= s.box.left && center <= s.box.right
            }
        }
        // The digits' extent: the components under the other digits (a ٠ is not a digit's height).
        let digitInk = symbols.filter { $0.text != zero && $0.text.unicodeScalars.allSatisfy(DigitText.isIndic) }.flatMap(under)
        guard let inkTop = digitInk.map(\.top).min(), let inkBottom = digitInk.map(\.bottom).max(), inkBottom - inkTop > 4
        else { return symbols }
        let digitHeight = Double(inkBottom - inkTop)
        func ownMark(_ s: RecognizedPage.Symbol) -> RecognizedPage.Box? { under(s).max(by: { $0.width * $0.height < $1.width * $1.height }) }
        let marked = symbols.enumerated().map { i, symbol in
            guard let mark = ownMark(symbol) else { return symbol }
            if ["\u{0661}", "\u{0662}"].contains(symbol.text) {
                return isRaisedSeparator(mark, among: symbols.indices.filter { $0 != i }.map { symbols[$0] }.filter {
                    $0.text != zero && $0.text.unicodeScalars.allSatisfy(DigitText.isIndic)
                }.compactMap(ownMark)) ? RecognizedPage.Symbol(text: "\u{066C}", box: symbol.box) : symbol
            }
            let kind = kind(
                width: Double(mark.width) / digitHeight, height: Double(mark.height) / digitHeight,
                center: (Double(mark.top + mark.bottom) / 2 - Double(inkTop)) / digitHeight)
            guard [zero, ".", ","].contains(symbol.text) else { return symbol }
            var out = symbol
            switch kind {
            // (a full stop or comma the model saw stays what it was unless its ink is a comma's)
            case .zero, .hyphen, .stop: if symbol.text != zero { return symbol }
                out.text = kind == .zero ? zero : kind == .hyphen ? "-" : "."
            case .decimal: out.text = "\u{066B}"
            case .thousands: out.text = "\u{066C}"
            }
            return out
        }
        return marked + trailingZeros(after: marked, components: components, inkTop: inkTop, digitHeight: digitHeight)
    }

    /// The thousands separator ٬ read as ١ or ٢ (the numbers models have no class for it:
    /// DejaVu's and Scheherazade's ٢٬٣٠٠ read ٢٢٣٠٠, ٣٠٬٧٠٠ read ٣٠١٧٠٠): the symbol's ink is
    /// under half as tall as two or more of the number's other digits, narrower than half their
    /// height, and sits in their upper half, where those two digits, which stand the digits'
    /// full height, never are. Taller digits are asked for rather than a median: a digit the
    /// threshold broke (KacstOne's ٤ as its upper half) is short too. Other digits are not
    /// second-guessed: a degraded KacstBook ٦ whose stem the threshold lost is such a mark.
    private static func isRaisedSeparator(_ mark: RecognizedPage.Box, among digits: [RecognizedPage.Box]) -> Bool {
        let tall = digits.filter { $0.height > 2 * mark.height }
        guard tall.count >= 2 else { return false }
        func median(_ values: [Int]) -> Double { Double(values.sorted()[values.count / 2]) }
        let height = median(tall.map(\.height)), top = median(tall.map(\.top))
        return 2 * Double(mark.width) < height
            && Double(mark.top + mark.bottom) / 2 < top + 0.4 * height && Double(mark.bottom) < top + 0.6 * height
    }

    /// Zeros at the number's right end that the reading left out (the main model's word box
    /// stopped short of the last ٠ of ٦٠٠٠٠, so the digits model never saw it): when the
    /// reading ends in at least two ٠ whose ink is measured, each further component to the
    /// right that is a ٠ too (``kind(width:height:center:)``), of the same size (within 40%),
    /// at the same height (within a tenth of the digits' height) and at the zeros' own pitch
    /// (within a quarter), continues the run. A colon's dots, a full stop or a letter's dot
    /// differ in height, size or spacing.
    private static func trailingZeros(
        after symbols: [RecognizedPage.Symbol], components: [RecognizedPage.Box], inkTop: Int, digitHeight: Double
    ) -> [RecognizedPage.Symbol] {
        let zero = "\u{0660}"
        let run = symbols.reversed().prefix { $0.text == zero }
        guard run.count >= 2 else { return [] }
        // Each zero's own mark: the one component under it.
        var marks: [RecognizedPage.Box] = []
        for symbol in run.reversed() {
            let under = components.filter { c in
                let center = (c.left + c.right) / 2
                return center >= symbol.box.left && center <= symbol.box.right
            }
            guard under.count == 1 else { return [] }
            marks.append(under[0])
        }
        func centerX(_ b: RecognizedPage.Box) -> Double { Double(b.left + b.right) / 2 }
        func centerY(_ b: RecognizedPage.Box) -> Double { Double(b.top + b.bottom) / 2 }
        let gaps = zip(marks, marks.dropFirst()).map { centerX($1) - centerX($0) }.sorted()
        let pitch = gaps[gaps.count / 2]
        guard pitch > 0 else { return [] }
        let size = marks.map { Double($0.width * $0.height) }.sorted()[marks.count / 2]
        let height = marks.map(centerY).sorted()[marks.count / 2]
        var added: [RecognizedPage.Symbol] = []
        var last = marks.last!
        while added.count < 2 {
            let next = components.first { c in
                let gap = centerX(c) - centerX(last)
                let area = Double(c.width * c.height)
                return gap >= pitch * 0.75 && gap <= pitch * 1.25
                    && area >= size * 0.6 && area <= size * 1.4
                    && abs(centerY(c) - height) <= digitHeight / 10
                    && kind(
                        width: Double(c.width) / digitHeight, height: Double(c.height) / digitHeight,
                        center: (centerY(c) - Double(inkTop)) / digitHeight) == .zero
            }
            guard let next else { break }
            added.append(.init(text: zero, box: next))
            last = next
        }
        return added
    }

    /// In an Arabic-Indic number, a comma on the baseline (read as `,` or `٫`, or a ٠ found to be
    /// one) followed by exactly three digits to the number's end or the next comma groups
    /// thousands (٢٢,٥٠٠); otherwise it is the decimal separator (٦٢٤٢٥٤٫٠٤, ٧٣٨٫٢٥). The two
    /// look alike on paper; the digits model reads ٫ as `,` or ٠. In a number whose thousands
    /// are grouped by the raised separator ٬ (found by its ink), a comma on the baseline is the
    /// decimal separator (٧٤٬٢٢٦٫٧٥٠); ٬ is written `,`.
    static func groupingCommas(_ symbols: [RecognizedPage.Symbol]) -> [RecognizedPage.Symbol] {
        guard symbols.contains(where: { $0.text.unicodeScalars.contains(where: DigitText.isIndic) }) else { return symbols }
        var marked = symbols
        let raised = marked.contains { $0.text == "\u{066C}" }
        for i in marked.indices where [",", "\u{066B}"].contains(marked[i].text) {
            marked[i].text = "\u{066B}"
            guard !raised else { continue }
            var j = i + 1
            while j < marked.count, marked[j].text.unicodeScalars.allSatisfy(DigitText.isIndic) { j += 1 }
            if j - i - 1 == 3, j == marked.count || [",", "\u{066B}"].contains(marked[j].text) { marked[i].text = "," }
        }
        for i in marked.indices where marked[i].text == "\u{066C}" { marked[i].text = "," }
        return marked
    }
}
