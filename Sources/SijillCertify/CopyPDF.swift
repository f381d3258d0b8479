import CLeptonica
import CSijillPDF
import Foundation
import SijillCore

/// The PDF of a certified copy, before signing: one page per scanned page at its scanned size
/// (pixels kept as stored), then the certification page (Arabic, laid out by Pango) with a QR
/// code of the verification URL.
public enum CopyPDF {
    public struct Page: Sendable {
        public var image: Data
        public var dpi: Double

        public init(image: Data, dpi: Double) {
            self.image = image
            self.dpi = dpi
        }
    }

    public struct Stamp: Sendable {
        public var title: String
        public var subtitle: String
        public var lines: [(label: String, value: String)]
        public var url: String
        public var footer: String

        public init(title: String, subtitle: String, lines: [(label: String, value: String)], url: String, footer: String) {
            self.title = title
            self.subtitle = subtitle
            self.lines = lines
            self.url = url
            self.footer = footer
        }
    }

    /// Any stored page image (PNG, TIFF, JPEG…) as PNG, pixels unchanged (Leptonica).
    static func png(_ image: Data) throws -> Data {
        let pix: UnsafeMutablePointer<PIX>? = image.withUnsafeBytes { raw in
            pixReadMem(raw.bindMemory(to: UInt8.self).baseAddress, image.count)
        }
        guard let pix else { throw SijillInputError.badOption("page", reason: "a page image could not be decoded") }
        defer {
            var owned: UnsafeMutablePointer<PIX>? = pix
            pixDestroy(&owned)
        }
        var bytes: UnsafeMutablePointer<UInt8>?
        var size = 0
        guard pixWriteMemPng(&bytes, &size, pix, 0) == 0, let bytes else {
            throw SijillInputError.badOption("page", reason: "a page image could not be converted")
        }
        defer { free(bytes) }
        return Data(bytes: bytes, count: size)
    }

    public static func render(pages: [Page], stamp: Stamp) throws -> Data {
        let pngs = try pages.map { try png($0.image) }
        var error = [CChar](repeating: 0, count: 256)
        var out: UnsafeMutablePointer<UInt8>?
        var size = 0
        let labels = stamp.lines.map { strdup($0.label) }, values = stamp.lines.map { strdup($0.value) }
        defer { (labels + values).forEach { free($0) } }
        let rc: Int32 = try withPointers(pngs) { buffers in
            var cPages = zip(buffers, pages).map { SijillPDFPage(png: $0.0.baseAddress, png_size: $0.0.count, dpi: $0.1.dpi) }
            return stamp.title.withCString { title in
                stamp.subtitle.withCString { subtitle in
                    stamp.url.withCString { url in
                        stamp.footer.withCString { footer in
                            labels.map { UnsafePointer($0) }.withUnsafeBufferPointer { l in
                                values.map { UnsafePointer($0) }.withUnsafeBufferPointer { v in
                                    var cStamp = SijillPDFStamp(
                                        title: title, subtitle: subtitle, labels: l.baseAddress, values: v.baseAddress,
                                        lines: stamp.lines.count, url: url, footer: footer)
                                    return sijill_pdf_render(&cPages, cPages.count, &cStamp, &out, &size, &error, error.count)
                                }
                            }
                        }
                    }
                }
            }
        }
        guard rc == 0, let out else {
            throw SijillInputError.badOption("copy", reason: String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        defer { sijill_pdf_free(out) }
        return Data(bytes: out, count: size)
    }

    private static func withPointers<R>(_ datas: [Data], _ body: ([UnsafeBufferPointer<UInt8>]) throws -> R) throws -> R {
        var buffers: [UnsafeBufferPointer<UInt8>] = []
        func nest(_ i: Int) throws -> R {
            guard i < datas.count else { return try body(buffers) }
            return try datas[i].withUnsafeBytes { raw in
                buffers.append(raw.bindMemory(to: UInt8.self))
                return try nest(i + 1)
            }
        }
        return try nest(0)
    }
}
