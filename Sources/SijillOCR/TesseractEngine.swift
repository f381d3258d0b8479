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

    /// `tesseract <version>`, as stored with every page result.
    public static var engineVersion: String { "tesseract " + String(cString: TessVersion()) }

    /// Starts Tesseract with `settings`; throws when the language data cannot be loaded.
    public init(settings: OCRSettings) throws {
        self.settings = settings
        api = try TesseractEngine.start(language: settings.language, path: settings.tessdataPath)
        TessBaseAPISetPageSegMode(api, TessPageSegMode(rawValue: UInt32(settings.pageSegmentationMode)))
        numbersAPI = nil
        if settings.numbers.enabled {
            let builtIn = settings.numbers.tessdataPath.isEmpty && TesseractEngine.builtInModel(settings.numbers.language) != nil
            let path = builtIn ? "" : settings.numbers.tessdataPath.isEmpty ? settings.tessdataPath : settings.numbers.tessdataPath
            do {
                let handle = try TesseractEngine.start(language: settings.numbers.language, path: path)
                TessBaseAPISetPageSegMode(handle, TessPageSegMode(rawValue: UInt32(settings.numbers.pageSegmentationMode)))
                numbersAPI = handle
            } catch {
                TessBaseAPIEnd(api)
                TessBaseAPIDelete(api)
                throw error
            }
        }
    }

    deinit {
        for handle in [api, numbersAPI].compactMap({ $0 }) {
            TessBaseAPIEnd(handle)
            TessBaseAPIDelete(handle)
        }
    }

    static func start(language: String, path: String) throws -> OpaquePointer {
        guard let handle = TessBaseAPICreate() else { throw OCRError.engine("cannot create a Tesseract handle") }
        let status: Int32
        if path.isEmpty, let model = builtInModel(language) {
            status = TessBaseAPIInit5(handle, model.bytes, model.count, language, OEM_LSTM_ONLY, nil, 0, nil, nil, 0, 0)
        } else {
            status = TessBaseAPIInit2(handle, path, language, OEM_LSTM_ONLY)
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
        default: nil
        }
    }

    public func recognize(_ image: PageImage, pageNumber: Int) throws -> OCRResult {
        let dpiAssumed = image.resolution < 50
        let dpi = dpiAssumed ? settings.defaultDPI : image.resolution
        let cleaned = PageImage(owning: Preprocessor.apply(image.pix, settings.preprocess, dpi: dpi).pix)
        var best = (image: cleaned, page: try read(cleaned, dpi: dpi, pageNumber: pageNumber), rotation: 0)
        if settings.orientationRetryBelow > 0, best.page.meanConfidence < settings.orientationRetryBelow {
            // Upside down or sideways: try the other three orientations, keep a clearly better one.
            for quarterTurns in [2, 1, 3] {
                guard let turned = pixRotateOrth(cleaned.pix, Int32(quarterTurns)) else { continue }
                let rotated = PageImage(owning: turned)
                let page = try read(rotated, dpi: dpi, pageNumber: pageNumber)
                if page.meanConfidence > best.page.meanConfidence + 10 {
                    best = (rotated, page, quarterTurns * 90)
                }
            }
        }
        var page = best.page
        for l in page.lines.indices {
            for w in page.lines[l].words.indices where DigitText.hasDigit(page.lines[l].words[w].text) {
                page.lines[l].words[w].text = DigitText.logicalOrder(page.lines[l].words[w])
            }
        }
        if settings.numbers.enabled {
            try rereadNumbers(&page, in: best.image.pix, dpi: dpi)
        }
        for l in page.lines.indices {
            for w in page.lines[l].words.indices {
                page.lines[l].words[w].text = DigitText.normalizeScripts(page.lines[l].words[w].text)
            }
            page.lines[l].words = LineOrder.logical(page.lines[l].words)
            ArabicPunctuation.repair(&page.lines[l])
        }
        let confidences = page.words.map(\.confidence)
        let mean = page.meanConfidence
        let low = confidences.filter { $0 < Double(settings.lowConfidenceWord) }.count
        let lowShare = confidences.isEmpty ? 1 : Double(low) / Double(confidences.count)
        return OCRResult(
            text: page.text,
            hocr: HOCRWriter.write(
                page, width: best.image.width, height: best.image.height, pageNumber: pageNumber,
                engine: TesseractEngine.engineVersion),
            meanConfidence: (mean * 10).rounded() / 10,
            wordCount: confidences.count,
            lowConfidenceWords: low,
            engine: TesseractEngine.engineVersion,
            settings: settings.fingerprint,
            dpi: dpi,
            dpiAssumed: dpiAssumed,
            rotation: best.rotation,
            needsRescan: confidences.isEmpty || mean < settings.rescanBelowConfidence || lowShare > settings.rescanLowWordShare)
    }

    /// One recognition of `image` with the main model, read back as lines and words.
    private func read(_ image: PageImage, dpi: Int, pageNumber: Int) throws -> RecognizedPage {
        defer { TessBaseAPIClear(api) }
        TessBaseAPISetImage2(api, image.pix)
        TessBaseAPISetSourceResolution(api, Int32(dpi))
        guard TessBaseAPIRecognize(api, nil) == 0 else {
            throw OCRError.engine("recognition failed on page \(pageNumber)")
        }
        return RecognizedPage.read(api)
    }

    /// The numbers pass: crops each line (or word) holding digits and reads it with the numbers
    /// model; in line scope, its numbers replace the main pass's numbers when both found the
    /// same count of them.
    private func rereadNumbers(_ page: inout RecognizedPage, in pix: UnsafeMutablePointer<PIX>, dpi: Int) throws {
        for l in page.lines.indices {
            let digitWords = page.lines[l].words.indices.filter { DigitText.hasDigit(page.lines[l].words[$0].text) }
            guard !digitWords.isEmpty else { continue }
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
                    guard indic || weakest < settings.numbers.rereadBelowConfidence else { continue }
                    let union = RecognizedPage.Box(
                        left: words.map(\.box.left).min()!, top: min(words.map(\.box.top).min()!, page.lines[l].box.top),
                        right: words.map(\.box.right).max()!, bottom: max(words.map(\.box.bottom).max()!, page.lines[l].box.bottom))
                    guard let alt = try readCrop(
                        union, padX: max(4, lineHeight * 3 / 10), padY: max(2, lineHeight / 5), in: pix, dpi: dpi)
                    else { continue }
                    // The padding is context for the recogniser, not content: symbols read from
                    // it (pieces of the neighbouring words) are dropped.
                    let slack = lineHeight / 10
                    let inside = alt.words.flatMap(\.symbols).filter { symbol in
                        let center = (symbol.box.left + symbol.box.right) / 2
                        return center >= union.left - slack && center <= union.right + slack
                    }
                    let text = DigitText.trimJoiners(inside.sorted { $0.box.left < $1.box.left }.map(\.text).joined())
                    // One number is printed in one digit script: a mixed reading is a misread.
                    guard DigitText.hasDigit(text), !DigitText.mixesScripts(text) else { continue }
                    var word = words.first!
                    word.text = text
                    word.box = union
                    word.confidence = alt.words.map(\.confidence).min() ?? word.confidence
                    word.symbols = inside
                    word.revised = true
                    page.lines[l].words.replaceSubrange(span, with: [word])
                }
            }
        }
    }

    private func readCrop(
        _ box: RecognizedPage.Box, padX: Int, padY: Int, in pix: UnsafeMutablePointer<PIX>, dpi: Int
    ) throws -> RecognizedPage? {
        guard let numbers = numbersAPI else { return nil }
        let x = max(0, box.left - padX), y = max(0, box.top - padY)
        let w = min(Int(pixGetWidth(pix)) - x, box.width + 2 * padX)
        let h = min(Int(pixGetHeight(pix)) - y, box.height + 2 * padY)
        guard w > 2, h > 2 else { return nil }
        var region: UnsafeMutablePointer<BOX>? = boxCreate(Int32(x), Int32(y), Int32(w), Int32(h))
        defer { boxDestroy(&region) }
        var crop: UnsafeMutablePointer<PIX>? = pixClipRectangle(pix, region, nil)
        guard crop != nil else { return nil }
        defer {
            pixDestroy(&crop)
            TessBaseAPIClear(numbers)
        }
        TessBaseAPISetImage2(numbers, crop)
        TessBaseAPISetSourceResolution(numbers, Int32(dpi))
        guard TessBaseAPIRecognize(numbers, nil) == 0 else { return nil }
        return RecognizedPage.read(numbers, offsetX: x, offsetY: y)
    }

}
