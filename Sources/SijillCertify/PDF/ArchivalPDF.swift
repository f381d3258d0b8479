import Crypto
import Foundation
import SijillCore

/// A searchable PDF/A-2b of scanned pages: each page image at its scanned size and resolution,
/// embedded as stored where PDF can carry it (``PDFImage``), under an invisible text layer
/// (render mode 3, ``GlyphlessFont``) built from the page's hOCR: each word on its box, its
/// characters in visual order (``VisualOrder``) so that extraction gives the stored text in
/// logical order, one text line per hOCR line. XMP metadata (Dublin Core, `pdfaid`), an sRGB
/// OutputIntent, no encryption, no transparency, no actions.
public enum ArchivalPDF {
    public struct Page: Sendable {
        /// The stored page image.
        public var image: Data
        public var dpi: Double
        /// The stored hOCR (nil: no text layer for this page).
        public var hocr: String?
        /// Clockwise degrees the page was turned to read it (the hOCR's frame): the PDF shows
        /// the page as it was read, upright.
        public var rotation: Int
        /// A layout made here rather than read from hOCR (the certification page's).
        var layout: HOCRLayout?

        public init(image: Data, dpi: Double, hocr: String?, rotation: Int = 0) {
            self.image = image
            self.dpi = dpi
            self.hocr = hocr
            self.rotation = rotation
        }

        init(image: Data, dpi: Double, hocr: String?, rotation: Int = 0, layout: HOCRLayout?) {
            self.init(image: image, dpi: dpi, hocr: hocr, rotation: rotation)
            self.layout = layout
        }
    }

    /// Document metadata: Dublin Core in XMP and the matching Info entries.
    public struct Metadata: Sendable {
        public var title: String
        /// dc:identifier (e.g. `sha256:<record ID>`).
        public var identifier: String
        /// dc:description: reference, series, dates, pages, in words.
        public var description: String
        /// dc:subject: series, reference.
        public var subjects: [String]
        /// dc:date, when it is an XMP date (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`).
        public var date: String?
        /// When the PDF was made (xmp:CreateDate, /CreationDate).
        public var created: Date

        public init(title: String, identifier: String, description: String, subjects: [String], date: String?, created: Date) {
            self.title = title
            self.identifier = identifier
            self.description = description
            self.subjects = subjects
            self.date = date
            self.created = created
        }
    }

    public static let producer = "Sijill"

    /// The PDF, and how each page image was embedded (`jpeg`, `g4`, `png`, `flate`).
    /// `compact`: dictionaries in a compressed object stream with a cross-reference stream
    /// (smaller); not for a PDF to be signed, as ``PDFSignature`` appends to classic files only.
    public static func make(pages: [Page], metadata: Metadata, compact: Bool = true) throws -> (pdf: Data, embeddings: [String]) {
        var writer = PDFWriter(compact: compact)
        let catalog = writer.reserve(), pageTree = writer.reserve()
        let font = writer.reserve()
        var used = Set<UInt16>()
        var kids: [Int] = []
        var embeddings: [String] = []
        for page in pages {
            let image = try PDFImage.make(page.image)
            embeddings.append(image.embedding)
            let imageObject = writer.addStream(dictionary: image.dictionary, bytes: image.bytes)
            let layout = page.layout ?? page.hocr.map(HOCRLayout.parse)
            let content = pageContent(page, image: image, layout: layout, used: &used)
            let contentObject = writer.addStream(dictionary: "/Filter /FlateDecode", bytes: PDFWriter.deflate(content.bytes))
            kids.append(writer.add(
                "<< /Type /Page /Parent \(pageTree) 0 R /MediaBox [0 0 \(PDFWriter.number(content.width)) \(PDFWriter.number(content.height))] /Resources << /XObject << /Im0 \(imageObject) 0 R >> /Font << /F0 \(font) 0 R >> >> /Contents \(contentObject) 0 R >>"))
        }
        GlyphlessFont.write(font, used: used, into: &writer)
        writer.object(pageTree, "<< /Type /Pages /Kids [\(kids.map { "\($0) 0 R" }.joined(separator: " "))] /Count \(kids.count) >>")
        let xmp = writer.addStream(dictionary: "/Type /Metadata /Subtype /XML", bytes: Data(self.xmp(metadata).utf8))
        let profile = writer.addStream(dictionary: "/N 3 /Filter /FlateDecode", bytes: PDFWriter.deflate(SRGBProfile.data))
        let intent = writer.add(
            "<< /Type /OutputIntent /S /GTS_PDFA1 /OutputConditionIdentifier (sRGB IEC61966-2.1) /Info (sRGB IEC61966-2.1) /DestOutputProfile \(profile) 0 R >>")
        writer.object(
            catalog,
            "<< /Type /Catalog /Pages \(pageTree) 0 R /Metadata \(xmp) 0 R /OutputIntents [\(intent) 0 R] /Lang (ar) /ViewerPreferences << /DisplayDocTitle true >> >>")
        let date = PDFSignature.pdfDate(metadata.created)
        let info = writer.reserve()
        writer.object(
            info,
            bytes: Data("<< /Title ".utf8) + PDFWriter.literal(metadata.title)
                + Data(" /Creator (\(producer)) /Producer (\(producer)) /CreationDate (\(date)) >>".utf8))
        var hash = SHA256()
        hash.update(data: Data(metadata.identifier.utf8))
        hash.update(data: writer.data)
        let id = Data(hash.finalize().prefix(16))
        return (writer.finish(root: catalog, info: info, id: id), embeddings)
    }

