import CLeptonica
import CSijillModels
import CTesseract
import Foundation
import SijillCore

/// OCR with Tesseract through its C API: one `TessBaseAPI` handle for the page, initialised
/// once and reused, and a second one for the numbers pass, started on first use.
///
/// A page is cleaned (``PreprocessSettings``), recognised, read back as lines and words with
/// boxes, its digit runs put in left-to-right order, lines holding numbers re-read with the
/// numbers model (``NumberPassSettings``), and Persian forms mapped to Arabic ones. Text and
/// hOCR are written from that result.
///
/// ```swift
/// let engine = try TesseractEngine(settings: OCRSettings())
/// let frames = try ImageDecoder().decode(data, name: "page.png")
/// print(try engine.recognize(frames[0], pageNumber: 1).text)
/// ```
public final class TesseractEngine: OCREngine {
    public let settings: OCRSettings
    private let api: OpaquePointer
    private var numbersAPI: OpaquePointer?
    private var referencesAPI: OpaquePointer?
    private var osdAPI: OpaquePointer?
    private var latinAPI: OpaquePointer?
    /// The number models' readings of crops during one `recognize` call: the numbers pass
    /// asks for the same crop more than once (its second pass on Arabic-Indic pages, and the
    /// smaller reading's own pass on the same full-size page: 120 of 463 crops on the degraded
    /// set), and a model reads the same pixels the same way. Keyed by the page image, which
    /// lives until `recognize` returns, when the cache is emptied.
    private var crops: [CropKey: RecognizedPage?] = [:]

    private struct CropKey: Hashable {
        let pix: UnsafeMutablePointer<PIX>
        let region: RecognizedPage.Box
        let scale: Double
        let dpi: Int
        let references: Bool
    }

    /// `tesseract <version>`, as stored with every page result.
    public static var engineVersion: String { "tesseract " + String(cString: TessVersion()) }

    /// Starts Tesseract with `settings`; throws when the language data cannot be loaded.
    /// Every stored property is set before the first `throw` after `api` exists, so `deinit`
    /// runs on failure and releases whatever handles were started (none is released twice).
    public init(settings: OCRSettings) throws {
        self.settings = settings
        api = try TesseractEngine.start(language: settings.language, path: settings.tessdataPath)
        numbersAPI = nil
        referencesAPI = nil
        osdAPI = nil
        latinAPI = nil
        TessBaseAPISetPageSegMode(api, TessPageSegMode(rawValue: UInt32(settings.pageSegmentationMode)))
        for (name, value) in settings.tesseractVariables.sorted(by: { $0.key < $1.key }) where TessBaseAPISetVariable(api, name, value) == 0 {
            throw OCRError.engine("Tesseract has no variable '\(name)' (tesseractVariables in the OCR settings)")
        }
        if settings.orientation == "osd" {
            do {
                let handle = try TesseractEngine.start(language: "osd", path: settings.tessdataPath, engine: OEM_TESSERACT_ONLY)
                osdAPI = handle
                TessBaseAPISetPageSegMode(handle, PSM_OSD_ONLY)
                // OSD prints "Detected N diacritics" for every page; keep stderr for errors.
                TessBaseAPISetVariable(handle, "debug_file", "/dev/null")
            } catch {
                throw OCRError.engine(
                    "cannot load 'osd' (orientation detection) from \(settings.tessdataPath): install tesseract-ocr-osd, "
                        + "or set \"orientation\": \"retry\" in the OCR settings")
            }
        }
        if !settings.latinLanguage.isEmpty {
            do {
                let handle = try TesseractEngine.start(language: settings.latinLanguage, path: settings.tessdataPath)
                latinAPI = handle
                TessBaseAPISetPageSegMode(handle, PSM_SINGLE_LINE)
            } catch {
                throw OCRError.engine(
                    "cannot load '\(settings.latinLanguage)' (Latin lines) from \(settings.tessdataPath): install tesseract-ocr-eng, "
                        + "or set \"latinLanguage\": \"\" in the OCR settings")
            }
        }
        if settings.numbers.enabled {
            func numbersModel(_ language: String) throws -> OpaquePointer {
                let builtIn = settings.numbers.tessdataPath.isEmpty && TesseractEngine.builtInModel(language) != nil
                let path = builtIn ? "" : settings.numbers.tessdataPath.isEmpty ? settings.tessdataPath : settings.numbers.tessdataPath
                let handle = try TesseractEngine.start(language: language, path: path)
                TessBaseAPISetPageSegMode(handle, TessPageSegMode(rawValue: UInt32(settings.numbers.pageSegmentationMode)))
                return handle
            }
            numbersAPI = try numbersModel(settings.numbers.language)
            if settings.numbers.scope == "word", !settings.numbers.referencesLanguage.isEmpty {
                referencesAPI = try numbersModel(settings.numbers.referencesLanguage)
            }
        }
    }

    deinit {
        for handle in [api, numbersAPI, referencesAPI, osdAPI, latinAPI].compactMap({ $0 }) {
            TessBaseAPIEnd(handle)
            TessBaseAPIDelete(handle)
        }
    }

    static func start(language: String, path: String, engine: TessOcrEngineMode = OEM_LSTM_ONLY) throws -> OpaquePointer {
        guard let handle = TessBaseAPICreate() else { throw OCRError.engine("cannot create a Tesseract handle") }
        let status: Int32
        if path.isEmpty, let model = builtInModel(language) {
            status = TessBaseAPIInit5(handle, model.bytes, model.count, language, OEM_LSTM_ONLY, nil, 0, nil, nil, 0, 0)
        } else {
            status = TessBaseAPIInit2(handle, path, language, engine)
        }
        guard status == 0 else {
            TessBaseAPIDelete(handle)
            throw OCRError.engine(
                "cannot load language '\(language)' from \(path.isEmpty ? "the built-in models" : path) "
                    + "(install tesseract-ocr-ara, or fix tessdataPath)")
        }
        return handle
    }

    /// Models compiled into the binary, by language name.
    static func builtInModel(_ language: String) -> (bytes: UnsafePointer<CChar>, count: Int32)? {
        switch language {
        case "digits": (sijill_digits_model_ptr(), sijill_digits_model_size)
        case "refs": (sijill_refs_model_ptr(), sijill_refs_model_size)
        default: nil
        }
    }

    public func recognize(_ image: PageImage, pageNumber: Int) throws -> OCRResult {
        crops = [:]
        defer { crops = [:] }
        // A resolution the page cannot have is ignored like a missing one (read at `defaultDPI`):
        // cameras, screenshot tools and image editors write 72 or 96 dpi into images of any size,
        // and a held-out letter scanned at 300 dpi but tagged 72 was upscaled to 300 (4.2×: three
        // times the CPU, CER 1.6% → 4.6%).
        let implausible = Self.implausibleSize(
            width: image.width, height: image.height, xDPI: image.resolution, yDPI: image.verticalResolution)
        let dpiAssumed = image.resolution < 50 || implausible != nil
        let xDPI = dpiAssumed ? settings.defaultDPI : image.resolution
        let yDPI = dpiAssumed || image.verticalResolution < 50 ? xDPI : image.verticalResolution
        let cleaned = Preprocessor.apply(image.pix, settings.preprocess, xDPI: xDPI, yDPI: yDPI)
        let upright = PageImage(owning: cleaned.pix)
        let sharp = cleaned.sharp.map { PageImage(owning: $0) }
        let dpi = cleaned.dpi
        var steps = cleaned.steps
        if let implausible {
            steps.insert(
                "resolution \(image.resolution) dpi ignored (the page would be \(String(format: "%.1f × %.1f", implausible.width, implausible.height)) in), read as \(settings.defaultDPI) dpi",
                at: 0)
        }

        // Orientation is decided once, before recognition (Tesseract's OSD: a page read sideways
        // comes out as confident nonsense, so a reading's confidence cannot tell). A page whose
        // line profile shows its lines running across skips OSD: it is upright or upside down,
        // and an upside-down reading is a poor one. The page is read once more, turned half
        // round, only when the first reading is clearly wrong and OSD was unsure (or did not
        // run).
        var best: (image: PageImage, page: RecognizedPage, rotation: Int)
        switch settings.orientation {
        case "osd":
            let detected = cleaned.measurements?.lineProfile?.runsAcross == true
                ? (quarterTurns: 0, confidence: 0, confident: false)
                : detectOrientation(sharp ?? upright, dpi: dpi)
            let first = detected.confident ? detected.quarterTurns : 0
            let image = try turned(upright, quarterTurns: first)
            best = (image, try read(image, dpi: dpi, pageNumber: pageNumber), first * 90)
            if first != 0 {
                steps.append("orientation \(first * 90)° (osd confidence \(String(format: "%.1f", detected.confidence)))")
            }
            if !detected.confident, settings.orientationRetryBelow > 0, best.page.meanConfidence < settings.orientationRetryBelow {
                let image = try turned(upright, quarterTurns: 2)
                let page = try read(image, dpi: dpi, pageNumber: pageNumber)
                if page.meanConfidence > best.page.meanConfidence + 10 {
                    steps.append(
                        "orientation 180° (read at confidence \(Int(best.page.meanConfidence.rounded())), "
                            + "turned half round at \(Int(page.meanConfidence.rounded())))")
                    best = (image, page, 180)
                }
            }
        case "retry":
            best = (upright, try read(upright, dpi: dpi, pageNumber: pageNumber), 0)
            if settings.orientationRetryBelow > 0, best.page.meanConfidence < settings.orientationRetryBelow {
                // Upside down or sideways: try the other three orientations, keep a clearly better one.
                for quarterTurns in [2, 1, 3] {
                    let rotated = try turned(upright, quarterTurns: quarterTurns)
                    let page = try read(rotated, dpi: dpi, pageNumber: pageNumber)
                    if page.meanConfidence > best.page.meanConfidence + 10 {
                        best = (rotated, page, quarterTurns * 90)
                    }
                }
            }
        default:
            best = (upright, try read(upright, dpi: dpi, pageNumber: pageNumber), 0)
        }
        // Lines the layout analysis found running down the page were recognised turned, but
        // their boxes (which the numbers pass, the line order and the hOCR use) lie on the
        // sideways page: the page is turned the way the recogniser saw the text and read again.
        // Vertical lines do not tell a quarter turn from three: the other way is read too when
        // the first is poor.
        if best.page.quarterTurnsToUpright != 0 {
            let first = (best.rotation / 90 + best.page.quarterTurnsToUpright) % 4
            var found: (image: PageImage, page: RecognizedPage, rotation: Int)?
            for rotation in [first, (first + 2) % 4] {
                let image = try turned(upright, quarterTurns: rotation)
                let page = try read(image, dpi: dpi, pageNumber: pageNumber)
                if page.quarterTurnsToUpright == 0, page.meanConfidence > found?.page.meanConfidence ?? -1 {
                    found = (image, page, rotation * 90)
                }
                if let found, found.page.meanConfidence >= settings.orientationRetryBelow { break }
            }
            if let found {
                best = found
                steps.append("orientation \(found.rotation)° (lines the layout analysis found running down the page)")
            }
        }
        // (Turned once for both readings below, so that the number models' crops of it are
        // recognised as the same image.)
        let sharpTurned = try sharp.map { try turned($0, quarterTurns: best.rotation / 90) }
        var readingSteps: [String] = []
        var page = try finished(
            withLayoutRetry(best.page, image: best.image, dpi: dpi, pageNumber: pageNumber, steps: &readingSteps),
            image: best.image, sharp: sharpTurned, dpi: dpi, steps: &readingSteps)
        // A page still read poorly: read once more by the main model on a smaller page (the
        // numbers pass still reads the full-size one), kept when more confident.
        if settings.smallerReadingBelow > 0, settings.smallerReadingScale < 1, !page.words.isEmpty,
            page.meanConfidence < settings.smallerReadingBelow
        {
            let scale = settings.smallerReadingScale
            var smallerSteps: [String] = []
            let first = try read(best.image, dpi: dpi, pageNumber: pageNumber, scale: scale)
            let smaller = try finished(
                withLayoutRetry(first, image: best.image, dpi: dpi, pageNumber: pageNumber, scale: scale, steps: &smallerSteps),
                image: best.image, sharp: sharpTurned, dpi: dpi, steps: &smallerSteps)
            let percent = Int((scale * 100).rounded())
            if smaller.meanConfidence > page.meanConfidence + 2 {
                readingSteps = smallerSteps + [
                    "read at \(percent)% (full size read at confidence \(Int(page.meanConfidence.rounded())), "
                        + "\(percent)% at \(Int(smaller.meanConfidence.rounded())))"
                ]
                page = smaller
            } else {
                readingSteps.append(
                    "read at \(percent)% too (confidence \(Int(smaller.meanConfidence.rounded())) against "
                        + "\(Int(page.meanConfidence.rounded())) at full size): full size kept")
            }
        }
        // Once, on the reading kept (its number words already read again, so a line is
        // checked for its letters' confidence, not its numbers').
        let latin = try rereadLatinLines(&page, in: best.image.pix, dpi: dpi)
        if latin > 0 { readingSteps.append("\(latin) line(s) read as Latin text (\(settings.latinLanguage))") }
        steps += readingSteps
        let confidences = page.words.map(\.confidence)
        let mean = page.meanConfidence
        let low = confidences.filter { $0 < Double(settings.lowConfidenceWord) }.count
        let lowShare = confidences.isEmpty ? 1 : Double(low) / Double(confidences.count)
        return OCRResult(
            text: page.text,
            hocr: HOCRWriter.write(
                page, width: best.image.width, height: best.image.height, pageNumber: pageNumber,
                engine: TesseractEngine.engineVersion, cleaning: steps, measurements: cleaned.measurements),
            meanConfidence: (mean * 10).rounded() / 10,
            wordCount: confidences.count,
            lowConfidenceWords: low,
            engine: TesseractEngine.engineVersion,
            settings: settings.fingerprint,
            dpi: dpi,
            dpiAssumed: dpiAssumed,
            rotation: best.rotation,
            needsRescan: confidences.isEmpty || mean < settings.rescanBelowConfidence || lowShare > settings.rescanLowWordShare,
            cleaning: steps,
            measurements: cleaned.measurements)
    }

