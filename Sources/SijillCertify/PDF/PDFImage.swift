import CLeptonica
import Foundation
import SijillCore

/// A stored page image as a PDF image XObject. JPEG (gray or RGB) and single-strip CCITT G4
/// TIFF are embedded as they are stored (DCTDecode, CCITTFaxDecode: no re-compression); a
/// non-interlaced PNG without alpha keeps its compressed data (FlateDecode with the PNG
/// predictors); anything else is decoded by Leptonica and compressed losslessly.
struct PDFImage {
    var width: Int
    var height: Int
    /// The image dictionary without `/Length` (type, size, colour space, filter).
    var dictionary: String
    var bytes: Data
    /// How it was embedded: `jpeg`, `g4`, `png` (kept) or `flate` (decoded, recompressed).
    var embedding: String

    static func make(_ image: Data) throws -> PDFImage {
        if let jpeg = jpeg(image) { return jpeg }
        if let g4 = g4(image) { return g4 }
        if let png = png(image) { return png }
        return try decoded(image)
    }

    private static func dictionary(_ width: Int, _ height: Int, _ rest: String) -> String {
        "/Type /XObject /Subtype /Image /Width \(width) /Height \(height) " + rest
    }

    /// Baseline or progressive JPEG with 1 or 3 components (CMYK JPEGs are decoded: an sRGB
    /// OutputIntent does not cover DeviceCMYK).
    static func jpeg(_ data: Data) -> PDFImage? {
        let b = [UInt8](data)
        guard b.count > 4, b[0] == 0xFF, b[1] == 0xD8 else { return nil }
        var i = 2
        while i + 9 < b.count {
            guard b[i] == 0xFF else { return nil }
            let marker = b[i + 1]
            if marker == 0xFF { i += 1; continue }
            if marker == 0xD8 || (0xD0...0xD7).contains(marker) || marker == 0x01 { i += 2; continue }
            let length = Int(b[i + 2]) << 8 | Int(b[i + 3])
            // Start of frame (not DHT 0xC4, JPG 0xC8, DAC 0xCC).
            if (0xC0...0xCF).contains(marker), ![0xC4, 0xC8, 0xCC].contains(marker) {
                let bits = Int(b[i + 4])
                let height = Int(b[i + 5]) << 8 | Int(b[i + 6])
                let width = Int(b[i + 7]) << 8 | Int(b[i + 8])
                let components = Int(b[i + 9])
                // Lossless and arithmetic-coded JPEGs are not read by every PDF reader.
                guard bits == 8, [0xC0, 0xC1, 0xC2].contains(marker), width > 0, height > 0,
                    components == 1 || components == 3
                else { return nil }
                let space = components == 1 ? "/DeviceGray" : "/DeviceRGB"
                return PDFImage(
                    width: width, height: height,
                    dictionary: dictionary(width, height, "/ColorSpace \(space) /BitsPerComponent 8 /Filter /DCTDecode"),
                    bytes: data, embedding: "jpeg")
            }
            i += 2 + length
        }
        return nil
    }

