import Foundation

/// How pages are recognised. Stored with every page result so that a later `reocr` knows which
/// pages were read with older settings.
///
/// The defaults are the measured choice for Debian's `ara` model; `Ingest/ocr.json` in the
/// repository records the same values as data, and ``load(from:)`` reads such a file.
public struct OCRSettings: Hashable, Sendable, Codable {
    /// Tesseract language(s), e.g. `ara` or `ara+eng`.
    public var language: String
    /// Folder holding `<language>.traineddata`.
    public var tessdataPath: String
    /// Tesseract page segmentation mode (3 = fully automatic).
    public var pageSegmentationMode: Int
    /// Resolution assumed for images that carry none (scanners usually work at 300 dpi).
    public var defaultDPI: Int
    /// A word whose confidence is below this (0–100) counts as low-confidence.
    public var lowConfidenceWord: Int
    /// Convert to 8-bit gray before recognition.
    public var grayscale: Bool
    /// A page whose mean word confidence is below this is flagged "needs re-scan".
    public var rescanBelowConfidence: Double
    /// …or whose share of low-confidence words is above this.
    public var rescanLowWordShare: Double
    /// How a page scanned upside down or sideways is found: `osd` (Tesseract's orientation
    /// detection, once per page, before recognition), `retry` (a page read under
    /// `orientationRetryBelow` is read again at 90°, 180° and 270°: four readings) or `none`.
    public var orientation: String
    /// `osd`: the orientation confidence needed to turn a page.
    public var orientationMinConfidence: Double
    /// A reading with mean confidence below this is clearly wrong: with `osd` unsure, the page is
    /// read once more turned half round; with `retry`, at all three other quarter turns; a
    /// clearly better reading (+10) wins. 0 = never.
    public var orientationRetryBelow: Double
    /// Tesseract variables set on the main handle (`tessedit_do_invert: 0`: no second reading of
    /// every low-confidence line as white-on-black, which scanned paper files do not have and
    /// which doubled the time on noisy pages).
    public var tesseractVariables: [String: String]
    /// Image cleaning before recognition.
    public var preprocess: PreprocessSettings
    /// The second pass for numbers.
    public var numbers: NumberPassSettings
    /// Ink outside every line the layout analysis returned is read apart (``MissedLines``).
    public var recoverMissedLines: Bool
    /// A page whose reading (in its final orientation) has mean confidence below this is read
    /// once more as one block of text (page segmentation 6), and that reading kept when clearly
    /// better (+10): the layout analysis sometimes cuts a plain right-aligned page into columns
    /// of word fragments (a clean Amiri form read at 50 against 82 as one block). 0 = never.
    public var layoutRetryBelow: Double
    /// A page whose finished reading (numbers pass included) has mean confidence below this is
    /// read once more with the main model at `smallerReadingScale` of its size (the numbers pass
    /// still reads the full-size page), and that reading kept when more confident (+2): on
    /// upscaled fax pages, stamps and JPEG-damaged or noisy scans Tesseract's line finding
    /// sometimes does far better on a smaller page (held-out fax page: 66% → 30% CER at 0.75×,
    /// confidence 66 → 75); a confident page is never read twice. 0 = never.
    public var smallerReadingBelow: Double
    public var smallerReadingScale: Double
    /// A line `language` reads poorly (mean word confidence under 70) is read again alone with
    /// this model and replaced when that reading is Latin text, confident (≥ 85 over its letters) and far more
    /// confident than the first (+20): the English lines of a bilingual form or letterhead, which
    /// `ara` reads as Arabic-looking junk ("Ministry of Interior" as "ع0126غعع]أما طمأغ3").
    /// "" = never (`eng` comes with Debian's tesseract-ocr).
    public var latinLanguage: String

