import CLeptonica
import CSijillPDFReader
import Foundation

/// A PDF held in memory, read page by page (poppler for pages, text and rendering; qpdf for the
/// JPEG bytes of an image stream). Nothing in it is run or extracted: scripts, forms and
/// attachments are only reported.
final class PDFFile {
    /// What the file carries beside its pages.
    struct Features {
        var javascript: Bool
        var forms: Bool
        var attachments: [String]
        var repair: String?
    }

    private let handle: OpaquePointer
    let name: String
    let pageCount: Int

    /// `bytes` must stay valid while the file is used (poppler and qpdf read it in place).
    init(bytes: UnsafeRawBufferPointer, name: String) throws {
        var handle: OpaquePointer?
        var message = [CChar](repeating: 0, count: 512)
        let status = sj_pdf_open(bytes.bindMemory(to: UInt8.self).baseAddress, bytes.count, &handle, &message, message.count)
        let reason = String(cString: message)
        switch status {
        case Int32(SJ_PDF_OK): break
        case Int32(SJ_PDF_ENCRYPTED): throw OCRError.pdfEncrypted(name)
        default: throw OCRError.pdfDamaged(name, reason.isEmpty ? "unreadable" : reason)
        }
        self.handle = handle!
        self.name = name
        self.pageCount = Int(sj_pdf_page_count(handle))
    }

    deinit { sj_pdf_close(handle) }

    var features: Features {
        var f = sj_pdf_features()
        sj_pdf_get_features(handle, &f)
        let names = withUnsafeBytes(of: &f.attachment_names) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let repair = withUnsafeBytes(of: &f.repair_message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        var attachments = names.split(separator: "\n").map(String.init)
        if attachments.count < Int(f.attachments) {
            attachments.append("… \(Int(f.attachments) - attachments.count) more")
        }
        return Features(
            javascript: f.javascript != 0, forms: f.forms != 0, attachments: Int(f.attachments) > 0 ? attachments : [],
            repair: f.repaired != 0 ? repair : nil)
    }

    func describe(page index: Int) throws -> sj_pdf_page {
        var info = sj_pdf_page()
        guard sj_pdf_describe_page(handle, Int32(index), &info) == 0 else {
            throw OCRError.pdfDamaged(name, "page \(index + 1) cannot be read")
        }
        return info
    }

    /// The page's JPEG as the PDF holds it, or nil when it is not one plain JPEG.
    func jpeg(page index: Int) -> Data? {
        var bytes: UnsafeMutablePointer<UInt8>?
        var length = 0
        guard sj_pdf_page_jpeg(handle, Int32(index), &bytes, &length) == 0, let bytes else { return nil }
        return Data(bytesNoCopy: bytes, count: length, deallocator: .free)
    }

    /// The page's Flate image as a PNG file made from its stream as it is, or nil when it is not one.
    func png(page index: Int, dpi: Int) -> Data? {
        var bytes: UnsafeMutablePointer<UInt8>?
        var length = 0
        guard sj_pdf_page_png(handle, Int32(index), Int32(dpi), &bytes, &length) == 0, let bytes else { return nil }
        return Data(bytesNoCopy: bytes, count: length, deallocator: .free)
    }

    /// The page's G4 image as a one-strip G4 TIFF made from its stream as it is, or nil.
    func g4(page index: Int, dpi: Int) -> Data? {
        var bytes: UnsafeMutablePointer<UInt8>?
        var length = 0
        guard sj_pdf_page_g4(handle, Int32(index), Int32(dpi), &bytes, &length) == 0, let bytes else { return nil }
        return Data(bytesNoCopy: bytes, count: length, deallocator: .free)
    }

    /// The page's one image decoded at its own size.
    func image(page index: Int) throws -> PageImage {
        var raster = sj_raster()
        guard sj_pdf_page_image(handle, Int32(index), &raster) == 0 else {
            throw OCRError.pdfDamaged(name, "the image on page \(index + 1) cannot be decoded")
        }
        defer { sj_raster_free(&raster) }
        return try PageImage(raster: raster, name: "\(name) page \(index + 1)")
    }

    /// The page rendered at `dpi`.
    func render(page index: Int, dpi: Double) throws -> PageImage {
        var raster = sj_raster()
        guard sj_pdf_page_render(handle, Int32(index), dpi, &raster) == 0 else {
            throw OCRError.pdfDamaged(name, "page \(index + 1) cannot be rendered")
        }
        defer { sj_raster_free(&raster) }
        return try PageImage(raster: raster, name: "\(name) page \(index + 1)")
    }

    /// The page's words in reading order (boxes in points from the top left).
    func words(page index: Int) -> String {
        var tsv: UnsafeMutablePointer<CChar>?
        guard sj_pdf_page_words(handle, Int32(index), &tsv) == 0, let tsv else { return "" }
        defer { free(tsv) }
        return String(cString: tsv)
    }
}

extension PageImage {
    /// A page image from a decoded raster (grey or RGB, 8 bits): 1 bit deep when every pixel is
    /// black or white, else 8-bit grey or 32-bit RGB, written straight into Leptonica's
    /// word-packed rows.
    convenience init(raster: sj_raster, name: String) throws {
        let width = Int(raster.width), height = Int(raster.height), channels = Int(raster.channels)
        guard width > 0, height > 0, channels == 1 || channels == 3, let pixels = raster.pixels else {
            throw OCRError.corrupt(name, "empty image")
        }
        let depth: Int32 = raster.bilevel != 0 ? 1 : channels == 1 ? 8 : 32
        guard let pix = pixCreate(Int32(width), Int32(height), depth), let data = pixGetData(pix) else {
            throw OCRError.corrupt(name, "cannot hold a \(width)×\(height) image")
        }
        let wpl = Int(pixGetWpl(pix))
        for y in 0..<height {
            let src = pixels + y * width * channels
            let row = data + y * wpl
            switch depth {
            case 1:
                // 1 is black; bits fill each 32-bit word from its most significant end.
                for x in 0..<width where src[x] < 128 {
                    row[x >> 5] |= UInt32(0x8000_0000) >> UInt32(x & 31)
                }
            case 8:
                // Bytes sit in each word from its most significant end (big-endian order).
                for x in 0..<width {
                    row[x >> 2] |= UInt32(src[x]) << UInt32(24 - 8 * (x & 3))
                }
            default:
                for x in 0..<width {
                    let p = src + 3 * x
                    row[x] = UInt32(p[0]) << 24 | UInt32(p[1]) << 16 | UInt32(p[2]) << 8
                }
            }
        }
        self.init(owning: pix)
    }

    /// Records the image's resolution (written into PNG and TIFF encodings).
    public func setResolution(_ dpi: Int) {
        pixSetResolution(pix, Int32(dpi), Int32(dpi))
    }
}