    /// A single-image TIFF, 1 bit, CCITT Group 4, one strip: the strip is the G4 stream.
    static func g4(_ data: Data) -> PDFImage? {
        let b = [UInt8](data)
        guard b.count > 8 else { return nil }
        let little: Bool
        switch (b[0], b[1]) {
        case (0x49, 0x49): little = true
        case (0x4D, 0x4D): little = false
        default: return nil
        }
        func u16(_ at: Int) -> Int? {
            guard at + 2 <= b.count else { return nil }
            return little ? Int(b[at]) | Int(b[at + 1]) << 8 : Int(b[at]) << 8 | Int(b[at + 1])
        }
        func u32(_ at: Int) -> Int? {
            guard at + 4 <= b.count else { return nil }
            let v = little
                ? Int(b[at]) | Int(b[at + 1]) << 8 | Int(b[at + 2]) << 16 | Int(b[at + 3]) << 24
                : Int(b[at]) << 24 | Int(b[at + 1]) << 16 | Int(b[at + 2]) << 8 | Int(b[at + 3])
            return v
        }
        guard u16(2) == 42, let ifd = u32(4), let count = u16(ifd) else { return nil }
        var tags: [Int: [Int]] = [:]
        for n in 0..<count {
            let entry = ifd + 2 + 12 * n
            guard let tag = u16(entry), let type = u16(entry + 2), let values = u32(entry + 4) else { return nil }
            let size = type == 3 ? 2 : type == 4 ? 4 : 0
            guard size > 0, values >= 1, values < 1 << 20 else { continue }
            let start = size * values <= 4 ? entry + 8 : (u32(entry + 8) ?? -1)
            guard start >= 0 else { return nil }
            var list: [Int] = []
            for k in 0..<values {
                guard let v = size == 2 ? u16(start + 2 * k) : u32(start + 4 * k) else { return nil }
                list.append(v)
            }
            tags[tag] = list
        }
        guard u32(ifd + 2 + 12 * count) == 0,  // one image
            tags[259]?.first == 4, (tags[258]?.first ?? 1) == 1, (tags[277]?.first ?? 1) == 1,
            (tags[266]?.first ?? 1) == 1, (tags[293]?.first ?? 0) & 1 == 0,
            let width = tags[256]?.first, let height = tags[257]?.first, width > 0, height > 0,
            let offsets = tags[273], let counts = tags[279], offsets.count == 1, counts.count == 1,
            offsets[0] + counts[0] <= b.count
        else { return nil }
        let photometric = tags[262]?.first ?? 0
        guard photometric == 0 || photometric == 1 else { return nil }
        let strip = data.subdata(in: data.startIndex + offsets[0]..<data.startIndex + offsets[0] + counts[0])
        // The code's "white" runs are pixel value 0, white under WhiteIsZero (0) and black
        // under BlackIsZero (1); the filter's output is white for them, so the latter is inverted.
        let decode = photometric == 1 ? " /Decode [1 0]" : ""
        return PDFImage(
            width: width, height: height,
            dictionary: dictionary(
                width, height,
                "/ColorSpace /DeviceGray /BitsPerComponent 1\(decode) /Filter /CCITTFaxDecode /DecodeParms << /K -1 /Columns \(width) /Rows \(height) >>"),
            bytes: strip, embedding: "g4")
    }

