import CLeptonica
import Foundation

/// What a page image is like, measured on the page itself before any cleaning is chosen:
/// resolution, gray or bilevel, ink and paper levels, how much the background varies, noise,
/// coloured ink, how much of the page is specks, stroke width, skew and ruling lines.
/// ``Preprocessor`` decides each cleaning step from these figures, and they are stored with the
/// page's hOCR so that a clerk (and `reocr`) can see why a step ran.
///
/// Lengths are in pixels of the image as measured (after any resampling to about 300 dpi).
public struct PageMeasurements: Sendable, Hashable, Codable {
    /// Resolution the file gives (or the assumed one), horizontal and vertical.
    public var xDPI: Int
    public var yDPI: Int
    /// The image has only black and white pixels (fax, G4 TIFF, a thresholded scan).
    public var bilevel: Bool
    /// Mean gray levels (0–255) of the paper (away from any ink) and of the ink (Otsu's
    /// threshold after background normalisation).
    public var paperLevel: Int
    public var inkLevel: Int
    /// Spread of the background (5th to 95th percentile of Leptonica's background map): shadows,
    /// lighting gradients, yellowed paper.
    public var backgroundSpread: Int
    /// Noise: standard deviation of the paper's gray after background normalisation (paper at
    /// 200), ink and its surroundings excluded. A clean scan is under 5.
    public var noise: Double
    /// Colour scans: the share of ink in a saturated colour (stamps, signatures, coloured
    /// forms); nil for gray and bilevel images.
    public var colourInk: Double?
    /// Connected ink components, and the share of them no larger than a speck (3 × 3 px at
    /// 300 dpi): salt-and-pepper noise, toner dust.
    public var components: Int
    public var speckShare: Double
    /// Typical stroke width (2 × ink area / ink boundary).
    public var strokeWidth: Double
    /// Skew in degrees (positive: the text runs down to the right) and Leptonica's confidence.
    public var skewDegrees: Double
    public var skewConfidence: Double
    /// Straight horizontal / vertical lines much longer than any word (form rulings, borders,
    /// a copier's dark edge).
    public var horizontalRules: Int
    public var verticalRules: Int
    /// Rows of dashed horizontal streaks (``MeasuredPage/dashedStreaks(in:dpi:)``): a fax's
    /// line noise, a copier's broken streaks. Counted only on a page whose lines run across.
    public var streakRows: Int
    /// Which way the text lines run (``LineProfile``); nil when too little ink to tell.
    public var lineProfile: LineProfile?

    public var contrast: Int { paperLevel - inkLevel }

    /// A short, stable description for the hOCR and `show --json`.
    public var summary: String {
        "dpi \(xDPI)x\(yDPI); \(bilevel ? "bilevel" : "gray"); paper \(paperLevel); ink \(inkLevel); "
            + "background spread \(backgroundSpread); noise \(String(format: "%.1f", noise)); "
            + (colourInk.map { "colour ink \(Int(($0 * 100).rounded()))%; " } ?? "")
            + "components \(components); specks \(Int((speckShare * 100).rounded()))%; "
            + "stroke \(String(format: "%.1f", strokeWidth)) px; skew \(String(format: "%.2f", skewDegrees))° "
            + "(confidence \(String(format: "%.1f", skewConfidence))); rules \(horizontalRules) horizontal, \(verticalRules) vertical"
            + (streakRows > 0 ? "; dashed streaks \(streakRows)" : "")
            + (lineProfile.map { "; \($0.summary)" } ?? "")
    }
}

/// The binary (1 = ink) view of a gray page used to measure it, with the masks found on the way.
/// Owns its PIXes.
final class MeasuredPage {
    var measurements: PageMeasurements
    /// Ink after background normalisation and a global threshold.
    let binary: UnsafeMutablePointer<PIX>
    /// Pixels of ruling lines (nil when none were found).
    let rules: UnsafeMutablePointer<PIX>?
    /// Pixels of dashed streaks (nil when none were found).
    let streaks: UnsafeMutablePointer<PIX>?

    private init(
        measurements: PageMeasurements, binary: UnsafeMutablePointer<PIX>, rules: UnsafeMutablePointer<PIX>?,
        streaks: UnsafeMutablePointer<PIX>?
    ) {
        self.measurements = measurements
        self.binary = binary
        self.rules = rules
        self.streaks = streaks
    }

    deinit {
        var b: UnsafeMutablePointer<PIX>? = binary
        pixDestroy(&b)
        var r: UnsafeMutablePointer<PIX>? = rules
        pixDestroy(&r)
        var s: UnsafeMutablePointer<PIX>? = streaks
        pixDestroy(&s)
    }

