import CLeptonica
import Foundation

/// Cleans a page with Leptonica before recognition: the adaptive steps each page's own
/// measurements call for, then the fixed steps of ``PreprocessSettings``. Returns a new 8-bit
/// (or, after fixed binarisation, 1-bit) image owned by the caller; the input is not modified.
enum Preprocessor {
    /// The cleaned image, its resolution, what was measured and which steps ran.
    struct Output {
        var pix: UnsafeMutablePointer<PIX>
        /// The page before smoothing, same geometry as `pix` (nil when no smoothing ran): what
        /// orientation detection reads. Owned by the caller.
        var sharp: UnsafeMutablePointer<PIX>?
        /// Resolution of `pix` (changed by resampling).
        var dpi: Int
        var measurements: PageMeasurements?
        /// Steps that ran, in order, each with the figure that decided it
        /// (`upscale 150→300 dpi`, `deskew 2.10°`).
        var steps: [String]
    }

    /// Under this many dpi a page is resampled to `targetDPI`.
    static let lowResolution = 250
    static let targetDPI = 300

    static func apply(_ source: UnsafeMutablePointer<PIX>, _ s: PreprocessSettings, xDPI: Int, yDPI: Int) -> Output {
        var bilevel = pixGetDepth(source) == 1
        var current: UnsafeMutablePointer<PIX> = pixConvertTo8(source, 0) ?? pixClone(source)
        func replace(_ next: UnsafeMutablePointer<PIX>?) {
            guard let next else { return }
            var old: UnsafeMutablePointer<PIX>? = current
            pixDestroy(&old)
            current = next
        }
        var steps: [String] = []
        var colourInk: Double?
        if pixGetDepth(source) == 32 {
            colourInk = colourInkShare(source, luminance: current)
            // A stamp or a signature in colour over black print: each pixel's lightest channel
            // keeps the print black and turns the coloured ink pale. A page mostly in colour
            // (a form filled in blue) keeps its luminance.
            if s.allows(.colour), let share = colourInk, share >= 0.02, share <= 0.4 {
                replace(pixConvertRGBToGrayMinMax(source, Int32(L_CHOOSE_MAX)))
                steps.append("colour dropout \(Int((share * 100).rounded()))% of ink")
            }
        }
        var dpiX = xDPI, dpiY = yDPI

        // Resampling is decided from the resolution alone.
        if s.allows(.squarePixels), dpiX > 0, dpiY > 0, Double(min(dpiX, dpiY)) / Double(max(dpiX, dpiY)) < 0.8 {
            let target = max(dpiX, dpiY)
            replace(pixScale(current, Float(target) / Float(dpiX), Float(target) / Float(dpiY)))
            steps.append("square-pixels \(dpiX)x\(dpiY)→\(target)x\(target) dpi")
            dpiX = target
            dpiY = target
        }
        if s.allows(.upscale), dpiX > 0, dpiX < lowResolution {
            let factor = min(3, Float(targetDPI) / Float(dpiX))
            replace(pixScale(current, factor, factor))
            steps.append("upscale \(dpiX)→\(targetDPI) dpi")
            dpiX = targetDPI
            dpiY = targetDPI
        }
        let dpi = dpiX

        if s.allows(.darkRegions), pixGetDepth(current) == 8, let dark = DarkRegions.find(current, dpi: dpi) {
            pixSetMasked(current, dark.mask, dark.paper)
            var m: UnsafeMutablePointer<PIX>? = dark.mask
            pixDestroy(&m)
            steps.append(dark.step)
        }

        var measurements: PageMeasurements?
        var sharp: UnsafeMutablePointer<PIX>?
        if !s.adaptive.isEmpty, pixGetDepth(current) == 8,
            let page = MeasuredPage.measure(
                current, xDPI: xDPI, yDPI: yDPI, workingDPI: dpi, bilevel: bilevel, colourInk: colourInk)
        {
            let m = page.measurements
            measurements = m
            let paper = UInt32(m.paperLevel)
            if s.allows(.rules), let rules = page.rules,
                let grown = pixDilateBrick(nil, rules, 3, 3)
            {
                pixSetMasked(current, grown, paper)
                var g: UnsafeMutablePointer<PIX>? = grown
                pixDestroy(&g)
                steps.append("rules \(m.horizontalRules) horizontal, \(m.verticalRules) vertical")
            }
            if s.allows(.streaks), let streaks = page.streaks, let grown = pixDilateBrick(nil, streaks, 3, 3) {
                pixSetMasked(current, grown, paper)
                var g: UnsafeMutablePointer<PIX>? = grown
                pixDestroy(&g)
                steps.append("streaks \(m.streakRows) dashed row(s)")
            }
            if s.allows(.despeckle), m.speckShare >= 1.0 / 3.0,
                let specks = pixSelectBySize(
                    page.binary, MeasuredPage.speckSize(dpi: dpi), MeasuredPage.speckSize(dpi: dpi), 8,
                    Int32(L_SELECT_IF_BOTH), Int32(L_SELECT_IF_LTE), nil)
            {
                pixSetMasked(current, specks, paper)
                var p: UnsafeMutablePointer<PIX>? = specks
                pixDestroy(&p)
                steps.append("despeckle \(Int((m.speckShare * 100).rounded()))% specks")
            }
            if s.allows(.noisyPaper), !bilevel, m.noise >= denoiseAbove,
                (m.lineProfile?.lines ?? 0) < LineProfile.minimumLines,
                let (binary, summary) = thresholdNoisyPaper(current, dpi: dpi)
            {
                replace(binary)
                bilevel = true
                steps.append(summary)
            }
            if s.allows(.smooth), bilevel {
                // Black-and-white scans (fax, G4, a thresholded photocopy) have lost the gray
                // edges the recogniser was trained on, and resampling a fax made its staircase
                // edges larger: a blur gives them back. Two 3 × 3 box filters (σ ≈ 1.15 px,
                // close to a Gaussian, at a fraction of its cost), scaled with resolution.
                let radius = Int32(max(1, (dpi + 150) / 300))
                if let once = pixBlockconv(current, radius, radius) {
                    if let twice = pixBlockconv(once, radius, radius) {
                        // Orientation detection reads the sharp page (blurred letters merge at its scale).
                        sharp = current
                        current = twice
                        steps.append("smooth bilevel (2 × \(2 * radius + 1) px box)")
                    }
                    var o: UnsafeMutablePointer<PIX>? = once
                    pixDestroy(&o)
                }
            }
            if s.allows(.denoise), m.noise >= denoiseAbove {
                replace(pixMedianFilter(current, 3, 3))
                steps.append(String(format: "denoise (noise %.1f)", m.noise))
            }
            // Background normalisation brings the paper to 200 (Leptonica's default).
            var levelScale = 1.0
            if s.allows(.background), !s.backgroundNormalize, m.backgroundSpread >= 40 {
                replace(pixBackgroundNormSimple(current, nil, nil))
                steps.append("background spread \(m.backgroundSpread)")
                levelScale = 200 / Double(max(1, m.paperLevel))
            }
            if s.allows(.contrast), m.contrast < 110, m.contrast > 8 {
                // Ink at black, paper at white; measured again after background normalisation.
                // The black point (the darkest 1.5% of the page) is kept on the ink's side of
                // the midpoint between the measured ink and paper levels: on a faint page with
                // under 1.5% ink that rank falls among the paper's darkest pixels, and stretching
                // from there turned paper noise black and faint letters into blots (a held-out
                // Scheherazade date read as `2)0)` and `40`).
                var ink: UInt32 = 0, paperNow: UInt32 = 255
                pixGetRankValue(current, 4, 0.015, &ink)
                ink = min(ink, UInt32(max(0, Double(m.inkLevel + m.paperLevel) / 2 * levelScale)))
                pixGetRankValue(current, 4, 0.85, &paperNow)
                if paperNow > ink + 8 {
                    pixGammaTRC(current, current, 1.0, Int32(ink), Int32(paperNow))
                    steps.append("contrast \(m.contrast)")
                }
            }
            if s.allows(.deskew), !s.deskew, abs(m.skewDegrees) >= deskewAbove, m.skewConfidence >= 2 {
                let radians = Float(m.skewDegrees * .pi / 180)
                // Rotated inside a larger canvas: a line near the page's edge keeps its corners.
                replace(pixRotate(
                    current, radians, Int32(L_ROTATE_AREA_MAP), Int32(L_BRING_IN_WHITE),
                    pixGetWidth(current), pixGetHeight(current)))
                // The sharp page turns with it: the numbers pass crops it at the recognised
                // page's coordinates.
                if let before = sharp, let turned = pixRotate(
                    before, radians, Int32(L_ROTATE_AREA_MAP), Int32(L_BRING_IN_WHITE), pixGetWidth(before), pixGetHeight(before))
                {
                    var b: UnsafeMutablePointer<PIX>? = before
                    pixDestroy(&b)
                    sharp = turned
                }
                steps.append(String(format: "deskew %.2f°", m.skewDegrees))
            }
        }

        if s.backgroundNormalize, pixGetDepth(current) == 8 {
            replace(pixBackgroundNormSimple(current, nil, nil))
            steps.append("background (fixed)")
        }
        if pixGetDepth(current) == 8 {
            switch s.binarize {
            case "otsu":
                replace(otsu(current))
                steps.append("otsu (fixed)")
            case "sauvola":
                var binary: UnsafeMutablePointer<PIX>?
                // Window ~ a few stroke widths at 300 dpi; k = 0.34 is the usual document value.
                let window = Int32(max(8, 25 * dpi / 300))
                if pixSauvolaBinarizeTiled(current, window, 0.34, 1, 1, nil, &binary) == 0 {
                    replace(binary)
                    steps.append("sauvola (fixed)")
                }
            default:
                break
            }
        }
        if s.despeckle > 0, pixGetDepth(current) == 1 {
            let size = Int32(max(1, s.despeckle * dpi / 300))
            if let specks = pixSelectBySize(current, size, size, 8, Int32(L_SELECT_IF_BOTH), Int32(L_SELECT_IF_LTE), nil) {
                pixSubtract(current, current, specks)
                var p: UnsafeMutablePointer<PIX>? = specks
                pixDestroy(&p)
                steps.append("despeckle \(s.despeckle) px (fixed)")
            }
        }
        if s.deskew {
            var angle: Float = 0, confidence: Float = 0
            if let straight = pixFindSkewAndDeskew(current, 2, &angle, &confidence) {
                replace(straight)
                steps.append(String(format: "deskew %.2f° (fixed)", angle))
            }
        }
        pixSetResolution(current, Int32(dpi), Int32(dpi))
        if let sharp, pixGetWidth(sharp) != pixGetWidth(current) || pixGetHeight(sharp) != pixGetHeight(current) {
            // A later step changed the geometry (deskew): orientation reads the page as recognised.
            var p: UnsafeMutablePointer<PIX>? = sharp
            pixDestroy(&p)
            return Output(pix: current, sharp: nil, dpi: dpi, measurements: measurements, steps: steps)
        }
        return Output(pix: current, sharp: sharp, dpi: dpi, measurements: measurements, steps: steps)
    }