    /// A reading still clearly wrong in its final orientation: the layout analysis may have cut
    /// the page into columns of fragments; one more reading as a single block of text, kept when
    /// clearly better.
    private func withLayoutRetry(
        _ page: RecognizedPage, image: PageImage, dpi: Int, pageNumber: Int, scale: Double = 1, steps: inout [String]
    ) throws -> RecognizedPage {
        guard settings.layoutRetryBelow > 0, settings.pageSegmentationMode != 6, !page.lines.isEmpty,
            page.meanConfidence < settings.layoutRetryBelow
        else { return page }
        let block = try read(image, dpi: dpi, pageNumber: pageNumber, segmentation: PSM_SINGLE_BLOCK, scale: scale)
        guard block.meanConfidence > page.meanConfidence + 10 else { return page }
        steps.append(
            "read as one block (layout analysis read at confidence \(Int(page.meanConfidence.rounded())), "
                + "one block at \(Int(block.meanConfidence.rounded())))")
        return block
    }

    /// The main model's reading finished: broken and missed lines read again, numbers read again
    /// by the number models on the full-size page, scripts and order normalised. `sharp`: the
    /// page before smoothing (turned like `image`), when it was smoothed.
    private func finished(
        _ reading: RecognizedPage, image: PageImage, sharp: PageImage?, dpi: Int, steps: inout [String]
    ) throws -> RecognizedPage {
        var page = reading
        let reread = rereadBrokenLines(&page, in: image.pix, dpi: dpi)
        if reread > 0 { steps.append("\(reread) line(s) with unread words read again alone") }
        if settings.recoverMissedLines {
            let found = try readMissedLines(in: image.pix, lines: page.lines, dpi: dpi)
            if !found.isEmpty {
                page.lines = (page.lines + found).sorted { $0.box.top < $1.box.top }
                steps.append("\(found.count) line(s) the layout missed, read apart")
            }
        }
        for l in page.lines.indices {
            for w in page.lines[l].words.indices where DigitText.hasDigit(page.lines[l].words[w].text) {
                page.lines[l].words[w].text = DigitText.logicalOrder(page.lines[l].words[w])
            }
        }
        if settings.numbers.enabled {
            // Numbers are read again on the page as it was before smoothing, when it was
            // smoothed: the digits model learned crisp glyphs, and a blurred small digit loses
            // the strokes that tell ٢ from ٣ and ٥ from ٠ (the main model is the one that wants
            // the grey edges back).
            let numbersImage = sharp ?? image
            let alternate = sharp == nil ? nil : image.pix
            try rereadNumbers(&page, in: numbersImage.pix, alternate: alternate, dpi: dpi, westernToo: false)
            // A page printed in Arabic-Indic digits (counted after the numbers model's reading):
            // a Western reading left on it is the main model's guess (it reads degraded
            // Arabic-Indic digits as Western ones), so those are read again too.
            let scalars = page.words.flatMap { $0.text.unicodeScalars }
            if settings.numbers.scope == "word",
                scalars.filter(DigitText.isIndic).count > scalars.filter({ ("0"..."9").contains($0) }).count
            {
                try rereadNumbers(&page, in: numbersImage.pix, alternate: alternate, dpi: dpi, westernToo: true)
            }
        }
        for l in page.lines.indices {
            for w in page.lines[l].words.indices {
                if DigitText.hasDigit(page.lines[l].words[w].text) {
                    page.lines[l].words[w].text = DigitText.droppingPhantomJoiners(page.lines[l].words[w])
                }
                page.lines[l].words[w].text = DigitText.normalizeScripts(page.lines[l].words[w].text)
            }
            page.lines[l].words = LineOrder.logical(page.lines[l].words)
            ArabicPunctuation.repair(&page.lines[l])
        }
        return page
    }

    /// Lines in Latin script (the English lines of a bilingual form or letterhead), which the
    /// main model reads as Arabic-looking junk at low confidence: each line under
    /// ``latinCheckBelow`` is read alone by `latinLanguage` (psm 7, padded by a third of its height across, a sixth above and below)
    /// and replaced by that reading when it holds Latin letters and no Arabic ones, read with
    /// confidence (over its letters) ≥ ``latinAcceptAbove`` and ``latinMargin`` above the line's
    /// mean. Returns how many lines were replaced.
    private func rereadLatinLines(_ page: inout RecognizedPage, in pix: UnsafeMutablePointer<PIX>, dpi: Int) throws -> Int {
        guard let latinAPI else { return 0 }
        var replaced = 0
        for l in page.lines.indices {
            let line = page.lines[l]
            let confidences = line.words.map(\.confidence)
            guard !confidences.isEmpty, line.box.width >= 2 * line.box.height else { continue }
            let mean = confidences.reduce(0, +) / Double(confidences.count)
            guard mean < Self.latinCheckBelow else { continue }
            let pad = max(4, line.box.height / 3)
            guard let region = Self.region(line.box, padX: pad, padY: pad / 2, in: pix),
                let read = recognize(region, in: pix, dpi: dpi, scale: 1, with: latinAPI), !read.words.isEmpty
            else { continue }
            // Confidence over the letters (each word weighted by its Latin letters): a number
            // read confidently must not carry junk letters (an Arabic Kufi line read by `eng`
            // as "49660/1976 :dlolzoll pay": the number at 91, the letters at 68 and 83).
            func letters(_ text: String) -> Int { text.unicodeScalars.filter { $0.isASCII && $0.properties.isAlphabetic }.count }
            let latinLetters = read.words.map { letters($0.text) }.reduce(0, +)
            guard latinLetters >= 3, !read.words.contains(where: { $0.text.unicodeScalars.contains(where: ArabicPunctuation.isArabicLetter) })
            else { continue }
            let letterConfidence = read.words.map { $0.confidence * Double(letters($0.text)) }.reduce(0, +) / Double(latinLetters)
            guard letterConfidence >= Self.latinAcceptAbove, letterConfidence >= mean + Self.latinMargin else { continue }
            page.lines[l].words = read.lines.flatMap(\.words)
            replaced += 1
        }
        return replaced
    }

    /// A line read under this mean confidence may be Latin text.
    static let latinCheckBelow = 70.0
    /// (English words of a bilingual form read at 86–92 over their letters; an Arabic Kufi
    /// line that `eng` read as junk letters, at 72.)
    static let latinAcceptAbove = 85.0
    static let latinMargin = 20.0

    /// The largest page, in inches on its longer side, that a stated resolution is believed
    /// for: an A3 sheet is 16.5 in, a tabloid 17 in; government paper files hold nothing larger.
    /// (20 in let a 300 dpi letter tagged 96 dpi through: 18.2 in, upscaled 3×, its reference's
    /// letter then misread.)
    static let largestPageInches = 17.5

