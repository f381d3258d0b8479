import Foundation
import SijillCore

/// An embedded signature in a PDF, added as an incremental update (the rendered PDF's bytes
/// stay as they are): a signature field on the last page (the certification page) whose value
/// is a PAdES baseline-B signature (`ETSI.CAdES.detached`: detached CMS, ECDSA P-256, the
/// signing certificate included and bound by ESS signing-certificate-v2, see ``CAdES``) over
/// every byte of the file except the signature itself (`/ByteRange`). `pdfsig` checks it.
public enum PDFSignature {
    /// Hex digits reserved for the signature (8 KiB of DER).
    static let reserved = 16_384

    public struct Problem: Error, CustomStringConvertible {
        public var description: String
    }

    /// Signs `pdf` with the active key; returns the signed PDF and the key ID.
    public static func sign(_ pdf: Data, keys: SigningKeys, name: String, reason: String, at now: Date) throws -> (pdf: Data, keyID: String) {
        let parsed = try ClassicPDF(pdf)
        let sig = parsed.size, widget = parsed.size + 1, form = parsed.size + 2
        guard !parsed.catalog.contains("/AcroForm"), !parsed.lastPage.dict.contains("/Annots") else {
            throw Problem(description: "the PDF already has forms or annotations; Sijill only signs the PDFs it renders")
        }
        var out = pdf
        if out.last != 0x0A { out.append(0x0A) }
        var offsets: [Int: Int] = [:]
        func object(_ number: Int, _ body: String) {
            offsets[number] = out.count
            out.append(Data("\(number) 0 obj\n\(body)\nendobj\n".utf8))
        }
        let date = Self.pdfDate(now)
        let byteRangePlaceholder = "/ByteRange [0 0000000000 0000000000 0000000000]"
        let reasonHex = "FEFF" + reason.utf16.map { String(format: "%04X", $0) }.joined()
        let nameASCII = name.unicodeScalars.allSatisfy { $0.isASCII && $0 != "(" && $0 != ")" && $0 != "\\" } ? name : "Sijill archive"
        offsets[sig] = out.count
        let sigHead = "\(sig) 0 obj\n<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached\n\(byteRangePlaceholder)\n/Contents <"
        out.append(Data(sigHead.utf8))
        let contentsStart = out.count - 1  // the "<"
        out.append(Data(String(repeating: "0", count: reserved).utf8))
        out.append(Data(">".utf8))
        let contentsEnd = out.count  // after ">"
        out.append(Data("\n/M (\(date)) /Name (\(nameASCII)) /Reason <\(reasonHex)> >>\nendobj\n".utf8))
        object(widget, "<< /Type /Annot /Subtype /Widget /FT /Sig /Rect [0 0 0 0] /F 132 /T (Sijill certification) /V \(sig) 0 R /P \(parsed.lastPage.number) 0 R >>")
        object(form, "<< /Fields [\(widget) 0 R] /SigFlags 3 >>")
        object(parsed.root, "<<" + parsed.catalog + " /AcroForm \(form) 0 R >>")
        object(parsed.lastPage.number, "<<" + parsed.lastPage.dict + " /Annots [\(widget) 0 R] >>")
        let xref = out.count
        var table = "xref\n0 1\n0000000000 65535 f \n"
        for number in offsets.keys.sorted() {
            table += "\(number) 1\n" + String(format: "%010d 00000 n \n", offsets[number]!)
        }
        let info = parsed.info.map { " /Info \($0) 0 R" } ?? ""
        table += "trailer\n<< /Size \(form + 1) /Root \(parsed.root) 0 R\(info) /Prev \(parsed.startxref) >>\nstartxref\n\(xref)\n%%EOF\n"
        out.append(Data(table.utf8))
        // Fill in the byte range (same width), then the signature over it.
        let ranges = [0, contentsStart, contentsEnd, out.count - contentsEnd]
        let filled = "/ByteRange [0 " + ranges.dropFirst().map { String(format: "%010d", $0) }.joined(separator: " ") + "]"
        guard filled.utf8.count == byteRangePlaceholder.utf8.count else { throw Problem(description: "internal: byte range width") }
        guard let at = out.range(of: Data(byteRangePlaceholder.utf8), in: offsets[sig]!..<contentsStart) else {
            throw Problem(description: "internal: byte range placeholder not found")
        }
        out.replaceSubrange(at, with: Data(filled.utf8))
        let signed = out[0..<contentsStart] + out[contentsEnd..<out.count]
        let (entry, key, certificate) = try keys.active()
        let signature = try CAdES.sign(Data(signed), key: key, certificate: certificate)
        let keyID = entry.id
        let hex = signature.map { String(format: "%02X", $0) }.joined()
        guard hex.count <= reserved else { throw Problem(description: "internal: signature larger than reserved") }
        out.replaceSubrange((contentsStart + 1)..<(contentsStart + 1 + hex.count), with: Data(hex.utf8))
        return (out, keyID)
    }

