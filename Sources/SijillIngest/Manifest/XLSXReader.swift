import CArchive
import Foundation
import SijillCore

/// The first worksheet of an Excel workbook (`.xlsx`, Office Open XML), or the first table of a
/// LibreOffice spreadsheet (`.ods`, OpenDocument), as CSV rows, so that an archivist can deliver
/// the manifest as the spreadsheet they keep it in.
///
/// Read: shared strings (rich-text runs joined, phonetic runs left out), inline strings, numbers
/// and booleans as Excel stores them; a cell's column from its reference (`C7`), a row's line
/// from its number. Formulas count by their stored result. Styles are not read: a date cell
/// arrives as Excel's day number, which ``ManifestDate`` turns into a date in the `date` column.
/// The workbook is a zip: its XML parts are read with a size cap, never written anywhere.
enum XLSXReader {
    /// Largest part read (a sheet of 20,000 manifest rows is a few MB).
    static let maxPartBytes = 32 << 20

    /// Whether `data` starts as a zip (an Office Open XML file).
    static func isWorkbook(_ data: Data) -> Bool { data.starts(with: [0x50, 0x4B, 0x03, 0x04]) }

    static func rows(_ data: Data, name: String) throws -> [CSVReader.Row] {
        let parts = try readParts(data, name: name)
        // (an OpenDocument spreadsheet, LibreOffice's .ods, keeps its tables in content.xml)
        if let content = parts["content.xml"], firstSheet(parts) == nil { return try odsRows(content, name: name) }
        guard let sheetPath = firstSheet(parts), let sheet = parts[sheetPath] else {
            throw ManifestError.encoding(name, "it is a zip but not an Excel workbook with a worksheet; save it as CSV UTF-8")
        }
        let shared = parts["xl/sharedStrings.xml"].map(sharedStrings) ?? []
        return try cells(sheet, shared: shared, name: name)
    }

    /// The workbook's XML parts by path (only `xl/…xml` and `.rels`).
    static func readParts(_ data: Data, name: String) throws -> [String: Data] {
        guard let archive = archive_read_new() else { throw ManifestError.encoding(name, "out of memory") }
        defer { archive_read_free(archive) }
        archive_read_support_format_zip(archive)
        var parts: [String: Data] = [:]
        try data.withUnsafeBytes { raw in
            guard archive_read_open_memory(archive, raw.baseAddress, raw.count) == ARCHIVE_OK else {
                throw ManifestError.encoding(name, "it starts as a zip but cannot be read as one; save it as CSV UTF-8")
            }
            var entry: OpaquePointer?
            var total = 0
            while archive_read_next_header(archive, &entry) == ARCHIVE_OK, let entry {
                guard let path = archive_entry_pathname_utf8(entry).map({ String(cString: $0) }),
                    path == "content.xml" || path.hasPrefix("xl/") && (path.hasSuffix(".xml") || path.hasSuffix(".rels"))
                else { continue }
                var part = Data()
                var buffer = [UInt8](repeating: 0, count: 64 * 1024)
                while true {
                    let n = archive_read_data(archive, &buffer, buffer.count)
                    if n == 0 { break }
                    guard n > 0 else { throw ManifestError.encoding(name, "its part \(path) is damaged; save it as CSV UTF-8") }
                    part.append(contentsOf: buffer[0..<n])
                    total += n
                    guard part.count <= maxPartBytes, total <= 2 * maxPartBytes else {
                        throw ManifestError.tooLarge(name, limit: maxPartBytes)
                    }
                }
                parts[path] = part
            }
        }
        return parts
    }

    /// The first sheet in the workbook's order, by its relationship; else the lowest-numbered.
    static func firstSheet(_ parts: [String: Data]) -> String? {
        if let workbook = parts["xl/workbook.xml"], let rels = parts["xl/_rels/workbook.xml.rels"],
            let id = XMLScan.tags(workbook).first(where: { $0.name == "sheet" })?.attributes["r:id"],
            let target = XMLScan.tags(rels).first(where: { $0.name == "Relationship" && $0.attributes["Id"] == id })?.attributes["Target"]
        {
            let path = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
            if parts[path] != nil { return path }
        }
        return parts.keys.filter { $0.hasPrefix("xl/worksheets/") && $0.hasSuffix(".xml") }
            .sorted { $0.count != $1.count ? $0.count < $1.count : $0 < $1 }.first
    }

