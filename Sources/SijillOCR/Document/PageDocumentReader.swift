import CSijillPDFReader
import Foundation

/// Reads the pages of a delivered file through one path, whatever holds them: a single image,
/// a multi-page TIFF or a PDF. Limits are checked before anything is decoded or rendered: pages
/// per file, pixels per page (from headers, image dictionaries and page sizes).
///
/// ```swift
/// let reader = PageDocumentReader(maxPixels: 120_000_000, maxPages: 1_000)
/// let summary = try reader.forEachPage(data, name: "box/dossier.pdf") { page in … }
/// ```
public struct PageDocumentReader: Sendable {
    /// What was read, beside the pages.
    public struct Summary: Sendable, Hashable {
        /// `PDF`, `TIFF`, `PNG`, `JPEG`…
        public var format: String
        public var pageCount: Int
        /// Things an archivist should know (attachments not extracted, scripts never run, repairs).
        public var notes: [String]
    }

    public var maxPixels: Int
    public var maxPages: Int
    /// Resolution at which PDF pages that are not one image are rendered.
    public var renderDPI: Int

    public init(maxPixels: Int = 120_000_000, maxPages: Int = 1_000, renderDPI: Int = 300) {
        self.maxPixels = maxPixels
        self.maxPages = maxPages
        self.renderDPI = renderDPI
    }

    /// Whether `data` is a PDF (its header may follow up to 1 KiB of junk, as readers allow).
    public static func isPDF(_ data: Data) -> Bool {
        data.prefix(1024).range(of: Data("%PDF-".utf8)) != nil
    }

    /// Hands each page to `body`, one at a time, in order.
    @discardableResult
    public func forEachPage(_ data: Data, name: String, _ body: (DocumentPage) throws -> Void) throws -> Summary {
        if Self.isPDF(data) {
            return try data.withUnsafeBytes { raw in try readPDF(raw, name: name, body) }
        }
        let decoder = ImageDecoder(maxPixels: maxPixels, maxPages: maxPages)
        var summary = Summary(format: "image", pageCount: 0, notes: [])
        var number = 0
        try decoder.forEachPage(data, name: name) { image, info in
            number += 1
            summary = Summary(format: info.format, pageCount: info.pageCount, notes: [])
            // A single image is stored as it is; each page of a multi-page TIFF on its own, without loss.
            let encoded = info.pageCount == 1 ? nil : try image.losslessEncoding()
            try body(DocumentPage(
                number: number, count: info.pageCount, origin: info.pageCount == 1 ? .image : .tiffPage, encoded: encoded,
                dpi: nil, text: nil))
        }
        return summary
    }

    private func readPDF(_ raw: UnsafeRawBufferPointer, name: String, _ body: (DocumentPage) throws -> Void) throws -> Summary {
        let pdf = try PDFFile(bytes: raw, name: name)
        guard pdf.pageCount <= maxPages else { throw OCRError.tooManyPages(name, pages: pdf.pageCount, limit: maxPages) }
        let features = pdf.features
        var notes: [String] = []
        if !features.attachments.isEmpty {
            notes.append(
                "embedded file(s) not extracted: " + features.attachments.map { "'\($0)'" }.joined(separator: ", "))
        }
        if features.javascript { notes.append("holds JavaScript, which is never run") }
        if features.forms { notes.append("holds form fields, which are read as the page shows them, never run") }
        if let repair = features.repair { notes.append("structure repaired on reading: \(repair)") }
        var counts: [DocumentPage.Origin: Int] = [:]
        for index in 0..<pdf.pageCount {
            let page = try readPage(index, of: pdf)
            counts[page.origin, default: 0] += 1
            try body(page)
        }
        let described = DocumentPage.Origin.allCases.compactMap { origin -> String? in
            guard let n = counts[origin] else { return nil }
            switch origin {
            case .pdfJPEG: return "\(n) JPEG page(s) kept as they are"
            case .pdfPNG: return "\(n) Flate page(s) kept as PNG without re-compressing"
            case .pdfG4: return "\(n) CCITT G4 page(s) kept as G4 TIFF without re-coding"
            case .pdfImage: return "\(n) image page(s) decoded and stored without loss"
            case .pdfRender: return "\(n) page(s) rendered at \(renderDPI) dpi"
            default: return nil
            }
        }
        notes.insert("PDF of \(pdf.pageCount) page(s): " + described.joined(separator: ", "), at: 0)
        return Summary(format: "PDF", pageCount: pdf.pageCount, notes: notes)
    }

