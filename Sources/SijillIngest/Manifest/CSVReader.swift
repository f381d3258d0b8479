import Foundation

/// RFC 4180 CSV, as spreadsheets write it: CRLF or LF, quoted fields with doubled quotes and
/// embedded newlines; in UTF-8 with or without BOM, UTF-16 with its BOM (Excel's "Unicode
/// text"), or Windows-1256 (Excel's "CSV" on Arabic Windows), separated by commas, semicolons
/// (Excel where the decimal mark is a comma: French-language Maghrebi offices) or tabs
/// (``Dialect``: what the first line shows).
public enum CSVReader {
    /// One parsed row and the line it starts on (1-based).
    public struct Row: Sendable, Hashable {
        public var line: Int
        public var fields: [String]
    }

    /// How a file was read: its text encoding and the separator between fields.
    public struct Dialect: Sendable, Hashable {
        public var encoding: String
        public var separator: Unicode.Scalar

        /// Plain UTF-8 with commas, as the README asks for.
        public var isDefault: Bool { encoding == "UTF-8" && separator == "," }

        /// In words, for reports: `Windows-1256, ';'-separated`.
        public var summary: String {
            let name = separator == "\t" ? "tab" : "'\(separator)'"
            return separator == "," ? encoding : "\(encoding), \(name)-separated"
        }
    }

    /// Parses `data`; `name` is used in errors.
    public static func parse(_ data: Data, name: String) throws -> [Row] {
        try read(data, name: name).rows
    }

    /// Parses `data` and tells how it was read; `name` is used in errors.
    public static func read(_ data: Data, name: String) throws -> (rows: [Row], dialect: Dialect) {
        let (text, encoding) = try decode(data, name: name)
        let separator = separator(of: text)
        return (try rows(of: text, separator: separator, name: name), Dialect(encoding: encoding, separator: separator))
    }

