import Foundation
import SijillCore
import SijillTestSupport
import Testing

/// Transaction fields on real OCR text: the pages of `Fixtures/fields` (one transaction each,
/// with ground-truth fields) ingested by Tesseract, then read back through `show --json`,
/// `search ref:`, `--from/--to` with Hijri input, `fields` (CSV) and `reextract`.
@Suite(.serialized) struct FieldsTests {
    struct Page {
        var file: String
        var groundtruth: String
        /// Ground-truth fields by kind, every value as text (`main`: "true").
        var fields: [String: [[String: String]]]
    }

    static let pages: Result<[Page], any Error> = Result {
        let dir = FixtureFiles.fixtures.appendingPathComponent("fields")
        let index = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("index.json"))) as? [String: Any]
        guard let entries = index?["pages"] as? [[String: Any]] else { throw CLITests.CLIError(message: "Fixtures/fields/index.json has no pages") }
        return entries.compactMap { e in
            guard let file = e["file"] as? String, let gt = e["groundtruth"] as? String, let fields = e["fields"] as? [String: [[String: Any]]] else { return nil }
            let text = fields.mapValues { list in
                list.map { $0.mapValues { v in (v as? String) ?? ((v as? Bool).map { $0 ? "true" : "false" }) ?? "\(v)" } }
            }
            // The set's own pages are relative to its folder; the fixture boxes' pages to Fixtures/.
            let base = (e["set"] as? String) == "existing" ? FixtureFiles.fixtures : dir
            return Page(
                file: base.appendingPathComponent(file).standardizedFileURL.path,
                groundtruth: base.appendingPathComponent(gt).standardizedFileURL.path, fields: text)
        }
    }

    /// Every page copied flat (one record per file) and ingested; the record of each page.
    static let home: Result<(home: URL, records: [String: String]), any Error> = Result {
        let home = try FixtureFiles.temporaryDirectory("sijill-fields")
        let box = home.appendingPathComponent("fields-box")
        try FileManager.default.createDirectory(at: box, withIntermediateDirectories: true)
        var names: [String: String] = [:]
        for (n, page) in try pages.get().enumerated() {
            let name = String(format: "%03d-", n) + URL(fileURLWithPath: page.file).lastPathComponent
            try FileManager.default.copyItem(atPath: page.file, toPath: box.appendingPathComponent(name).path)
            names[name] = page.file
        }
        let out = try CLIRunner.run(["ingest", box.path, "--jobs", "2", "--json"], home: home)
        guard out.status == 0 || out.status == 3,
            let report = try JSONSerialization.jsonObject(with: out.stdout) as? [String: Any],
            let items = report["items"] as? [[String: Any]]
        else { throw CLITests.CLIError(message: "ingest failed: \(out.stderr)") }
        var records: [String: String] = [:]
        for item in items {
            if let name = (item["name"] as? String).map({ URL(fileURLWithPath: $0).lastPathComponent }), let file = names[name],
                let record = item["record"] as? String
            {
                records[file] = record
            }
        }
        return (home, records)
    }

    static func fold(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x064B...0x0652, 0x0670, 0x0640, 0x200E, 0x200F, 0x061C, 0x202A...0x202E, 0x2066...0x2069: continue
            case 0x0623, 0x0625, 0x0622, 0x0671: out += "ا"
            case 0x0629: out += "ه"
            case 0x0649: out += "ي"
            case 0x0660...0x0669: out += String(scalar.value - 0x0660)
            case 0x06F0...0x06F9: out += String(scalar.value - 0x06F0)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// How a field is compared with the ground truth, per kind.
    static func key(_ kind: String, _ field: [String: Any]) -> String {
        let value = field["value"] as? String ?? field["text"] as? String ?? ""
        switch kind {
        case "references": return fold(value).replacingOccurrences(of: " ", with: "")
        case "dates": return value
        case "parties": return fold(value)
        default: return fold(value).replacingOccurrences(of: ",", with: "") + "|" + fold(field["currency"] as? String ?? "")
        }
    }

    func fields(of record: String, _ home: URL) throws -> [String: [[String: Any]]] {
        let show = try CLIRunner.run(["show", record, "--json"], home: home)
        let json = try #require(try JSONSerialization.jsonObject(with: show.stdout) as? [String: Any])
        return try #require(json["fields"] as? [String: [[String: Any]]])
    }

    /// Precision and recall per kind of `found` (fields by page file) against the ground truth.
    struct Score {
        var tp: [String: Int] = [:], found: [String: Int] = [:], expected: [String: Int] = [:]
        var misses: [String] = []
        func precision(_ k: String) -> Double { found[k, default: 0] == 0 ? 1 : Double(tp[k, default: 0]) / Double(found[k]!) }
        func recall(_ k: String) -> Double { expected[k, default: 0] == 0 ? 1 : Double(tp[k, default: 0]) / Double(expected[k]!) }
        var summary: String {
            ["references", "dates", "parties", "amounts"].map { String(format: "%@ P %.3f R %.3f", $0, precision($0), recall($0)) }
                .joined(separator: "; ") + "\n" + misses.joined(separator: "\n")
        }

        mutating func add(_ page: Page, _ got: [String: [[String: Any]]]) {
            for kind in ["references", "dates", "parties", "amounts"] {
                var want = (page.fields[kind] ?? []).map { FieldsTests.key(kind, $0 as [String: Any]) }
                let have = (got[kind] ?? []).map { FieldsTests.key(kind, $0) }
                found[kind, default: 0] += have.count
                expected[kind, default: 0] += want.count
                for h in have {
                    if let i = want.firstIndex(of: h) {
                        want.remove(at: i)
                        tp[kind, default: 0] += 1
                    } else {
                        misses.append("\(URL(fileURLWithPath: page.file).lastPathComponent) \(kind): extra \(h)")
                    }
                }
                for w in want { misses.append("\(URL(fileURLWithPath: page.file).lastPathComponent) \(kind): missed \(w)") }
            }
        }
    }

    @Test("the rules on the fixtures' ground-truth text: references and dates precision ≥ 98% and recall ≥ 95%, parties recall ≥ 85%, main date right")
    func rulesOnGroundTruth() throws {
        var score = Score()
        var mains = 0, mainsRight = 0
        for page in try Self.pages.get() {
            let text = try String(contentsOfFile: page.groundtruth, encoding: .utf8)
            let fields = FieldExtractor.extract(pages: [(1, text)])
            let json = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(fields)) as? [String: [[String: Any]]])
            score.add(page, json)
            if let main = page.fields["dates"]?.first(where: { $0["main"] == "true" })?["value"] {
                mains += 1
                mainsRight += fields.mainDate?.value == main ? 1 : 0
            }
        }
        #expect(score.expected["references", default: 0] >= 40 && score.expected["dates", default: 0] >= 60, "too few fields to measure: \(score.expected)")
        #expect(score.precision("references") >= 0.98 && score.recall("references") >= 0.95, "\(score.summary)")
        #expect(score.precision("dates") >= 0.98 && score.recall("dates") >= 0.95, "\(score.summary)")
        #expect(score.recall("parties") >= 0.85, "\(score.summary)")
        #expect(Double(mainsRight) >= 0.95 * Double(mains), "main date right on \(mainsRight) of \(mains) pages")
    }

    /// On Tesseract's text the same rules lose what OCR misreads (digits, a letter inside a
    /// reference, a word split in two): floors at the figures measured (bench/extract prints
    /// them and the issue's targets), so that a rule change that loses fields fails here.
    @Test("on the fixtures' OCR text: every field found has a word box; precision and recall hold their measured floors")
    func rulesOnOCRText() throws {
        let (home, records) = try Self.home.get()
        var score = Score()
        var boxed = 0, all = 0
        for page in try Self.pages.get() {
            let record = try #require(records[page.file], "no record for \(page.file)")
            let got = try fields(of: record, home)
            for list in got.values {
                all += list.count
                // The box of the words it was read from: four numbers, left < right, top < bottom.
                boxed += list.filter { f in (f["box"] as? [Int]).map { $0.count == 4 && $0[0] < $0[2] && $0[1] < $0[3] } ?? false }.count
            }
            score.add(page, got)
        }
        // Measured 2026-12-07 (seventh session): references 98.2 / 96.6%, dates 98.6 / 97.3%,
        // parties 86.9%, amounts 83.8%. (The references floor leaves one reference's margin.)
        #expect(score.precision("references") >= 0.96 && score.recall("references") >= 0.94, "\(score.summary)")
        #expect(score.precision("dates") >= 0.98 && score.recall("dates") >= 0.95, "\(score.summary)")
        #expect(score.recall("parties") >= 0.85 && score.recall("amounts") >= 0.80, "\(score.summary)")
        #expect(Double(boxed) >= 0.95 * Double(all), "\(boxed) of \(all) fields have a word box")
    }

    @Test("ref: finds the record that gives a reference (either digit script), and nothing for one no page gives")
    func referenceSearch() throws {
        let (home, records) = try Self.home.get()
        var checked = 0
        for page in try Self.pages.get().prefix(12) {
            guard let reference = page.fields["references"]?.first, let text = reference["text"],
                let value = reference["value"], let record = records[page.file]
            else { continue }
            // As a clerk types it: no spaces around the separators.
            let out = try CLIRunner.run(["search", "ref:\(text.filter { !$0.isWhitespace })", "--json"], home: home)
            let results = try #require((try JSONSerialization.jsonObject(with: out.stdout) as? [String: Any])?["results"] as? [[String: Any]])
            let ids = results.compactMap { $0["record"] as? String }
            // OCR may misread a digit: the ground truth's reference is then not the page's.
            let stored = try fields(of: record, home)["references"]?.contains { ($0["value"] as? String) == value } ?? false
            if stored {
                #expect(ids.contains(record), "ref:\(text) did not find \(record.prefix(12)): \(out.stderr) \(String(decoding: out.stdout, as: UTF8.self).prefix(300))")
                #expect(results.allSatisfy { r in
                    (try? fields(of: r["record"] as! String, home)["references"]?.contains { ($0["value"] as? String) == value }) == true
                }, "ref:\(text) found a record without that reference")
                checked += 1
            }
        }
        #expect(checked >= 5)
        let none = try CLIRunner.run(["search", "ref:99999/1111"], home: home)
        #expect(none.status == 0 && String(decoding: none.stdout, as: UTF8.self).contains("no records match"))
        let empty = try CLIRunner.run(["search", "ref:"], home: home)
        #expect(empty.status != 0 && empty.stderr.contains("ref:"))
    }

    @Test("--from/--to match extracted dates, Hijri input included; a bad Hijri date is refused")
    func dateFilters() throws {
        let (home, records) = try Self.home.get()
        // A page whose main date is Hijri: its Hijri year finds it, the year before does not.
        var checked = 0
        for page in try Self.pages.get() {
            guard let main = page.fields["dates"]?.first(where: { $0["main"] == "true" && $0["calendar"] == "hijri" }),
                let value = main["value"], value.count == 10, let record = records[page.file],
                try fields(of: record, home)["dates"]?.contains(where: { ($0["value"] as? String) == value }) == true,
                let reference = page.fields["references"]?.first?["value"],
                try fields(of: record, home)["references"]?.contains(where: { ($0["value"] as? String) == reference }) == true
            else { continue }
            let parts = value.split(separator: "-").compactMap { Int($0) }
            let hijri = try #require(ArabicCalendar.hijri(year: parts[0], month: parts[1], day: parts[2]))
            // Any date the page gives matches --to: the year before its earliest one finds nothing.
            let earliest = try #require(page.fields["dates"]?.compactMap { $0["value"] }.filter { $0.count == 10 }.min())
            let first = earliest.split(separator: "-").compactMap { Int($0) }
            let earliestHijri = try #require(ArabicCalendar.hijri(year: first[0], month: first[1], day: first[2]))
            let hit = try CLIRunner.run(
                ["search", "ref:\(try #require(page.fields["references"]?.first?["text"]).filter { !$0.isWhitespace })", "--from", "\(hijri.year)-\(hijri.month)H", "--to", "\(hijri.year)-\(hijri.month)H", "--json"], home: home)
            let miss = try CLIRunner.run(
                ["search", "ref:\(try #require(page.fields["references"]?.first?["text"]).filter { !$0.isWhitespace })", "--to", "\(earliestHijri.year - 1)هـ", "--json"], home: home)
            let ids = { (d: Data) in ((try? JSONSerialization.jsonObject(with: d) as? [String: Any])?["results"] as? [[String: Any]] ?? []).compactMap { $0["record"] as? String } }
            #expect(ids(hit.stdout).contains(record), "\(hijri.year)-\(hijri.month)H did not find the record dated \(value)")
            #expect(!ids(miss.stdout).contains(record), "--to \(earliestHijri.year - 1)هـ found the record dated \(earliest)")
            checked += 1
            if checked == 3 { break }
        }
        #expect(checked >= 1, "no page with a Hijri main date and a reference read right")
        let bad = try CLIRunner.run(["search", "وزارة", "--from", "1402-13H"], home: home)
        #expect(bad.status != 0 && bad.stderr.contains("1402-13H"))
    }

    @Test("fields CSV for auditors; reextract finds what ingest found; show prints the main date in both calendars")
    func csvAndReextract() throws {
        let (home, records) = try Self.home.get()
        let csv = try CLIRunner.run(["fields"], home: home)
        let text = String(decoding: csv.stdout, as: UTF8.self)
        #expect(csv.status == 0 && text.hasPrefix("\u{FEFF}") && text.contains("\r\n"))
        let before = text.split(separator: "\r\n").count
        #expect(before > records.count)
        let again = try CLIRunner.run(["reextract", "--all", "--json"], home: home)
        let summary = try #require(try JSONSerialization.jsonObject(with: again.stdout) as? [String: Any])
        #expect(summary["records"] as? Int == records.count)
        #expect(String(decoding: try CLIRunner.run(["fields"], home: home).stdout, as: UTF8.self).split(separator: "\r\n").count == before)
        let nothing = try CLIRunner.run(["reextract", "--json"], home: home)
        #expect((try JSONSerialization.jsonObject(with: nothing.stdout) as? [String: Any])?["records"] as? Int == 0)
        let dated = try #require(records.values.first { (try? fields(of: $0, home)["dates"]?.isEmpty == false) == true })
        let show = String(decoding: try CLIRunner.run(["show", dated], home: home).stdout, as: UTF8.self)
        #expect(show.contains("main date") && show.contains("هـ"), "\(show)")
    }
}