    /// The page's size in inches when its stated resolution makes it larger than any paper
    /// (``largestPageInches``), else nil (also when no resolution is stated).
    static func implausibleSize(width: Int, height: Int, xDPI: Int, yDPI: Int) -> (width: Double, height: Double)? {
        guard xDPI >= 50 else { return nil }
        let inches = (width: Double(width) / Double(xDPI), height: Double(height) / Double(yDPI >= 50 ? yDPI : xDPI))
        return max(inches.width, inches.height) > largestPageInches ? inches : nil
    }

    private func turned(_ image: PageImage, quarterTurns: Int) throws -> PageImage {
        guard quarterTurns % 4 != 0 else { return image }
        guard let pix = pixRotateOrth(image.pix, Int32(quarterTurns % 4)) else {
            throw OCRError.engine("cannot turn the page image")
        }
        return PageImage(owning: pix)
    }

    /// Tesseract's orientation and script detection on the page: the quarter turns (clockwise)
    /// that bring it upright, and whether the detection is sure enough to act on. Read first at
    /// about 150 dpi (a quarter of the layout analysis; letters are still a dozen pixels high),
    /// and at full size only when that reading is unsure (thin or sparse text).
    private func detectOrientation(_ image: PageImage, dpi: Int) -> (quarterTurns: Int, confidence: Double, confident: Bool) {
        var best = (quarterTurns: 0, confidence: 0.0)
        if dpi >= 250 {
            var reduced = pixScale(image.pix, 150 / Float(dpi), 150 / Float(dpi))
            defer { pixDestroy(&reduced) }
            if let reduced, let found = osd(reduced, dpi: 150) { best = found }
        }
        if best.confidence < settings.orientationMinConfidence, let found = osd(image.pix, dpi: dpi), found.confidence > best.confidence {
            best = found
        }
        return (best.quarterTurns, best.confidence, best.confidence >= settings.orientationMinConfidence)
    }

    private func osd(_ pix: UnsafeMutablePointer<PIX>, dpi: Int) -> (quarterTurns: Int, confidence: Double)? {
        guard let osd = osdAPI else { return nil }
        defer { TessBaseAPIClear(osd) }
        TessBaseAPISetImage2(osd, pix)
        TessBaseAPISetSourceResolution(osd, Int32(dpi))
        var degrees: Int32 = 0
        var confidence: Float = 0
        var script: UnsafePointer<CChar>?
        var scriptConfidence: Float = 0
        guard TessBaseAPIDetectOrientationScript(osd, &degrees, &confidence, &script, &scriptConfidence) != 0 else {
            return nil
        }
        // `degrees` is how far the page is turned clockwise; turning it back is the rest of a circle.
        return (((360 - Int(degrees)) % 360) / 90, Double(confidence))
    }

    /// One recognition of `image` with the main model, read back as lines and words.
    private func read(
        _ image: PageImage, dpi: Int, pageNumber: Int, segmentation: TessPageSegMode? = nil, scale: Double = 1
    ) throws -> RecognizedPage {
        defer {
            TessBaseAPIClear(api)
            if segmentation != nil {
                TessBaseAPISetPageSegMode(api, TessPageSegMode(rawValue: UInt32(settings.pageSegmentationMode)))
            }
        }
        if let segmentation { TessBaseAPISetPageSegMode(api, segmentation) }
        var scaled: UnsafeMutablePointer<PIX>?
        defer { pixDestroy(&scaled) }
        if scale != 1 {
            scaled = pixScale(image.pix, Float(scale), Float(scale))
            guard scaled != nil else { throw OCRError.engine("cannot scale page \(pageNumber) to \(scale)") }
        }
        TessBaseAPISetImage2(api, scaled ?? image.pix)
        TessBaseAPISetSourceResolution(api, Int32((Double(dpi) * scale).rounded()))
        guard TessBaseAPIRecognize(api, nil) == 0 else {
            throw OCRError.engine("recognition failed on page \(pageNumber)")
        }
        return RecognizedPage.read(api, scale: scale)
    }

    /// Reads the bands of ink no recognised line covers (see ``MissedLines``), each as a line
    /// (or a block when taller than two lines); a reading is kept when its words are confident
    /// (mean ≥ 60) and hold letters or digits.
    private func readMissedLines(
        in pix: UnsafeMutablePointer<PIX>, lines: [RecognizedPage.Line], dpi: Int
    ) throws -> [RecognizedPage.Line] {
        let bands = MissedLines.bands(in: pix, lines: lines)
        guard !bands.isEmpty else { return [] }
        let heights = lines.map(\.box.height).sorted()
        let lineHeight = heights[heights.count / 2]
        defer { TessBaseAPISetPageSegMode(api, TessPageSegMode(rawValue: UInt32(settings.pageSegmentationMode))) }
        var found: [RecognizedPage.Line] = []
        for band in bands {
            let pad = max(4, lineHeight / 3)
            let mode = band.height > lineHeight * 2 ? PSM_SINGLE_BLOCK : PSM_SINGLE_LINE
            // Read again smaller when nothing came out: Tesseract now and then returns no word
            // at all for a clean line crop at one size that it reads at another (a KacstNaskh
            // "التاريخ: 20 نوفمبر 1997" line, read in full at 50–110% but not at 100% or 130%).
            guard var read = readRegion(band, padX: pad, padY: pad, in: pix, dpi: dpi, segmentation: mode) else { continue }
            if read.words.isEmpty, let smaller = readRegion(band, padX: pad, padY: pad, in: pix, dpi: dpi, segmentation: mode, scale: 0.8) {
                read = smaller
            }
            // Still nothing: Tesseract's row noise filter (`textord_noise_rejrows`) took the
            // line for noise (a row of Arabic has many small blobs, its dots; an Amiri line read
            // nothing at 80, 100 and 120%). The band is ink already judged to be text: read once
            // more with the filter off. (Off for every band, it read that KacstNaskh date line
            // at 100% as "نوفقمبر".)
            if read.words.isEmpty {
                TessBaseAPISetVariable(api, "textord_noise_rejrows", "0")
                let unfiltered = readRegion(band, padX: pad, padY: pad, in: pix, dpi: dpi, segmentation: mode)
                TessBaseAPISetVariable(api, "textord_noise_rejrows", settings.tesseractVariables["textord_noise_rejrows"] ?? "1")
                if let unfiltered { read = unfiltered }
            }
            let words = read.words
            let letters = words.flatMap { $0.text.unicodeScalars }.filter { $0.properties.isAlphabetic || DigitText.isDigit($0) }.count
            guard !words.isEmpty, letters >= 3, read.meanConfidence >= 60 else { continue }
            found.append(contentsOf: read.lines.map { line in
                var line = line
                line.startsParagraph = false
                return line
            })
        }
        return found
    }

    /// One region of the page read alone with the main model (the caller restores the page
    /// segmentation mode).
    private func readRegion(
        _ box: RecognizedPage.Box, padX: Int, padY: Int, in pix: UnsafeMutablePointer<PIX>, dpi: Int,
        segmentation: TessPageSegMode, scale: Double = 1
    ) -> RecognizedPage? {
        guard let region = Self.region(box, padX: padX, padY: padY, in: pix), region.width > 4, region.height > 4 else { return nil }
        TessBaseAPISetPageSegMode(api, segmentation)
        return recognize(region, in: pix, dpi: dpi, scale: scale, with: api)
    }

    /// Digits and number joiners (`/ . - : ,`) in `words`.
    private func numberSymbols(_ words: [RecognizedPage.Word]) -> Int {
        words.reduce(0) { $0 + $1.text.unicodeScalars.filter { DigitText.isDigit($0) || DigitText.isNumberJoiner($0) }.count }
    }

    /// Lines of the page's reading that the recogniser could not make out (``needsReadingAlone``)
    /// are read again alone, as one line, and the new reading replaces the line when it is
    /// clearly more confident (+10), keeps at least half the words and no fewer digits and
    /// number joiners (the numbers pass re-reads digit-like junk well, and letter-like junk not
    /// at all). Returns how many lines were replaced.
    private func rereadBrokenLines(_ page: inout RecognizedPage, in pix: UnsafeMutablePointer<PIX>, dpi: Int) -> Int {
        let heights = page.lines.map(\.box.height).sorted()
        guard !heights.isEmpty else { return 0 }
        let lineHeight = heights[heights.count / 2]
        defer { TessBaseAPISetPageSegMode(api, TessPageSegMode(rawValue: UInt32(settings.pageSegmentationMode))) }
        var replaced = 0
        for l in page.lines.indices {
            let words = page.lines[l].words
            guard Self.needsReadingAlone(page.lines[l], lineHeight: lineHeight, unsureBelow: Double(settings.lowConfidenceWord))
            else { continue }
            let old = words.map(\.confidence).reduce(0, +) / Double(words.count)
            guard let read = readRegion(
                page.lines[l].box, padX: max(4, lineHeight / 3), padY: max(2, lineHeight / 8), in: pix, dpi: dpi,
                segmentation: PSM_SINGLE_LINE),
                read.lines.count == 1, read.words.count >= words.count / 2, read.meanConfidence >= old + 10,
                numberSymbols(read.words) >= numberSymbols(words)
            else { continue }
            page.lines[l].words = read.lines[0].words
            replaced += 1
        }
        return replaced
    }

    /// A line (under two line heights tall) the page's reading could not make out:
    /// - **broken**: a word read at confidence under 10 among readable ones (≥ 60): the layout
    ///   analysis cut the line into pieces the recogniser could not read (a number split into
    ///   three words, each read as junk);
    /// - **mostly unread**: at least four line heights wide, every word unsure (under
    ///   `unsureBelow`), and its words cover under half its width or hold under one character
    ///   per two line heights of it (a skewed KacstNaskh line "قيمة الإيصال: ١٤٠٠٠ ليرة سورية",
    ///   480 px wide, read as one word "ل" 245 px wide at confidence 41; read alone, whole).
    static func needsReadingAlone(_ line: RecognizedPage.Line, lineHeight: Int, unsureBelow: Double) -> Bool {
        let words = line.words
        guard !words.isEmpty, line.box.height < lineHeight * 2 else { return false }
        if words.count >= 2, words.contains(where: { $0.confidence < 10 }), words.contains(where: { $0.confidence >= 60 }) {
            return true
        }
        let covered = words.map(\.box.width).reduce(0, +)
        let characters = words.map { $0.text.unicodeScalars.count }.reduce(0, +)
        return line.box.width >= lineHeight * 4 && (covered * 2 < line.box.width || characters * lineHeight * 2 < line.box.width)
            && words.allSatisfy { $0.confidence < unsureBelow }
    }

