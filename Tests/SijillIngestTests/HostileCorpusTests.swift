import Foundation
import SijillCore
import SijillIngest
import SijillTestSupport
import Testing

/// Every box in `Fixtures/hostile/` (written by `Fixtures/tools/make_hostile.py`) against the
/// outcome `cases.json` states for it.
@Suite struct HostileCorpusTests {
    struct Case: Decodable, Sendable, CustomTestStringConvertible {
        struct Limits: Decodable, Sendable {
            var max_entries: Int?
            var max_entry_bytes: Int?
            var max_ratio: Int?
            var bomb_floor: Int?
            var max_pixels: Int?
            var max_pages_per_file: Int?
        }

        var name: String
        var box: String
        var what: String
        var refused: String?
        var error: String?
        var entries: [String: String]
        var records_added: Int
        var limits: Limits?
        /// Entry name → words its report notes must contain.
        var notes: [String: [String]]?

        var testDescription: String { name }

        var options: IngestOptions {
            var options = IngestOptions(jobs: 1)
            if let l = limits {
                let d = BoxLimits()
                options.limits = BoxLimits(
                    maxEntries: l.max_entries ?? d.maxEntries, maxEntryBytes: l.max_entry_bytes ?? d.maxEntryBytes,
                    maxRatio: l.max_ratio ?? d.maxRatio, bombFloor: l.bomb_floor ?? d.bombFloor)
                options.maxPixels = l.max_pixels ?? options.maxPixels
                options.maxPagesPerFile = l.max_pages_per_file ?? options.maxPagesPerFile
            }
            return options
        }
    }

    static let cases: [Case] = {
        guard let data = FileManager.default.contents(atPath: FixtureFiles.hostile("cases.json").path),
            let cases = try? JSONDecoder().decode([Case].self, from: data)
        else { return [] }
        return cases
    }()

    static let canary = "sijill-canary"

    @Test("the corpus has at least 30 cases, each naming its box and outcome")
    func corpus() throws {
        #expect(Self.cases.count >= 30)
        #expect(Set(Self.cases.map(\.name)).count == Self.cases.count)
        for c in Self.cases {
            #expect(FileManager.default.fileExists(atPath: FixtureFiles.hostile(c.box).path), "\(c.box)")
            #expect(c.refused != nil || !c.entries.isEmpty, "\(c.name) states no outcome")
        }
    }

    @Test("a hostile box gets its stated outcome; the rest of it is stored; nothing is written outside the data dir", arguments: cases)
    func hostileBox(_ c: Case) throws {
        let sandbox = try FixtureFiles.temporaryDirectory("sijill-hostile")
        defer { try? FileManager.default.removeItem(at: sandbox) }
        let archive = try TestArchive(home: sandbox.appendingPathComponent("home"), options: c.options)
        let box = FixtureFiles.hostile(c.box)

        switch c.refused {
        case "cannot-open", "manifest":
            // Refused before anything is read into the archive.
            let error = try #require(throws: (any Error).self, "\(c.name)") { try archive.ingest(box) }
            if c.refused == "cannot-open" {
                #expect((error as? BoxError)?.code == "cannot-open", "\(c.name): \(error)")
                #expect("\(error)".contains(c.box), "\(c.name): the error names the box: \(error)")
            } else {
                #expect(error is ManifestError, "\(c.name): \(error)")
                #expect(
                    ["manifest.csv", "manifest.xlsx", "manifest.numbers"].contains { "\(error)".contains($0) },
                    "\(c.name): the error names the manifest: \(error)")
            }
            #expect("\(error)".contains(c.error ?? ""), "\(c.name): \(error)")
        case let code?:
            // Refused whole, with the run and its report recorded.
            let report = try archive.ingest(box)
            let boxError = try #require(report.boxError, "\(c.name) should be refused")
            #expect(boxError.contains(c.error ?? ""), "\(c.name): \(boxError)")
            #expect(report.items.contains { $0.name == c.box && $0.code == code && $0.status == .rejected }, "\(c.name)")
            #expect(report.summary.stored == 0 && report.summary.recordsAdded == 0, "\(c.name)")
            for (name, want) in c.entries {
                #expect(report.items.contains { $0.name == name && $0.code == want }, "\(c.name): \(name)")
            }
        case nil:
            let report = try archive.ingest(box)
            #expect(report.boxError == nil, "\(c.name): \(report.boxError ?? "")")
            for (name, want) in c.entries {
                let matching = report.items.filter { $0.name == name || $0.name.hasPrefix(name + " (") }
                let outcomes = matching.map { $0.code ?? $0.status.rawValue }
                #expect(outcomes.contains(want), "\(c.name): \(name.debugDescription) should be \(want), is \(outcomes)")
            }
            for item in report.items where item.status == .rejected {
                #expect(item.code?.isEmpty == false && item.reason?.isEmpty == false, "\(c.name): \(item.name) has no reason")
            }
            for (name, words) in c.notes ?? [:] {
                let notes = (report.items.first { $0.name == name }?.notes ?? []).joined(separator: "\n")
                for word in words { #expect(notes.contains(word), "\(c.name): \(name) notes lack '\(word)': \(notes)") }
            }
            #expect(report.summary.recordsAdded == c.records_added, "\(c.name)")
            #expect(try archive.archive.catalog.counts().records == c.records_added, "\(c.name)")
            let fixity = try FixityCheck(archive: archive.archive).run(actor: "test", at: Date())
            #expect(fixity.isClean, "\(c.name): fsck after the ingest")
        }

        // Nothing outside the data directory, and nothing anywhere under a hostile name.
        let outside = try FileManager.default.contentsOfDirectory(atPath: sandbox.path)
        #expect(outside == ["home"], "\(c.name): \(outside)")
        #expect(!archive.files().contains { $0.contains(Self.canary) }, "\(c.name)")
        for dir in ["/tmp", "/", FileManager.default.currentDirectoryPath, FixtureFiles.fixtures.path] {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
            #expect(!names.contains { $0.contains(Self.canary) }, "\(c.name): a file named after a hostile entry in \(dir)")
        }
    }

    @Test("refused boxes leave an existing archive exactly as it was")
    func refusedBoxesKeepArchive() throws {
        let archive = try TestArchive(jobs: 1)
        _ = try archive.ingest(FixtureFiles.box("box-folder"))
        let before = try archive.archive.catalog.counts()
        for c in Self.cases where c.refused != nil {
            let pipeline = IngestPipeline(
                store: archive.archive.store, catalog: archive.archive.catalog, options: c.options, logger: archive.pipeline.logger)
            _ = try? pipeline.run(box: FixtureFiles.hostile(c.box))
        }
        #expect(try archive.archive.catalog.counts() == before)
        #expect(try FixityCheck(archive: archive.archive).run(actor: "test", at: Date()).isClean)
    }

    @Test("formula cells in a manifest are kept verbatim as text (exports neutralise them)")
    func formulaCells() throws {
        let archive = try TestArchive(jobs: 1)
        let report = try archive.ingest(FixtureFiles.hostile("manifest-formulas.zip"))
        let titles = try report.records.compactMap { $0.record }.compactMap { try archive.archive.catalog.record($0)?.record.metadata }
        #expect(titles.contains { $0.title == "=HYPERLINK(\"http://x.invalid\",\"click\")" && $0.reference == "+1-2" && $0.agency == "@SUM(A1)" })
    }
}
