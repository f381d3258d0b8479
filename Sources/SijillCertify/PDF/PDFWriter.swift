import CSijillPDF
import Foundation

/// Writes a PDF file object by object: binary header comment (PDF/A), streams with their
/// lengths, then the cross-reference. Two layouts:
/// - classic: every object in the file, a cross-reference table (``PDFSignature`` appends to
///   such files);
/// - compact: objects that are not streams go into one compressed object stream, indexed by a
///   cross-reference stream (PDF 1.5; PDF/A-2 allows both). A page's dictionaries, the font's
///   and the catalog take about a kilobyte as text; compressed, a third of that.
struct PDFWriter {
    private(set) var data = Data()
    /// Where each object is, by number (index 0 unused).
    private var locations: [Location?] = [nil]
    private let compact: Bool
    /// Compact: the bodies waiting for the object stream, with their numbers.
    private var pending: [(number: Int, body: Data)] = []
    /// Compact: the object stream's number, once written.
    private var streamOfObjects: Int?

    private enum Location {
        case offset(Int)
        /// In the object stream, at this index.
        case compressed(index: Int)
    }

    init(compact: Bool = false) {
        self.compact = compact
        data.append(Data("%PDF-1.7\n%".utf8))
        data.append(contentsOf: [0xE2, 0xE3, 0xCF, 0xD3, 0x0A])
    }

    /// A new object number, to be written later (forward references).
    mutating func reserve() -> Int {
        locations.append(nil)
        return locations.count - 1
    }

    mutating func object(_ number: Int, _ body: String) {
        object(number, bytes: Data(body.utf8))
    }

    /// An object whose body holds bytes that are not UTF-8 text (binary strings).
    mutating func object(_ number: Int, bytes body: Data) {
        if compact {
            locations[number] = .compressed(index: pending.count)
            pending.append((number, body))
            return
        }
        locations[number] = .offset(data.count)
        data.append(Data("\(number) 0 obj\n".utf8))
        data.append(body)
        data.append(Data("\nendobj\n".utf8))
    }

    @discardableResult
    mutating func add(_ body: String) -> Int {
        let number = reserve()
        object(number, body)
        return number
    }

    /// A stream object; `dictionary` is the entries without `/Length`.
    mutating func stream(_ number: Int, dictionary: String, bytes: Data) {
        locations[number] = .offset(data.count)
        data.append(Data("\(number) 0 obj\n<< \(dictionary) /Length \(bytes.count) >>\nstream\n".utf8))
        data.append(bytes)
        data.append(Data("\nendstream\nendobj\n".utf8))
    }

    @discardableResult
    mutating func addStream(dictionary: String, bytes: Data) -> Int {
        let number = reserve()
        stream(number, dictionary: dictionary, bytes: bytes)
        return number
    }

    /// The finished file: the cross-reference and trailer (`/ID` twice the same, as PDF/A
    /// wants for an original file).
    mutating func finish(root: Int, info: Int?, id: Data) -> Data {
        let hex = id.map { String(format: "%02x", $0) }.joined()
        let trailer = "/Root \(root) 0 R\(info.map { " /Info \($0) 0 R" } ?? "") /ID [<\(hex)> <\(hex)>]"
        guard compact else {
            let xref = data.count
            var table = "xref\n0 \(locations.count)\n0000000000 65535 f \n"
            for location in locations.dropFirst() {
                guard case .offset(let offset)? = location else { preconditionFailure("object without an offset in a classic PDF") }
                table += String(format: "%010d 00000 n \n", offset)
            }
            table += "trailer\n<< /Size \(locations.count) \(trailer) >>\nstartxref\n\(xref)\n%%EOF\n"
            data.append(Data(table.utf8))
            return data
        }
        if !pending.isEmpty {
            // Object stream: "number offset" pairs, then the bodies at those offsets.
            var header = "", bodies = Data()
            for (number, body) in pending {
                header += "\(number) \(bodies.count) "
                bodies.append(body)
                bodies.append(0x0A)
            }
            let first = Data(header.utf8)
            let objects = reserve()
            stream(objects, dictionary: "/Type /ObjStm /N \(pending.count) /First \(first.count) /Filter /FlateDecode", bytes: Self.deflate(first + bodies))
            pending = []
            streamOfObjects = objects
        }
        // Cross-reference stream: type (1 byte), offset or object stream (4), generation or
        // index (2); the stream itself is the last object.
        let xrefObject = reserve()
        let xref = data.count
        locations[xrefObject] = .offset(xref)
        var rows = Data([0, 0, 0, 0, 0, 0xFF, 0xFF])
        func append(_ type: UInt8, _ a: Int, _ b: Int) {
            rows.append(contentsOf: [type, UInt8((a >> 24) & 0xFF), UInt8((a >> 16) & 0xFF), UInt8((a >> 8) & 0xFF), UInt8(a & 0xFF), UInt8((b >> 8) & 0xFF), UInt8(b & 0xFF)])
        }
        for location in locations.dropFirst() {
            switch location {
            case .offset(let offset)?: append(1, offset, 0)
            case .compressed(let index)?: append(2, streamOfObjects ?? 0, index)
            case nil: preconditionFailure("object reserved and never written")
            }
        }
        let bytes = Self.deflate(rows)
        data.append(Data("\(xrefObject) 0 obj\n<< /Type /XRef /Size \(locations.count) /W [1 4 2] \(trailer) /Filter /FlateDecode /Length \(bytes.count) >>\nstream\n".utf8))
        data.append(bytes)
        data.append(Data("\nendstream\nendobj\nstartxref\n\(xref)\n%%EOF\n".utf8))
        return data
    }

    /// zlib-compressed bytes (FlateDecode).
    static func deflate(_ bytes: Data) -> Data {
        bytes.withUnsafeBytes { raw -> Data in
            var out: UnsafeMutablePointer<UInt8>?
            var size = 0
            guard sijill_deflate(raw.bindMemory(to: UInt8.self).baseAddress, raw.count, &out, &size) == 0, let out else {
                preconditionFailure("zlib could not compress \(raw.count) bytes")
            }
            defer { sijill_pdf_free(out) }
            return Data(bytes: out, count: size)
        }
    }

    /// A PDF text string as a literal: printable ASCII as is, else UTF-16BE with a byte order
    /// mark, bytes escaped where PDF needs it (half the size of ``text(_:)``'s hex).
    static func literal(_ value: String) -> Data {
        let bytes: [UInt8] = value.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F })
            ? Array(value.utf8) : [0xFE, 0xFF] + value.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        return literal(bytes: bytes)
    }

    /// Bytes as a PDF literal string: `(`, the bytes with `( ) \` escaped and line ends
    /// written as escapes, `)`.
    static func literal(bytes: [UInt8]) -> Data {
        var out = Data("(".utf8)
        for byte in bytes {
            switch byte {
            case 0x28, 0x29, 0x5C: out.append(contentsOf: [0x5C, byte])
            case 0x0D: out.append(contentsOf: Array("\\r".utf8))
            case 0x0A: out.append(contentsOf: Array("\\n".utf8))
            default: out.append(byte)
            }
        }
        out.append(Data(")".utf8))
        return out
    }

    /// A number with at most `decimals` decimals (2: a hundredth of a point), no exponent, no
    /// trailing zeros.
    static func number(_ value: Double, decimals: Int = 2) -> String {
        let factor = decimals == 1 ? 10.0 : 100.0
        let rounded = (value * factor).rounded() / factor
        if rounded == rounded.rounded() { return String(Int(rounded)) }
        var text = String(format: decimals == 1 ? "%.1f" : "%.2f", rounded)
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }
}
