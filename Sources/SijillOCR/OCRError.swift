/// A failure to decode or recognise an image, or to start the OCR engine.
public struct OCRError: Error, Sendable, CustomStringConvertible {
    private enum Internal: Sendable {
        case notAnImage(String)
        case empty(String)
        case corrupt(String, String)
        case tooLarge(String, Int, Int, Int)
        case tooManyPages(String, Int, Int)
        case pageTooLarge(String, Int, Int, Int, Int)
        case engine(String)
        case settings(String, String)
        case pdfEncrypted(String)
        case pdfDamaged(String, String)
    }

    private let value: Internal

    /// The bytes are not in an image format we read (PNG, JPEG, TIFF, BMP, GIF, WebP, JPEG 2000, PNM).
    public static func notAnImage(_ name: String) -> Self { .init(value: .notAnImage(name)) }
    /// The file has no bytes at all.
    public static func empty(_ name: String) -> Self { .init(value: .empty(name)) }
    /// The image header was read but the image cannot be decoded (truncated or damaged).
    public static func corrupt(_ name: String, _ detail: String) -> Self { .init(value: .corrupt(name, detail)) }
    /// The image is larger than the configured pixel limit (decompression-bomb guard).
    public static func tooLarge(_ name: String, width: Int, height: Int, limit: Int) -> Self {
        .init(value: .tooLarge(name, width, height, limit))
    }
    /// A PDF page would render (or holds an image) larger than the pixel limit; checked before rendering.
    public static func pageTooLarge(_ name: String, page: Int, width: Int, height: Int, limit: Int) -> Self {
        .init(value: .pageTooLarge(name, page, width, height, limit))
    }
    /// A multi-page file holds more pages than the configured limit.
    public static func tooManyPages(_ name: String, pages: Int, limit: Int) -> Self { .init(value: .tooManyPages(name, pages, limit)) }
    /// A PDF that needs a password (an empty user password is tried and accepted).
    public static func pdfEncrypted(_ name: String) -> Self { .init(value: .pdfEncrypted(name)) }
    /// A PDF whose structure or pages cannot be read.
    public static func pdfDamaged(_ name: String, _ detail: String) -> Self { .init(value: .pdfDamaged(name, detail)) }
    /// Tesseract could not be started or failed.
    public static func engine(_ detail: String) -> Self { .init(value: .engine(detail)) }
    /// The OCR settings file is unusable.
    public static func settings(_ path: String, _ detail: String) -> Self { .init(value: .settings(path, detail)) }

    /// A short machine-friendly reason code for reports.
    public var code: String {
        switch value {
        case .notAnImage: "not-an-image"
        case .empty: "empty-file"
        case .corrupt: "corrupt-image"
        case .tooLarge, .pageTooLarge: "image-too-large"
        case .tooManyPages: "too-many-pages"
        case .engine: "ocr-engine"
        case .settings: "ocr-settings"
        case .pdfEncrypted: "pdf-encrypted"
        case .pdfDamaged: "pdf-damaged"
        }
    }

    public var description: String {
        switch value {
        case .notAnImage(let name):
            "\(name): not an image (expected PNG, JPEG, TIFF, BMP, GIF, WebP, JPEG 2000 or PNM)"
        case .empty(let name): "\(name): the file is empty (0 bytes)"
        case .corrupt(let name, let detail): "\(name): image is truncated or damaged (\(detail))"
        case .tooLarge(let name, let w, let h, let limit):
            "\(name): image is \(w)×\(h) pixels, over the limit of \(limit) pixels"
        case .pageTooLarge(let name, let page, let w, let h, let limit):
            "\(name): page \(page) would be \(w)×\(h) pixels, over the limit of \(limit) pixels; it was neither decoded nor rendered"
        case .tooManyPages(let name, let pages, let limit):
            "\(name): the file holds \(pages) pages, over the limit of \(limit) pages per file"
        case .engine(let detail): "OCR engine error: \(detail)"
        case .settings(let path, let detail): "OCR settings \(path): \(detail)"
        case .pdfEncrypted(let name):
            "\(name): the PDF is encrypted and needs a password; deliver it without a password (or with an empty one)"
        case .pdfDamaged(let name, let detail): "\(name): the PDF is damaged or truncated (\(detail)); deliver a new copy"
        }
    }
}