    public init(
        language: String = "ara",
        tessdataPath: String = "/usr/share/tesseract-ocr/5/tessdata",
        pageSegmentationMode: Int = 3,
        defaultDPI: Int = 300,
        lowConfidenceWord: Int = 60,
        grayscale: Bool = true,
        rescanBelowConfidence: Double = 70,
        rescanLowWordShare: Double = 0.35,
        orientation: String = "osd",
        orientationMinConfidence: Double = 2,
        orientationRetryBelow: Double = 55,
        tesseractVariables: [String: String] = ["tessedit_do_invert": "0"],
        preprocess: PreprocessSettings = PreprocessSettings(),
        numbers: NumberPassSettings = NumberPassSettings(),
        recoverMissedLines: Bool = true,
        layoutRetryBelow: Double = 60,
        smallerReadingBelow: Double = 80,
        smallerReadingScale: Double = 0.75,
        latinLanguage: String = "eng"
    ) {
        self.language = language
        self.tessdataPath = tessdataPath
        self.pageSegmentationMode = pageSegmentationMode
        self.defaultDPI = defaultDPI
        self.lowConfidenceWord = lowConfidenceWord
        self.grayscale = grayscale
        self.rescanBelowConfidence = rescanBelowConfidence
        self.rescanLowWordShare = rescanLowWordShare
        self.orientation = orientation
        self.orientationMinConfidence = orientationMinConfidence
        self.orientationRetryBelow = orientationRetryBelow
        self.tesseractVariables = tesseractVariables
        self.preprocess = preprocess
        self.numbers = numbers
        self.recoverMissedLines = recoverMissedLines
        self.layoutRetryBelow = layoutRetryBelow
        self.smallerReadingBelow = smallerReadingBelow
        self.smallerReadingScale = smallerReadingScale
        self.latinLanguage = latinLanguage
    }