    /// The numbers pass: crops each line (or word) holding digits and reads it with the numbers
    /// model; in line scope, its numbers replace the main pass's numbers when both found the
    /// same count of them.
    /// `westernToo`: the second pass on an Arabic-Indic page, over the digit words the first
    /// pass left as the main model read them (confident Western readings).
    private func rereadNumbers(
        _ page: inout RecognizedPage, in pix: UnsafeMutablePointer<PIX>, alternate: UnsafeMutablePointer<PIX>? = nil, dpi: Int,
        westernToo: Bool
    ) throws {
        let westernPage = Self.printedInWestern(page.words)
        // Numbers the references model read with ٤ ٥ or ٦ where the digits model read another
        // digit (and agreed on the rest): the Persian shapes ۴ ۵ ۶, which only the references
        // model has seen. Taken when two or more numbers of the page show it (one page is set in
        // one typeface): alone, it was as often a degraded ٣ read ٤ or a thousands mark read ٦.
        var persianShaped: [(line: Int, box: RecognizedPage.Box, text: String, confidence: Double, symbols: [RecognizedPage.Symbol])] = []
        defer {
            if persianShaped.count >= 2 {
                for found in persianShaped {
                    guard let w = page.lines[found.line].words.firstIndex(where: { $0.revised && $0.box == found.box }) else { continue }
                    page.lines[found.line].words[w].text = found.text
                    page.lines[found.line].words[w].confidence = found.confidence
                    page.lines[found.line].words[w].symbols = found.symbols
                }
            }
        }
        for l in page.lines.indices {
            if settings.numbers.scope == "word", settings.numbers.rereadUnreadBelow > 0, !westernToo {
                try rereadUnreadWords(&page.lines[l], in: pix, dpi: dpi)
                try rereadSlashedValues(&page.lines[l], in: pix, dpi: dpi)
                try rereadDaysBeforeMonths(&page.lines[l], in: pix, dpi: dpi)
            }
            if settings.numbers.scope == "word" { page.lines[l].words = Self.withoutEchoes(page.lines[l].words) }
            var digitWords = page.lines[l].words.indices.filter { DigitText.hasDigit(page.lines[l].words[$0].text) }
            guard !digitWords.isEmpty else { continue }
            // An unread word with a slash between two numbers is the middle of a reference
            // (٧٣٤٠/ص/٢٠٠٩ read as "2١", "؟/ا/,رص/" at 0 and "٠٠١١"): the three are one span.
            if settings.numbers.scope == "word" {
                digitWords += Self.referenceMiddles(between: digitWords, in: page.lines[l].words, unreadBelow: settings.numbers.rereadUnreadBelow)
                digitWords.sort()
            }
            if settings.numbers.scope == "line" {
                let line = page.lines[l]
                let pad = max(4, line.box.height / 4)
                guard let alt = try readCrop(line.box, padX: pad, padY: pad, in: pix, dpi: dpi) else { continue }
                let altIndices = alt.words.indices.filter { DigitText.hasDigit(alt.words[$0].text) }
                guard !altIndices.isEmpty else { continue }
                if altIndices.count == digitWords.count {
                    for (index, a) in zip(digitWords, altIndices) {
                        page.lines[l].words[index].text = DigitText.logicalOrder(alt.words[a])
                        page.lines[l].words[index].confidence = alt.words[a].confidence
                        page.lines[l].words[index].revised = true
                    }
                } else if DigitText.isContiguous(digitWords), DigitText.isContiguous(altIndices) {
                    // The main pass split or merged a number differently: take the numbers
                    // model's whole span of numbers in place of the main pass's span.
                    let replacement = altIndices.map { index -> RecognizedPage.Word in
                        var word = alt.words[index]
                        word.text = DigitText.logicalOrder(word)
                        word.revised = true
                        return word
                    }
                    page.lines[l].words.replaceSubrange(digitWords.first!...digitWords.last!, with: replacement)
                }
            } else {
                // Word scope: neighbouring digit words are one number the main pass split
                // (٧٧٣٠٤ read as "٤ ٧٧٣٠"); each span is cropped once, padded, and read again.
                let lineHeight = page.lines[l].box.height
                for span in DigitText.spans(digitWords).reversed() {
                    let words = page.lines[l].words[span]
                    // The main model reads Western digits well: a confident Western reading stays.
                    let indic = words.contains { $0.text.unicodeScalars.contains(where: DigitText.isIndic) }
                    let weakest = words.map(\.confidence).min() ?? 0
                    // A number with a slash may be a reference with a letter that the main
                    // model lost or garbled (143/ج/2001 read as "2001/:/143", ج/٣٣٢٨ as "ج7/؟",
                    // 6365/ك/1962 as "1962//6365"), however confident it was: the references
                    // model reads letters beside slashes, and when it sees such a reference,
                    // its reading is taken (read with a lone letter beyond a slash at the
                    // number's end too: 63/ق read as "/63" and ".ق").
                    // A reference the main model read with its letter keeps that letter (the main
                    // model reads letters better than the references model).
                    let lettered = words.contains { DigitText.hasSeriesLetters($0.text) }
                    var lettersRefuted = false
                    // The references model confidently read other joiners in the number than
                    // the main model did (ara read 1970 as "197/0", 88% sure; the references
                    // and digits models both read 1970): the main model's reading is doubted,
                    // and replaced if the digits model sides with the references model.
                    var joinersRefuted: String?
                    var referencesLettered: (text: String, confidence: Double)?
                    if !westernToo,
                        words.contains(where: { $0.text.contains("/") })
                            || DigitText.withLoneLetters(span, of: page.lines[l].words.map(\.text)) != span
                    {
                        // A confident Western reading by the main model (it reads Western digits
                        // well) is replaced only by a Western reference: on a noisy page the
                        // model saw ١٨٣/خ/٤٨٤٨٨ in 6530/2007.
                        let confidentWestern = !indic && weakest >= settings.numbers.rereadBelowConfidence
                        switch try readReference(
                            span, in: &page.lines[l], in: pix, dpi: dpi, replace: !lettered, westernOnly: confidentWestern)
                        {
                        case .replaced: continue
                        case .number(let text):
                            lettersRefuted = lettered
                            // (in the main model's digit script: read in another, the number
                            // is one the references model cannot make out)
                            let seen = words.map(\.text).joined()
                            if DigitText.isPlainNumberShape(text), DigitText.joiners(of: text) != DigitText.joiners(of: seen),
                                text.unicodeScalars.contains(where: DigitText.isIndic) == indic
                            {
                                joinersRefuted = DigitText.joiners(of: text)
                            }
                        case .lettered(let text, let confidence): referencesLettered = (text, confidence)
                        case .other: break
                        }
                    }
                    // Ink beside the number that no word covers: digits the main model dropped.
                    let spanBox = page.lines[l].box(of: span)
                    // Or words beside it that are its digits misread as marks, read as a
                    // low-confidence word (under 60: ١٩٧٨ of a date printed right to left read
                    // "ولاو" at 51 beside "٢١/٠١/١").
                    let reach = max(2, spanBox.height * 3 / 10)
                    let withNeighbors = Self.withMisreadNeighbors(
                        span, of: page.lines[l], reach: max(2, spanBox.height * 6 / 10), unsureBelow: Double(settings.lowConfidenceWord))
                    let grown =
                        westernToo || lettered
                        ? nil
                        : withNeighbors != span
                        ? RecognizedPage.Box.union(page.lines[l].words[withNeighbors].map(\.box) + [spanBox])
                        : Self.withUnreadInk(
                            spanBox, span: span, of: page.lines[l], in: pix, reach: reach, minimum: max(3, spanBox.height * 4 / 10))
                    let doubted: Bool
                    var onlyJoinersRefuted = false
                    if westernToo {
                        guard !words.contains(where: \.revised) else { continue }
                        doubted = true
                    } else {
                        let otherwise =
                            indic || weakest < settings.numbers.rereadBelowConfidence || lettersRefuted
                            || Self.doubtfulReading(words, lineHeight: lineHeight)
                        onlyJoinersRefuted = !otherwise && joinersRefuted != nil
                        doubted = otherwise || joinersRefuted != nil
                        guard doubted || grown != nil else { continue }
                    }
                    // The crop spans the number's own height (its words' boxes), not the line's:
                    // the digits model was trained on and measured with word crops, and a crop as
                    // tall as the line (ascenders, dots, the label's tall letters) makes its digits
                    // a smaller share of the height the model scales to (degraded set: numbers
                    // 86.0% → 91.0%, clean 96.4% → 97.3%).
                    // A reference with a letter in it (٤٢٠/م/١٩٨٢, 8076/س/1972): the numbers model
                    // reads no letters, and its reading of the whole crop comes out in page order,
                    // which for such a reference is not the logical order (the parts run right to
                    // left). Only its digit runs are read again; the letters, the joiners and the
                    // order stay as the main model read them.
                    // (Unless the references model, which reads letters too, confidently saw a
                    // number without any: ara read ٩٧٥٤٥/٢٠٠٤ as "٢٠٠٤/هغه/اة".)
                    if lettered, !lettersRefuted, doubted {
                        for w in span {
                            try rereadDigitRuns(&page.lines[l].words[w], lineHeight: lineHeight, in: pix, dpi: dpi)
                        }
                        // The references model read it as a reference too, more confidently than
                        // the digit runs came out: its digits are taken, with the main model's
                        // letter (٧٤٦٣/و, whose runs the digits model read ٢٢٦٣; ١٣٤٦/ج/٢٠٠٦ read
                        // "١٣٤٦/ع/٢٠٠٦" by the references model, "١٣٤٦/ج/٠٠٦" by the runs).
                        if span.count == 1, let other = referencesLettered, other.confidence > page.lines[l].words[span.lowerBound].confidence,
                            let merged = DigitText.referenceDigits(of: other.text, letters: page.lines[l].words[span.lowerBound].text)
                        {
                            page.lines[l].words[span.lowerBound].text = merged
                            page.lines[l].words[span.lowerBound].confidence = other.confidence
                            page.lines[l].words[span.lowerBound].revised = true
                        }
                        continue
                    }
                    var union = spanBox
                    // A full stop or comma the main model saw at either end of the number
                    // (a sentence ending "عن عام ١٩٩٩.") is left out of the digits model's
                    // reading, which would take it for ٠ (a dot too), and kept as punctuation.
                    let ends = DigitText.sentencePunctuation(around: words.flatMap(\.symbols))
                    if let left = ends.left { union.left = left.innerEdge }
                    if let right = ends.right { union.right = right.innerEdge }
                    var best: (text: String, confidence: Double, symbols: [RecognizedPage.Symbol])?
                    // The references model's reading of a crop, read once per crop (the widened
                    // crop, its opinion, the Western and the Persian checks ask for the same one).
                    var referencesByBox: [RecognizedPage.Box: (text: String, confidence: Double, symbols: [RecognizedPage.Symbol])?] = [:]
                    func references(_ box: RecognizedPage.Box) throws -> (text: String, confidence: Double, symbols: [RecognizedPage.Symbol])? {
                        if let known = referencesByBox[box] { return known }
                        let reading = try referencesNumber(box, lineHeight: lineHeight, in: pix, dpi: dpi)
                        referencesByBox[box] = .some(reading)
                        return reading
                    }
                    // The number with the unread ink beside it: taken when the numbers model
                    // reads more digits there, confidently (the ink may be a word's: then it
                    // reads junk, or no more digits).
                    var widened = false
                    if var wide = grown {
                        if wide.left == spanBox.left { wide.left = union.left }
                        if wide.right == spanBox.right { wide.right = union.right }
                        let digits = words.map { $0.text.unicodeScalars.filter(DigitText.isDigit).count }.reduce(0, +)
                        // (The references model's reading too: it reads the ٧ of KacstOne and
                        // KacstBook that the digits model takes for ١ at a crop's edge.)
                        let readings = [
                            try spanReading(wide, lineHeight: lineHeight, in: pix, dpi: dpi),
                            try references(wide),
                        ].compactMap { $0 }
                        if let reading = readings.max(by: { $0.confidence < $1.confidence }),
                            reading.text.unicodeScalars.filter(DigitText.isDigit).count > digits,
                            reading.confidence >= settings.numbers.acceptUnreadAbove
                        {
                            best = reading
                            union = wide
                            widened = true
                        }
                    }
                    guard best != nil || doubted else { continue }
                    // Read on each image given (the sharp page and the smoothed one, on a
                    // bilevel page); the more confident whole reading wins.
                    for image in [pix] + (alternate.map { [$0] } ?? []) where !widened {
                        guard let reading = try spanReading(union, lineHeight: lineHeight, in: image, dpi: dpi) else { continue }
                        if best == nil || reading.confidence > best!.confidence { best = reading }
                    }
                    // A doubtful reading gets a second opinion at a larger size (the model
                    // scales every crop to its own height; a different start size changes
                    // how thin strokes survive): a more confident reading in the same script
                    // wins, and for Arabic-Indic digits only with as many digits: enlarged, a
                    // small ٨ or ٧ (two strokes) can come apart into two confident digits (١٣٧٨
                    // read as ١٣٧٠٩); a Western number may drift into Arabic-Indic glyphs.
                    if let first = best, first.confidence < Self.secondOpinionBelow {
                        let indic = first.text.unicodeScalars.contains(where: DigitText.isIndic)
                        let digits = first.text.unicodeScalars.filter(DigitText.isDigit).count
                        for scale in Self.secondOpinionScales {
                            guard let reading = try spanReading(union, lineHeight: lineHeight, in: pix, dpi: dpi, scale: scale),
                                reading.text.unicodeScalars.contains(where: DigitText.isIndic) == indic,
                                !indic || reading.text.unicodeScalars.filter(DigitText.isDigit).count == digits
                            else { continue }
                            if reading.confidence > best!.confidence { best = reading }
                        }
                    }
                    // An Arabic-Indic reading gets the references model's opinion too (it reads
                    // every such crop anyway, for the Persian-shapes check below): it has seen the
                    // Persian shapes of ٤ ٥ ٦ (۴ ۵ ۶), which the digits model never saw (۶۳۹۹ read
                    // as ٢٣٩٩, ۲۴ as ٢٢٣), and it tells DejaVu's ٢ from ٣, which the digits model
                    // reads ٣ even confidently (٥٢٢١ read ٥٣٣١ at 87 at 1.5×, ٢٦/٠٥/٢٠١٣ as
                    // ٣٦/… at 80; the references model read both right at 92): a more confident
                    // Arabic-Indic reading wins, however sure the digits model was.
                    // (Its marks read as ٠ are told apart by their ink, as the digits model's are:
                    // ١٩٧٣-٦٢٧٨ was read ١٩٧٣٠٦٢٧٨.)
                    if let current = best,
                        current.text.unicodeScalars.contains(where: DigitText.isIndic),
                        let other = try references(union),
                        other.text.unicodeScalars.contains(where: DigitText.isIndic),
                        other.confidence > current.confidence + Self.referencesOpinionMargin
                    {
                        best = other
                    }
                    guard var reading = best else { continue }
                    // A confident Western reading doubted for its layout alone (a number cut in
                    // two, a word too wide) stays Western, and the references model (which reads
                    // Western digits better) gives its opinion: the more confident Western reading
                    // wins. The digits model read Lateef's 4197651 as ٦١٣٢٨٤٢١ (60) and 22/06/2006
                    // as 33/06/2006 (83); the references model, 4197651 (89) and 22/06/2006 (91).
                    // (On a page printed in Arabic-Indic digits, the second pass reads every
                    // Western number again.)
                    // On a page printed in Western digits, an unsure Western reading stays
                    // Western too (a Scheherazade 1983 read ١٥٤٦ by the digits model, an Amiri
                    // 78 read ٢٥): when no model reads it in Western digits more confidently than
                    // the main model did, the main model's reading stays.
                    if !westernToo, !indic, !widened,
                        weakest >= settings.numbers.rereadBelowConfidence
                            || (westernPage && reading.text.unicodeScalars.contains(where: DigitText.isIndic))
                    {
                        let other = try references(union)
                        // (more confident than the main model's own reading, which stays otherwise)
                        guard let most = Self.mostConfidentWestern([reading] + (other.map { [$0] } ?? [])), most.confidence > weakest
                        else { continue }
                        reading = most
                    }
                    // (the digits model read the main model's joiners, 6132/2003 where the
                    // references model saw 61322003: the main model's reading stays)
                    if onlyJoinersRefuted, !widened, DigitText.joiners(of: reading.text) != joinersRefuted { continue }
                    var word = words.first!
                    // In a right-to-left line the mark at the number's left follows it.
                    word.text = (ends.right?.text ?? "") + reading.text + (ends.left?.text ?? "")
                    word.box = union
                    word.confidence = reading.confidence.isFinite ? reading.confidence : word.confidence
                    word.symbols = reading.symbols
                    word.revised = true
                    if !westernToo, reading.text.unicodeScalars.contains(where: DigitText.isIndic),
                        let other = try references(union),
                        DigitText.differsInPersianShapes(reading.text, other.text)
                    {
                        persianShaped.append(
                            (l, union, (ends.right?.text ?? "") + other.text + (ends.left?.text ?? ""), other.confidence, other.symbols))
                    }
                    page.lines[l].words.replaceSubrange(widened ? withNeighbors : span, with: [word])
                }
            }
        }
    }

