import Foundation
import SijillCore
import SijillIngest
import SijillTestSupport
import Testing

@Suite struct BadInputTests {
    func item(_ report: ReconciliationReport, _ name: String) -> ReconciliationReport.Item? {
        report.items.first { $0.name == name }
    }

    @Test("a tar with every kind of bad entry: each is a named rejection, the good page is stored")
    func mixedTar() throws {
        let archive = try TestArchive()
        let report = try archive.ingest(FixtureFiles.bad("mixed.tar"))
        #expect(item(report, "good-1.png")?.status == .stored)
        let expectations: [(String, String)] = [
            ("notes.txt", "not-an-image"), ("broken.png", "corrupt-image"), ("extra.png", "not-in-manifest"),
            ("../escape.png", "unsafe-path"), ("/abs/evil.png", "unsafe-path"), ("link.png", "link"), ("hard.png", "link"),
        ]
        for (name, code) in expectations {
            let found = item(report, name)
            #expect(found?.status == .rejected, "\(name)")
            #expect(found?.code == code, "\(name): \(found?.reason ?? "no item")")
            #expect(found?.reason?.isEmpty == false)
        }
        let missing = report.items.first { $0.name.hasPrefix("manifest.csv:") && $0.name.contains("missing.png") }
        #expect(missing?.code == "missing-file")
        #expect(report.summary.recordsAdded == 1)
        #expect(!report.isClean)
        #expect(try archive.archive.catalog.counts() == (records: 1, pages: 1))
        // Nothing was written outside the data directory under a hostile name.
        #expect(!FileManager.default.fileExists(atPath: archive.home.deletingLastPathComponent().appendingPathComponent("escape.png").path))
        #expect(!FileManager.default.fileExists(atPath: "/abs/evil.png"))
        #expect(archive.files().allSatisfy { !$0.contains("escape") && !$0.contains("evil") })
    }

    @Test("a zip without manifest and with hostile names: only the good page becomes a record")
    func mixedZip() throws {
        let archive = try TestArchive()
        let report = try archive.ingest(FixtureFiles.bad("mixed.zip"))
        #expect(item(report, "good-2.png")?.status == .stored)
        #expect(item(report, "../../etc/evil.png")?.code == "unsafe-path")
        #expect(item(report, "/tmp/abs.png")?.code == "unsafe-path")
        #expect(item(report, "readme.txt")?.code == "not-an-image")
        #expect(item(report, "empty.png")?.code == "empty-file")
        #expect(try archive.archive.catalog.counts() == (records: 1, pages: 1))
        #expect(!FileManager.default.fileExists(atPath: "/tmp/abs.png"))
    }

    @Test("a decompression bomb is refused early as zip-bomb; the good page beside it is stored")
    func bomb() throws {
        let archive = try TestArchive()
        let report = try archive.ingest(FixtureFiles.bad("bomb.zip"))
        #expect(item(report, "page-1.png")?.status == .stored)
        let refused = try #require(item(report, "zeros.png"))
        #expect(refused.status == .rejected && refused.code == "zip-bomb")
        #expect(refused.reason?.contains("zeros.png") == true)
        #expect(try archive.archive.catalog.counts() == (records: 1, pages: 1))
    }

    @Test("a truncated archive is not imported in part, and says where it broke")
    func truncatedZip() throws {
        let archive = try TestArchive()
        let report = try archive.ingest(FixtureFiles.bad("truncated.zip"))
        let boxError = try #require(report.boxError)
        #expect(boxError.contains("truncated.zip"))
        #expect(report.summary.stored == 0)
        #expect(report.items.contains { $0.code == "archive-damaged" })
        #expect(try archive.archive.catalog.counts() == (records: 0, pages: 0))
    }

    @Test("something that is not an archive cannot be imported, with a clear error")
    func garbage() throws {
        let archive = try TestArchive()
        #expect {
            try archive.ingest(FixtureFiles.bad("garbage.zip"))
        } throws: { error in
            "\(error)".contains("garbage.zip") && "\(error)".contains("not a readable archive")
        }
        #expect(throws: BoxError.self) { try archive.ingest(URL(fileURLWithPath: "/nonexistent/box.zip")) }
    }

    @Test("a manifest without a file column stops the import before anything is stored")
    func badManifest() throws {
        let archive = try TestArchive()
        #expect {
            try archive.ingest(FixtureFiles.bad("bad-manifest.zip"))
        } throws: { error in
            "\(error)".contains("no 'file' column")
        }
        #expect(try archive.objects().isEmpty)
    }

    @Test("an existing archive is untouched by a bad box")
    func badBoxKeepsArchive() throws {
        let archive = try TestArchive()
        _ = try archive.ingest(FixtureFiles.bad("mixed.zip"))
        let before = try archive.archive.catalog.counts()
        _ = try? archive.ingest(FixtureFiles.bad("garbage.zip"))
        _ = try? archive.ingest(FixtureFiles.bad("truncated.zip"))
        _ = try? archive.ingest(FixtureFiles.bad("bad-manifest.zip"))
        #expect(try archive.archive.catalog.counts() == before)
        #expect(try archive.archive.catalog.search(SearchQuery("اسماء حامد الزهراني")).count == 1)
    }

    @Test("an image over the pixel limit is rejected by name")
    func pixelLimit() throws {
        let archive = try TestArchive(options: IngestOptions(jobs: 1, maxPixels: 1_000_000))
        let report = try archive.ingest(FixtureFiles.box("box-targz.tar.gz"))
        #expect(report.items.filter { $0.status == .rejected }.allSatisfy { $0.code == "image-too-large" })
        #expect(report.items.contains { $0.code == "image-too-large" && $0.reason?.contains("pixels") == true })
        #expect(report.summary.recordsAdded == 0)
    }

    @Test("an entry over the size limit is rejected by name")
    func entryLimit() throws {
        let archive = try TestArchive(options: IngestOptions(jobs: 1, limits: BoxLimits(maxEntryBytes: 50_000)))
        let report = try archive.ingest(FixtureFiles.box("box-folder"))
        #expect(report.items.contains { $0.code == "entry-too-large" })
    }
}
