import CLeptonica
import CTesseract
import Foundation
import SijillCore

/// OCR with Tesseract through its C API: one `TessBaseAPI` handle, initialised once and reused.
///
/// ```swift
/// let engine = try TesseractEngine(settings: OCRSettings())
/// let frames = try ImageDecoder().decode(data, name: "page.png")
/// print(try engine.recognize(frames[0], pageNumber: 1).text)
/// ```
public final class TesseractEngine: OCREngine {
    public let settings: OCRSettings
    private let api: OpaquePointer

    /// `tesseract <version>`, as stored with every page result.
    public static var engineVersion: String { "tesseract " + String(cString: TessVersion()) }

    /// Starts Tesseract with `settings`; throws when the language data cannot be loaded.
    public init(settings: OCRSettings) throws {
        TesseractEngine.limitOpenMPThreads()
        self.settings = settings
        guard let api = TessBaseAPICreate() else { throw OCRError.engine("cannot create a Tesseract handle") }
        let status = TessBaseAPIInit2(api, settings.tessdataPath, settings.language, OEM_LSTM_ONLY)
        guard status == 0 else {
            TessBaseAPIDelete(api)
            throw OCRError.engine(
                "cannot load language '\(settings.language)' from \(settings.tessdataPath) "
                    + "(install tesseract-ocr-ara, or fix tessdataPath)")
        }
        self.api = api
        TessBaseAPISetPageSegMode(api, TessPageSegMode(rawValue: UInt32(settings.pageSegmentationMode)))
        // hOCR with word confidences and no per-character boxes keeps the stored document small.
        TessBaseAPISetVariable(api, "hocr_char_boxes", "0")
    }

    deinit {
        TessBaseAPIEnd(api)
        TessBaseAPIDelete(api)
    }

    public func recognize(_ image: PageImage, pageNumber: Int) throws -> OCRResult {
        var working = image.pix
        var converted: UnsafeMutablePointer<PIX>?
        defer {
            if converted != nil { pixDestroy(&converted) }
            TessBaseAPIClear(api)
        }
        if settings.grayscale, image.depth > 8 || (image.depth > 1 && pixGetColormap(image.pix) != nil) {
            converted = pixConvertTo8(image.pix, 0)
            if let converted { working = converted }
        }
        let dpiAssumed = image.resolution < 50
        let dpi = dpiAssumed ? settings.defaultDPI : image.resolution
        TessBaseAPISetImage2(api, working)
        TessBaseAPISetSourceResolution(api, Int32(dpi))
        guard TessBaseAPIRecognize(api, nil) == 0 else {
            throw OCRError.engine("recognition failed on page \(pageNumber)")
        }
        let text = takeString(TessBaseAPIGetUTF8Text(api))
        let hocr = takeString(TessBaseAPIGetHOCRText(api, Int32(pageNumber - 1)))
        var confidences: [Int32] = []
        if let all = TessBaseAPIAllWordConfidences(api) {
            var i = 0
            while all[i] >= 0 {
                confidences.append(all[i])
                i += 1
            }
            TessDeleteIntArray(all)
        }
        let mean = confidences.isEmpty ? 0 : Double(confidences.reduce(0, +)) / Double(confidences.count)
        let low = confidences.filter { $0 < settings.lowConfidenceWord }.count
        return OCRResult(
            text: ArabicText.stripBidiControlsAndTrim(text),
            hocr: ArabicText.stripBidiControls(hocr),
            meanConfidence: (mean * 10).rounded() / 10,
            wordCount: confidences.count,
            lowConfidenceWords: low,
            engine: TesseractEngine.engineVersion,
            settings: settings.fingerprint,
            dpi: dpi,
            dpiAssumed: dpiAssumed)
    }

    private func takeString(_ pointer: UnsafeMutablePointer<CChar>?) -> String {
        guard let pointer else { return "" }
        defer { TessDeleteText(pointer) }
        return String(cString: pointer)
    }

    /// libtesseract parallelises with OpenMP inside one page; with one handle per worker that
    /// oversubscribes the cores, so each handle gets one thread. Must run before the first Init.
    static func limitOpenMPThreads() {
        _ = openMPLimited
    }

    private static let openMPLimited: Bool = {
        if getenv("OMP_THREAD_LIMIT") == nil { setenv("OMP_THREAD_LIMIT", "1", 1) }
        return true
    }()
}