    /// Words between two number words that hold a slash and no digit and were read under
    /// `unreadBelow`: a reference's letter part and separators the main model could not read.
    static func referenceMiddles(between digitWords: [Int], in words: [RecognizedPage.Word], unreadBelow: Double) -> [Int] {
        let numbers = Set(digitWords)
        return digitWords.compactMap { i in
            let middle = i + 1
            guard numbers.contains(i + 2), words.indices.contains(middle), !numbers.contains(middle) else { return nil }
            let word = words[middle]
            return word.text.contains("/") && !DigitText.hasDigit(word.text) && word.confidence < unreadBelow ? middle : nil
        }
    }

    /// The page is printed in Western digits: the main model read two or more numbers (two
    /// digits or more) confidently (80) in Western digits and none in Arabic-Indic ones.
    /// Measured on the four sets (146 pages): every page printed in Western digits has two or
    /// more such numbers, and no Arabic-Indic page more than one.
    static func printedInWestern(_ words: [RecognizedPage.Word]) -> Bool {
        func digits(_ w: RecognizedPage.Word, indic: Bool) -> Int {
            w.text.unicodeScalars.filter { indic ? DigitText.isIndic($0) : ("0"..."9").contains($0) }.count
        }
        let sure = words.filter { $0.confidence >= 80 }
        return sure.filter { digits($0, indic: false) >= 2 && digits($0, indic: true) == 0 }.count >= 2
            && !sure.contains { digits($0, indic: true) >= 2 }
    }

    /// The most confident of `readings` written in Western digits (nil when every one is in
    /// Arabic-Indic digits).
    static func mostConfidentWestern<Reading>(_ readings: [(text: String, confidence: Double, symbols: Reading)])
        -> (text: String, confidence: Double, symbols: Reading)?
    {
        readings.filter { !$0.text.unicodeScalars.contains(where: DigitText.isIndic) }.max { $0.confidence < $1.confidence }
    }

    /// A number's span grown over the words beside it that are its own digits misread as marks
    /// (٧٧٩١٠٧ read as "١٠٧ ؤلالا", ٧٧٠٧/٢٠١٨ as "٢٠١٨ //./ا/ا"): a neighbour in the line
    /// read with confidence under `unsureBelow`, within `reach` of the number, made only of
    /// marks the main model reads for digits and holding at least one letter. The caller reads
    /// the grown crop and keeps it only when the numbers model reads more digits there.
    static func withMisreadNeighbors(
        _ span: ClosedRange<Int>, of line: RecognizedPage.Line, reach: Int, unsureBelow: Double
    ) -> ClosedRange<Int> {
        let box = RecognizedPage.Box.union(line.words[span].map(\.box))
        func misread(_ i: Int) -> Bool {
            guard line.words.indices.contains(i) else { return false }
            let word = line.words[i]
            let gap = max(word.box.left - box.right, box.left - word.box.right)
            return word.confidence < unsureBelow && gap < reach && mayBeMisreadDigits(word.text)
        }
        return (misread(span.lowerBound - 1) ? span.lowerBound - 1 : span.lowerBound)...(misread(span.upperBound + 1) ? span.upperBound + 1 : span.upperBound)
    }

