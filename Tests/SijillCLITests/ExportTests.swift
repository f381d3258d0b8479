import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import SijillTestSupport
import Testing

/// `sijill export`: searchable PDF/A-2b of real ingested records (scans in JPEG, PNG and G4
/// TIFF; scanner and born-digital PDFs), read back with Poppler, qpdf and fontTools.
@Suite(.serialized) struct ExportTests {
    /// One home with box-folder and box-pdf ingested (OCR by Tesseract, PDF text read).
    static let home: Result<URL, any Error> = Result {
        let home = try FixtureFiles.temporaryDirectory("sijill-export")
        for box in ["box-folder", "box-pdf"] {
            let out = try CLIRunner.run(["ingest", FixtureFiles.box(box).path, "--jobs", "2"], home: home)
            guard out.status == 0 else { throw CLITests.CLIError(message: "ingest \(box) failed: \(out.stderr)") }
        }
        return home
    }

    static func records(_ home: URL) throws -> [[String: Any]] {
        let out = try CLIRunner.run(["search", "وزارة OR رقم OR التاريخ OR المدير OR السيد", "--json", "--limit", "200"], home: home)
        let json = try #require(try JSONSerialization.jsonObject(with: out.stdout) as? [String: Any])
        let hits = try #require((json["hits"] ?? json["results"]) as? [[String: Any]])
        var ids: [String] = []
        for hit in hits { if let id = hit["record"] as? String, !ids.contains(id) { ids.append(id) } }
        return try ids.map { id in
            let show = try CLIRunner.run(["show", id, "--json"], home: home)
            return try #require(try JSONSerialization.jsonObject(with: show.stdout) as? [String: Any])
        }
    }

