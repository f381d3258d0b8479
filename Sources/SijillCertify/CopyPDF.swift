import CSijillPDF
import Foundation
import SijillCore

/// The PDF of a certified copy, before signing: a PDF/A-2b (``ArchivalPDF``) of the chosen
/// pages as scanned, under the text of their hOCR, then the certification page (Arabic, laid
/// out by Pango, drawn at 150 dpi) with a QR code of the verification URL, under its own text
/// as an invisible layer: a receiving office can search and copy from every page.
public enum CopyPDF {
    public struct Page: Sendable {
        public var image: Data
        public var dpi: Double
        /// The page's stored hOCR: its text layer (nil: none).
        public var hocr: String?
        public var rotation: Int

        public init(image: Data, dpi: Double, hocr: String? = nil, rotation: Int = 0) {
            self.image = image
            self.dpi = dpi
            self.hocr = hocr
            self.rotation = rotation
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

    /// Resolution of the certification page's image.
    static let stampDPI = 150.0

    /// The certification page as an image, and its text laid out as Pango drew it.
    static func stampPage(_ stamp: Stamp) throws -> ArchivalPDF.Page {
        var error = [CChar](repeating: 0, count: 256)
        var out: UnsafeMutablePointer<UInt8>?
        var size = 0
        var lines: UnsafeMutablePointer<SijillStampLine>?
        var count = 0
        let labels = stamp.lines.map { strdup($0.label) }, values = stamp.lines.map { strdup($0.value) }
        defer { (labels + values).forEach { free($0) } }
        let rc: Int32 = stamp.title.withCString { title in
            stamp.subtitle.withCString { subtitle in
                stamp.url.withCString { url in
                    stamp.footer.withCString { footer in
                        labels.map { UnsafePointer($0) }.withUnsafeBufferPointer { l in
                            values.map { UnsafePointer($0) }.withUnsafeBufferPointer { v in
                                var cStamp = SijillPDFStamp(
                                    title: title, subtitle: subtitle, labels: l.baseAddress, values: v.baseAddress,
                                    lines: stamp.lines.count, url: url, footer: footer)
                                return sijill_stamp_png(&cStamp, stampDPI, &out, &size, &lines, &count, &error, error.count)
                            }
                        }
                    }
                }
            }
        }
        guard rc == 0, let out else {
            throw SijillInputError.badOption("copy", reason: String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        defer {
            sijill_pdf_free(out)
            sijill_stamp_lines_free(lines, count)
        }
        let png = Data(bytes: out, count: size)
        // Pango's lines, in pixels of the image; words spread over each line in reading order.
        let scale = stampDPI / 72
        var layout = HOCRLayout(width: Int(595.28 * scale), height: Int(841.89 * scale), lines: [])
        for i in 0..<count {
            let line = lines![i]
            let text = String(cString: line.text)
            let words = text.split(whereSeparator: \.isWhitespace).map(String.init)
            guard !words.isEmpty else { continue }
            // Pango's logical height includes the leading: the text layer's glyphs take the
            // middle 60% of it, so that extractors keep neighbouring lines apart.
            let box = HOCRLayout.Box(
                left: Int(line.left * scale), top: Int((line.top + 0.2 * line.height) * scale),
                right: Int((line.left + line.width) * scale), bottom: Int((line.top + 0.8 * line.height) * scale))
            let total = Double(words.reduce(0) { $0 + $1.unicodeScalars.count + 1 })
            let unit = Double(box.width) / max(1, total)
            let rightToLeft = VisualOrder.isRightToLeft(text)
            var offset = 0.0
            var placed: [HOCRLayout.Word] = []
            for word in words {
                let width = Double(word.unicodeScalars.count) * unit
                let start = rightToLeft ? Double(box.right) - offset - width : Double(box.left) + offset
                placed.append(.init(
                    box: .init(left: Int(start), top: box.top, right: Int(start + width), bottom: box.bottom), text: word))
                offset += width + unit
            }
            layout.lines.append(.init(box: box, words: placed))
        }
        return ArchivalPDF.Page(image: png, dpi: stampDPI, hocr: nil, layout: layout)
    }

    /// The copy's PDF: the pages, then the certification page.
    public static func render(pages: [Page], stamp: Stamp, metadata: ArchivalPDF.Metadata? = nil) throws -> Data {
        let input = pages.map { ArchivalPDF.Page(image: $0.image, dpi: $0.dpi, hocr: $0.hocr, rotation: $0.rotation) }
        let about = ArchivalPDF.Metadata(
            title: stamp.title, identifier: stamp.url, description: stamp.lines.map { "\($0.label): \($0.value)" }.joined(separator: "؛ "),
            subjects: [], date: nil, created: Date())
        return try ArchivalPDF.make(pages: input + [try stampPage(stamp)], metadata: metadata ?? about, compact: false).pdf
    }
}