    /// Up to ten marks the main model reads for digits (``mayBeMisreadDay(_:)``'s, ؤ and و, ٠
    /// and dots), at least one of them a letter.
    static func mayBeMisreadDigits(_ text: String) -> Bool {
        let scalars = ArabicText.stripBidiControls(text).unicodeScalars
        return (1...10).contains(scalars.count) && scalars.contains(where: { "اأإآهلؤو".unicodeScalars.contains($0) })
            && scalars.allSatisfy { "اأإآهلؤو٠.”“\"'`^|!؟?*/\\IlOoVvA".unicodeScalars.contains($0) }
    }

    /// A confident Western reading that the page contradicts: a number cut into words that
    /// touch or overlap (4197651 read as "419765" and "1", the 1 inside the first word's box),
    /// or a word far wider than its characters (a date 22/06/2006 read as "26" across the
    /// whole field: wider than one line height per character).
    static func doubtfulReading(_ words: ArraySlice<RecognizedPage.Word>, lineHeight: Int) -> Bool {
        let sorted = words.sorted { $0.box.left < $1.box.left }
        for (a, b) in zip(sorted, sorted.dropFirst()) where (b.box.left - a.box.right) * 10 < lineHeight * 3 {
            return true
        }
        return words.contains { $0.box.width > max(2, $0.text.unicodeScalars.count) * lineHeight }
    }

    /// The numbers model's reading of a span of words: the symbols inside the span's box (the
    /// padding is context, not content), joiners trimmed; nil when it holds no digit or mixes
    /// digit scripts (one number is printed in one script).
    private func spanReading(
        _ union: RecognizedPage.Box, lineHeight: Int, in pix: UnsafeMutablePointer<PIX>, dpi: Int, scale: Double = 1
    ) throws -> (text: String, confidence: Double, symbols: [RecognizedPage.Symbol])? {
        guard let alt = try readCrop(
            union, padX: max(4, lineHeight * 3 / 10), padY: max(2, lineHeight / 5), in: pix, dpi: dpi, scale: scale)
        else { return nil }
        let slack = lineHeight / 10
        let inside = NumberMarks.correct(
            alt.words.flatMap(\.symbols).filter { symbol in
                let center = (symbol.box.left + symbol.box.right) / 2
                return center >= union.left - slack && center <= union.right + slack
            }.sorted { $0.box.left < $1.box.left }, in: pix)
        let text = DigitText.trimJoiners(inside.map(\.text).joined())
        guard DigitText.hasDigit(text), !DigitText.mixesScripts(text) else { return nil }
        return (text, alt.words.map(\.confidence).min() ?? .nan, inside)
    }

    /// What the references model saw in a span of number words.
    /// `lettered`: the model read a reference with a letter part too (where the main model
    /// had read one, and it was not to be replaced), in logical order, with its confidence.
    private enum ReferenceOutcome { case replaced, number(String), lettered(String, Double), other }

    /// Reads a span of number words with the references model, with a lone letter beyond a
    /// slash at either end first (63/ق read as "/63" and ".ق"), and replaces the span with
    /// its reading when that is a reference with a letter (`replaced`; only when `replace`).
    /// `number`: the model read the span itself confidently as a number without letters.
    private func readReference(
        _ span: ClosedRange<Int>, in line: inout RecognizedPage.Line, in pix: UnsafeMutablePointer<PIX>, dpi: Int,
        replace: Bool, westernOnly: Bool
    ) throws -> ReferenceOutcome {
        let wider = DigitText.withLoneLetters(span, of: line.words.map(\.text))
        var outcome = ReferenceOutcome.other
        for candidate in wider == span ? [span] : [wider, span] {
            let union = line.box(of: candidate)
            guard let reading = try referenceReading(union, lineHeight: line.box.height, in: pix, dpi: dpi, readingLetter: replace)
            else { continue }
            let westernReading = !reading.text.unicodeScalars.contains(where: DigitText.isIndic)
            guard reading.lettered, replace, westernReading || !westernOnly else {
                let scalars = reading.text.unicodeScalars
                if !reading.lettered, candidate == span, scalars.filter(DigitText.isDigit).count >= 3,
                    scalars.allSatisfy({ DigitText.isDigit($0) || DigitText.isNumberJoiner($0) }),
                    reading.confidence >= settings.numbers.acceptUnreadAbove
                {
                    outcome = .number(reading.text)
                } else if reading.lettered, !replace, candidate == span {
                    outcome = .lettered(reading.text, reading.confidence)
                }
                continue
            }
            var word = line.words[span.lowerBound]
            word.text = reading.text
            word.box = union
            word.confidence = reading.confidence
            word.symbols = reading.symbols
            word.revised = true
            line.words.replaceSubrange(candidate, with: [word])
            return .replaced
        }
        return outcome
    }

    /// The references model's reading of a span of words, in one digit script; a reference with
    /// a letter part (`DigitText.isLetteredReference`, `lettered`) has its parts put in logical
    /// order (the model reads as seen, left to right: in a right-to-left line the parts of
    /// ١٤٣/ج/٢٠٠١ stand as ٢٠٠١/ج/١٤٣). Nil when the model is off or read nothing usable.
    /// `readingLetter`: the letter is read again by `ara` (not needed when the reading cannot
    /// replace the span).
    private func referenceReading(
        _ union: RecognizedPage.Box, lineHeight: Int, in pix: UnsafeMutablePointer<PIX>, dpi: Int, readingLetter: Bool
    ) throws -> (text: String, confidence: Double, symbols: [RecognizedPage.Symbol], lettered: Bool)? {
        guard var (inside, seen, confidence) = try referenceSymbols(union, lineHeight: lineHeight, in: pix, dpi: dpi) else { return nil }
        if DigitText.isReferenceShape(seen) {
            // A reference with a letter is read at 75% too, and that reading taken when it is a
            // reference with as many digits, more confidently: at full size the model read
            // Amiri's ٤٢٠/م/١٩٨٢ as ٤٢٣ (37; 75%: ٤٢٠ at 46) and Noto Naskh's ج/٣٣٢٨ as ٢٣٢٨.
            func digits(_ text: String) -> Int { text.unicodeScalars.filter(DigitText.isDigit).count }
            if let smaller = try referenceSymbols(union, lineHeight: lineHeight, in: pix, dpi: dpi, scale: Self.referenceSecondScale),
                DigitText.isReferenceShape(smaller.seen), digits(smaller.seen) == digits(seen), smaller.confidence > confidence
            {
                (inside, seen, confidence) = smaller
            }
            // The model places the letter well but names it poorly in fonts it never saw (it saw
            // each letter a few hundred times, digits thousands): the letter itself is read by
            // `ara`, which knows Arabic letters in every font, in a crop of the letter and the
            // symbols beside it (psm 7; a crop of the letter alone, psm 10, read nothing useful:
            // the model's letter box is a few pixels off).
            var reading = seen
            if readingLetter, let index = inside.firstIndex(where: { DigitText.isLetter(ArabicText.stripBidiControls($0.text)) }),
                let letter = readLetter(
                    around: inside, at: index, in: union, lineHeight: lineHeight, pix: pix, dpi: dpi)
            {
                reading = seen.unicodeScalars.map { DigitText.isLetter(String($0)) ? letter : String($0) }.joined()
            }
            return (DigitText.referenceInLogicalOrder(reading), confidence, inside, true)
        }
        return (seen, confidence, inside, false)
    }

    /// The second size a lettered reference is read at by the references model.
    static let referenceSecondScale = 0.75

    /// The references model's symbols in a crop of `union` (page order), their text without
    /// bidi marks or end joiners, and the reading's confidence; nil unless it holds digits of one
    /// script.
    private func referenceSymbols(
        _ union: RecognizedPage.Box, lineHeight: Int, in pix: UnsafeMutablePointer<PIX>, dpi: Int, scale: Double = 1
    ) throws -> (inside: [RecognizedPage.Symbol], seen: String, confidence: Double)? {
        guard referencesAPI != nil,
            let alt = try readCrop(
                union, padX: max(4, lineHeight * 3 / 10), padY: max(2, lineHeight / 5), in: pix, dpi: dpi, scale: scale,
                references: true)
        else { return nil }
        let slack = lineHeight / 10
        let inside = alt.words.flatMap(\.symbols).filter { symbol in
            let center = (symbol.box.left + symbol.box.right) / 2
            return center >= union.left - slack && center <= union.right + slack
        }.sorted { $0.box.left < $1.box.left }
        // (Without the bidi marks Tesseract puts after a right-to-left letter.)
        let seen = DigitText.trimJoiners(ArabicText.stripBidiControls(inside.map(\.text).joined()))
        guard DigitText.hasDigit(seen), !DigitText.mixesScripts(seen) else { return nil }
        return (inside, seen, alt.words.map(\.confidence).min() ?? .nan)
    }

    /// The references model's reading of a crop when it is a plain number (digit runs and single
    /// joiners, no letter), its marks read as ٠ told apart by their ink as the digits model's are.
    private func referencesNumber(
        _ box: RecognizedPage.Box, lineHeight: Int, in pix: UnsafeMutablePointer<PIX>, dpi: Int
    ) throws -> (text: String, confidence: Double, symbols: [RecognizedPage.Symbol])? {
        guard let reading = try referenceReading(box, lineHeight: lineHeight, in: pix, dpi: dpi, readingLetter: false),
            !reading.lettered
        else { return nil }
        let symbols = NumberMarks.correct(reading.symbols, in: pix)
        let text = DigitText.trimJoiners(symbols.map(\.text).joined())
        return DigitText.isPlainNumberShape(text) ? (text, reading.confidence, symbols) : nil
    }

    /// The one Arabic letter `ara` reads in a crop of `symbols[index]` with the symbols beside
    /// it (the slashes; the span's edge where there is none), as one line; nil unless it reads
    /// exactly one letter.
    private func readLetter(
        around symbols: [RecognizedPage.Symbol], at index: Int, in union: RecognizedPage.Box, lineHeight: Int,
        pix: UnsafeMutablePointer<PIX>, dpi: Int
    ) -> String? {
        let left = index > 0 ? symbols[index - 1].box.left : union.left
        let right = index + 1 < symbols.count ? symbols[index + 1].box.right : union.right
        guard right - left > 2 else { return nil }
        let box = RecognizedPage.Box(left: left, top: union.top, right: right, bottom: union.bottom)
        defer { TessBaseAPISetPageSegMode(api, TessPageSegMode(rawValue: UInt32(settings.pageSegmentationMode))) }
        guard let read = readRegion(box, padX: lineHeight / 4, padY: lineHeight / 4, in: pix, dpi: dpi, segmentation: PSM_SINGLE_LINE)
        else { return nil }
        // (A bare alif is the slash beside the letter: references use no bare alif.)
        let letters = ArabicText.stripBidiControls(read.words.map(\.text).joined()).unicodeScalars
            .map(String.init).filter { DigitText.isLetter($0) && $0 != "ا" }
        return letters.count == 1 ? letters[0] : nil
    }

