import Foundation
import SijillTestSupport
import Testing
@testable import SijillIngest

/// Properties of the manifest reader on random bytes, tables and manifests; see ``Fuzz`` for the
/// seed and iteration settings.
@Suite struct ManifestFuzzTests {
    /// A CSV cell: Arabic, spaces, and the characters CSV must quote.
    static func cell(_ r: inout Random) -> String {
        var out = ""
        for _ in 0..<r.weighted([(3, 0), (10, 1), (6, 2), (3, 5), (1, 12)]) {
            out += r.weighted([
                (8, r.word()), (4, ","), (4, "\""), (2, "\"\""), (2, "\r"), (3, "\n"), (3, "\r\n"), (4, " "), (1, "\t"),
                (1, "\u{FEFF}"), (1, "\u{200F}"), (2, String(r.scalar())), (2, r.text(maxLength: 10)), (1, "=1+2"),
            ])
        }
        return out
    }

    /// `table` written as RFC 4180 CSV: cells quoted when they need it (or at random), quotes
    /// doubled, rows ended by CRLF, LF or CR, the last row's end optional; and the line (1-based,
    /// as an editor counts them) each row starts on.
    /// `separator`: `,`, or `;` or tab as other spreadsheets write (cells holding any of the three
    /// are quoted, as such writers quote their own separator).
    static func encode(_ table: [[String]], _ r: inout Random, separator: Unicode.Scalar = ",") -> (text: String, lines: [Int]) {
        var text = String.UnicodeScalarView()
        var starts: [Int] = []
        for (i, row) in table.enumerated() {
            starts.append(text.count)
            for (j, field) in row.enumerated() {
                if j > 0 { text.append(separator) }
                let needsQuotes =
                    field.unicodeScalars.contains { $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == separator }
                    || (separator != "," && field.unicodeScalars.contains { $0 == "," || $0 == ";" || $0 == "\t" })
                    // (a first row of one cell holding a tab or semicolon would be read as that
                    // separator's header: the reader decides from the first line alone)
                    || (i == 0 && row.count == 1 && field.unicodeScalars.contains { $0 == ";" || $0 == "\t" })
                    || (row.count == 1 && field.isEmpty)  // else a blank line
                    || (i == 0 && j == 0 && field.unicodeScalars.first == "\u{FEFF}")  // else read as a BOM
                if needsQuotes || r.chance(0.15) {
                    text.append("\"")
                    for s in field.unicodeScalars {
                        if s == "\"" { text.append("\"") }
                        text.append(s)
                    }
                    text.append("\"")
                } else {
                    text.append(contentsOf: field.unicodeScalars)
                }
            }
            if i < table.count - 1 || r.chance(0.6) {
                text.append(contentsOf: r.weighted([(5, "\r\n"), (5, "\n"), (1, "\r")]).unicodeScalars)
            }
        }
        let scalars = Array(text)
        let lines = starts.map { start in
            1 + scalars[..<start].indices.filter { k in
                scalars[k] == "\n" || (scalars[k] == "\r" && (k + 1 == scalars.count || scalars[k + 1] != "\n"))
            }.count
        }
        return (String(text), lines)
    }

    static func table(_ r: inout Random) -> [[String]] {
        let width = r.int(1...5)
        return (0..<r.weighted([(1, 0), (6, r.int(1...4)), (2, r.int(5...12))])).map { _ in
            (0..<(r.chance(0.8) ? width : r.int(1...7))).map { _ in cell(&r) }
        }
    }

    static func utf8(_ text: String, bom: Bool) -> Data {
        (bom ? Data([0xEF, 0xBB, 0xBF]) : Data()) + Data(text.utf8)
    }

    @Test("RFC 4180 CSV reads back to the same fields and lines, separated by commas, semicolons or tabs")
    func roundTrip() {
        let failure = Fuzz.firstFailure("csv round trip", iterations: 2_000, generate: { r -> ([[String]], String, [Int], Bool) in
            let table = Self.table(&r)
            // (another separator only where the first row shows it: a one-cell first row has none)
            let separator: Unicode.Scalar = (table.first?.count ?? 0) >= 2 ? r.weighted([(4, ","), (1, ";"), (1, "\t")]) : ","
            let (text, lines) = Self.encode(table, &r, separator: separator)
            return (table, text, lines, r.chance(0.5))
        }, show: { "table \($0.0.map { $0.map { Fuzz.escape($0) } }), CSV \(Fuzz.escape($0.1)), BOM \($0.3)" }) { table, text, lines, bom in
            let rows = try CSVReader.parse(Self.utf8(text, bom: bom), name: "m.csv")
            if rows.map(\.fields) != table {
                return "read as \(rows.map { $0.fields.map { Fuzz.escape($0) } })"
            }
            if rows.map(\.line) != lines { return "rows start on lines \(rows.map(\.line)), not \(lines)" }
            return nil
        }
        #expect(failure == nil, "\(failure ?? "")")
    }

