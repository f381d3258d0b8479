import CLeptonica
import Foundation

/// Reads page images from bytes, with limits that keep a hostile file from exhausting memory.
///
/// ```swift
/// let decoder = ImageDecoder(maxPixels: 120_000_000)
/// let frames = try decoder.decode(data, name: "box/page-001.tif")  // one per TIFF page
/// ```
public struct ImageDecoder: Sendable {
    /// What the header says, read without decoding the pixels.
    public struct Info: Sendable, Hashable {
        public var format: String
        public var width: Int
        public var height: Int
        public var isTIFF: Bool
    }

    /// Largest accepted width × height (decompression-bomb guard).
    public var maxPixels: Int

    public init(maxPixels: Int = 120_000_000) {
        self.maxPixels = maxPixels
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
        return Info(format: formatName, width: Int(w), height: Int(h), isTIFF: isTIFF)
    }

    /// Decodes every page of `data` (several for a multi-page TIFF, else one).
    public func decode(_ data: Data, name: String) throws -> [PageImage] {
        let info = try probe(data, name: name)
        if info.isTIFF {
            let pixa: UnsafeMutablePointer<PIXA>? = data.withUnsafeBytes { raw in
                pixaReadMemMultipageTiff(raw.bindMemory(to: UInt8.self).baseAddress, data.count)
            }
            guard let pixa else { throw OCRError.corrupt(name, "TIFF cannot be decoded") }
            defer {
                var p: UnsafeMutablePointer<PIXA>? = pixa
                pixaDestroy(&p)
            }
            let count = Int(pixaGetCount(pixa))
            guard count > 0 else { throw OCRError.corrupt(name, "TIFF has no pages") }
            var pages: [PageImage] = []
            for i in 0..<count {
                guard let pix = pixaGetPix(pixa, Int32(i), Int32(L_COPY)) else {
                    throw OCRError.corrupt(name, "TIFF page \(i + 1) cannot be decoded")
                }
                let page = PageImage(owning: pix)
                guard page.width * page.height <= maxPixels else {
                    throw OCRError.tooLarge(name, width: page.width, height: page.height, limit: maxPixels)
                }
                pages.append(page)
            }
            return pages
        }
        let pix: UnsafeMutablePointer<PIX>? = data.withUnsafeBytes { raw in
            pixReadMem(raw.bindMemory(to: UInt8.self).baseAddress, data.count)
        }
        guard let pix else { throw OCRError.corrupt(name, "\(info.format) data cannot be decoded") }
        return [PageImage(owning: pix)]
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