    /// A non-interlaced PNG, gray, RGB or palette, without transparency: its zlib data kept.
    static func png(_ data: Data) -> PDFImage? {
        let b = [UInt8](data)
        guard b.count > 33, b.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) else { return nil }
        func u32(_ at: Int) -> Int { Int(b[at]) << 24 | Int(b[at + 1]) << 16 | Int(b[at + 2]) << 8 | Int(b[at + 3]) }
        var i = 8
        var width = 0, height = 0, depth = 0, colorType = -1
        var palette: [UInt8] = []
        var idat = Data()
        while i + 8 <= b.count {
            let length = u32(i)
            let type = String(decoding: b[(i + 4)..<(i + 8)], as: UTF8.self)
            guard i + 12 + length <= b.count else { return nil }
            let body = (i + 8)..<(i + 8 + length)
            switch type {
            case "IHDR":
                guard length == 13 else { return nil }
                width = u32(i + 8)
                height = u32(i + 12)
                depth = Int(b[i + 16])
                colorType = Int(b[i + 17])
                guard b[i + 20] == 0 else { return nil }  // interlaced
            case "PLTE": palette = Array(b[body])
            case "tRNS": return nil
            case "IDAT": idat.append(contentsOf: b[body])
            case "IEND": i = b.count
            default: break
            }
            i += 12 + length
        }
        guard width > 0, height > 0, !idat.isEmpty else { return nil }
        let colors: Int
        let space: String
        switch colorType {
        case 0:
            colors = 1
            space = "/DeviceGray"
        case 2:
            colors = 3
            space = "/DeviceRGB"
        case 3:
            guard !palette.isEmpty, palette.count % 3 == 0 else { return nil }
            colors = 1
            space = "[/Indexed /DeviceRGB \(palette.count / 3 - 1) <\(palette.map { String(format: "%02X", $0) }.joined())>]"
        default: return nil
        }
        guard [1, 2, 4, 8, 16].contains(depth) else { return nil }
        return PDFImage(
            width: width, height: height,
            dictionary: dictionary(
                width, height,
                "/ColorSpace \(space) /BitsPerComponent \(depth) /Filter /FlateDecode /DecodeParms << /Predictor 15 /Colors \(colors) /BitsPerComponent \(depth) /Columns \(width) >>"),
            bytes: idat, embedding: "png")
    }

    /// Any image Leptonica reads: 1-bit, 8-bit gray or RGB samples, zlib-compressed.
    static func decoded(_ data: Data) throws -> PDFImage {
        let read: UnsafeMutablePointer<PIX>? = data.withUnsafeBytes { raw in
            pixReadMem(raw.bindMemory(to: UInt8.self).baseAddress, raw.count)
        }
        guard var pix = read else { throw SijillInputError.badOption("page", reason: "a page image could not be decoded") }
        defer {
            var owned: UnsafeMutablePointer<PIX>? = pix
            pixDestroy(&owned)
        }
        if pixGetColormap(pix) != nil || ![1, 8, 32].contains(pixGetDepth(pix)) {
            let converted = pixGetColormap(pix) != nil
                ? pixRemoveColormap(pix, Int32(REMOVE_CMAP_BASED_ON_SRC)) : pixConvertTo32(pix)
            guard let converted else { throw SijillInputError.badOption("page", reason: "a page image could not be converted") }
            var old: UnsafeMutablePointer<PIX>? = pix
            pixDestroy(&old)
            pix = converted
            if ![1, 8, 32].contains(pixGetDepth(pix)), let rgb = pixConvertTo32(pix) {
                var older: UnsafeMutablePointer<PIX>? = pix
                pixDestroy(&older)
                pix = rgb
            }
        }
        let width = Int(pixGetWidth(pix)), height = Int(pixGetHeight(pix)), depth = Int(pixGetDepth(pix))
        let wpl = Int(pixGetWpl(pix))
        guard let words = pixGetData(pix) else { throw SijillInputError.badOption("page", reason: "a page image has no pixels") }
        var samples = Data()
        let rowBytes = depth == 1 ? (width + 7) / 8 : depth == 8 ? width : width * 3
        samples.reserveCapacity(rowBytes * height)
        for y in 0..<height {
            let line = words + y * wpl
            var row = [UInt8](repeating: 0, count: rowBytes)
            switch depth {
            case 1, 8:
                // Leptonica keeps bytes big-endian within each 32-bit word.
                for x in 0..<rowBytes {
                    let word = line[x / 4]
                    row[x] = UInt8((word >> UInt32(24 - 8 * (x % 4))) & 0xFF)
                }
            default:
                for x in 0..<width {
                    let p = line[x]
                    row[3 * x] = UInt8((p >> 24) & 0xFF)
                    row[3 * x + 1] = UInt8((p >> 16) & 0xFF)
                    row[3 * x + 2] = UInt8((p >> 8) & 0xFF)
                }
            }
            samples.append(contentsOf: row)
        }
        // Leptonica's 1-bit pixels are 1 for black; DeviceGray's are 0 for black.
        let space = depth == 1 ? "/DeviceGray /BitsPerComponent 1 /Decode [1 0]"
            : depth == 8 ? "/DeviceGray /BitsPerComponent 8" : "/DeviceRGB /BitsPerComponent 8"
        return PDFImage(
            width: width, height: height,
            dictionary: dictionary(width, height, "/ColorSpace \(space) /Filter /FlateDecode"),
            bytes: PDFWriter.deflate(samples), embedding: "flate")
    }
}