    /// Bytes: random, or a manifest with bytes changed, added, removed or cut off, behind any BOM.
    static func bytes(_ r: inout Random) -> [UInt8] {
        var bytes: [UInt8]
        if r.chance(0.2) {
            bytes = (0..<r.length(max: 300)).map { _ in r.byte() }
        } else {
            bytes = Array(encode(manifestTable(&r), &r).text.utf8)
            for _ in 0..<r.weighted([(2, 0), (5, 1), (3, 3), (1, 20)]) where !bytes.isEmpty {
                let at = r.int(0..<bytes.count)
                let b = r.chance(0.5) ? r.element(Array("\",\r\n \u{0}".utf8) + [0xD8, 0xA7, 0xC0, 0xFF, 0xEF]) : r.byte()
                switch r.int(0..<4) {
                case 0: bytes[at] = b
                case 1: bytes.insert(b, at: at)
                case 2: bytes.remove(at: at)
                default: bytes.removeLast(r.int(0...min(8, bytes.count)))
                }
            }
        }
        let prefix = r.weighted([(6, []), (3, [0xEF, 0xBB, 0xBF]), (1, [0xFF, 0xFE]), (1, [0xFE, 0xFF]), (1, [0xEF, 0xBB]),
                                 (1, [0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF])] as [(Int, [UInt8])])
        return prefix + bytes
    }

    @Test("any bytes are read, or refused with a ManifestError, and every row is accounted for")
    func anyBytes() {
        let failure = Fuzz.firstFailure("manifest bytes", iterations: 1_500, generate: { Self.bytes(&$0) }, show: { Fuzz.hex($0) }) { bytes in
            let data = Data(bytes)
            let rows: [CSVReader.Row]
            do {
                rows = try CSVReader.parse(data, name: "m.csv")
            } catch is ManifestError {
                return (try? Manifest(data: data, name: "m.csv")) == nil ? nil : "the CSV was refused but the manifest read"
            }
            if zip(rows, rows.dropFirst()).contains(where: { $0.line >= $1.line }) || rows.first.map({ $0.line < 1 }) == true {
                return "row lines \(rows.map(\.line)) do not increase from 1"
            }
            let manifest: Manifest
            do {
                manifest = try Manifest(data: data, name: "m.csv")
            } catch is ManifestError {
                return nil
            }
            return Self.accounting(manifest, rows: rows)
        }
        #expect(failure == nil, "\(failure ?? "")")
    }