    /// Skew (degrees) from which a page is rotated straight: Tesseract follows smaller skew by
    /// itself, and rotating blurs the strokes.
    static let deskewAbove = 1.0

    /// Paper noise (gray levels, paper at 200) from which a median filter runs.
    static let denoiseAbove = 6.0

    /// The share of ink pixels (25 levels darker than the paper in luminance) whose channels
    /// differ by 25 levels or more: coloured ink (a pale stamp's blue differs by 25–50).
    private static func colourInkShare(_ rgb: UnsafeMutablePointer<PIX>, luminance: UnsafeMutablePointer<PIX>) -> Double? {
        var paper: UInt32 = 255
        pixGetRankValue(luminance, 2, 0.85, &paper)
        // pixThresholdToBinary sets the pixels BELOW the threshold: ink (anything 25 levels
        // darker than the paper), and low chroma.
        var ink = pixThresholdToBinary(luminance, Int32(min(paper, 255)) - 25)
        var chroma = pixConvertRGBToGrayMinMax(rgb, Int32(L_CHOOSE_MAXDIFF))
        var plain = chroma.flatMap { pixThresholdToBinary($0, 25) }
        defer {
            pixDestroy(&ink)
            pixDestroy(&chroma)
            pixDestroy(&plain)
        }
        guard let ink, let plain else { return nil }
        var inkCount: Int32 = 0, plainInk: Int32 = 0
        pixCountPixels(ink, &inkCount, nil)
        guard inkCount > 0 else { return nil }
        pixAnd(plain, plain, ink)
        pixCountPixels(plain, &plainInk, nil)
        return Double(inkCount - plainInk) / Double(inkCount)
    }