    /// The text and the name of its encoding. UTF-16 only with its byte order mark (Excel always
    /// writes one); bytes that are not UTF-8 are read as Windows-1256 when that gives Arabic
    /// letters and no control character (Windows-1256 assigns every byte, so that is the test
    /// that it was meant).
    static func decode(_ data: Data, name: String) throws -> (String, String) {
        var bytes = data
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            guard let text = String(data: bytes, encoding: .utf16) else {
                throw ManifestError.encoding(name, "it starts as UTF-16 but is not valid UTF-16; save it as CSV UTF-8")
            }
            return (text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text, "UTF-16")
        }
        if let text = String(data: bytes, encoding: .utf8) { return (text, "UTF-8") }
        var scalars = String.UnicodeScalarView()
        for byte in bytes {
            scalars.append(byte < 0x80 ? Unicode.Scalar(byte) : windows1256[Int(byte) - 0x80])
        }
        let text = String(scalars)
        let arabic = text.unicodeScalars.contains { (0x0621...0x064A).contains($0.value) }
        let controls = text.unicodeScalars.contains { $0.value < 0x20 && !["\t", "\n", "\r"].contains($0) }
        guard arabic, !controls else {
            throw ManifestError.encoding(name, "it is neither UTF-8 nor Arabic Windows-1256 text; save it as CSV UTF-8")
        }
        return (text, "Windows-1256")
    }

    /// Windows-1256 bytes 0x80–0xFF (the code page as Microsoft publishes it; below 0x80 it is ASCII).
    static let windows1256: [Unicode.Scalar] = Array(
        [
            "\u{20AC}\u{067E}\u{201A}\u{0192}\u{201E}\u{2026}\u{2020}\u{2021}\u{02C6}\u{2030}\u{0679}\u{2039}\u{0152}\u{0686}\u{0698}\u{0688}",
            "\u{06AF}\u{2018}\u{2019}\u{201C}\u{201D}\u{2022}\u{2013}\u{2014}\u{06A9}\u{2122}\u{0691}\u{203A}\u{0153}\u{200C}\u{200D}\u{06BA}",
            "\u{00A0}\u{060C}\u{00A2}\u{00A3}\u{00A4}\u{00A5}\u{00A6}\u{00A7}\u{00A8}\u{00A9}\u{06BE}\u{00AB}\u{00AC}\u{00AD}\u{00AE}\u{00AF}",
            "\u{00B0}\u{00B1}\u{00B2}\u{00B3}\u{00B4}\u{00B5}\u{00B6}\u{00B7}\u{00B8}\u{00B9}\u{061B}\u{00BB}\u{00BC}\u{00BD}\u{00BE}\u{061F}",
            "\u{06C1}\u{0621}\u{0622}\u{0623}\u{0624}\u{0625}\u{0626}\u{0627}\u{0628}\u{0629}\u{062A}\u{062B}\u{062C}\u{062D}\u{062E}\u{062F}",
            "\u{0630}\u{0631}\u{0632}\u{0633}\u{0634}\u{0635}\u{0636}\u{00D7}\u{0637}\u{0638}\u{0639}\u{063A}\u{0640}\u{0641}\u{0642}\u{0643}",
            "\u{00E0}\u{0644}\u{00E2}\u{0645}\u{0646}\u{0647}\u{0648}\u{00E7}\u{00E8}\u{00E9}\u{00EA}\u{00EB}\u{0649}\u{064A}\u{00EE}\u{00EF}",
            "\u{064B}\u{064C}\u{064D}\u{064E}\u{00F4}\u{064F}\u{0650}\u{00F7}\u{0651}\u{00F9}\u{0652}\u{00FB}\u{00FC}\u{200E}\u{200F}\u{06D2}",
        ].joined().unicodeScalars)

    /// The separator of the first line, outside quotes: a comma if it has one, else the more
    /// frequent of `;` and tab (a semicolon on a tie), else a comma (one column).
    static func separator(of text: String) -> Unicode.Scalar {
        var counts: [Unicode.Scalar: Int] = [",": 0, ";": 0, "\t": 0]
        var inQuotes = false
        for c in text.unicodeScalars {
            if c == "\"" { inQuotes.toggle() }
            if !inQuotes, c == "\n" || c == "\r" { break }
            if !inQuotes, counts[c] != nil { counts[c]! += 1 }
        }
        if counts[","]! > 0 || counts[";"]! + counts["\t"]! == 0 { return "," }
        return counts["\t"]! > counts[";"]! ? "\t" : ";"
    }

    static func rows(of text: String, separator: Unicode.Scalar, name: String) throws -> [Row] {
        var rows: [Row] = []
        var fields: [String] = []
        var field = ""
        var inQuotes = false
        var quoteLine = 0
        var line = 1
        var rowLine = 1
        var fieldWasQuoted = false
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil

        func next() -> Unicode.Scalar? {
            if let p = pending { pending = nil; return p }
            return iterator.next()
        }
        func endRow() {
            fields.append(field)
            if !(fields.count == 1 && fields[0].isEmpty && !fieldWasQuoted) {
                rows.append(Row(line: rowLine, fields: fields))
            }
            fields = []
            field = ""
            fieldWasQuoted = false
        }

        while let c = next() {
            if inQuotes {
                if c == "\"" {
                    if let n = next() {
                        if n == "\"" { field.unicodeScalars.append("\"") } else { inQuotes = false; pending = n }
                    } else {
                        inQuotes = false
                    }
                } else {
                    // A line break inside the field counts as one between rows does: LF, CRLF or a lone CR.
                    if c == "\n" { line += 1 }
                    if c == "\r" {
                        pending = next()
                        if pending != "\n" { line += 1 }
                    }
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"" where field.isEmpty && !fieldWasQuoted:
                inQuotes = true
                fieldWasQuoted = true
                quoteLine = line
            case separator:
                fields.append(field)
                field = ""
                fieldWasQuoted = false
            case "\r":
                if let n = next(), n != "\n" { pending = n }
                endRow()
                line += 1
                rowLine = line
            case "\n":
                endRow()
                line += 1
                rowLine = line
            default:
                field.unicodeScalars.append(c)
            }
        }
        if inQuotes {
            throw ManifestError.syntax(name, line: quoteLine, "a quoted field opened here is never closed")
        }
        if !field.isEmpty || !fields.isEmpty || fieldWasQuoted { endRow() }
        return rows
    }
}
