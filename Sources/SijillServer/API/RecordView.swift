import Foundation
import SijillCatalog
import SijillCore
import SijillRetention

/// `GET /v1/records/{id}`: a record's metadata and pages (no page content).
struct RecordView: Encodable {
    struct Page: Encodable {
        var page: Int
        var image_id: String
        var source_id: String
        var text_id: String
        var hocr_id: String
        var source: String
        var confidence: Double
        var word_count: Int
        var needs_rescan: Bool
        var rotation: Int
        /// Cleaning steps that ran before recognition (`deskew 2.10°`, `upscale 150→300 dpi`).
        var cleaning: [String]
        var dpi: Int
        var image_url: String
        var text_url: String
        var hocr_url: String
        /// `tesseract`, or `pdf-text` for a born-digital PDF page indexed from its own text.
        var ocr_source: String
        /// How the page image was obtained (`image`, `tiff-page`, `pdf-jpeg`, `pdf-png`, `pdf-g4`, `pdf-image`, `pdf-render`).
        var image_origin: String
    }

    var id: String
    var manifest_id: String
    var title: String?
    var reference: String?
    var series: String?
    var agency: String?
    var date: String?
    var box: String
    var source: String
    var ingested_at: String
    var page_count: Int
    var extra: [String: String]
    var pages: [Page]
    /// Where the record stands (null when the server runs without retention schedules).
    var retention: RetentionView?
    /// Transaction fields read from the pages: references, dates (Gregorian ISO, with the
    /// calendar they were written in), parties and amounts, each with its page and confidence.
    var fields: TransactionFields?

    struct RetentionView: Encodable {
        var state: String
        var series: String?
        var action: String?
        var due_date: String?
        var authority: String?
        var holds: [Int64]
    }

    init(_ record: StoredRecord, pages: [StoredPage], origins: [ContentID: ImageOrigin] = [:]) {
        id = record.id.hex
        manifest_id = record.manifestId.hex
        title = record.title
        reference = record.reference
        series = record.series
        agency = record.agency
        date = record.date
        box = record.box
        source = record.source
        ingested_at = record.ingestedAt
        page_count = record.pageCount
        extra = record.metadata.extra
        self.pages = pages.map { p in
            Page(
                page: p.pageNo, image_id: p.imageId.hex, source_id: p.sourceId.hex, text_id: p.textId.hex,
                hocr_id: p.hocrId.hex, source: p.source, confidence: p.confidence, word_count: p.wordCount,
                needs_rescan: p.needsRescan, rotation: p.rotation,
                cleaning: p.cleaning.isEmpty ? [] : p.cleaning.components(separatedBy: "; "), dpi: p.dpi,
                image_url: "/v1/objects/\(p.imageId.hex)",
                text_url: "/v1/records/\(record.id.hex)/pages/\(p.pageNo)/text",
                hocr_url: "/v1/records/\(record.id.hex)/pages/\(p.pageNo)/hocr",
                ocr_source: p.ocrEngine.hasPrefix("pdf-text") ? "pdf-text" : "tesseract",
                image_origin: origins[p.imageId]?.origin ?? (p.imageId == p.sourceId ? "image" : "tiff-page"))
        }
        retention = nil
    }

    mutating func setRetention(_ line: RetentionReport.Line) {
        retention = RetentionView(
            state: line.state.rawValue, series: line.series, action: line.action, due_date: line.dueDate,
            authority: line.authority, holds: line.holds)
    }
}

/// `GET /v1/search`: the fields of `sijill search --json`, plus the cursor of the next page.
struct SearchView: Encodable {
    var query: String
    var count: Int
    var results: [RecordResult]
    var hits: [SearchHit]
    var next_cursor: String?
}
