import CSijillPDF
import Foundation

/// Writes a PDF file object by object: a classic cross-reference table (``PDFSignature`` appends
/// to such files), binary header comment (PDF/A), streams with their lengths.
struct PDFWriter {
    private(set) var data = Data()
    /// Byte offset of each object, by number (index 0 unused).
    private var offsets: [Int?] = [nil]

    init() {
        data.append(Data("%PDF-1.7\n%".utf8))
        data.append(contentsOf: [0xE2, 0xE3, 0xCF, 0xD3, 0x0A])
    }

    /// A new object number, to be written later (forward references).
    mutating func reserve() -> Int {
        offsets.append(nil)
        return offsets.count - 1
    }

    mutating func object(_ number: Int, _ body: String) {
        offsets[number] = data.count
        data.append(Data("\(number) 0 obj\n".utf8))
        data.append(Data(body.utf8))
        data.append(Data("\nendobj\n".utf8))
    }

    /// An object whose body holds bytes that are not UTF-8 text (binary strings).
    mutating func object(_ number: Int, bytes body: Data) {
        offsets[number] = data.count
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
        offsets[number] = data.count
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

    /// The finished file: cross-reference table and trailer (`/ID` twice the same, as PDF/A
    /// wants for an original file).
    mutating func finish(root: Int, info: Int?, id: Data) -> Data {
        let xref = data.count
        var table = "xref\n0 \(offsets.count)\n0000000000 65535 f \n"
        for offset in offsets.dropFirst() {
            table += String(format: "%010d 00000 n \n", offset ?? 0)
        }
        let hex = id.map { String(format: "%02x", $0) }.joined()
        table += "trailer\n<< /Size \(offsets.count) /Root \(root) 0 R\(info.map { " /Info \($0) 0 R" } ?? "") /ID [<\(hex)> <\(hex)>] >>\n"
        table += "startxref\n\(xref)\n%%EOF\n"
        data.append(Data(table.utf8))
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

    /// A number with at most 2 decimals (a hundredth of a point), no exponent.
    static func number(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        if rounded == rounded.rounded() { return String(Int(rounded)) }
        return String(format: "%.2f", rounded)
    }
}
