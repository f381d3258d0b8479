import CLeptonica
import Foundation
import Logging
import SijillCatalog
import SijillCore
import SijillIngest
import SijillOCR
import SijillTestSupport
import Testing

@Suite struct RevisionTests {
    /// A folder box holding the given files and a manifest.
    func makeBox(manifest: String, files: [String: Data]) throws -> URL {
        let dir = try FixtureFiles.temporaryDirectory("sijill-box")
        try Data(manifest.utf8).write(to: dir.appendingPathComponent("manifest.csv"))
        for (name, data) in files { try data.write(to: dir.appendingPathComponent(name)) }
        return dir
    }

    func blankPNG() throws -> Data {
        let pix = try #require(pixCreate(1000, 1400, 8))
        pixSetAll(pix)
        var p: UnsafeMutablePointer<PIX>? = pix
        defer { pixDestroy(&p) }
        var bytes: UnsafeMutablePointer<UInt8>?
        var size = 0
        #expect(pixWriteMem(&bytes, &size, pix, Int32(IFF_PNG)) == 0)
        defer { free(bytes) }
        return Data(bytes: try #require(bytes), count: size)
    }

    @Test("a blank page is flagged and listed for re-scan by box; a better scan replaces it and keeps the old one")
    func rescanFlow() throws {
        let archive = try TestArchive()
        let good = try Data(contentsOf: FixtureFiles.box("box-folder").appendingPathComponent("letter-77851.png"))
        let first = try makeBox(
            manifest: "file,series,title\ndossier/,CIVIL-REG,ملف\n",
            files: [:])
        try FileManager.default.createDirectory(at: first.appendingPathComponent("dossier"), withIntermediateDirectories: true)
        try good.write(to: first.appendingPathComponent("dossier/page-1.png"))
        try blankPNG().write(to: first.appendingPathComponent("dossier/page-2.png"))
        let report = try archive.ingest(first)
        let recordID = try #require(report.records.first?.record)
        let flagged = try archive.archive.catalog.rescanList(box: first.lastPathComponent)
        #expect(flagged.map(\.page) == [2])
        #expect(flagged.first?.source == "dossier/page-2.png")
        #expect(try archive.archive.catalog.rescanList(box: "another-box").isEmpty)

        // The bureau re-scans page 2 (here: a real text page) and delivers it with record + page.
        let better = try Data(contentsOf: FixtureFiles.box("box-folder").appendingPathComponent("file-57231/scan-01.jpg"))
        let rescan = try makeBox(
            manifest: "file,record,page\nrescan-2.jpg,\(recordID.hex.prefix(16)),2\n", files: ["rescan-2.jpg": better])
        let second = try archive.ingest(rescan)
        #expect(second.records.first?.status == .updated, "\(second.table())")
        #expect(second.summary.pagesReplaced == 1)
        let after = try archive.record(recordID)
        #expect(after.pages.count == 2)
        #expect(after.pages[1].imageId == ContentID.of(better))
        #expect(!after.pages[1].needsRescan)
        #expect(try archive.archive.catalog.rescanList().isEmpty)
        // The old blob is kept and the change recorded.
        let revisions = try archive.archive.catalog.revisions(of: recordID)
        #expect(revisions.count == 1)
        let oldImage: String = try #require(revisions.first?["old_image_id"])
        #expect(revisions.first?["reason"] == "rescan")
        #expect(archive.archive.store.contains(try #require(ContentID(hex: oldImage))))
        // The index follows: the new page's words are found, once.
        let hits = try archive.archive.catalog.search(SearchQuery("مصطفى حسن البغدادي"))
        #expect(hits.map(\.record) == [recordID])
        #expect(try archive.archive.catalog.counts() == (records: 1, pages: 2))
        // Delivering the same re-scan again changes nothing.
        let third = try archive.ingest(rescan)
        #expect(third.records.first?.status == .existing)
        #expect(try archive.archive.catalog.revisions(of: recordID).count == 1)
    }

    @Test("a re-scan row naming an unknown record or page is rejected with the reason")
    func badRescanRows() throws {
        let archive = try TestArchive()
        let image = try Data(contentsOf: FixtureFiles.box("box-folder").appendingPathComponent("letter-77851.png"))
        let box = try makeBox(
            manifest: "file,record,page\na.png,0123456789abcdef,1\nb.png,xyz,1\n", files: ["a.png": image, "b.png": image])
        let report = try archive.ingest(box)
        #expect(report.records.first?.status == .rejected)
        #expect(report.records.first?.reason?.contains("0123456789abcdef") == true)
        #expect(report.items.contains { $0.code == "manifest-row-rescan" })
        #expect(try archive.archive.catalog.counts() == (records: 0, pages: 0))
    }

    @Test("reocr re-reads pages with the current settings and replaces their index entries atomically")
    func reocr() throws {
        var oldSettings = OCRSettings()
        oldSettings.numbers.enabled = false
        let archive = try TestArchive(options: IngestOptions(jobs: 2, ocr: oldSettings))
        _ = try archive.ingest(FixtureFiles.box("box-folder"))
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        let reocr = IngestPipeline(
            store: archive.archive.store, catalog: archive.archive.catalog, options: IngestOptions(jobs: 2), logger: logger)
        let summary = try reocr.reocr(Catalog.PageSelection())
        #expect(summary.selected == 4 && summary.updated == 4 && summary.failed.isEmpty)
        let pages = try archive.archive.catalog.pages(Catalog.PageSelection())
        #expect(pages.allSatisfy { $0.ocrSettings == OCRSettings().fingerprint })
        let indexed = try archive.archive.catalog.indexedPages()
        #expect(indexed == 4)
        // Run again: nothing left to do with these settings.
        #expect(try reocr.reocr(Catalog.PageSelection()).selected == 0)
        // Selection by series and confidence.
        #expect(try reocr.reocr(Catalog.PageSelection(series: "NONE"), force: true).selected == 0)
        #expect(try reocr.reocr(Catalog.PageSelection(belowConfidence: 0), force: true).selected == 0)
        #expect(try archive.archive.catalog.search(SearchQuery("مصطفى حسن البغدادي")).count >= 1)
    }
}