    /// The signed bytes and the signature of a PDF signed this way; `coversWholeFile` is false
    /// when bytes were appended after the signature.
    public static func extract(_ pdf: Data) throws -> (signed: Data, signature: [UInt8], coversWholeFile: Bool) {
        guard let key = pdf.range(of: Data("/ByteRange [".utf8), options: .backwards) else {
            throw Problem(description: "the PDF has no signature")
        }
        var numbers: [Int] = []
        var current = ""
        for byte in pdf[key.upperBound...] {
            if byte == UInt8(ascii: "]") { break }
            if (0x30...0x39).contains(byte) { current.append(Character(Unicode.Scalar(byte))) } else if !current.isEmpty {
                numbers.append(Int(current) ?? -1)
                current = ""
            }
            if numbers.count > 4 { break }
        }
        if !current.isEmpty { numbers.append(Int(current) ?? -1) }
        guard numbers.count == 4, numbers[0] == 0, numbers[1] > 0, numbers[2] > numbers[1], numbers[3] >= 0,
            numbers[2] + numbers[3] <= pdf.count, pdf[numbers[1]] == UInt8(ascii: "<"), pdf[numbers[2] - 1] == UInt8(ascii: ">")
        else { throw Problem(description: "the signature's byte range is malformed") }
        let hex = pdf[(numbers[1] + 1)..<(numbers[2] - 1)]
        var der: [UInt8] = []
        der.reserveCapacity(hex.count / 2)
        var high: UInt8?
        for byte in hex {
            guard let nibble = Self.nibble(byte) else { throw Problem(description: "the signature is not hex") }
            if let h = high { der.append(h << 4 | nibble); high = nil } else { high = nibble }
        }
        // The reserved space is zero-padded: keep the DER element only.
        guard let length = Self.derLength(der) else { throw Problem(description: "the signature is not DER") }
        let signed = pdf[0..<numbers[1]] + pdf[numbers[2]..<(numbers[2] + numbers[3])]
        return (Data(signed), Array(der.prefix(length)), numbers[2] + numbers[3] == pdf.count)
    }

    static func nibble(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: b - 0x30
        case 0x41...0x46: b - 0x41 + 10
        case 0x61...0x66: b - 0x61 + 10
        default: nil
        }
    }

    /// Total length of the DER element at the start of `bytes`.
    static func derLength(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 2 else { return nil }
        let first = Int(bytes[1])
        if first < 0x80 { return 2 + first }
        let count = first & 0x7F
        guard count > 0, count <= 4, bytes.count >= 2 + count else { return nil }
        var length = 0
        for i in 0..<count { length = length << 8 | Int(bytes[2 + i]) }
        return 2 + count + length <= bytes.count ? 2 + count + length : nil
    }

    static func pdfDate(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "D:%04d%02d%02d%02d%02d%02dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }
}