    /// The page's content stream and size in points: the image, upright, then the text.
    static func pageContent(
        _ page: Page, image: PDFImage, layout: HOCRLayout?, used: inout Set<UInt16>
    ) -> (bytes: Data, width: Double, height: Double) {
        let scale = 72 / max(page.dpi, 1)
        let rotation = ((page.rotation % 360) + 360) % 360
        let turned = rotation == 90 || rotation == 270
        var width: Double, height: Double
        if let layout, layout.width > 0, layout.height > 0 {
            // The page as it was read: the hOCR's frame at the recorded resolution. A fax page
            // (200 × 100 dpi) was read with square pixels at 300 dpi: its image is stretched
            // to this size, as the page was on paper.
            width = Double(layout.width) * scale
            height = Double(layout.height) * scale
        } else {
            let w = Double(image.width) * scale, h = Double(image.height) * scale
            width = turned ? h : w
            height = turned ? w : h
        }
        let n = { PDFWriter.number($0) }
        let matrix: [Double]
        switch rotation {
        case 90: matrix = [0, -height, width, 0, 0, height]
        case 180: matrix = [-width, 0, 0, -height, width, height]
        case 270: matrix = [0, height, -width, 0, width, 0]
        default: matrix = [width, 0, 0, height, 0, 0]
        }
        var out = Data(("q " + matrix.map(n).joined(separator: " ") + " cm /Im0 Do Q\n").utf8)
        guard let layout, !layout.lines.isEmpty else { return (out, width, height) }
        out.append(Data("BT 3 Tr /F0 1 Tf\n".utf8))
        // The page's direction as extractors decide it: more right-to-left letters than Latin.
        let rightToLeft = VisualOrder.isRightToLeft(layout.text)
        let em = Double(GlyphlessFont.advance) / 1000
        /// Draws `scalars` across [x0, x1] on the line's baseline.
        func show(_ scalars: [Unicode.Scalar], from x0: Double, to x1: Double, baseline: Double, size: Double) {
            let units = scalars.filter { $0.value <= 0xFFFF && $0.value >= 0x20 }
            guard !units.isEmpty else { return }
            for unit in units { used.insert(UInt16(unit.value)) }
            // Extractors drop a character drawn less than a tenth of the font size after the
            // same character (a fake bold's second stroke): a word too narrow for its letters
            // (٠٠٠٠٠٠, ....) with such repeats is widened about its middle.
            var x0 = x0, x1 = x1
            let least = 0.11 * size * Double(units.count)
            let repeats = zip(units, units.dropFirst()).contains { $0 == $1 && $0 != " " }
            if repeats, x1 - x0 < least {
                let middle = (x0 + x1) / 2
                x0 = middle - least / 2
                x1 = middle + least / 2
            }
            let horizontal = max(0.01, (x1 - x0) / (Double(units.count) * em))
            // A tenth of a point is a third of a pixel at 300 dpi: finer positions only cost
            // bytes. Two bytes per code, big-endian, in a literal string (half the size of hex).
            let t = { PDFWriter.number($0, decimals: 1) }
            out.append(Data("\(n(horizontal)) 0 0 \(t(size)) \(t(x0)) \(t(baseline)) Tm ".utf8))
            out.append(PDFWriter.literal(bytes: units.flatMap { [UInt8($0.value >> 8), UInt8($0.value & 0xFF)] }))
            out.append(Data(" Tj\n".utf8))
        }
        for line in layout.lines {
            // The glyphs' ascent and descent span the line's box, unless that would bring
            // the font within two thirds of its size of another line's baseline (extractors
            // join lines whose baselines are within half the font size).
            var size = max(1, Double(line.box.height)) * 1000 / Double(GlyphlessFont.ascent - GlyphlessFont.descent)
            for other in layout.lines where other.box != line.box && other.box.left < line.box.right && other.box.right > line.box.left {
                let distance = Double(abs(other.box.bottom - line.box.bottom))
                if distance > 0 { size = min(size, 1.5 * distance) }
            }
            size = max(1, size) * scale
            let baseline = height - Double(line.box.bottom) * scale - Double(GlyphlessFont.descent) / 1000 * size
            let words = placed(line.words, rightToLeft: rightToLeft, height: line.box.height).sorted { $0.box.left < $1.box.left }
            for (i, word) in words.enumerated() {
                show(VisualOrder.drawn(word.text, rightToLeft: rightToLeft), from: Double(word.box.left) * scale, to: Double(word.box.right) * scale, baseline: baseline, size: size)
                // The space between this word and the next, drawn in the gap.
                if i + 1 < words.count {
                    let x0 = Double(word.box.right) * scale
                    let x1 = max(x0 + 0.01, Double(words[i + 1].box.left) * scale)
                    show([" "], from: x0, to: x1, baseline: baseline, size: size)
                }
            }
        }
        out.append(Data("ET\n".utf8))
        return (out, width, height)
    }

