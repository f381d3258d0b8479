import Foundation
import Testing
import SijillCatalog
import SijillCore
import SijillRetention
import SijillStore
import SijillTestSupport

/// Disposition end to end on a real blob store, with the clock injected (no sleeping).
@Suite struct DispositionTests {
    struct Archive {
        let dir: URL
        let store: FileSystemBlobStore
        let catalog: Catalog
        let schedules: URL

        init() throws {
            dir = try FixtureFiles.temporaryDirectory("sijill-disposition")
            store = try FileSystemBlobStore(root: dir)
            let store = self.store
            catalog = try TestBackend.catalog("disposition") { id in
                String(decoding: try store.get(id), as: UTF8.self)
            }
            schedules = dir.appendingPathComponent("retention")
            try FileManager.default.createDirectory(at: schedules, withIntermediateDirectories: true)
            try Data(exampleSchedules.utf8).write(to: schedules.appendingPathComponent("s.yaml"))
        }

        func service() throws -> DispositionService {
            DispositionService(
                retention: RetentionService(catalog: catalog, schedules: try ScheduleSet.load(directory: schedules)), store: store)
        }

        /// A one-page record with real objects; `image` may be shared with another record.
        @discardableResult
        func record(series: String, date: String?, word: String, image: Data? = nil) throws -> (id: ContentID, objects: [ContentID]) {
            let imageID = try store.put(image ?? Data("صورة \(word) \(UUID())".utf8)).id
            let text = "طلب \(word) رقم \(Int.random(in: 1...99999))"
            let textID = try store.put(Data(text.utf8)).id
            let hocrID = try store.put(Data("<p>\(text)</p>".utf8)).id
            let manifest = RecordManifest(pages: [.init(image: imageID)], metadata: .init(series: series, date: date, title: word))
            let ocr = OCRRow(
                imageId: imageID, settings: "t", engine: "t", textId: textID, hocrId: hocrID, confidence: 90, wordCount: 3,
                lowConfWords: 0, dpi: 300, dpiAssumed: false, createdAt: "2026-03-01T10:00:00Z")
            let stored = StoredRecord(
                id: manifest.recordID, box: "box", source: "p.png", metadata: manifest.metadata, pageCount: 1,
                ingestedAt: "2026-03-01T10:00:00Z", runId: nil)
            let page = StoredPage(recordId: stored.id, pageNo: 1, imageId: imageID, sourceId: imageID, source: "p.png", frame: 0, ocr: ocr)
            try catalog.insert(.init(record: stored, pages: [(page, text)]))
            return (stored.id, [imageID, textID, hocrID])
        }
    }

