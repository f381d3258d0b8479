import CLeptonica
import Foundation

/// Reads page images from bytes, with limits that keep a hostile file from exhausting memory:
/// pixels per page are checked from the header before decoding, pages of a multi-page TIFF are
/// counted before any is decoded and then decoded one at a time.
///
/// ```swift
/// let decoder = ImageDecoder(maxPixels: 120_000_000)
/// try decoder.forEachPage(data, name: "box/page-001.tif") { page, info in … }  // one per TIFF page
/// ```
public struct ImageDecoder: Sendable {
    /// What the header says, read without decoding the pixels.
    public struct Info: Sendable, Hashable {
        public var format: String
        public var width: Int
        public var height: Int
        public var isTIFF: Bool
        /// Pages in the file (a TIFF can hold many; other formats one).
        public var pageCount: Int
    }

    /// Largest accepted width × height of a page (decompression-bomb guard).
    public var maxPixels: Int
    /// Most pages in one file (a multi-page TIFF of blank 100-megapixel pages is a few hundred
    /// bytes per page).
    public var maxPages: Int

    public init(maxPixels: Int = 120_000_000, maxPages: Int = 1_000) {
        self.maxPixels = maxPixels
        self.maxPages = maxPages
        ImageDecoder.silenceLeptonica()
    }

    /// Reads the image header of `data`; throws ``OCRError`` naming `name` when it is not an
    /// image or is over the pixel limit.
    public func probe(_ data: Data, name: String) throws -> Info {
        guard !data.isEmpty else { throw OCRError.empty(name) }
        guard data.count >= 8 else { throw OCRError.notAnImage(name) }
        var format: Int32 = 0, w: Int32 = 0, h: Int32 = 0, bps: Int32 = 0, spp: Int32 = 0, cmap: Int32 = 0
        let status = data.withUnsafeBytes { raw in
            findFileFormatBuffer(raw.bindMemory(to: UInt8.self).baseAddress, &format)
        }
        guard status == 0, let formatName = ImageDecoder.formatNames[Int(format)] else {
            throw OCRError.notAnImage(name)
        }
        let header = data.withUnsafeBytes { raw in
            pixReadHeaderMem(raw.bindMemory(to: UInt8.self).baseAddress, data.count, &format, &w, &h, &bps, &spp, &cmap)
        }
        guard header == 0, w > 0, h > 0 else {
            throw OCRError.corrupt(name, "unreadable \(formatName) header")
        }
        let pixels = Int(w) * Int(h)
        guard pixels <= maxPixels else {
            throw OCRError.tooLarge(name, width: Int(w), height: Int(h), limit: maxPixels)
        }
        let isTIFF = (4...10).contains(Int(format)) || format == 17
        var pageCount = 1
        if isTIFF {
            pageCount = ImageDecoder.tiffPageCount(data)
            guard pageCount > 0 else { throw OCRError.corrupt(name, "TIFF has no readable pages") }
            guard pageCount <= maxPages else { throw OCRError.tooManyPages(name, pages: pageCount, limit: maxPages) }
        }
        return Info(format: formatName, width: Int(w), height: Int(h), isTIFF: isTIFF, pageCount: pageCount)
    }

    /// Decodes the pages of `data` one at a time (several for a multi-page TIFF, else one) and
    /// hands each to `body` with what the header said (`pageCount` among it); only one decoded
    /// page is held at a time.
    public func forEachPage(_ data: Data, name: String, _ body: (PageImage, Info) throws -> Void) throws {
        let info = try probe(data, name: name)
        guard info.isTIFF else {
            let pix: UnsafeMutablePointer<PIX>? = data.withUnsafeBytes { raw in
                pixReadMem(raw.bindMemory(to: UInt8.self).baseAddress, data.count)
            }
            guard let pix else { throw OCRError.corrupt(name, "\(info.format) data cannot be decoded") }
            try body(PageImage(owning: pix), info)
            return
        }
        var offset = 0
        for i in 0..<info.pageCount {
            let pix: UnsafeMutablePointer<PIX>? = data.withUnsafeBytes { raw in
                pixReadMemFromMultipageTiff(raw.bindMemory(to: UInt8.self).baseAddress, data.count, &offset)
            }
            guard let pix else { throw OCRError.corrupt(name, "TIFF page \(i + 1) cannot be decoded") }
            let page = PageImage(owning: pix)
            guard page.width * page.height <= maxPixels else {
                throw OCRError.tooLarge(name, width: page.width, height: page.height, limit: maxPixels)
            }
            try body(page, info)
            if offset == 0 { break }
        }
    }

    /// Every page of `data`, decoded (for callers that need them together: a single image, a short TIFF).
    public func decode(_ data: Data, name: String) throws -> [PageImage] {
        var pages: [PageImage] = []
        try forEachPage(data, name: name) { page, _ in pages.append(page) }
        return pages
    }

    /// Counts a TIFF's pages by walking its directories, without decoding any.
    static func tiffPageCount(_ data: Data) -> Int {
        data.withUnsafeBytes { raw -> Int in
            // Opened read-only: fmemopen's pointer is not written through.
            guard let base = raw.baseAddress, let file = fmemopen(UnsafeMutableRawPointer(mutating: base), raw.count, "rb")
            else { return 0 }
            defer { fclose(file) }
            var n: Int32 = 0
            return tiffGetCount(file, &n) == 0 ? Int(n) : 0
        }
    }

    static let formatNames: [Int: String] = [
        1: "BMP", 2: "JPEG", 3: "PNG", 4: "TIFF", 5: "TIFF", 6: "TIFF", 7: "TIFF", 8: "TIFF", 9: "TIFF",
        10: "TIFF", 11: "PNM", 13: "GIF", 14: "JPEG 2000", 15: "WebP", 17: "TIFF",
    ]

    /// Leptonica prints its own errors to stderr; ours are reported with the entry's name instead.
    static func silenceLeptonica() {
        _ = ImageDecoder.silenced
    }

    private static let silenced: Bool = {
        setMsgSeverity(Int32(L_SEVERITY_NONE))
        return true
    }()
}