/// The little of a classic-xref PDF (as Cairo writes) an incremental update needs.
struct ClassicPDF {
    var size: Int
    var root: Int
    var info: Int?
    var startxref: Int
    /// The catalog's and last page's dictionaries, without the outer `<<` `>>`.
    var catalog: String
    var lastPage: (number: Int, dict: String)

    init(_ pdf: Data) throws {
        func fail(_ why: String) -> PDFSignature.Problem { .init(description: "cannot sign this PDF: \(why)") }
        guard let sx = pdf.range(of: Data("startxref".utf8), options: .backwards) else { throw fail("no startxref") }
        let tail = String(decoding: pdf[sx.upperBound...], as: UTF8.self)
        guard let offset = Int(tail.split(whereSeparator: \.isWhitespace).first ?? "") else { throw fail("bad startxref") }
        startxref = offset
        guard let tr = pdf.range(of: Data("trailer".utf8), options: .backwards) else { throw fail("no trailer (xref streams are not supported)") }
        let trailer = String(decoding: pdf[tr.upperBound..<sx.lowerBound], as: UTF8.self)
        func ref(_ key: String, in text: String) -> Int? {
            guard let r = text.range(of: "/\(key) ") else { return nil }
            return Int(text[r.upperBound...].split(whereSeparator: \.isWhitespace).first ?? "")
        }
        guard let size = ref("Size", in: trailer), let root = ref("Root", in: trailer) else { throw fail("no /Size or /Root") }
        self.size = size
        self.root = root
        info = ref("Info", in: trailer)
        // The classic xref table at startxref: "xref\n0 N\n" then 20-byte entries.
        let xrefText = String(decoding: pdf[offset..<min(pdf.count, offset + 64 + 20 * size)], as: UTF8.self)
        let lines = xrefText.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.first?.trimmingCharacters(in: .whitespaces) == "xref", lines.count > 2 else { throw fail("no classic xref table") }
        let header = lines[1].split(separator: " ")
        guard header.count == 2, header[0] == "0", let count = Int(header[1]) else { throw fail("unexpected xref subsection") }
        var offsets: [Int] = []
        for i in 0..<count {
            guard 2 + i < lines.count, let o = Int(lines[2 + i].prefix(10)) else { throw fail("short xref") }
            offsets.append(o)
        }
        func dictionary(_ number: Int) throws -> String {
            guard number < offsets.count else { throw fail("object \(number) missing") }
            let start = offsets[number]
            guard let open = pdf.range(of: Data("<<".utf8), in: start..<min(pdf.count, start + 64)) else { throw fail("object \(number) is not a dictionary") }
            var depth = 0, i = open.lowerBound
            while i + 1 < pdf.count {
                if pdf[i] == UInt8(ascii: "<"), pdf[i + 1] == UInt8(ascii: "<") { depth += 1; i += 2; continue }
                if pdf[i] == UInt8(ascii: ">"), pdf[i + 1] == UInt8(ascii: ">") {
                    depth -= 1
                    if depth == 0 { return String(decoding: pdf[(open.lowerBound + 2)..<i], as: UTF8.self) }
                    i += 2
                    continue
                }
                i += 1
            }
            throw fail("object \(number) is not closed")
        }
        catalog = try dictionary(root)
        guard let pagesRef = ref("Pages", in: catalog) else { throw fail("no /Pages") }
        let pages = try dictionary(pagesRef)
        guard let kids = pages.range(of: "/Kids"), let open = pages[kids.upperBound...].firstIndex(of: "["),
            let close = pages[open...].firstIndex(of: "]")
        else { throw fail("no /Kids") }
        let numbers = pages[pages.index(after: open)..<close].split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
        // "a 0 R b 0 R": every third token is an object number.
        let kidsList = stride(from: 0, to: numbers.count, by: 2).map { numbers[$0] }
        guard let last = kidsList.last else { throw fail("no pages") }
        lastPage = (last, try dictionary(last))
    }
}
