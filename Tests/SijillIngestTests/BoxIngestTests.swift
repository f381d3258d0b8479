import Foundation
import SijillCatalog
import SijillCore
import SijillIngest
import SijillTestSupport
import Testing

@Suite struct BoxIngestTests {
    @Test("each fixture box is imported whole: every entry accounted for, records and pages as expected", arguments: [
        "box-zip.zip", "box-targz.tar.gz", "box-folder",
    ])
    func ingestsBox(box: String) throws {
        let shared = try SharedArchive.get()
        let report = try #require(shared.reports[box])
        let expected = try FixtureFiles.expected(box)
        #expect(report.isClean, "\(report.table())")
        #expect(report.boxError == nil)
        #expect(report.summary.recordsAdded == expected.records.count)
        #expect(report.summary.pagesAdded == expected.total_pages)
        #expect(report.items.allSatisfy { $0.status == .stored || $0.status == .manifest })
        for record in report.records {
            let stored = try shared.archive.record(record.record)
            #expect(stored.pages.count == record.pages)
            #expect(stored.pages.map(\.pageNo) == Array(1...record.pages))
        }
    }

    @Test("manifest metadata, including unknown columns and quoted commas, is kept")
    func manifestMetadata() throws {
        let shared = try SharedArchive.get()
        let report = try #require(shared.reports["box-zip.zip"])
        for expected in try FixtureFiles.expected("box-zip.zip").records {
            let source = expected.file.hasSuffix("/") ? String(expected.file.dropLast()) : expected.file
            let outcome = try #require(report.records.first { $0.source == source })
            let record = try shared.archive.record(outcome.record).record
            #expect(record.series == expected.series)
            #expect(record.reference == expected.reference)
            // Empty cells are not kept.
            #expect(record.metadata.extra == (expected.extra ?? [:]).filter { !$0.value.isEmpty })
            #expect(record.pageCount == expected.pages)
        }
        let titles = try shared.archive.archive.catalog.database.read { db in
            try db.column(String.self, "SELECT title FROM record WHERE title IS NOT NULL")
        }
        #expect(titles.contains { $0.contains("،") }, "a quoted cell with an Arabic comma survives")
    }

    @Test("a clerk's lazy spelling of a fixture name finds its record", arguments: [
        "box-zip.zip", "box-targz.tar.gz", "box-folder",
    ])
    func searchByPlainName(box: String) throws {
        let shared = try SharedArchive.get()
        let report = try #require(shared.reports[box])
        for expected in try FixtureFiles.expected(box).records {
            let hits = try shared.archive.archive.catalog.search(SearchQuery(expected.name_plain), limit: 50)
            let source = expected.file.hasSuffix("/") ? String(expected.file.dropLast()) : expected.file
            let record = try #require(report.records.first { $0.source == source }?.record)
            #expect(hits.contains { $0.record == record }, "'\(expected.name_plain)' should find \(source)")
        }
    }

    @Test("cat returns the identical bytes of every stored page")
    func catIdenticalBytes() throws {
        let shared = try SharedArchive.get()
        let box = FixtureFiles.box("box-folder")
        for outcome in try #require(shared.reports["box-folder"]).records {
            let pages = try shared.archive.record(outcome.record).pages
            for page in pages {
                let original = try Data(contentsOf: box.appendingPathComponent(page.source))
                #expect(try shared.archive.archive.store.get(page.sourceId) == original)
                #expect(ContentID.of(original) == page.sourceId)
            }
        }
    }

    @Test("a multi-page TIFF becomes one page per frame, each with its own ID")
    func multiPageTIFF() throws {
        let shared = try SharedArchive.get()
        let report = try #require(shared.reports["box-zip.zip"])
        let outcome = try #require(report.records.first { $0.source == "scan-4410.tif" })
        let pages = try shared.archive.record(outcome.record).pages
        #expect(pages.count == 2)
        #expect(pages[0].imageId != pages[1].imageId)
        #expect(pages[0].sourceId == pages[1].sourceId)
        #expect(pages.map(\.frame) == [0, 1])
        for page in pages { #expect(try shared.archive.archive.store.get(page.imageId).count > 0) }
    }

    @Test("ingesting the same box again adds nothing and says so")
    func reingestAddsNothing() throws {
        let archive = try TestArchive()
        let first = try archive.ingest(FixtureFiles.box("box-targz.tar.gz"))
        let before = try archive.archive.catalog.counts()
        let objectsBefore = try archive.objects()
        let second = try archive.ingest(FixtureFiles.box("box-targz.tar.gz"))
        #expect(first.summary.recordsAdded == 2)
        #expect(second.summary.recordsAdded == 0)
        #expect(second.summary.recordsExisting == 2)
        #expect(second.summary.stored == 0)
        #expect(second.summary.duplicate == 3)
        #expect(second.addedNothing && second.isClean)
        #expect(second.items.filter { $0.status == .duplicate }.allSatisfy { $0.duplicateOf?.hasPrefix("record ") == true })
        #expect(try archive.archive.catalog.counts() == before)
        // Only the new run's report object is added to the store.
        #expect(try archive.objects().subtracting(objectsBefore).count == 1)
        #expect(second.table().contains("nothing new"))
        // The report is stored as an object and reads back as the same JSON.
        let stored = try archive.archive.store.get(#require(second.storedAs))
        #expect(stored == second.jsonData())
    }

    @Test("an interrupted ingest, run again, finishes without duplicating anything")
    func resumesAfterInterruption() throws {
        let archive = try TestArchive()
        _ = try archive.ingest(FixtureFiles.box("box-folder"))
        // Simulate a crash after OCR but before one record was written.
        let first = try archive.archive.catalog.database.read { db in
            try db.scalar(ContentID.self, "SELECT id FROM record ORDER BY id LIMIT 1")
        }
        #expect(try archive.archive.catalog.deleteRecord(#require(first)))
        let afterCrash = try archive.archive.catalog.counts()
        let report = try archive.ingest(FixtureFiles.box("box-folder"))
        #expect(afterCrash.records == 2)
        #expect(report.summary.recordsAdded == 1)
        #expect(report.summary.recordsExisting == 2)
        let counts = try archive.archive.catalog.counts()
        #expect(counts.records == 3 && counts.pages == 4)
        let indexed = try archive.archive.catalog.indexedPages()
        #expect(indexed == 4)
    }
}