    static func sharedStrings(_ xml: Data) -> [String] {
        var strings: [String] = []
        var current: String?
        var inPhonetic = false
        for token in XMLScan.tokens(xml) {
            switch token {
            case .open(let tag):
                if tag.name == "si" { current = "" }
                if tag.name == "rPh" { inPhonetic = true }
                if tag.selfClosing, tag.name == "si" { strings.append(""); current = nil }
            case .close(let name):
                if name == "si", let text = current { strings.append(text); current = nil }
                if name == "rPh" { inPhonetic = false }
            case .text(let text, let inside):
                if inside == "t", !inPhonetic, current != nil { current! += text }
            }
        }
        return strings
    }

    static func cells(_ xml: Data, shared: [String], name: String) throws -> [CSVReader.Row] {
        var rows: [CSVReader.Row] = []
        var fields: [String] = []
        var line = 0
        var column = 0
        var cellType = ""
        var value = ""
        var inCell = false
        func finishRow() {
            while fields.last == "" { fields.removeLast() }
            rows.append(CSVReader.Row(line: line, fields: fields))
            fields = []
        }
        for token in XMLScan.tokens(xml) {
            switch token {
            case .open(let tag) where tag.name == "row":
                line = tag.attributes["r"].flatMap(Int.init) ?? line + 1
                column = 0
                fields = []
                if tag.selfClosing { finishRow() }
            case .close("row"):
                finishRow()
            case .open(let tag) where tag.name == "c":
                column = tag.attributes["r"].flatMap(columnIndex) ?? column
                cellType = tag.attributes["t"] ?? "n"
                value = ""
                inCell = !tag.selfClosing
                if tag.selfClosing { column += 1 }
            case .text(let text, let inside) where inCell && (inside == "v" || inside == "t"):
                value += text
            case .close("c"):
                inCell = false
                var text = value
                switch cellType {
                case "s":
                    guard let index = Int(value), shared.indices.contains(index) else {
                        throw ManifestError.syntax(name, line: line, "a cell names shared string \(value), which the workbook does not have")
                    }
                    text = shared[index]
                case "b": text = value == "1" ? "TRUE" : "FALSE"
                default: break
                }
                guard column < 16_384 else { throw ManifestError.syntax(name, line: line, "a cell lies past Excel's last column") }
                while fields.count < column { fields.append("") }
                fields.append(text)
                column += 1
            default: break
            }
        }
        return rows
    }

    /// The first table of an OpenDocument spreadsheet: a cell's text (its paragraphs joined by
    /// line breaks), a date cell as its ISO date, a number as its value; repeated cells and rows
    /// counted, not written out (LibreOffice repeats the empty ones to the sheet's edge).
    static func odsRows(_ xml: Data, name: String) throws -> [CSVReader.Row] {
        var rows: [CSVReader.Row] = []
        var fields: [String] = []
        var line = 0
        var rowRepeat = 1
        var tables = 0
        var cell: (text: String, value: String?, repeats: Int, paragraphs: Int)?
        for token in XMLScan.tokens(xml) {
            switch token {
            case .open(let tag) where tag.name == "table":
                tables += 1
            case .open(let tag) where tag.name == "table-row" && tables == 1:
                fields = []
                rowRepeat = tag.attributes["table:number-rows-repeated"].flatMap(Int.init) ?? 1
                line += 1
                if tag.selfClosing { line += rowRepeat - 1 }
            case .close("table-row") where tables == 1:
                while fields.last == "" { fields.removeLast() }
                if !fields.isEmpty { rows.append(CSVReader.Row(line: line, fields: fields)) }
                line += rowRepeat - 1
            case .open(let tag) where (tag.name == "table-cell" || tag.name == "covered-table-cell") && tables == 1:
                let repeats = min(tag.attributes["table:number-columns-repeated"].flatMap(Int.init) ?? 1, 16_384)
                let type = tag.attributes["office:value-type"]
                let value = type == "date" ? tag.attributes["office:date-value"].map { String($0.prefix(10)) }
                    : type == "float" || type == "percentage" || type == "currency" ? tag.attributes["office:value"] : nil
                cell = (text: "", value: value, repeats: repeats, paragraphs: 0)
                if tag.selfClosing {
                    if let value { fields += Array(repeating: value, count: repeats) } else { fields += Array(repeating: "", count: repeats) }
                    cell = nil
                }
            case .open(let tag) where tag.name == "p" && cell != nil:
                if cell!.paragraphs > 0 { cell!.text += "\n" }
                cell!.paragraphs += 1
            case .open(let tag) where tag.name == "s" && cell != nil:
                cell!.text += String(repeating: " ", count: tag.attributes["text:c"].flatMap(Int.init) ?? 1)
            case .text(let text, _) where cell != nil:
                cell!.text += text
            case .close(let element) where (element == "table-cell" || element == "covered-table-cell") && cell != nil:
                let text = cell!.value ?? cell!.text
                // (an empty cell repeated to the sheet's edge is not written out)
                fields += Array(repeating: text, count: text.isEmpty ? min(cell!.repeats, 64) : cell!.repeats)
                guard fields.count <= 16_384 else { throw ManifestError.syntax(name, line: line, "a row is wider than a spreadsheet can be") }
                cell = nil
            default: break
            }
        }
        return rows
    }