    /// The words of a line on boxes that follow one another in reading order without overlap
    /// (right to left on a right-to-left page). OCR sometimes gives a word the whole line's box;
    /// drawn there, its text would cover its neighbours' and extractors would read it as a
    /// line of its own. Such a word is moved into the space after the previous word.
    static func placed(_ words: [HOCRLayout.Word], rightToLeft: Bool, height: Int) -> [HOCRLayout.Word] {
        var out: [HOCRLayout.Word] = []
        let gap = max(1, height / 10)
        for var word in words {
            let width = max(1, min(word.box.width, word.text.unicodeScalars.count * max(1, height)))
            if let previous = out.last {
                // Kept inside its own box where there is room, else given a plausible width.
                if rightToLeft, word.box.right > previous.box.left - gap {
                    let right = previous.box.left - gap
                    word.box.left = right - word.box.left > gap ? max(word.box.left, right - width) : right - width
                    word.box.right = right
                } else if !rightToLeft, word.box.left < previous.box.right + gap {
                    let left = previous.box.right + gap
                    word.box.right = word.box.right - left > gap ? min(word.box.right, left + width) : left + width
                    word.box.left = left
                }
            }
            out.append(word)
        }
        return out
    }

    static func xmpDate(_ date: Date) -> String {
        let c = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: date)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d+00:00", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }

    /// Whether `value` is a date XMP accepts (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`).
    static func isXMPDate(_ value: String) -> Bool {
        let parts = value.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count), parts[0].count == 4, parts.allSatisfy({ $0.allSatisfy(\.isASCII) && Int($0) != nil }) else { return false }
        if parts.count > 1 { guard parts[1].count == 2, (1...12).contains(Int(parts[1])!) else { return false } }
        if parts.count > 2 { guard parts[2].count == 2, (1...31).contains(Int(parts[2])!) else { return false } }
        return true
    }

    static func xml(_ s: String) -> String {
        var out = ""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default:
                // XML 1.0 has no place for other control characters.
                if scalar.value < 0x20 && scalar != "\n" && scalar != "\t" { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func xmp(_ m: Metadata) -> String {
        let created = xmpDate(m.created)
        var dc = "<dc:format>application/pdf</dc:format>"
            + "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">\(xml(m.title))</rdf:li></rdf:Alt></dc:title>\n"
            + "<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">\(xml(m.description))</rdf:li></rdf:Alt></dc:description>\n"
            + "<dc:identifier>\(xml(m.identifier))</dc:identifier><dc:language><rdf:Bag><rdf:li>ar</rdf:li></rdf:Bag></dc:language>\n"
        if !m.subjects.isEmpty {
            dc += "<dc:subject><rdf:Bag>" + m.subjects.map { "<rdf:li>\(xml($0))</rdf:li>" }.joined() + "</rdf:Bag></dc:subject>\n"
        }
        if let date = m.date, isXMPDate(date) { dc += "<dc:date><rdf:Seq><rdf:li>\(date)</rdf:li></rdf:Seq></dc:date>\n" }
        return """
            <?xpacket begin="\u{FEFF}" id="W5M0MpCehiHzreSzNTczkc9d"?>
            <x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
            <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
            <pdfaid:part>2</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance>
            \(dc)<xmp:CreateDate>\(created)</xmp:CreateDate><xmp:CreatorTool>\(producer)</xmp:CreatorTool><pdf:Producer>\(producer)</pdf:Producer>
            </rdf:Description></rdf:RDF></x:xmpmeta>
            <?xpacket end="w"?>
            """
    }
}
