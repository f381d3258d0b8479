import Foundation
import Logging
import SijillCatalog
import SijillCore
import SijillOCR
import SijillStore
import Synchronization

extension IngestPipeline {
    /// Recognises every page image that has no OCR result for the current settings (on
    /// `options.jobs` threads, one Tesseract handle each), then writes each new record with its
    /// pages and index entries in one transaction.
    func recognizeAndCatalog(
        _ records: [FormedRecord], box: String, runID: Int64, logger: Logger,
        progress: @escaping @Sendable (IngestProgress) -> Void
    ) throws -> [ReconciliationReport.RecordOutcome] {
        var outcomes: [ReconciliationReport.RecordOutcome?] = Array(repeating: nil, count: records.count)
        var pending: [Int] = []
        var seen: Set<ContentID> = []
        for (i, record) in records.enumerated() {
            guard let id = record.id else {
                outcomes[i] = .init(source: record.source, status: .rejected, record: nil, pages: 0, reason: record.rejection)
                continue
            }
            if let pageNo = record.replacesPage {
                let current = try catalog.record(id)?.pages.first { $0.pageNo == pageNo }
                if current?.imageId == record.pages.first?.imageID {
                    outcomes[i] = .init(
                        source: record.source, status: .existing, record: id, pages: 1,
                        reason: "page \(pageNo) already holds this scan")
                } else {
                    pending.append(i)
                }
                continue
            }
            if try catalog.recordExists(id) || !seen.insert(id).inserted {
                outcomes[i] = .init(
                    source: record.source, status: .existing, record: id, pages: record.pages.count,
                    reason: "already in the archive")
                continue
            }
            pending.append(i)
        }

        // OCR every image not yet recognised with these settings.
        let settings = options.ocr
        var todo: [ContentID] = []
        var queued: Set<ContentID> = []
        for i in pending {
            for page in records[i].pages where !queued.contains(page.imageID) {
                queued.insert(page.imageID)
                if try catalog.cachedOCR(image: page.imageID, settings: settings.fingerprint) == nil {
                    todo.append(page.imageID)
                }
            }
        }
        let failures = Mutex<[ContentID: String]>([:])
        let finished = Mutex(0)
        let total = todo.count
        let store = self.store
        let catalog = self.catalog
        let decoder = ImageDecoder(maxPixels: options.maxPixels)
        let clock = now
        if total > 0 {
            logger.info("recognising pages", metadata: ["pages": "\(total)", "jobs": "\(options.jobs)"])
        }
        let startupErrors = WorkerPool.run(todo, workers: options.jobs) { _ in
            let engine = try TesseractEngine(settings: settings)
            return { image in
                do {
                    let row = try IngestPipeline.recognize(
                        image, engine: engine, decoder: decoder, store: store, at: clock())
                    try catalog.saveOCR(row)
                } catch {
                    failures.withLock { $0[image] = "\(error)" }
                }
                let done = finished.withLock { value -> Int in
                    value += 1
                    return value
                }
                progress(IngestProgress(phase: .ocr, done: done, total: total, item: image.short))
            }
        }
        if let first = startupErrors.first, startupErrors.count >= min(options.jobs, total) {
            throw IngestError("OCR could not start: \(first)")
        }
        let failed = failures.withLock { $0 }

        let ingestedAt = timestamp()
        for i in pending {
            let record = records[i]
            let id = record.id!
            if let bad = record.pages.first(where: { failed[$0.imageID] != nil }) {
                outcomes[i] = .init(
                    source: record.source, status: .rejected, record: id, pages: record.pages.count,
                    reason: "OCR failed on \(bad.source): \(failed[bad.imageID]!)")
                continue
            }
            if let pageNo = record.replacesPage, let page = record.pages.first {
                guard let ocr = try catalog.cachedOCR(image: page.imageID, settings: settings.fingerprint) else {
                    throw IngestError("OCR result for \(page.imageID) vanished")
                }
                let text = String(decoding: try store.get(ocr.textId), as: UTF8.self)
                let replaced = try catalog.revisePage(
                    record: id, pageNo: pageNo, image: page.imageID, source: (page.sourceID, page.source, page.frame),
                    ocr: ocr, text: text, reason: .rescan, at: ingestedAt, runID: runID)
                outcomes[i] = .init(
                    source: record.source, status: replaced ? .updated : .rejected, record: id, pages: 1,
                    reason: replaced ? "replaces page \(pageNo); the earlier scan stays stored" : "page \(pageNo) vanished")
                continue
            }
            var pages: [(page: StoredPage, text: String)] = []
            for (n, page) in record.pages.enumerated() {
                guard let ocr = try catalog.cachedOCR(image: page.imageID, settings: settings.fingerprint) else {
                    throw IngestError("OCR result for \(page.imageID) vanished")
                }
                let text = String(decoding: try store.get(ocr.textId), as: UTF8.self)
                let stored = StoredPage(
                    recordId: id, pageNo: n + 1, imageId: page.imageID, sourceId: page.sourceID, source: page.source,
                    frame: page.frame, ocr: ocr)
                pages.append((stored, text))
            }
            let row = StoredRecord(
                id: id, box: box, source: record.source, metadata: record.metadata, pageCount: pages.count,
                ingestedAt: ingestedAt, runId: runID)
            let added = try catalog.insert(Catalog.NewRecord(record: row, pages: pages))
            outcomes[i] = .init(
                source: record.source, status: added ? .added : .existing, record: id, pages: pages.count,
                reason: added ? nil : "already in the archive")
            logger.debug("record catalogued", metadata: ["record.id": "\(id)", "pages": "\(pages.count)"])
        }
        return outcomes.map { $0! }
    }

    /// Decodes, recognises and stores the text and hOCR of one page image.
    static func recognize(
        _ image: ContentID, engine: TesseractEngine, decoder: ImageDecoder, store: any BlobStore, at time: Date
    ) throws -> OCRRow {
        let data = try store.get(image)
        guard let page = try decoder.decode(data, name: image.short).first else {
            throw OCRError.corrupt(image.short, "no page")
        }
        let result = try engine.recognize(page, pageNumber: 1)
        let textID = try store.put(Data(result.text.utf8)).id
        let hocrID = try store.put(Data(result.hocr.utf8)).id
        let formatter = ISO8601DateFormatter()
        return OCRRow(
            imageId: image, settings: result.settings, engine: result.engine, textId: textID, hocrId: hocrID,
            confidence: result.meanConfidence, wordCount: result.wordCount, lowConfWords: result.lowConfidenceWords,
            dpi: result.dpi, dpiAssumed: result.dpiAssumed, createdAt: formatter.string(from: time),
            needsRescan: result.needsRescan, rotation: result.rotation)
    }
}
