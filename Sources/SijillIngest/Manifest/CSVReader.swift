import Foundation

/// RFC 4180 CSV, as spreadsheets write it: UTF-8 with or without BOM, CRLF or LF, quoted fields
/// with doubled quotes and embedded newlines.
public enum CSVReader {
    /// One parsed row and the line it starts on (1-based).
    public struct Row: Sendable, Hashable {
        public var line: Int
        public var fields: [String]
    }

    /// Parses `data`; `name` is used in errors.
    public static func parse(_ data: Data, name: String) throws -> [Row] {
        var bytes = data
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            throw ManifestError.encoding(name, "it is UTF-16; save it as CSV UTF-8")
        }
        guard let text = String(data: bytes, encoding: .utf8) else {
            throw ManifestError.encoding(name, "it is not valid UTF-8; save it as CSV UTF-8")
        }
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
            case ",":
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