    /// Reads settings from a JSON file; missing keys keep their defaults.
    public static func load(from url: URL) throws -> OCRSettings {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw OCRError.settings(url.path, "cannot read the file")
        }
        do {
            var settings = try JSONDecoder().decode(OCRSettings.self, from: data)
            // A model folder named relative to the settings file (e.g. Ingest/models/digits).
            let base = url.deletingLastPathComponent()
            if !settings.numbers.tessdataPath.isEmpty, !settings.numbers.tessdataPath.hasPrefix("/") {
                settings.numbers.tessdataPath = base.appendingPathComponent(settings.numbers.tessdataPath).standardizedFileURL.path
            }
            return settings
        } catch {
            throw OCRError.settings(url.path, "not valid OCR settings JSON (\(error))")
        }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = OCRSettings()
        language = try c.decodeIfPresent(String.self, forKey: .language) ?? d.language
        tessdataPath = try c.decodeIfPresent(String.self, forKey: .tessdataPath) ?? d.tessdataPath
        pageSegmentationMode = try c.decodeIfPresent(Int.self, forKey: .pageSegmentationMode) ?? d.pageSegmentationMode
        defaultDPI = try c.decodeIfPresent(Int.self, forKey: .defaultDPI) ?? d.defaultDPI
        lowConfidenceWord = try c.decodeIfPresent(Int.self, forKey: .lowConfidenceWord) ?? d.lowConfidenceWord
        grayscale = try c.decodeIfPresent(Bool.self, forKey: .grayscale) ?? d.grayscale
        rescanBelowConfidence = try c.decodeIfPresent(Double.self, forKey: .rescanBelowConfidence) ?? d.rescanBelowConfidence
        rescanLowWordShare = try c.decodeIfPresent(Double.self, forKey: .rescanLowWordShare) ?? d.rescanLowWordShare
        orientation = try c.decodeIfPresent(String.self, forKey: .orientation) ?? d.orientation
        orientationMinConfidence = try c.decodeIfPresent(Double.self, forKey: .orientationMinConfidence) ?? d.orientationMinConfidence
        orientationRetryBelow = try c.decodeIfPresent(Double.self, forKey: .orientationRetryBelow) ?? d.orientationRetryBelow
        tesseractVariables = try c.decodeIfPresent([String: String].self, forKey: .tesseractVariables) ?? d.tesseractVariables
        guard ["osd", "retry", "none"].contains(orientation) else {
            throw DecodingError.dataCorruptedError(
                forKey: .orientation, in: c, debugDescription: "orientation must be osd, retry or none, not '\(orientation)'")
        }
        preprocess = try c.decodeIfPresent(PreprocessSettings.self, forKey: .preprocess) ?? d.preprocess
        numbers = try c.decodeIfPresent(NumberPassSettings.self, forKey: .numbers) ?? d.numbers
        recoverMissedLines = try c.decodeIfPresent(Bool.self, forKey: .recoverMissedLines) ?? d.recoverMissedLines
        layoutRetryBelow = try c.decodeIfPresent(Double.self, forKey: .layoutRetryBelow) ?? d.layoutRetryBelow
        smallerReadingBelow = try c.decodeIfPresent(Double.self, forKey: .smallerReadingBelow) ?? d.smallerReadingBelow
        smallerReadingScale = try c.decodeIfPresent(Double.self, forKey: .smallerReadingScale) ?? d.smallerReadingScale
        latinLanguage = try c.decodeIfPresent(String.self, forKey: .latinLanguage) ?? d.latinLanguage
        guard smallerReadingScale > 0.2, smallerReadingScale <= 1 else {
            throw DecodingError.dataCorruptedError(
                forKey: .smallerReadingScale, in: c,
                debugDescription: "smallerReadingScale must be above 0.2 and at most 1, not \(smallerReadingScale)")
        }
    }

    /// Bumped when the engine reads a page differently with the same settings (outside the
    /// numbers pass, which has its own), so `reocr` knows which pages were read the old way.
    /// 2: a page Tesseract read as vertical lines is turned and read again; a line with an
    /// unread word among readable ones is read again alone; a full stop x-ordered before a
    /// number is written after it; numbers are placed by the Arabic words' symbols.
    /// 3: a line the layout missed that Tesseract reads as nothing is read again at 0.8×.
    /// 4: a page whose lines run across skips OSD (up or down is left to the reading).
    /// 5: a wide line read as a few unsure characters is read again alone; the contrast
    /// stretch's black point stays on the ink's side of the ink/paper midpoint.
    /// 6: a page read under `smallerReadingBelow` is read again smaller (the setting's own
    /// fingerprint part says so too).
    /// 7: a stated resolution that makes the page larger than 17.5 inches is ignored (read at
    /// `defaultDPI`, marked assumed), not upscaled to 300 dpi.
    /// 8: lines the layout missed are looked for in bands with any ink of text height (was 8 px
    /// a row: a short line in a thin font was passed over) and read with Tesseract's row noise
    /// filter off.
    static let revision = 8

    /// A compact, stable description stored with each page result.
    public var fingerprint: String {
        let variables = tesseractVariables.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        let orient = orientation == "osd" ? "osd\(orientationMinConfidence)/\(Int(orientationRetryBelow))"
            : orientation == "retry" ? "\(Int(orientationRetryBelow))" : "none"
        return "lang=\(language);psm=\(pageSegmentationMode);dpi=\(defaultDPI);orient=\(orient);\(preprocess.fingerprint);"
            + "\(numbers.fingerprint)\(variables.isEmpty ? "" : ";tess=" + variables)" + (recoverMissedLines ? ";missed" : "")
            + (layoutRetryBelow > 0 && pageSegmentationMode != 6 ? ";block\(Int(layoutRetryBelow))" : "")
            + (smallerReadingBelow > 0 && smallerReadingScale < 1 ? ";smaller\(Int(smallerReadingBelow))@\(smallerReadingScale)" : "")
            + (latinLanguage.isEmpty ? "" : ";latin=\(latinLanguage)")
            + ";r\(Self.revision)"
    }
}
