import Foundation
import Logging
import SijillCatalog
import SijillCore
import SijillOCR
import SijillStore

/// What a re-OCR run did.
public struct ReOCRSummary: Sendable, Codable {
    public var selected = 0
    public var recognized = 0
    public var updated = 0
    public var failed: [String] = []
    public var flaggedBefore = 0
    public var flaggedAfter = 0
    public var settings = ""

    enum CodingKeys: String, CodingKey {
        case selected, recognized, updated, failed, settings
        case flaggedBefore = "needs_rescan_before", flaggedAfter = "needs_rescan_after"
    }
}

extension IngestPipeline {
    /// Re-reads catalogued pages with the current OCR settings, without re-importing: each
    /// page's text, hOCR, confidence and index entry are replaced in one transaction, and the
    /// change is recorded as a page revision. With `force`, pages already read with these
    /// settings are read again too.
    ///
    /// ```swift
    /// let summary = try pipeline.reocr(Catalog.PageSelection(belowConfidence: 70))
    /// ```
    public func reocr(
        _ selection: Catalog.PageSelection, force: Bool = false,
        progress: @escaping @Sendable (IngestProgress) -> Void = { _ in }
    ) throws -> ReOCRSummary {
        let settings = options.ocr
        var selection = selection
        if !force { selection.excludingSettings = settings.fingerprint }
        let pages = try catalog.pages(selection)
        var summary = ReOCRSummary()
        summary.selected = pages.count
        summary.settings = settings.fingerprint
        summary.flaggedBefore = pages.filter(\.needsRescan).count
        var todo: [ContentID] = []
        var seen: Set<ContentID> = []
        for page in pages where seen.insert(page.imageId).inserted {
            let cached = try catalog.cachedOCR(image: page.imageId, settings: settings.fingerprint)
            if force || cached == nil {
                todo.append(page.imageId)
            }
        }
        let failures = try PageRecognizer(store: store, catalog: catalog, options: options, now: now)
            .run(todo, progress: progress)
        summary.recognized = todo.count - failures.count
        let time = ISO8601DateFormatter().string(from: now())
        for page in pages {
            if let failure = failures[page.imageId] {
                summary.failed.append("record \(page.recordId.short) page \(page.pageNo): \(failure)")
                continue
            }
            guard let ocr = try catalog.cachedOCR(image: page.imageId, settings: settings.fingerprint) else { continue }
            let text = String(decoding: try store.get(ocr.textId), as: UTF8.self)
            if try catalog.revisePage(
                record: page.recordId, pageNo: page.pageNo, ocr: ocr, text: text, reason: .reocr, at: time)
            {
                summary.updated += 1
                if ocr.needsRescan { summary.flaggedAfter += 1 }
            }
        }
        logger.info("re-OCR finished", metadata: ["pages.updated": "\(summary.updated)", "pages.failed": "\(summary.failed.count)"])
        return summary
    }
}