    private func readPage(_ index: Int, of pdf: PDFFile) throws -> DocumentPage {
        let info = try pdf.describe(page: index)
        let number = index + 1
        if info.largest_image_pixels > Double(maxPixels) {
            let side = Int(info.largest_image_pixels.squareRoot())
            throw OCRError.pageTooLarge(pdf.name, page: number, width: side, height: side, limit: maxPixels)
        }
        let hasText = info.text_characters > 0
        if info.full_page_image != 0, info.image_area_width > 0 {
            let known = info.image_width > 0 && info.image_height > 0
            if known, info.image_width * info.image_height > maxPixels {
                throw OCRError.pageTooLarge(
                    pdf.name, page: number, width: Int(info.image_width), height: Int(info.image_height), limit: maxPixels)
            }
            if known, info.image_is_jpeg != 0, let jpeg = pdf.jpeg(page: index) {
                let dpi = Self.resolution(pixels: Int(info.image_width), points: info.image_area_width)
                return DocumentPage(
                    number: number, count: pdf.pageCount, origin: .pdfJPEG, encoded: jpeg, dpi: dpi,
                    text: hasText ? embedded(.layer, pdf, index, scale: Double(dpi) / 72) : nil)
            }
            // Flate with PNG predictors and CCITT G4 are wrapped as PNG and TIFF without decoding.
            if known, info.image_is_png != 0 || info.image_is_g4 != 0 {
                let dpi = Self.resolution(pixels: Int(info.image_width), points: info.image_area_width)
                let wrapped = info.image_is_png != 0 ? pdf.png(page: index, dpi: dpi) : pdf.g4(page: index, dpi: dpi)
                if let wrapped {
                    // Checked like any image file before it is stored.
                    _ = try ImageDecoder(maxPixels: maxPixels).probe(wrapped, name: "\(pdf.name) page \(number)")
                    return DocumentPage(
                        number: number, count: pdf.pageCount, origin: info.image_is_png != 0 ? .pdfPNG : .pdfG4,
                        encoded: wrapped, dpi: dpi, text: hasText ? embedded(.layer, pdf, index, scale: Double(dpi) / 72) : nil)
                }
            }
            let image = try pdf.image(page: index)
            let dpi = Self.resolution(pixels: image.width, points: info.image_area_width)
            image.setResolution(dpi)
            return DocumentPage(
                number: number, count: pdf.pageCount, origin: .pdfImage, encoded: try image.losslessEncoding(), dpi: dpi,
                text: hasText ? embedded(.layer, pdf, index, scale: Double(image.width) / info.width_pt) : nil)
        }
        let scale = Double(renderDPI) / 72
        let width = Int((info.width_pt * scale).rounded(.up)), height = Int((info.height_pt * scale).rounded(.up))
        guard width > 0, height > 0 else { throw OCRError.pdfDamaged(pdf.name, "page \(number) has no size") }
        guard width * height <= maxPixels else {
            throw OCRError.pageTooLarge(pdf.name, page: number, width: width, height: height, limit: maxPixels)
        }
        let image = try pdf.render(page: index, dpi: Double(renderDPI))
        image.setResolution(renderDPI)
        return DocumentPage(
            number: number, count: pdf.pageCount, origin: .pdfRender, encoded: try image.losslessEncoding(), dpi: renderDPI,
            text: hasText ? embedded(.document, pdf, index, scale: scale) : nil)
    }

    private func embedded(_ kind: EmbeddedText.Kind, _ pdf: PDFFile, _ index: Int, scale: Double) -> EmbeddedText? {
        let text = EmbeddedText(kind: kind, tsv: pdf.words(page: index), scale: scale)
        return text.isEmpty ? nil : text
    }

    /// Pixels over points, as dots per inch, rounded to a whole number.
    static func resolution(pixels: Int, points: Double) -> Int {
        max(1, Int((Double(pixels) * 72 / points).rounded()))
    }
}
