import GRDB
import SijillCore

/// Where a stored page image came from, when the file it was read from says more than the
/// image does: a page of a PDF, with its true resolution and the text the PDF carries for it.
/// Recorded before recognition, which reads it (resolution; born-digital pages are indexed from
/// their own text).
public struct ImageOrigin: SQLRecord, Hashable, FetchableRecord, PersistableRecord {
    public static let table = "image_origin"
    public static let key = ["image_id"]
    public static let databaseTableName = "image_origin"
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    public var imageId: ContentID
    /// `pdf-jpeg`, `pdf-png`, `pdf-g4`, `pdf-image` or `pdf-render` (see `DocumentPage.Origin`).
    public var origin: String
    /// The image's resolution as the file gives it.
    public var dpi: Int?
    /// The stored text the file carries for the page (JSON, `EmbeddedText`), and its kind:
    /// `layer` (over a scan; kept beside the OCR) or `document` (born-digital; indexed).
    public var textId: ContentID?
    public var textKind: String?

    public init(imageId: ContentID, origin: String, dpi: Int?, textId: ContentID?, textKind: String?) {
        self.imageId = imageId
        self.origin = origin
        self.dpi = dpi
        self.textId = textId
        self.textKind = textKind
    }
}

extension Catalog {
    /// Records where a page image came from (replacing what was recorded for the same image).
    public func saveImageOrigin(_ origin: ImageOrigin) throws {
        try database.write { db in try db.save(origin) }
    }

    /// Where `image` came from, when it was read out of a document.
    public func imageOrigin(_ image: ContentID) throws -> ImageOrigin? {
        try database.read { db in try db.find(ImageOrigin.self, key: [image]) }
    }

    /// Origins of several images at once (for a record's pages).
    public func imageOrigins(_ images: [ContentID]) throws -> [ContentID: ImageOrigin] {
        try database.read { db in
            var rows: [ImageOrigin] = []
            for image in images { if let row = try db.find(ImageOrigin.self, key: [image]) { rows.append(row) } }
            return Dictionary(rows.map { ($0.imageId, $0) }, uniquingKeysWith: { a, _ in a })
        }
    }
}
