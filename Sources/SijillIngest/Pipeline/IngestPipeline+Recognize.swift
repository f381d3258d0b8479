import Foundation
import Logging
import SijillCatalog
import SijillCore
import SijillOCR
import SijillStore

extension IngestPipeline {
    /// Recognises every page image that has no OCR result for the current settings (on
    /// `options.jobs` threads, one Tesseract handle each), then writes each new record with its
    /// pages and index entries in one transaction.
    func recognizeAndCatalog(
        _ records: [FormedRecord], box: String, runID: Int64, failedPages: [ContentID: String] = [:], logger: Logger,
        progress: @escaping @Sendable (IngestProgress) -> Void
    ) throws -> [ReconciliationReport.RecordOutcome] {
        let settings = options.ocr
        let selection = try selectForRecognition(records)
        var outcomes = selection.outcomes
        let pending = selection.pending
        var todo = selection.todo
        let known = todo.filter { failedPages[$0] != nil }
        todo.removeAll { failedPages[$0] != nil }
        if !todo.isEmpty {
            logger.info("recognising pages", metadata: ["pages": "\(todo.count)", "jobs": "\(options.jobs)"])
        }
        var failed = try PageRecognizer(store: store, catalog: catalog, options: options, now: now)
            .run(todo, progress: progress)
        for image in known { failed[image] = failedPages[image] }

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
                id: id, box: record.box ?? box, source: record.source, metadata: record.metadata, pageCount: pages.count,
                ingestedAt: ingestedAt, runId: runID)
            let added = try catalog.insert(Catalog.NewRecord(record: row, pages: pages))
            outcomes[i] = .init(
                source: record.source, status: added ? .added : .existing, record: id, pages: pages.count,
                reason: added ? nil : "already in the archive")
            logger.debug("record catalogued", metadata: ["record.id": "\(id)", "pages": "\(pages.count)"])
        }
        return zip(outcomes, records).map { outcome, record in
            var outcome = outcome!
            outcome.box = record.box
            return outcome
        }
    }

    /// Which formed records are new (or replace a page) and which of their page images have no
    /// OCR result for the current settings; the outcomes of records already decided.
    func selectForRecognition(
        _ records: [FormedRecord]
    ) throws -> (outcomes: [ReconciliationReport.RecordOutcome?], pending: [Int], todo: [ContentID]) {
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
        let settings = options.ocr.fingerprint
        var todo: [ContentID] = []
        var queued: Set<ContentID> = []
        for i in pending {
            for page in records[i].pages where !queued.contains(page.imageID) {
                queued.insert(page.imageID)
                if try catalog.cachedOCR(image: page.imageID, settings: settings) == nil {
                    todo.append(page.imageID)
                }
            }
        }
        return (outcomes, pending, todo)
    }
}
