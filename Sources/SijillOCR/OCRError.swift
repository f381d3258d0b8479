/// A failure to decode or recognise an image, or to start the OCR engine.
public struct OCRError: Error, Sendable, CustomStringConvertible {
    private enum Internal: Sendable {
        case notAnImage(String)
        case empty(String)
        case corrupt(String, String)
        case tooLarge(String, Int, Int, Int)
        case tooManyPages(String, Int, Int)
        case engine(String)
        case settings(String, String)
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
    /// A multi-page file holds more pages than the configured limit.
    public static func tooManyPages(_ name: String, pages: Int, limit: Int) -> Self { .init(value: .tooManyPages(name, pages, limit)) }
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
        case .tooLarge: "image-too-large"
        case .tooManyPages: "too-many-pages"
        case .engine: "ocr-engine"
        case .settings: "ocr-settings"
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
        case .tooManyPages(let name, let pages, let limit):
            "\(name): the file holds \(pages) pages, over the limit of \(limit) pages per file"
        case .engine(let detail): "OCR engine error: \(detail)"
        case .settings(let path, let detail): "OCR settings \(path): \(detail)"
        }
    }
}