    /// Every row after the header is an entry or a problem, once; only blank rows are skipped.
    static func accounting(_ manifest: Manifest, rows: [CSVReader.Row]) -> String? {
        let expected = rows.dropFirst().filter { !$0.fields.allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty } }.map(\.line)
        let reported = (manifest.entries.map(\.line) + manifest.problems.map(\.line)).sorted()
        return reported == expected ? nil : "rows on lines \(expected), entries and problems on lines \(reported)"
    }

    static func manifestTable(_ r: inout Random) -> [[String]] {
        var columns = (0..<r.int(0...6)).map { _ in
            r.element(["series", "agency", "date", "title", "reference", "record", "page", "shelf", "الرقم", "", " Notes ", "Title"])
        }
        if r.chance(0.85) { columns.insert(r.element(["file", "File", " FILE ", "file\t", "fıle"]), at: r.int(0...columns.count)) }
        if columns.isEmpty { columns = [""] }
        let rowCount = r.weighted([(1, 0), (8, r.int(1...6)), (2, r.int(7...20))])
        let rows = (0..<rowCount).map { _ -> [String] in
            if r.chance(0.08) { return (0..<r.int(1...columns.count + 1)).map { _ in r.element(["", " ", "\t"]) } }
            var cells = columns.map { column -> String in
                switch column.trimmingCharacters(in: .whitespaces).lowercased() {
                case "file": return r.element(Self.paths + [cell(&r)])
                case "record": return r.element(["", "", "0123456789ab", String(repeating: "ab", count: 32), "xyz", " 0123456789AB ", cell(&r)])
                case "page": return r.element(["", "", "1", "3", "0", "-2", "x", "99999999999999999999", " 2 ", "٣"])
                default: return r.chance(0.3) ? "" : cell(&r)
                }
            }
            if r.chance(0.1) { cells.removeLast(r.int(0...cells.count - 1)) }
            if r.chance(0.1) { cells += (0..<r.int(1...3)).map { _ in r.element(["", " ", "extra", cell(&r)]) } }
            return cells
        }
        return [columns] + rows
    }

    static let paths = [
        "dossier-1/", "x.png", "a/b/c.tif", "./x/./y.png", "ملف/صفحة ١.png", "a\\b.png", "../up.png", "/abs.png", "C:\\x.png",
        "a\u{0}b.png", "a\u{202E}gnp.exe", "a\u{200F}b.png", " ", "", "a//b", ".", "x/..", String(repeating: "م", count: 600),
        String(repeating: "a", count: 256), "e\u{301}.png", "\u{7}.png",
    ]

    @Test("a manifest of random header and rows is refused for its header or accounts for every row")
    func manifests() {
        let failure = Fuzz.firstFailure("manifest rows", iterations: 1_500, generate: { r -> ([[String]], String, [Int], Bool) in
            let table = Self.manifestTable(&r)
            let (text, lines) = Self.encode(table, &r)
            return (table, text, lines, r.chance(0.5))
        }, show: { "CSV \(Fuzz.escape($0.1)), BOM \($0.3)" }) { table, text, lines, bom in
            let columns = table[0].map(Manifest.column)
            let named = columns.filter { !$0.isEmpty }
            let badHeader = !columns.contains("file") || Set(named).count != named.count
            let manifest: Manifest
            do {
                manifest = try Manifest(data: Self.utf8(text, bom: bom), name: "m.csv")
            } catch let error as ManifestError {
                return badHeader && "\(error)".contains("header row") ? nil : "refused: \(error)"
            }
            if badHeader { return "a header \(table[0].map { Fuzz.escape($0) }) was accepted" }
            if let problem = Self.accounting(manifest, rows: zip(lines, table).map { CSVReader.Row(line: $0, fields: $1) }) {
                return problem
            }
            // An entry holds its row's cells, trimmed.
            let fileIndex = columns.firstIndex(of: "file")!
            for entry in manifest.entries {
                let row = table[lines.firstIndex(of: entry.line)!]
                func cell(_ column: String) -> String? {
                    guard let i = columns.firstIndex(of: column), i < row.count else { return nil }
                    let v = row[i].trimmingCharacters(in: .whitespacesAndNewlines)
                    return v.isEmpty ? nil : v
                }
                if case .success(let path) = EntryPath.normalize(row[fileIndex].trimmingCharacters(in: .whitespacesAndNewlines)),
                    path == entry.file, entry.metadata.title == cell("title"), entry.metadata.series == cell("series"),
                    entry.metadata.extra["shelf"] == cell("shelf"), entry.replaces.map(\.page) == cell("page").flatMap({ Int($0) })
                {
                    continue
                }
                return "entry \(entry) does not hold the cells of line \(entry.line)"
            }
            return nil
        }
        #expect(failure == nil, "\(failure ?? "")")
    }

    @Test("a 10 MB row is read in bounded time", arguments: ["quoted", "fields", "unclosed"])
    func hugeRow(kind: String) throws {
        let chunk = "طلب نقل ملكية، قطعة \"\"٤٥\"\"\r\nسطر, ثان "  // quoted: doubled quotes, comma, CRLF
        var body = String(repeating: chunk, count: 10_000_000 / chunk.utf8.count)
        body = "x" + body + "x"
        let clock = ContinuousClock()
        switch kind {
        case "quoted":
            // Read whole by the CSV reader; the manifest refuses the row for its over-long cell.
            let data = Data(("file,title\r\nx.png,\"" + body + "\"\r\n").utf8)
            var rows: [CSVReader.Row] = [], manifest: Manifest?
            let elapsed = try clock.measure {
                rows = try CSVReader.parse(data, name: "m.csv")
                manifest = try Manifest(data: data, name: "m.csv")
            }
            #expect(rows.map(\.fields.count) == [2, 2] && rows.last?.fields.last == body.replacingOccurrences(of: "\"\"", with: "\""))
            #expect(manifest?.problems.map(\.code) == ["manifest-cell-too-long"])
            #expect(elapsed < .seconds(30), "\(data.count) bytes took \(elapsed)")
        case "fields":
            let data = Data(("file\nx.png" + String(repeating: ",ab", count: 3_400_000) + "\n").utf8)
            var manifest: Manifest?
            let elapsed = try clock.measure { manifest = try Manifest(data: data, name: "m.csv") }
            #expect(manifest?.problems.map(\.code) == ["manifest-row-fields"])
            #expect(elapsed < .seconds(30), "\(data.count) bytes took \(elapsed)")
        default:
            let data = Data(("file,title\nx.png,\"" + body).utf8)
            let elapsed = clock.measure {
                #expect { try Manifest(data: data, name: "m.csv") } throws: { "\($0)".contains("line 2") }
            }
            #expect(elapsed < .seconds(30), "\(data.count) bytes took \(elapsed)")
        }
    }

    @Test("found by these properties: a lone CR inside a quoted cell is a line, as between rows")
    func regressions() throws {
        #expect(try CSVReader.parse(Data("a,\"x\ry\"\nb\rc\n".utf8), name: "m.csv").map(\.line) == [1, 3, 4])
    }
}