    /// Dashed horizontal streaks: rows of at least four separate thin dashes (at most 5 px
    /// high at 300 dpi, at least three times as long as high and 8 px long) whose centres lie
    /// within 1.5 px of one row, spanning a quarter of the page's width or more. A fax's line
    /// noise and a copier's broken streaks look so; words do not (their strokes join into
    /// letters, and a line's few dashes and hyphens are short and far apart). Returns the rows
    /// found and the dashes' pixels (nil when none). Dashes crossing a word join its letters
    /// and stay.
    static func dashedStreaks(in binary: UnsafeMutablePointer<PIX>, dpi: Int) -> (rows: Int, mask: UnsafeMutablePointer<PIX>?) {
        var boxesOrNil = pixConnCompBB(binary, 8)
        defer { boxaDestroy(&boxesOrNil) }
        guard let boxes = boxesOrNil else { return (0, nil) }
        let thickest = Int32(max(2, dpi / 60)), shortest = Int32(max(4, dpi / 37))
        var dashes: [(centre2: Int32, x: Int32, y: Int32, w: Int32, h: Int32)] = []
        for i in 0..<boxaGetCount(boxes) {
            var x: Int32 = 0, y: Int32 = 0, w: Int32 = 0, h: Int32 = 0
            guard boxaGetBoxGeometry(boxes, i, &x, &y, &w, &h) == 0 else { continue }
            if h <= thickest, w >= 3 * h, w >= shortest { dashes.append((2 * y + h, x, y, w, h)) }
        }
        dashes.sort { $0.centre2 < $1.centre2 }
        let width = pixGetWidth(binary), height = pixGetHeight(binary)
        var rows = 0
        var mask: UnsafeMutablePointer<PIX>?
        var start = 0
        while start < dashes.count {
            var end = start + 1
            while end < dashes.count, dashes[end].centre2 - dashes[start].centre2 <= 3 { end += 1 }
            let row = dashes[start..<end]
            if row.count >= 4, let left = row.map(\.x).min(), let right = row.map({ $0.x + $0.w }).max(), right - left >= width / 4,
                let top = row.map(\.y).min(), let bottom = row.map({ $0.y + $0.h - 1 }).max()
            {
                // The band's ink in every column with paper just above and below it: the dashes,
                // and the pieces of a dash that touch a letter (a dash joined to a slash's foot
                // made the digits model read ٨٩٤٠/١٩٨٣ as ٠٩٢٠١١٫٫٣); a stroke crossing the band
                // stays. A row is a streak only when such columns are most of the band's inked
                // columns: in a line of hyphenated numbers the digits' strokes cross the band.
                func ink(_ x: Int32, _ y: Int32) -> Bool {
                    guard y >= 0, y < height else { return false }
                    var v: UInt32 = 0
                    pixGetPixel(binary, x, y, &v)
                    return v != 0
                }
                var dashColumns: [Int32] = []
                var inked = 0
                for x in max(0, left)..<min(width, right) where (top...bottom).contains(where: { ink(x, $0) }) {
                    inked += 1
                    if !ink(x, top - 1), !ink(x, bottom + 1) { dashColumns.append(x) }
                }
                guard 2 * dashColumns.count > inked else {
                    start = end
                    continue
                }
                rows += 1
                if mask == nil { mask = pixCreate(width, height, 1) }
                for x in dashColumns {
                    for y in top...bottom where ink(x, y) { pixSetPixel(mask, x, y, 1) }
                }
            }
            start = end
        }
        return (rows, mask)
    }

    /// The skew searched for, either way.
    static let skewSearchDegrees = 20.0

    /// The largest size (in pixels, both sides) of a component counted as a speck.
    static func speckSize(dpi: Int) -> Int32 { Int32(max(2, 3 * dpi / 300)) }

