import Foundation

/// One page of a delivered file, as the one "document of pages" path reads it: the file itself
/// (a single image), a page of a multi-page TIFF, or a page of a PDF.
public struct DocumentPage {
    /// Where the stored page image came from.
    public enum Origin: String, Sendable, Codable, CaseIterable {
        /// The file is a single image and is stored as it is.
        case image
        /// A page of a multi-page TIFF, re-encoded without loss (G4 or PNG).
        case tiffPage = "tiff-page"
        /// A PDF page that is one JPEG image: the JPEG's bytes as the PDF holds them.
        case pdfJPEG = "pdf-jpeg"
        /// A PDF page that is one Flate image with PNG predictors: a PNG made of its stream as it
        /// is (nothing decoded or re-compressed).
        case pdfPNG = "pdf-png"
        /// A PDF page that is one CCITT Group 4 image: a G4 TIFF whose strip is its stream as it is.
        case pdfG4 = "pdf-g4"
        /// A PDF page that is one image in another encoding (CCITT, JBIG2, Flate, JPEG 2000…),
        /// decoded at its own size and stored without loss (G4 TIFF when bilevel, else PNG).
        case pdfImage = "pdf-image"
        /// Any other PDF page (vector text, several images, drawings), rendered at 300 dpi.
        case pdfRender = "pdf-render"

        /// Whether the page came from inside a PDF.
        public var isPDF: Bool { self == .pdfJPEG || self == .pdfPNG || self == .pdfG4 || self == .pdfImage || self == .pdfRender }
    }

    /// 1-based page number within the file, and the file's page count.
    public var number: Int
    public var count: Int
    public var origin: Origin
    /// The bytes to store as the page image; nil when the page is the file itself.
    public var encoded: Data?
    /// The page image's true resolution when the file says it apart from the image (a PDF: the
    /// image's pixels over its size on the page); nil when the image carries its own.
    public var dpi: Int?
    /// Text the file carries for this page (a scanner's text layer, or a born-digital page's text).
    public var text: EmbeddedText?
}

extension DocumentPage {
    /// The page image decoded (from `encoded`, or from `file` when the page is the file itself),
    /// at the resolution the document gives it.
    public func image(file: Data, name: String, decoder: ImageDecoder) throws -> PageImage {
        guard let page = try decoder.decode(encoded ?? file, name: "\(name) page \(number)").first else {
            throw OCRError.corrupt(name, "page \(number) has no image")
        }
        if let dpi { page.setResolution(dpi) }
        return page
    }

    /// Recognises the page with `engine`, or, for a born-digital PDF page, reads its own text.
    public func recognize(file: Data, name: String, engine: TesseractEngine, decoder: ImageDecoder) throws -> OCRResult {
        let image = try image(file: file, name: name, decoder: decoder)
        if let text, text.kind == .document {
            return text.ocrResult(width: image.width, height: image.height, dpi: dpi ?? 300, settings: engine.settings)
        }
        return try engine.recognize(image, pageNumber: number)
    }
}