    /// Reads each run of digits inside a word that also holds letters again with the numbers
    /// model, cropped to the run's symbols (the word's height), and puts the reading in the run's
    /// place. A run is replaced only by a reading of digits alone in one script.
    private func rereadDigitRuns(
        _ word: inout RecognizedPage.Word, lineHeight: Int, in pix: UnsafeMutablePointer<PIX>, dpi: Int
    ) throws {
        // The k-th run of digit symbols on the page is the k-th run of digits in the text: the
        // digit order fix only permutes digits inside a run.
        let symbolRuns = DigitText.digitRuns(word.symbols.map(\.text))
        let scalars = Array(word.text.unicodeScalars)
        let textRuns = DigitText.digitRuns(scalars.map { String($0) })
        guard !symbolRuns.isEmpty, symbolRuns.count == textRuns.count else { return }
        var readings: [Range<Int>: String] = [:]
        var confidence = word.confidence
        for (symbolRun, textRun) in zip(symbolRuns, textRuns) {
            let run = word.symbols[symbolRun]
            let box = RecognizedPage.Box(
                left: run.map(\.box.left).min()!, top: word.box.top,
                right: run.map(\.box.right).max()!, bottom: word.box.bottom)
            guard box.width > 2,
                let alt = try readCrop(box, padX: max(4, lineHeight * 3 / 10), padY: max(2, lineHeight / 5), in: pix, dpi: dpi)
            else { continue }
            let slack = lineHeight / 10
            let inside = alt.words.flatMap(\.symbols).filter { symbol in
                let center = (symbol.box.left + symbol.box.right) / 2
                return center >= box.left - slack && center <= box.right + slack
            }
            let text = DigitText.trimJoiners(inside.sorted { $0.box.left < $1.box.left }.map(\.text).joined())
            guard !text.isEmpty, text.unicodeScalars.allSatisfy(DigitText.isDigit), !DigitText.mixesScripts(text)
            else { continue }
            readings[textRun] = text
            confidence = min(confidence, alt.words.map(\.confidence).min() ?? confidence)
        }
        guard !readings.isEmpty else { return }
        var out = ""
        var i = 0
        while i < scalars.count {
            if let (range, text) = readings.first(where: { $0.key.lowerBound == i }) {
                out += text
                i = range.upperBound
            } else {
                out.unicodeScalars.append(scalars[i])
                i += 1
            }
        }
        word.text = out
        word.confidence = confidence
        word.revised = true
    }

    /// A number the main model could not read at all comes out as letters with a confidence
    /// near zero (small Arabic-Indic digits in a form's field: ٥١٧٦٣٩ read as "ونه", 26; a
    /// date ١٢/٠٧/٢٠٠٣ read as three words "ع..؟ را /كى", 12–23). The run of such words
    /// beside a label (a word ending in a colon) is read again with the numbers model as one
    /// crop, and replaced only by a confident reading that is a whole number: at least two
    /// digits, one script, nothing but digits and separators.
    private func rereadUnreadWords(_ line: inout RecognizedPage.Line, in pix: UnsafeMutablePointer<PIX>, dpi: Int) throws {
        let lineHeight = line.box.height
        func unread(_ i: Int) -> Bool {
            line.words.indices.contains(i) && !DigitText.hasDigit(line.words[i].text) && !line.words[i].text.hasSuffix(":")
                && line.words[i].confidence < settings.numbers.rereadUnreadBelow
        }
        var w = line.words.startIndex
        while w < line.words.endIndex {
            // Only a field's value: the words next to a label ending in a colon (رقم الهوية: …).
            // Elsewhere an unreadable word is far more often a word than a number, and the
            // numbers model reads any word as some digits.
            let labelBefore = Self.labelBefore(w, in: line.words.map(\.text))
            let labelAfter = w + 1 < line.words.endIndex && line.words[w + 1].text.hasSuffix(":")
            guard unread(w), labelBefore || labelAfter else {
                w += 1
                continue
            }
            // The run goes away from the label: on after it, or back before it.
            var run = w...w
            if labelBefore {
                while unread(run.upperBound + 1) { run = run.lowerBound...(run.upperBound + 1) }
            } else {
                while unread(run.lowerBound - 1) { run = (run.lowerBound - 1)...run.upperBound }
            }
            let words = line.words[run]
            let runBox = line.box(of: run)
            var box = runBox
            w = run.upperBound + 1
            func accepted(_ reading: (text: String, confidence: Double, symbols: [RecognizedPage.Symbol])?) -> Bool {
                guard let reading else { return false }
                return reading.text.unicodeScalars.filter(DigitText.isDigit).count >= 2
                    && reading.text.unicodeScalars.allSatisfy({ DigitText.isDigit($0) || DigitText.isNumberJoiner($0) })
                    && reading.confidence >= settings.numbers.acceptUnreadAbove
                    && reading.confidence > words.map(\.confidence).max()!
            }
            var reading = try spanReading(box, lineHeight: lineHeight, in: pix, dpi: dpi)
            // A value with a word after it (a Hijri date's "هـ": ١٤٠٨/٠٥/٢٤ هـ read as "له"):
            // the numbers model reads the word as digits too. The part next to the label, up to
            // the widest gap, is read alone.
            if !accepted(reading),
                let part = Self.partNextToLabel(box, in: pix, labelOnRight: labelBefore, gapOver: lineHeight * 35 / 100)
            {
                box = part
                reading = try spanReading(part, lineHeight: lineHeight, in: pix, dpi: dpi)
            }
            guard accepted(reading), let (text, confidence, inside) = reading else { continue }
            var word = words.first!
            word.text = text
            word.box = box
            word.confidence = confidence
            word.symbols = inside
            word.revised = true
            // The rest of the run (the "هـ") is read again by the main model, alone, and kept
            // when read with some confidence; it follows the number, away from the label.
            var rest: [RecognizedPage.Word] = []
            if box != runBox {
                let other = RecognizedPage.Box(
                    left: box.left == runBox.left ? box.right : runBox.left, top: runBox.top,
                    right: box.left == runBox.left ? runBox.right : box.left, bottom: runBox.bottom)
                defer { TessBaseAPISetPageSegMode(api, TessPageSegMode(rawValue: UInt32(settings.pageSegmentationMode))) }
                rest = (readRegion(other, padX: lineHeight / 4, padY: lineHeight / 8, in: pix, dpi: dpi, segmentation: PSM_SINGLE_LINE)?
                    .words ?? []).filter { $0.confidence >= Self.restAbove && !DigitText.hasDigit($0.text) }
            }
            let replacement = labelBefore ? [word] + rest : rest + [word]
            line.words.replaceSubrange(run, with: replacement)
            w = run.lowerBound + replacement.count
        }
    }

    /// A field's value the main model read with a slash but no digit (الرقم: م/٦٨ read as
    /// "م//+" at 62: a reference's shape, the digits lost): read by the references model, which
    /// reads references with letters, and replaced when it reads two or more digits, as a
    /// number or a reference with a letter, with confidence `acceptUnreadAbove` and more
    /// confidently than the main model. Only next after a label (an Arabic word has no slash).
    private func rereadSlashedValues(_ line: inout RecognizedPage.Line, in pix: UnsafeMutablePointer<PIX>, dpi: Int) throws {
        let texts = line.words.map(\.text)
        for w in line.words.indices where Self.labelBefore(w, in: texts) {
            let word = line.words[w]
            guard word.text.contains("/"), !DigitText.hasDigit(word.text),
                let reading = try referenceReading(word.box, lineHeight: line.box.height, in: pix, dpi: dpi, readingLetter: true),
                reading.text.unicodeScalars.filter(DigitText.isDigit).count >= 2,
                reading.lettered || DigitText.isPlainNumberShape(reading.text),
                reading.confidence >= settings.numbers.acceptUnreadAbove, reading.confidence > word.confidence
            else { continue }
            line.words[w].text = reading.text
            line.words[w].confidence = reading.confidence
            line.words[w].symbols = reading.symbols
            line.words[w].revised = true
        }
    }

    /// The words of a line without the numbers the main model read twice: a number word whose
    /// box lies inside a lettered reference's ("٤٧٤/م" read as "74" and "4/م", the second boxed
    /// over both). The reference's digit runs are read again from its own box (it takes the
    /// inner word's doubt: the lower confidence of the two); the inner word would repeat them.
    static func withoutEchoes(_ words: [RecognizedPage.Word]) -> [RecognizedPage.Word] {
        var kept = words
        for (i, a) in words.enumerated().reversed() where DigitText.hasDigit(a.text) {
            guard let outer = kept.indices.first(where: { j in
                let b = kept[j]
                return j != i && b.box.width > a.box.width && a.box.left >= b.box.left - 2 && a.box.right <= b.box.right + 2
                    && DigitText.hasSeriesLetters(b.text)
            }) else { continue }
            kept[outer].confidence = min(kept[outer].confidence, a.confidence)
            kept.remove(at: i)
        }
        return kept
    }

    /// Whether a field's label stands just before word `w`: a word ending in a colon, or a
    /// number's label in a sentence, without one ("برقم الوارد ٤٧٣", read "برقم الوارد الا").
    static func labelBefore(_ w: Int, in words: [String]) -> Bool {
        guard w > 0, words.indices.contains(w) else { return false }
        return words[w - 1].hasSuffix(":")
            || (w >= 2 && numberWords.contains(ArabicText.fold(words[w - 2])) && !DigitText.hasDigit(words[w - 1]))
    }

    /// The word "number" as a label starts with it (رقم المعاملة، برقم الوارد), folded.
    static let numberWords: Set<String> = ["رقم", "برقم", "الرقم", "بالرقم"]

