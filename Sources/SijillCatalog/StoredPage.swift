import GRDB
import SijillCore

/// One page of a record, with the IDs of its image, text and hOCR and its OCR quality.
public struct StoredPage: SQLRecord, Hashable, FetchableRecord, MutablePersistableRecord {
    public static let table = "page"
    public static let key = ["id"]
    public static let databaseTableName = "page"
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    public var id: Int64?
    public var recordId: ContentID
    /// 1-based position in the record.
    public var pageNo: Int
    /// The page image (for a multi-page TIFF, the frame re-encoded losslessly).
    public var imageId: ContentID
    /// The file as it was in the box (the whole TIFF for a frame).
    public var sourceId: ContentID
    /// Path of that file inside the box.
    public var source: String
    /// Frame index inside `source` (0 for single-image files).
    public var frame: Int
    public var textId: ContentID
    public var hocrId: ContentID
    /// Mean word confidence, 0–100.
    public var confidence: Double
    public var wordCount: Int
    public var lowConfWords: Int
    public var ocrEngine: String
    public var ocrSettings: String
    public var dpi: Int
    /// Whether `dpi` was assumed because the image carried none.
    public var dpiAssumed: Bool
    /// OCR quality is under the threshold: the page should be scanned again.
    public var needsRescan: Bool
    /// Clockwise degrees the page was turned to read it (scanned upside down or sideways).
    public var rotation: Int
    /// Cleaning steps that ran before recognition, `; `-separated, each with the measured figure
    /// that decided it (empty: the page was read as scanned).
    public var cleaning: String

    public init(
        recordId: ContentID, pageNo: Int, imageId: ContentID, sourceId: ContentID, source: String, frame: Int,
        ocr: OCRRow
    ) {
        self.recordId = recordId
        self.pageNo = pageNo
        self.imageId = imageId
        self.sourceId = sourceId
        self.source = source
        self.frame = frame
        self.textId = ocr.textId
        self.hocrId = ocr.hocrId
        self.confidence = ocr.confidence
        self.wordCount = ocr.wordCount
        self.lowConfWords = ocr.lowConfWords
        self.ocrEngine = ocr.engine
        self.ocrSettings = ocr.settings
        self.dpi = ocr.dpi
        self.dpiAssumed = ocr.dpiAssumed
        self.needsRescan = ocr.needsRescan
        self.rotation = ocr.rotation
        self.cleaning = ocr.cleaning
    }

    /// Takes the OCR fields of `ocr` (after a re-OCR or a re-scan).
    public mutating func apply(_ ocr: OCRRow) {
        textId = ocr.textId
        hocrId = ocr.hocrId
        confidence = ocr.confidence
        wordCount = ocr.wordCount
        lowConfWords = ocr.lowConfWords
        ocrEngine = ocr.engine
        ocrSettings = ocr.settings
        dpi = ocr.dpi
        dpiAssumed = ocr.dpiAssumed
        needsRescan = ocr.needsRescan
        rotation = ocr.rotation
        cleaning = ocr.cleaning
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