    /// `C7` → 2 (0-based column).
    static func columnIndex(_ reference: String) -> Int? {
        var index = 0
        var letters = 0
        for scalar in reference.unicodeScalars {
            guard ("A"..."Z").contains(scalar) else { break }
            index = index * 26 + Int(scalar.value - 64)
            letters += 1
        }
        return letters > 0 && letters <= 3 ? index - 1 : nil
    }
}

/// A small scanner for the regular XML Office writes: tags with attributes, text (entities decoded
/// by ``XMLText``); comments, declarations and processing instructions skipped.
enum XMLScan {
    struct Tag {
        var name: String
        var attributes: [String: String]
        var selfClosing: Bool
    }

    enum Token {
        case open(Tag)
        case close(String)
        /// Text and the name of the element it is directly inside.
        case text(String, inside: String)
    }

    static func tags(_ xml: Data) -> [Tag] {
        tokens(xml).compactMap { if case .open(let tag) = $0 { tag } else { nil } }
    }

    static func tokens(_ xml: Data) -> [Token] {
        let text = String(decoding: xml, as: UTF8.self)
        var out: [Token] = []
        var stack: [String] = []
        var i = text.startIndex
        while i < text.endIndex {
            guard let open = text[i...].firstIndex(of: "<") else {
                out.append(.text(XMLText.unescape(String(text[i...])), inside: stack.last ?? ""))
                break
            }
            if open > i { out.append(.text(XMLText.unescape(String(text[i..<open])), inside: stack.last ?? "")) }
            if text[open...].hasPrefix("<!--") {
                guard let end = text[open...].range(of: "-->") else { break }
                i = end.upperBound
                continue
            }
            guard let close = text[open...].firstIndex(of: ">") else { break }
            let body = text[text.index(after: open)..<close]
            i = text.index(after: close)
            if body.hasPrefix("?") || body.hasPrefix("!") { continue }
            if body.hasPrefix("/") {
                let name = localName(String(body.dropFirst()).trimmingCharacters(in: .whitespaces))
                if let at = stack.lastIndex(of: name) { stack.removeSubrange(at...) }
                out.append(.close(name))
                continue
            }
            let selfClosing = body.hasSuffix("/")
            let inner = selfClosing ? body.dropLast() : body
            let nameEnd = inner.firstIndex(where: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }) ?? inner.endIndex
            let name = localName(String(inner[..<nameEnd]))
            out.append(.open(Tag(name: name, attributes: attributes(inner[nameEnd...]), selfClosing: selfClosing)))
            if !selfClosing { stack.append(name) }
        }
        return out
    }

    /// `x:sheet` → `sheet` (SpreadsheetML may be written with a namespace prefix); attributes
    /// keep theirs (`r:id`).
    static func localName(_ name: String) -> String {
        name.split(separator: ":").last.map(String.init) ?? name
    }

    static func attributes(_ text: Substring) -> [String: String] {
        var out: [String: String] = [:]
        var rest = text[...]
        while let eq = rest.firstIndex(of: "=") {
            let key = rest[..<eq].trimmingCharacters(in: .whitespacesAndNewlines)
            var after = rest[rest.index(after: eq)...].drop { $0 == " " }
            guard let quote = after.first, quote == "\"" || quote == "'" else { break }
            after = after.dropFirst()
            guard let end = after.firstIndex(of: quote) else { break }
            out[key] = XMLText.unescape(String(after[..<end]))
            rest = after[after.index(after: end)...]
        }
        return out
    }
}
