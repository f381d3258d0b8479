import GRDB
import SijillCore

/// A finished OCR of one image with one set of settings; text and hOCR are stored objects.
public struct OCRRow: SQLRecord, Hashable, FetchableRecord, PersistableRecord {
    public static let table = "ocr_result"
    public static let key = ["image_id", "settings"]
    public static let databaseTableName = "ocr_result"
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    public var imageId: ContentID
    public var settings: String
    public var engine: String
    public var textId: ContentID
    public var hocrId: ContentID
    public var confidence: Double
    public var wordCount: Int
    public var lowConfWords: Int
    public var dpi: Int
    public var dpiAssumed: Bool
    public var createdAt: String
    /// The page reads too poorly to trust: flag it for re-scanning.
    public var needsRescan: Bool
    /// Clockwise degrees the page was turned to read it.
    public var rotation: Int
    /// Cleaning steps that ran before recognition, `; `-separated (empty: none).
    public var cleaning: String

    public init(
        imageId: ContentID, settings: String, engine: String, textId: ContentID, hocrId: ContentID,
        confidence: Double, wordCount: Int, lowConfWords: Int, dpi: Int, dpiAssumed: Bool, createdAt: String,
        needsRescan: Bool = false, rotation: Int = 0, cleaning: String = ""
    ) {
        self.imageId = imageId
        self.settings = settings
        self.engine = engine
        self.textId = textId
        self.hocrId = hocrId
        self.confidence = confidence
        self.wordCount = wordCount
        self.lowConfWords = lowConfWords
        self.dpi = dpi
        self.dpiAssumed = dpiAssumed
        self.createdAt = createdAt
        self.needsRescan = needsRescan
        self.rotation = rotation
        self.cleaning = cleaning
    }
}