    static func tool(_ path: String, _ arguments: [String]) throws -> (status: Int32, out: Data, err: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let error = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, data, error)
    }

    /// Text without format characters (Poppler's embedding marks, our right-to-left marks),
    /// whitespace collapsed.
    static func normalized(_ text: String) -> [Unicode.Scalar] {
        let format: (Unicode.Scalar) -> Bool = { [0x200E, 0x200F, 0x061C, 0x0C].contains($0.value) || (0x202A...0x202E).contains($0.value) || (0x2066...0x2069).contains($0.value) }
        let words = String(String.UnicodeScalarView(text.unicodeScalars.filter { !format($0) })).split(whereSeparator: \.isWhitespace)
        return Array(words.joined(separator: " ").unicodeScalars)
    }

    static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1]
            for (j, y) in b.enumerated() { current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1))) }
            previous = current
        }
        return previous[b.count]
    }

    func export(_ home: URL, _ id: String, _ extra: [String] = []) throws -> URL {
        let file = home.appendingPathComponent("\(id.prefix(12))-\(extra.joined()).pdf")
        let out = try CLIRunner.run(["export", id, "--out", file.path] + extra, home: home)
        #expect(out.status == 0, "\(out.stderr)")
        return file
    }

    @Test("pdftotext gives back every record's stored text: CER ≤ 0.5%, words in logical order, numbers not reversed")
    func textReadsBack() throws {
        let home = try Self.home.get()
        let records = try Self.records(home)
        #expect(records.count >= 8)
        var errors = 0, total = 0
        for record in records {
            let id = try #require(record["record"] as? String)
            let pages = try #require(record["pages"] as? [[String: Any]])
            let stored = try pages.map { page in
                try CLIRunner.run(["cat", try #require(page["text_id"] as? String)], home: home).text
            }.joined(separator: "\n")
            let pdf = try export(home, id)
            let extracted = String(decoding: try Self.tool("/usr/bin/pdftotext", [pdf.path, "-"]).out, as: UTF8.self)
            let a = Self.normalized(stored), b = Self.normalized(extracted)
            let d = Self.distance(a, b)
            errors += d
            total += a.count
            #expect(Double(d) <= 0.005 * Double(a.count), "record \(id.prefix(12)): \(d) edits in \(a.count)")
            // Every number as stored (both digit scripts, with its separators), unreversed.
            let text = String(String.UnicodeScalarView(b))
            for number in String(String.UnicodeScalarView(a)).split(whereSeparator: { !($0.isNumber || $0 == "/") })
            where number.count >= 3 && number.first!.isNumber {
                #expect(text.contains(number), "record \(id.prefix(12)): \(number) not found as stored")
            }
        }
        #expect(total > 3_000)
        #expect(Double(errors) <= 0.005 * Double(total))
    }

    @Test("pdftotext -bbox: every word lies on its hOCR line, almost all on their hOCR word's box")
    func wordBoxes() throws {
        let home = try Self.home.get()
        let record = try #require(try Self.records(home).first { ($0["pages"] as? [[String: Any]])?.count ?? 0 >= 2 })
        let id = try #require(record["record"] as? String)
        let pages = try #require(record["pages"] as? [[String: Any]])
        let pdf = try export(home, id)
        let html = String(decoding: try Self.tool("/usr/bin/pdftotext", ["-bbox", pdf.path, "-"]).out, as: UTF8.self)
        let pageChunks = html.components(separatedBy: "<page ").dropFirst()
        #expect(pageChunks.count == pages.count)
        var inside = 0, words = 0
        for (chunk, page) in zip(pageChunks, pages) {
            let dpi = Double(try #require(page["dpi"] as? Int))
            let hocr = try CLIRunner.run(["cat", try #require(page["hocr_id"] as? String)], home: home).text
            func boxes(_ cls: String) -> [[Double]] {
                hocr.components(separatedBy: "class=\"\(cls)\"").dropFirst().compactMap { part in
                    guard let r = part.range(of: "bbox ") else { return nil }
                    let n = part[r.upperBound...].prefix { $0 != ";" && $0 != "\"" }.split(separator: " ").compactMap { Double($0) }
                    return n.count == 4 ? n : nil
                }
            }
            let lines = boxes("ocr_line"), hocrWords = boxes("ocrx_word")
            for line in chunk.components(separatedBy: "<word ").dropFirst() {
                let attrs = ["xMin", "yMin", "xMax", "yMax"].compactMap { key -> Double? in
                    guard let r = line.range(of: "\(key)=\"") else { return nil }
                    return Double(line[r.upperBound...].prefix { $0 != "\"" }).map { $0 * dpi / 72 }
                }
                guard attrs.count == 4 else { continue }
                let text = line.split(separator: ">").dropFirst().first?.split(separator: "<").first.map(String.init) ?? ""
                guard !Self.normalized(text).isEmpty else { continue }
                words += 1
                let slack = 2.0
                // Vertically on a line; horizontally within that line or its own word's box
                // (OCR word boxes sometimes stick out of their line's).
                #expect(lines.contains { l in
                    attrs[1] >= l[1] - slack && attrs[3] <= l[3] + slack
                        && ((attrs[0] >= l[0] - slack && attrs[2] <= l[2] + slack)
                            || hocrWords.contains { w in attrs[0] >= w[0] - slack && attrs[2] <= w[2] + slack && w[1] < l[3] && w[3] > l[1] })
                }, "word \(text) at \(attrs) is on no hOCR line")
                if hocrWords.contains(where: { w in attrs[0] >= w[0] - slack && attrs[2] <= w[2] + slack }) { inside += 1 }
            }
        }
        #expect(words > 50)
        #expect(Double(inside) >= 0.95 * Double(words), "\(inside) of \(words) words inside their hOCR boxes")
    }

    @Test("PDF/A-2b rules that apply, checked one by one; images embedded as stored and shown the right way round")
    func pdfaRules() throws {
        let home = try Self.home.get()
        let records = try Self.records(home)
        // A record with JPEG, PNG and G4 TIFF pages.
        let mixed = try #require(records.first { (($0["pages"] as? [[String: Any]]) ?? []).count == 3 })
        let id = try #require(mixed["record"] as? String)
        let pdf = try export(home, id)
        let bytes = try Data(contentsOf: pdf)
        // File structure: header, binary comment, qpdf finds nothing wrong, one trailer ID;
        // dictionaries in a compressed object stream, read below as qpdf writes them out
        // (every object in the open, stream data as stored).
        #expect(bytes.starts(with: Data("%PDF-1.7\n%".utf8)) && bytes[10...13].allSatisfy { $0 >= 128 })
        let check = try Self.tool("/usr/bin/qpdf", ["--check", pdf.path])
        #expect(check.status == 0, "\(String(decoding: check.out, as: UTF8.self)) \(check.err)")
        #expect(String(decoding: bytes, as: UTF8.self).contains("/Type /ObjStm"))
        let expanded = home.appendingPathComponent("expanded.pdf")
        let expand = try Self.tool("/usr/bin/qpdf", ["--object-streams=disable", "--stream-data=preserve", pdf.path, expanded.path])
        #expect(expand.status == 0, "\(expand.err)")
        let text = String(decoding: try Data(contentsOf: expanded), as: UTF8.self)
        #expect(text.contains("/ID [<"))
        // No encryption, actions, scripts, embedded files, transparency groups, interpolation.
        for forbidden in ["/Encrypt", "/JavaScript", "/JS ", "/AA ", "/OpenAction", "/Launch", "/EmbeddedFile", "/S /Transparency", "/Interpolate true", "/SMask"] {
            #expect(!text.contains(forbidden), "\(forbidden) in the PDF")
        }
        // XMP: pdfaid part 2, conformance B, well-formed; the Info title is the XMP title.
        let xmpStart = try #require(text.range(of: "<?xpacket begin"))
        let xmpEnd = try #require(text.range(of: "<?xpacket end=\"w\"?>"))
        let xmp = String(text[xmpStart.lowerBound..<xmpEnd.upperBound])
        #expect(xmp.contains("<pdfaid:part>2</pdfaid:part>") && xmp.contains("<pdfaid:conformance>B</pdfaid:conformance>"))
        #expect(XMLParser(data: Data(xmp.utf8)).parse())
        #expect(xmp.contains("sha256:\(id)"))
        let info = String(decoding: try Self.tool("/usr/bin/pdfinfo", [pdf.path]).out, as: UTF8.self)
        let title = try #require(info.split(separator: "\n").first { $0.hasPrefix("Title:") }).dropFirst(6).trimmingCharacters(in: .whitespaces)
        #expect(xmp.contains("<rdf:li xml:lang=\"x-default\">\(title)</rdf:li>"))
        #expect(info.contains("Encrypted:       no"))
        // OutputIntent GTS_PDFA1 with an RGB ICC profile.
        #expect(text.contains("/S /GTS_PDFA1") && text.contains("/DestOutputProfile") && text.contains("/N 3"))
        // Fonts: every one embedded, with a ToUnicode map.
        let fonts = String(decoding: try Self.tool("/usr/bin/pdffonts", [pdf.path]).out, as: UTF8.self).split(separator: "\n").dropFirst(2)
        #expect(!fonts.isEmpty)
        for font in fonts {
            let columns = font.split(separator: " ", omittingEmptySubsequences: true)
            #expect(columns.count >= 7 && columns[columns.count - 5] == "yes" && columns[columns.count - 3] == "yes", "\(font)")
        }
        // Images as stored: the JPEG's bytes are in the file; 3 pages, right way round (a
        // page of paper is mostly white: an inverted G4 page would be mostly black).
        let pages = try #require(mixed["pages"] as? [[String: Any]])
        #expect(pages.count == 3)
        for page in pages where (page["source"] as? String ?? "").hasSuffix(".jpg") {
            let jpeg = try CLIRunner.run(["cat", try #require(page["page_id"] as? String)], home: home).stdout
            #expect(!jpeg.isEmpty && bytes.range(of: jpeg) != nil, "the stored JPEG is not embedded byte for byte")
        }
        for n in 1...3 {
            let pgm = try Self.tool("/usr/bin/pdftoppm", ["-gray", "-r", "20", "-f", "\(n)", "-l", "\(n)", pdf.path]).out
            // Binary PGM: header "P5\nW H\n255\n", then one byte per pixel.
            var newlines = 0, start = 0
            for (i, b) in pgm.enumerated() where b == 0x0A {
                newlines += 1
                if newlines == 3 { start = i + 1; break }
            }
            let pixels = pgm[start...]
            let mean = Double(pixels.reduce(0) { $0 + Int($1) }) / Double(max(1, pixels.count))
            #expect(mean > 150, "page \(n) renders dark (mean \(mean)): inverted image?")
        }
    }

    @Test("the text layer's font is a valid TrueType font (fontTools): two empty glyphs half an em wide")
    func fontIsValid() throws {
        let home = try Self.home.get()
        let id = try #require(try Self.records(home).first?["record"] as? String)
        let pdf = try export(home, id)
        let script = """
            import sys, subprocess, zlib, re
            data = open(sys.argv[1], 'rb').read()
            m = re.search(rb'/Filter /FlateDecode /Length1 (\\d+) /Length (\\d+) >>\\nstream\\n', data)
            font = zlib.decompress(data[m.end():m.end() + int(m.group(2))])
            assert len(font) == int(m.group(1)), 'Length1'
            open(sys.argv[2], 'wb').write(font)
            from fontTools.ttLib import TTFont
            f = TTFont(sys.argv[2])
            assert f['maxp'].numGlyphs == 2 and f['head'].unitsPerEm == 1000
            assert all(f['hmtx'][g][0] == 500 for g in f.getGlyphOrder())
            for tag in ['head', 'hhea', 'maxp', 'hmtx', 'loca', 'glyf', 'cmap']: f[tag].compile(f)
            print('ok', sorted(t for t in f.keys() if t != 'GlyphOrder'))
            """
        let out = try Self.tool("/usr/bin/env", ["python3", "-c", script, pdf.path, home.appendingPathComponent("font.ttf").path])
        #expect(out.status == 0 && String(decoding: out.out, as: UTF8.self).hasPrefix("ok ['cmap', 'glyf', 'head', 'hhea', 'hmtx', 'loca', 'maxp']"), "\(out.err)")
    }

    @Test("--pages and --series export what they name; bad input is refused with a clear error")
    func selectionsAndErrors() throws {
        let home = try Self.home.get()
        let records = try Self.records(home)
        let mixed = try #require(records.first { (($0["pages"] as? [[String: Any]]) ?? []).count == 3 })
        let id = try #require(mixed["record"] as? String)
        let two = try export(home, id, ["--pages", "2-3"])
        let info = String(decoding: try Self.tool("/usr/bin/pdfinfo", [two.path]).out, as: UTF8.self)
        #expect(info.contains("Pages:           2"))
        let folder = home.appendingPathComponent("series-out")
        let series = try CLIRunner.run(["export", "--series", try #require((mixed["metadata"] as? [String: Any])?["series"] as? String ?? "LAND"), "--out", folder.path], home: home)
        if (mixed["metadata"] as? [String: Any])?["series"] is String {
            #expect(series.status == 0, "\(series.stderr)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".pdf") }.count >= 1)
        }
        let boxFolder = home.appendingPathComponent("box-out")
        let box = try CLIRunner.run(["export", "--box", "box-pdf", "--out", boxFolder.path], home: home)
        #expect(box.status == 0, "\(box.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: boxFolder.path).filter { $0.hasSuffix(".pdf") }.count >= 4)
        let missingPage = try CLIRunner.run(["export", id, "--pages", "9", "--out", "-"], home: home)
        #expect(missingPage.status == 2 && missingPage.stderr.contains("no page 9"))
        let unknown = try CLIRunner.run(["export", String(repeating: "ab", count: 32), "--out", "-"], home: home)
        #expect(unknown.status == 5, "\(unknown.stderr)")
        let both = try CLIRunner.run(["export", id, "--series", "X"], home: home)
        #expect(both.status == 2)
        let noSeries = try CLIRunner.run(["export", "--series", "NO-SUCH-SERIES", "--out", folder.path], home: home)
        #expect(noSeries.status == 5 && noSeries.stderr.contains("NO-SUCH-SERIES"))
    }

    @Test("a certified copy carries the same text layer: pdftotext reads the pages' stored text and the certification page; the signature stays valid")
    func copyCarriesText() throws {
        let home = try Self.home.get()
        let records = try Self.records(home)
        let mixed = try #require(records.first { (($0["pages"] as? [[String: Any]]) ?? []).count == 3 })
        let id = try #require(mixed["record"] as? String)
        let pages = try #require(mixed["pages"] as? [[String: Any]])
        if !FileManager.default.fileExists(atPath: home.appendingPathComponent("keys").path) {
            #expect(try CLIRunner.run(["keys", "init", "--name", "أرشيف الاختبار"], home: home).status == 0)
        }
        let clerk = try CLIRunner.run(["token", "create", "--role", "clerk", "--name", "copy-\(UUID().uuidString.prefix(6))"], home: home).text
            .split(separator: "\n").first.map(String.init) ?? ""
        let pdf = home.appendingPathComponent("copy-\(id.prefix(8)).pdf")
        let issue = try CLIRunner.run(["copy", "issue", id, "--pages", "1-2", "--for", "طلب 5", "--out", pdf.path, "--token", clerk], home: home)
        #expect(issue.status == 0, "\(issue.stderr)")
        let verify = try CLIRunner.run(["verify", pdf.path], home: home)
        #expect(verify.status == 0 && verify.text.hasPrefix("valid"), "\(verify.text) \(verify.stderr)")
        let sig = try Self.tool("/usr/bin/pdfsig", [pdf.path])
        #expect(String(decoding: sig.out, as: UTF8.self).contains("Signature is Valid"))
        for (n, page) in pages.prefix(2).enumerated() {
            let stored = Self.normalized(try CLIRunner.run(["cat", try #require(page["text_id"] as? String)], home: home).text)
            let extracted = Self.normalized(String(
                decoding: try Self.tool("/usr/bin/pdftotext", ["-f", "\(n + 1)", "-l", "\(n + 1)", pdf.path, "-"]).out, as: UTF8.self))
            let d = Self.distance(stored, extracted)
            #expect(Double(d) <= 0.005 * Double(stored.count), "copy page \(n + 1): \(d) edits in \(stored.count)")
        }
        let copyID = try #require(issue.stderr.split(separator: " ").dropFirst().first.map(String.init))
        let stamp = String(String.UnicodeScalarView(Self.normalized(String(
            decoding: try Self.tool("/usr/bin/pdftotext", ["-f", "3", "-l", "3", pdf.path, "-"]).out, as: UTF8.self))))
        #expect(stamp.contains("نسخة طبق الأصل") && stamp.contains(copyID) && stamp.contains("من 3"),
            "the certification page's text is not extractable: \(stamp)")

    }

    @Test("PDFium (Chromium's PDF engine) reads the same logical text and finds names and numbers in it")
    func pdfiumFinds() throws {
        let home = try Self.home.get()
        let records = try Self.records(home)
        var checked = 0, linesFound = 0, linesTotal = 0
        for record in records.prefix(6) {
            let id = try #require(record["record"] as? String)
            let pages = try #require(record["pages"] as? [[String: Any]])
            let stored = try pages.map { try CLIRunner.run(["cat", try #require($0["text_id"] as? String)], home: home).text }.joined(separator: "\n")
            let pdf = try export(home, id)
            // Words of the stored text: the longest Arabic word and the longest number, each
            // searched for as PDFium's FPDFText_Find would in a viewer's find bar.
            let words = stored.split(whereSeparator: { $0.isWhitespace || ":،,.".contains($0) }).map(String.init)
            let name = words.filter { $0.unicodeScalars.allSatisfy { VisualOrderProbe.isArabicLetter($0) } }.max { $0.count < $1.count } ?? ""
            let number = words.filter { $0.count >= 3 && $0.allSatisfy { $0.isNumber || $0 == "/" } }.max { $0.count < $1.count } ?? ""
            let script = FixtureFiles.root.appendingPathComponent("Tests/tools/pdfium_text.py").path
            let out = try Self.tool("/usr/bin/env", ["python3", script, pdf.path, name, number].filter { !$0.isEmpty })
            #expect(out.status == 0, "\(out.err)")
            let parts = String(decoding: out.out, as: UTF8.self).components(separatedBy: "\u{0}\n")
            // PDFium orders lines by its own layout analysis: each stored line is looked for
            // whole, in logical order, anywhere in its text.
            let extracted = String(String.UnicodeScalarView(Self.normalized(parts.first ?? "")))
            let lines = stored.split(separator: "\n").map { String(String.UnicodeScalarView(Self.normalized(String($0)))) }
                .filter { $0.split(separator: " ").count >= 2 }
            let whole = lines.filter { extracted.contains($0) }.count
            #expect(Double(whole) >= 0.9 * Double(lines.count), "PDFium, record \(id.prefix(12)): \(whole) of \(lines.count) lines whole")
            linesFound += whole
            linesTotal += lines.count
            for line in (parts.dropFirst().first ?? "").split(separator: "\n") where !line.isEmpty {
                #expect(line.hasSuffix(" found"), "PDFium, record \(id.prefix(12)): \(line)")
            }
            checked += 1
        }
        #expect(checked >= 4)
        #expect(Double(linesFound) >= 0.9 * Double(linesTotal), "PDFium: \(linesFound) of \(linesTotal) lines whole")
    }
}

/// Which characters count as Arabic letters for the probe words above.
enum VisualOrderProbe {
    static func isArabicLetter(_ scalar: Unicode.Scalar) -> Bool {
        (0x621...0x64A).contains(scalar.value)
    }
}