    /// Measures `gray` (8 bpp); `bilevel` says whether the source file was black and white.
    static func measure(
        _ gray: UnsafeMutablePointer<PIX>, xDPI: Int, yDPI: Int, workingDPI: Int, bilevel: Bool, colourInk: Double?
    ) -> MeasuredPage? {
        let w = pixGetWidth(gray), h = pixGetHeight(gray)
        guard w > 8, h > 8 else { return nil }
        var paperRank: UInt32 = 255, inkRank: UInt32 = 0
        pixGetRankValue(gray, 4, 0.85, &paperRank)
        pixGetRankValue(gray, 4, 0.015, &inkRank)

        // Background: Leptonica's map of the paper level in tiles (ink excluded).
        var spread = 0
        var map: UnsafeMutablePointer<PIX>?
        let tile = Int32(max(20, 50 * workingDPI / 300))
        let guess = Int32((Int(min(paperRank, 255)) + Int(inkRank)) / 2)
        if pixGetBackgroundGrayMap(gray, nil, tile, tile, max(1, guess), 40, &map) == 0, let m = map {
            var low: UInt32 = 0, high: UInt32 = 0
            pixGetRankValue(m, 1, 0.05, &low)
            pixGetRankValue(m, 1, 0.95, &high)
            spread = max(0, Int(min(high, 255)) - Int(min(low, 255)))
            pixDestroy(&map)
        }

        // Ink: normalise the background, then Otsu's threshold over the whole page.
        guard let normalized = pixBackgroundNormSimple(gray, nil, nil) ?? pixCopy(nil, gray) else { return nil }
        var n: UnsafeMutablePointer<PIX>? = normalized
        defer { pixDestroy(&n) }
        var binaryOrNil: UnsafeMutablePointer<PIX>?
        guard pixOtsuAdaptiveThreshold(normalized, w, h, 0, 0, 0.1, nil, &binaryOrNil) == 0, let binary = binaryOrNil else {
            return nil
        }

        // Ink and paper levels: the mean gray under the ink, and away from it (ink grown by a few
        // pixels); noise: the paper's own variation there, on the normalised page.
        var inkLevel: Float = 0, paperLevel: Float = 255, noise: Float = 0
        pixGetAverageMasked(gray, binary, 0, 0, 1, Int32(L_MEAN_ABSVAL), &inkLevel)
        if let grown = pixDilateBrick(nil, binary, 7, 7) {
            pixInvert(grown, grown)
            pixGetAverageMasked(gray, grown, 0, 0, 2, Int32(L_MEAN_ABSVAL), &paperLevel)
            pixGetAverageMasked(normalized, grown, 0, 0, 2, Int32(L_STANDARD_DEVIATION), &noise)
            var g: UnsafeMutablePointer<PIX>? = grown
            pixDestroy(&g)
        }

        var count: Int32 = 0
        pixCountConnComp(binary, 8, &count)
        let speck = speckSize(dpi: workingDPI)
        var specks: Int32 = 0
        if let small = pixSelectBySize(binary, speck, speck, 8, Int32(L_SELECT_IF_BOTH), Int32(L_SELECT_IF_LTE), nil) {
            pixCountConnComp(small, 8, &specks)
            var p: UnsafeMutablePointer<PIX>? = small
            pixDestroy(&p)
        }

        // Stroke width: a stroke of width s and length L has area s·L and about 2·L boundary pixels.
        var area: Int32 = 0, inner: Int32 = 0
        pixCountPixels(binary, &area, nil)
        if let eroded = pixErodeBrick(nil, binary, 3, 3) {
            pixCountPixels(eroded, &inner, nil)
            var p: UnsafeMutablePointer<PIX>? = eroded
            pixDestroy(&p)
        }
        let boundary = max(1, Int(area) - Int(inner))
        let stroke = 2 * Double(area) / Double(boundary)

        var angle: Float = 0, confidence: Float = 0
        // Searched over ±20° (Leptonica's default is ±7°: a page fed or laid 9° crooked was
        // measured straight and read as nothing, CER 87%).
        if pixFindSkewSweepAndSearch(binary, &angle, &confidence, 4, 2, Float(Self.skewSearchDegrees), 1, 0.01) != 0 {
            angle = 0
            confidence = 0
        }

        // Rulings: ink that survives an opening by a line a quarter of the page wide (or an
        // eighth of its height). Words and letters never do; table rules, underlines of form
        // fields and a copier's dark band do. Found at half size (a quarter of the work; a
        // rule one pixel thick survives the reduction), the mask brought back to full size.
        var horizontal: Int32 = 0, vertical: Int32 = 0
        var rules: UnsafeMutablePointer<PIX>?
        var halfOrNil = pixReduceRankBinary2(binary, 1, nil)
        defer { pixDestroy(&halfOrNil) }
        if let half = halfOrNil {
            let hw = pixGetWidth(half), hh = pixGetHeight(half)
            var across = pixOpenCompBrick(nil, half, max(25, hw / 4), 1)
            var down = pixOpenCompBrick(nil, half, 1, max(25, hh / 8))
            defer {
                pixDestroy(&across)
                pixDestroy(&down)
            }
            if let across { pixCountConnComp(across, 8, &horizontal) }
            if let down { pixCountConnComp(down, 8, &vertical) }
            if horizontal + vertical > 0, let across, let down, let both = pixOr(nil, across, down) {
                var b: UnsafeMutablePointer<PIX>? = both
                rules = pixExpandBinaryPower2(both, 2)
                pixDestroy(&b)
            }
        }
        if horizontal + vertical == 0 { pixDestroy(&rules) }

        let lineProfile = LineProfile.measure(binary, dpi: workingDPI, skewDegrees: confidence >= 2 ? Double(angle) : 0)
        // Streaks are looked for only where the lines run across: on a page turned sideways,
        // letters' upright strokes in lines below one another line up like dashes (the first
        // alef of labels set flush right).
        let streaks = lineProfile?.runsAcross == true ? dashedStreaks(in: binary, dpi: workingDPI) : (rows: 0, mask: nil)

        let measurements = PageMeasurements(
            xDPI: xDPI, yDPI: yDPI, bilevel: bilevel, paperLevel: Int(paperLevel.rounded()), inkLevel: Int(inkLevel.rounded()),
            backgroundSpread: spread, noise: (Double(noise) * 10).rounded() / 10, colourInk: colourInk,
            components: Int(count), speckShare: count > 0 ? Double(specks) / Double(count) : 0,
            strokeWidth: (stroke * 10).rounded() / 10,
            skewDegrees: (Double(angle) * 100).rounded() / 100, skewConfidence: (Double(confidence) * 10).rounded() / 10,
            horizontalRules: Int(horizontal), verticalRules: Int(vertical), streakRows: streaks.rows,
            lineProfile: lineProfile)
        return MeasuredPage(measurements: measurements, binary: binary, rules: rules, streaks: streaks.mask)
    }
}