    /// Noisy paper: the page blurred (two box filters, as `smooth`) and thresholded at the
    /// paper's median minus 3.5 times its spread (84th percentile minus median: the bright side
    /// holds paper only), returned as an 8-bit black-and-white page with the step's description.
    /// Otsu fails there: with ink a few percent of the pixels and the paper's noise wide, its
    /// threshold splits the paper (206 for paper at 210, ink at 155).
    private static func thresholdNoisyPaper(
        _ gray: UnsafeMutablePointer<PIX>, dpi: Int
    ) -> (UnsafeMutablePointer<PIX>, String)? {
        let radius = Int32(max(1, (dpi + 150) / 300))
        var once = pixBlockconv(gray, radius, radius)
        var twice = once.flatMap { pixBlockconv($0, radius, radius) }
        defer {
            pixDestroy(&once)
            pixDestroy(&twice)
        }
        guard let blurred = twice else { return nil }
        var median: UInt32 = 0, bright: UInt32 = 0
        guard pixGetRankValue(blurred, 2, 0.5, &median) == 0, pixGetRankValue(blurred, 2, 0.84, &bright) == 0 else { return nil }
        let spread = Double(max(1, Int(bright) - Int(median)))
        let threshold = Int32(Double(median) - 3.5 * spread)
        guard threshold > 0, threshold < Int32(median) else { return nil }
        var binary = pixThresholdToBinary(blurred, threshold)
        defer { pixDestroy(&binary) }
        guard let binary, let page = pixConvert1To8(nil, binary, 255, 0) else { return nil }
        return (page, "noisy paper: blurred, threshold \(threshold) (paper \(median) ± \(Int(spread)))")
    }

    private static func otsu(_ gray: UnsafeMutablePointer<PIX>) -> UnsafeMutablePointer<PIX>? {
        var binary: UnsafeMutablePointer<PIX>?
        let w = pixGetWidth(gray), h = pixGetHeight(gray)
        guard pixOtsuAdaptiveThreshold(gray, w, h, 0, 0, 0.1, nil, &binary) == 0 else { return nil }
        return binary
    }
}