    /// A date's day read as letters by the main model, which knows Arabic-Indic digits poorly:
    /// ١٧ as "اا", ٢ as "ا", ٥ as "ه" ("١٧ تشرين الأول ١٩٧٩" read as "اا تشرين الأول ١٩٧٩").
    /// A word of such look-alike marks, or a number no day can be (٥ read as "0"), just before a
    /// month name is read with the numbers model and replaced by a day (1–31) read with
    /// confidence `acceptUnreadAbove`.
    private func rereadDaysBeforeMonths(_ line: inout RecognizedPage.Line, in pix: UnsafeMutablePointer<PIX>, dpi: Int) throws {
        for w in line.words.indices.dropLast() where Self.mayBeMisreadDay(line.words[w].text) || Self.isImpossibleDay(line.words[w].text) {
            guard Self.monthFirstWords.contains(ArabicText.fold(line.words[w + 1].text)),
                let reading = try spanReading(line.words[w].box, lineHeight: line.box.height, in: pix, dpi: dpi),
                reading.text.unicodeScalars.allSatisfy(DigitText.isDigit),
                let day = Int(ArabicText.fold(reading.text)), (1...31).contains(day),
                reading.confidence >= settings.numbers.acceptUnreadAbove
            else { continue }
            line.words[w].text = reading.text
            line.words[w].confidence = reading.confidence
            line.words[w].symbols = reading.symbols
            line.words[w].revised = true
        }
    }

    /// Up to three marks the main model reads for digits (ا for ١, ل+ا for ١٧, ه for ٥, quotes,
    /// ؟ and * for ٢ and ٣, a slash for 7, Latin look-alikes); no Arabic word of that shape
    /// stands before a month name (a lone "لا" is not taken).
    static func mayBeMisreadDay(_ text: String) -> Bool {
        let scalars = ArabicText.stripBidiControls(text).unicodeScalars
        return (1...3).contains(scalars.count) && text != "لا"
            && scalars.allSatisfy { "اأإآهل”“\"'`^|!؟?*/\\IlOoVvA".unicodeScalars.contains($0) }
    }

    /// A number no day can be (0, 00, 32 and more): ٥ read as a confident "0".
    static func isImpossibleDay(_ text: String) -> Bool {
        let digits = ArabicText.stripBidiControls(text)
        guard (1...2).contains(digits.unicodeScalars.count), digits.unicodeScalars.allSatisfy(DigitText.isDigit),
            let value = Int(ArabicText.fold(digits))
        else { return false }
        return !(1...31).contains(value)
    }

    /// The first word of every month name, folded as ``ArabicCalendar/months`` are.
    static let monthFirstWords = Set(ArabicCalendar.months.map { String($0.name.split(separator: " ")[0]) })

    /// A word read beside a field's number (`rereadUnreadWords`) is kept from this confidence.
    static let restAbove = 50.0

    /// The part of a box on one side of the widest run of blank columns in it (the page's own
    /// ink, thresholded halfway between ink and paper), when that run is wider than `gapOver`:
    /// the side toward the label (right of the gap when the label stands right of the value,
    /// as in an Arabic line). Nil without such a gap.
    static func partNextToLabel(
        _ box: RecognizedPage.Box, in pix: UnsafeMutablePointer<PIX>, labelOnRight: Bool, gapOver: Int
    ) -> RecognizedPage.Box? {
        guard box.width > 2 * gapOver, box.height > 2, let columns = inkColumns(box, in: pix) else { return nil }
        guard let first = columns.firstIndex(where: { $0 > 0 }), let last = columns.lastIndex(where: { $0 > 0 }) else { return nil }
        var widest = (start: 0, length: 0)
        var start = first
        for i in first...last where columns[i] > 0 {
            if i - start > widest.length { widest = (start, i - start) }
            start = i + 1
        }
        guard widest.length > gapOver else { return nil }
        var part = box
        if labelOnRight {
            part.left = box.left + widest.start + widest.length
        } else {
            part.right = box.left + widest.start
        }
        return part
    }

    /// Ink pixels per column of a box (the page's own ink, thresholded halfway between its ink
    /// and its paper); nil for a box too small or with no contrast.
    static func inkColumns(_ box: RecognizedPage.Box, in pix: UnsafeMutablePointer<PIX>) -> [Int32]? {
        guard box.width > 0, box.height > 2 else { return nil }
        var region = boxCreate(Int32(box.left), Int32(box.top), Int32(box.width), Int32(box.height))
        var clip = region.flatMap { pixClipRectangle(pix, $0, nil) }
        var gray = clip.flatMap { pixConvertTo8($0, 0) }
        defer {
            boxDestroy(&region)
            pixDestroy(&clip)
            pixDestroy(&gray)
        }
        guard let gray else { return nil }
        var ink: UInt32 = 0, paper: UInt32 = 255
        pixGetRankValue(gray, 1, 0.02, &ink)
        pixGetRankValue(gray, 1, 0.9, &paper)
        guard paper > ink + 30 else { return nil }
        var binary = pixThresholdToBinary(gray, Int32((ink + paper) / 2))
        var numa = binary.flatMap { pixCountPixelsByColumn($0) }
        defer {
            pixDestroy(&binary)
            numaDestroy(&numa)
        }
        guard let numa else { return nil }
        var columns = [Int32](repeating: 0, count: Int(numaGetCount(numa)))
        for i in columns.indices { numaGetIValue(numa, Int32(i), &columns[i]) }
        return columns
    }

    /// A number's box grown over ink beside it that no word of the line covers: the main model
    /// can drop part of a number and give the rest a box that leaves the dropped digits out
    /// ("9 أيار 2009 م" read as "9 أيار 9 م", nothing boxed over "200"). On each side, between
    /// the number and the next word (or the line's end), ink at the number's height that starts
    /// within `reach` of it is taken in, as far as it runs with gaps under `reach`; it counts
    /// when it is at least `minimum` wide (a digit, not a speck). Nil when there is none.
    static func withUnreadInk(
        _ union: RecognizedPage.Box, span: ClosedRange<Int>, of line: RecognizedPage.Line,
        in pix: UnsafeMutablePointer<PIX>, reach: Int, minimum: Int
    ) -> RecognizedPage.Box? {
        let others = line.words.indices.filter { !span.contains($0) }.map { line.words[$0].box }
        var grown = union
        // Left of the number: from the nearest word's right edge (or the line's left end).
        let leftLimit = others.filter { $0.right <= union.left + reach / 2 && $0.left < union.left }.map(\.right).max() ?? line.box.left
        if union.left - leftLimit > minimum,
            let columns = inkColumns(RecognizedPage.Box(left: leftLimit, top: union.top, right: union.left, bottom: union.bottom), in: pix)
        {
            if let edge = Self.inkRun(columns.indices.reversed().dropFirst().dropLast(2), of: columns, reach: reach, minimum: minimum) {
                grown.left = leftLimit + edge
            }
        }
        let rightLimit = others.filter { $0.left >= union.right - reach / 2 && $0.right > union.right }.map(\.left).min() ?? line.box.right
        if rightLimit - union.right > minimum,
            let columns = inkColumns(RecognizedPage.Box(left: union.right, top: union.top, right: rightLimit, bottom: union.bottom), in: pix)
        {
            if let edge = Self.inkRun(columns.indices.dropFirst().dropLast(2), of: columns, reach: reach, minimum: minimum) {
                grown.right = union.right + edge + 1
            }
        }
        return grown == union ? nil : grown
    }

    /// Walking `order` (columns away from a number), the farthest column of the ink met before
    /// a blank run of `reach` columns; nil when fewer than `minimum` columns hold ink.
    static func inkRun<S: Sequence<Int>>(_ order: S, of columns: [Int32], reach: Int, minimum: Int) -> Int? {
        var edge: Int?, gap = 0, inked = 0
        for i in order {
            if columns[i] > 0 {
                edge = i
                gap = 0
                inked += 1
            } else {
                gap += 1
                if gap >= reach { break }
            }
        }
        return inked >= minimum ? edge : nil
    }

    /// How much more confident the references model must be to replace a doubtful
    /// Arabic-Indic reading of the digits model.
    static let referencesOpinionMargin = 0.0

    /// Numbers read with confidence under this get a second opinion at `secondOpinionScales`.
    static let secondOpinionBelow = 80.0
    /// (0.75 was tried too: it read a clean page's ٧٧٨٥١ as a confident ٧٧٠٩٥١.)
    static let secondOpinionScales = [1.5]

    private func readCrop(
        _ box: RecognizedPage.Box, padX: Int, padY: Int, in pix: UnsafeMutablePointer<PIX>, dpi: Int, scale: Double = 1,
        references: Bool = false
    ) throws -> RecognizedPage? {
        guard let numbers = references ? referencesAPI : numbersAPI,
            let region = Self.region(box, padX: padX, padY: padY, in: pix)
        else { return nil }
        let key = CropKey(pix: pix, region: region, scale: scale, dpi: dpi, references: references)
        if let known = crops[key] { return known }
        let reading = recognize(region, in: pix, dpi: dpi, scale: scale, with: numbers)
        crops[key] = reading
        return reading
    }

    /// `box` padded, clipped to the page; nil when 2 px or less remain either way.
    static func region(_ box: RecognizedPage.Box, padX: Int, padY: Int, in pix: UnsafeMutablePointer<PIX>) -> RecognizedPage.Box? {
        let x = max(0, box.left - padX), y = max(0, box.top - padY)
        let w = min(Int(pixGetWidth(pix)) - x, box.width + 2 * padX)
        let h = min(Int(pixGetHeight(pix)) - y, box.height + 2 * padY)
        guard w > 2, h > 2 else { return nil }
        return RecognizedPage.Box(left: x, top: y, right: x + w, bottom: y + h)
    }

    /// `region` of the page (scaled by `scale`) recognised by `handle` with its page segmentation
    /// mode, read back with the page's coordinates.
    private func recognize(
        _ region: RecognizedPage.Box, in pix: UnsafeMutablePointer<PIX>, dpi: Int, scale: Double, with handle: OpaquePointer
    ) -> RecognizedPage? {
        var box: UnsafeMutablePointer<BOX>? = boxCreate(Int32(region.left), Int32(region.top), Int32(region.width), Int32(region.height))
        defer { boxDestroy(&box) }
        var crop: UnsafeMutablePointer<PIX>? = pixClipRectangle(pix, box, nil)
        guard crop != nil else { return nil }
        if scale != 1 {
            var original = crop
            crop = pixScale(original, Float(scale), Float(scale))
            pixDestroy(&original)
            guard crop != nil else { return nil }
        }
        defer {
            pixDestroy(&crop)
            TessBaseAPIClear(handle)
        }
        TessBaseAPISetImage2(handle, crop)
        TessBaseAPISetSourceResolution(handle, Int32((Double(dpi) * scale).rounded()))
        guard TessBaseAPIRecognize(handle, nil) == 0 else { return nil }
        return RecognizedPage.read(handle, offsetX: region.left, offsetY: region.top, scale: scale)
    }

}