    @Test("prepare, four-eyes approval, execute: destroyed content gone, stub and certificate kept, holds honoured")
    func destroy() throws {
        let a = try Archive()
        let sharedImage = Data("صورة مشتركة \(UUID())".utf8)
        let old = try a.record(series: "TAX", date: "2001-06-30", word: "قديم", image: sharedImage)
        let held = try a.record(series: "TAX", date: "2002-01-01", word: "محجوز")
        let young = try a.record(series: "TAX", date: "2030-01-01", word: "حديث")
        try a.record(series: "LAND", date: "1950", word: "ارض", image: sharedImage)
        let now = Date(timeIntervalSince1970: 1_800_000_000)  // 2027-01-15
        let service = try a.service()
        try service.retention.apply(actor: "test", at: now)

        let batches = try service.prepare(asOf: CivilDate(now), actor: "token:preparer", at: now)
        let batch = try #require(batches.first { $0.action == "destroy" })
        #expect(try a.catalog.batch(batch.id)?.records.sorted { $0.hex < $1.hex } == [old.id, held.id].sorted { $0.hex < $1.hex })
        #expect(throws: SijillInputError.self) { try service.execute(batch.id, actor: "token:x", at: now) }  // not approved
        #expect(throws: SijillInputError.self) { try a.catalog.approveBatch(batch.id, actor: "token:preparer", at: now) }
        _ = try a.catalog.approveBatch(batch.id, actor: "token:approver", at: now)
        // A hold placed after approval still stops destruction.
        _ = try a.catalog.placeHold(reason: "دعوى", scope: "record", value: held.id.hex, records: [held.id], actor: "token:legal", at: now)

        let outcome = try service.execute(batch.id, actor: "token:executor", at: now)
        #expect(outcome.done == [old.id])
        #expect(outcome.skipped.map(\.record) == [held.id] && outcome.skipped[0].reason.contains("on-hold"))
        // The destroyed record's own objects are gone; the image another record uses is kept.
        #expect(!a.store.contains(old.objects[1]) && !a.store.contains(old.objects[2]))
        #expect(a.store.contains(old.objects[0]))
        #expect(held.objects.allSatisfy(a.store.contains) && young.objects.allSatisfy(a.store.contains))
        #expect(try a.catalog.search(SearchQuery("قديم")).isEmpty)
        #expect(try a.catalog.search(SearchQuery("محجوز")).count == 1)
        // The stub stays, destroyed; the certificate is a record of its own, permanent evidence.
        let report = try service.retention.report(asOf: CivilDate(now))
        #expect(report.lines.first { $0.record == old.id.hex }?.state == .destroyed)
        let certificate = try a.store.get(outcome.certificate)
        let json = try #require(try JSONSerialization.jsonObject(with: certificate) as? [String: Any])
        #expect(json["approved_by"] as? String == "token:approver" && json["executed_by"] as? String == "token:executor")
        #expect((json["statement_ar"] as? String)?.contains("أُتلفت") == true)
        let items = try #require(json["items"] as? [[String: Any]])
        #expect(items.count == 2 && items.contains { $0["outcome"] as? String == "destroyed" && $0["authority"] as? String == "قانون المالية، المادة 88" })
        #expect(try a.catalog.recordExists(outcome.certificate))
        let csv = try a.store.get(try #require(outcome.certificateCSV))
        #expect(Array(csv.prefix(3)) == [0xEF, 0xBB, 0xBF])
        // Re-running is refused; the audit chain holds every step.
        #expect(throws: SijillInputError.self) { try service.execute(batch.id, actor: "token:executor", at: now) }
        let actions = try a.catalog.auditEntries(limit: 10_000).map(\.action)
        for step in ["disposition.prepare", "disposition.approve", "disposition.skip", "record.destroy", "disposition.execute"] {
            #expect(actions.contains(step), "\(step)")
        }
        #expect(try a.catalog.verifyAudit().firstBroken == nil)
    }

    @Test("a transfer batch writes a BagIt bag that the Library of Congress validator accepts")
    func transfer() throws {
        let a = try Archive()
        let log = try a.record(series: "LOG", date: nil, word: "وارد")
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let service = try a.service()
        try service.retention.apply(actor: "test", at: now)
        let batch = try #require(try service.prepare(asOf: CivilDate(now), actor: "token:p", at: now).first { $0.action == "transfer" })
        _ = try a.catalog.approveBatch(batch.id, actor: "token:admin", at: now)
        let bags = a.dir.appendingPathComponent("bags")
        let outcome = try service.execute(batch.id, actor: "token:e", at: now, bags: bags)
        let bag = try #require(outcome.bag)
        #expect(FileManager.default.fileExists(atPath: bag.appendingPathComponent("data/\(log.id.hex)/page-1.txt").path))
        let (status, output) = try ExternalTool.run(["python3", "-m", "bagit", "--validate", bag.path])
        #expect(status == 0, "bagit: \(output) (install with `pip install bagit`; script/test does)")
        #expect(output.contains("is valid"))
        #expect(try service.retention.report(asOf: CivilDate(now)).lines.first { $0.record == log.id.hex }?.state == .transferred)
    }
}
