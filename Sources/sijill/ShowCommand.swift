import ArgumentParser
import Foundation
import SijillCatalog
import SijillCore
import SijillOCR
import SijillIngest

struct ShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show a record: metadata, pages and their OCR confidence.")

    @Argument(help: "Record ID or a unique prefix of at least 12 hex digits.")
    var record: String

    @Flag(help: "Print as JSON.")
    var json = false

    @OptionGroup var home: HomeOptions

    func run() async throws {
        let found: (record: StoredRecord, pages: [StoredPage])
        let origins: [ContentID: ImageOrigin]
        let fields: TransactionFields
        do {
            let prefix = try IDPrefix(record)
            let archive = try home.archive(create: false)
            let id = try archive.catalog.resolveRecord(prefix)
            guard let r = try archive.catalog.record(id) else { throw SijillInputError.notFound(record, kind: "record") }
            found = r
            origins = try archive.catalog.imageOrigins(r.pages.map(\.imageId))
            fields = try archive.catalog.fields(of: id)
        } catch {
            throw ExitStatus.fail(error)
        }
        let (r, pages) = found
        if json {
            struct PageOut: Encodable {
                var page: Int, page_id: String, source_id: String, source: String, frame: Int
                var text_id: String, hocr_id: String, confidence: Double, words: Int, low_confidence_words: Int
                var dpi: Int, dpi_assumed: Bool, ocr_engine: String, ocr_settings: String
                var needs_rescan: Bool, rotation: Int
                /// Cleaning steps that ran before recognition, each with the figure that decided it.
                var cleaning: [String]
                /// `tesseract`, or `pdf-text` for a born-digital page indexed from its own text.
                var ocr_source: String
                /// How the page image was obtained (`image`, `tiff-page`, `pdf-jpeg`, `pdf-png`, `pdf-g4`, `pdf-image`, `pdf-render`).
                var image_origin: String
                /// Text the PDF carried for the page (JSON with word boxes), kept beside the OCR.
                var embedded_text_id: String?, embedded_text_kind: String?
            }
            struct Out: Encodable {
                var record: String, box: String, source: String, ingested_at: String
                var metadata: RecordMetadata
                var pages: [PageOut]
                /// Transaction fields read from the pages (references, dates, parties, amounts).
                var fields: TransactionFields
            }
            let out = Out(
                record: r.id.hex, box: r.box, source: r.source, ingested_at: r.ingestedAt, metadata: r.metadata,
                pages: pages.map {
                    PageOut(
                        page: $0.pageNo, page_id: $0.imageId.hex, source_id: $0.sourceId.hex, source: $0.source,
                        frame: $0.frame, text_id: $0.textId.hex, hocr_id: $0.hocrId.hex, confidence: $0.confidence,
                        words: $0.wordCount, low_confidence_words: $0.lowConfWords, dpi: $0.dpi,
                        dpi_assumed: $0.dpiAssumed, ocr_engine: $0.ocrEngine, ocr_settings: $0.ocrSettings,
                        needs_rescan: $0.needsRescan, rotation: $0.rotation,
                        cleaning: $0.cleaning.isEmpty ? [] : $0.cleaning.components(separatedBy: "; "),
                        ocr_source: $0.ocrEngine.hasPrefix(EmbeddedText.engineName) ? EmbeddedText.engineName : "tesseract",
                        image_origin: origins[$0.imageId]?.origin
                            ?? ($0.imageId == $0.sourceId ? DocumentPage.Origin.image : .tiffPage).rawValue,
                        embedded_text_id: origins[$0.imageId]?.textId?.hex, embedded_text_kind: origins[$0.imageId]?.textKind)
                }, fields: fields)
            try JSONOutput.print(out)
            return
        }
        print("record     \(r.id.hex)")
        print("box        \(r.box): \u{2068}\(r.source)\u{2069}")
        print("ingested   \(r.ingestedAt)")
        let m = r.metadata
        for (label, value) in [("series", m.series), ("agency", m.agency), ("date", m.date), ("title", m.title), ("reference", m.reference)] {
            if let value { print(label.padding(toLength: 11, withPad: " ", startingAt: 0) + "\u{2068}\(value)\u{2069}") }
        }
        for (key, value) in m.extra.sorted(by: { $0.key < $1.key }) {
            // (a long column name keeps its whole name: padding cuts at 11)
            print((key.count < 11 ? key.padding(toLength: 11, withPad: " ", startingAt: 0) : "\(key) ") + "\u{2068}\(value)\u{2069}")
        }
        if let main = fields.mainDate {
            print("main date  \(main.value)  \u{2068}\(ArabicCalendar.hijriText(main.value) ?? "")\u{2069}  (from page \(main.page): \u{2068}\(main.text)\u{2069})")
        }
        for field in fields.all where field.main != true {
            let what = [field.role, field.currency, field.calendar].compactMap { $0 }.joined(separator: ", ")
            print(field.kind.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0)
                + "\u{2068}\(field.value)\u{2069}" + (what.isEmpty ? "" : " (\(what))") + "  page \(field.page)")
        }
        print("pages      \(pages.count)")
        for p in pages {
            var dpi = p.dpiAssumed ? "\(p.dpi) dpi (assumed)" : "\(p.dpi) dpi"
            if p.rotation != 0 { dpi += ", turned \(p.rotation)°" }
            if p.needsRescan { dpi += ", NEEDS RE-SCAN" }
            if !p.cleaning.isEmpty { dpi += ", cleaned: \(p.cleaning)" }
            print(String(format: "  %3d  %@  conf %5.1f  words %4d (low %d)  %@  ", p.pageNo, p.imageId.short, p.confidence, p.wordCount, p.lowConfWords, dpi)
                + "\u{2068}\(p.source)\(p.frame > 0 || p.sourceId != p.imageId ? " #\(p.frame + 1)" : "")\u{2069}")
        }
    }
}
