import Foundation
import SijillCatalog
import SijillCore
import SijillRetention
import SijillTestSupport

/// A catalog with records inserted directly (no OCR), and a directory of schedule files.
struct RetentionFixture {
    let catalog: Catalog
    let dir: URL

    init(schedules: [String: String]) throws {
        catalog = try TestBackend.catalog("retention")
        dir = try FixtureFiles.temporaryDirectory("sijill-retention")
        for (name, text) in schedules { try Data(text.utf8).write(to: dir.appendingPathComponent(name)) }
    }

    func service() throws -> RetentionService {
        RetentionService(catalog: catalog, schedules: try ScheduleSet.load(directory: dir))
    }

    /// Inserts a one-page record of `series` dated `date`, ingested at `ingested`.
    @discardableResult
    func record(series: String?, date: String?, title: String = "ملف", ingested: String = "2020-01-01T00:00:00Z") throws -> ContentID {
        let text = "\(title) \(series ?? "") \(date ?? "") \(UUID().uuidString)"
        let image = ContentID.of(Data(text.utf8))
        let manifest = RecordManifest(
            pages: [.init(image: image)], metadata: .init(series: series, date: date, title: title))
        let ocr = OCRRow(
            imageId: image, settings: "test", engine: "test", textId: image, hocrId: image, confidence: 90,
            wordCount: 3, lowConfWords: 0, dpi: 300, dpiAssumed: false, createdAt: ingested)
        let record = StoredRecord(
            id: manifest.recordID, box: "box", source: "f.png", metadata: manifest.metadata, pageCount: 1,
            ingestedAt: ingested, runId: nil)
        let page = StoredPage(recordId: record.id, pageNo: 1, imageId: image, sourceId: image, source: "f.png", frame: 0, ocr: ocr)
        try catalog.insert(.init(record: record, pages: [(page, text)]))
        return record.id
    }
}

let exampleSchedules = """
    set: test-set
    schedules:
      TAX:
        title: { ar: إيصالات, en: Receipts }
        authority: قانون المالية، المادة 88
        retain: 10y
        trigger: date
        action: destroy
      CASE:
        title: { ar: قضايا }
        authority: لائحة الحفظ
        retain: 15y
        trigger: closed
        action: review
      LAND:
        title: { ar: أراض }
        authority: قانون التسجيل
        retain: 0d
        trigger: date
        action: permanent
      LOG:
        title: { ar: سجل وارد }
        authority: تعميم 3
        retain: 6m
        trigger: ingested
        action: transfer
    """
