import Foundation
import SijillCatalog
import SijillCore
import SijillOCR
import SijillStore
import Synchronization

/// Recognises stored page images on worker threads (one Tesseract engine each) and saves each
/// result as an OCR row, so that work finished before a crash is never done again. Used by
/// ingest and by re-OCR.
struct PageRecognizer: Sendable {
    let store: any BlobStore
    let catalog: Catalog
    let options: IngestOptions
    let now: @Sendable () -> Date

    /// Recognises `images` (skipping none); returns the failures by image.
    func run(_ images: [ContentID], progress: @escaping @Sendable (IngestProgress) -> Void) throws -> [ContentID: String] {
        let failures = Mutex<[ContentID: String]>([:])
        let finished = Mutex(0)
        let total = images.count
        let (store, catalog, clock, settings) = (self.store, self.catalog, now, options.ocr)
        let decoder = ImageDecoder(maxPixels: options.maxPixels, maxPages: options.maxPagesPerFile)
        let cancellation = options.cancellation
        let startupErrors = WorkerPool.run(images, workers: options.jobs, stop: { cancellation?.isCancelled == true }) { _ in
            let engine = try TesseractEngine(settings: settings)
            return { image in
                do {
                    try catalog.saveOCR(
                        PageRecognizer.recognize(
                            image, engine: engine, decoder: decoder, store: store, catalog: catalog, at: clock()))
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
        try options.checkCancelled()
        if let first = startupErrors.first, startupErrors.count >= min(options.jobs, total) {
            throw IngestError("OCR could not start: \(first)")
        }
        return failures.withLock { $0 }
    }

    /// Decodes, recognises and stores the text and hOCR of one page image. A page read out of a
    /// PDF is read at the resolution the PDF gives it; a born-digital page is indexed from the
    /// PDF's own text (engine `pdf-text`), not recognised.
    static func recognize(
        _ image: ContentID, engine: TesseractEngine, decoder: ImageDecoder, store: any BlobStore, catalog: Catalog,
        at time: Date
    ) throws -> OCRRow {
        let data = try store.get(image)
        let origin = try catalog.imageOrigin(image)
        let result: OCRResult
        if let origin, origin.textKind == EmbeddedText.Kind.document.rawValue, let textID = origin.textId {
            let text = try JSONDecoder().decode(EmbeddedText.self, from: try store.get(textID))
            let info = try decoder.probe(data, name: image.short)
            result = text.ocrResult(
                width: info.width, height: info.height, dpi: origin.dpi ?? engine.settings.defaultDPI, settings: engine.settings)
        } else {
            guard let page = try decoder.decode(data, name: image.short).first else {
                throw OCRError.corrupt(image.short, "no page")
            }
            if let dpi = origin?.dpi { page.setResolution(dpi) }
            result = try engine.recognize(page, pageNumber: 1)
        }
        let textID = try store.put(Data(result.text.utf8)).id
        let hocrID = try store.put(Data(result.hocr.utf8)).id
        return OCRRow(
            imageId: image, settings: result.settings, engine: result.engine, textId: textID, hocrId: hocrID,
            confidence: result.meanConfidence, wordCount: result.wordCount, lowConfWords: result.lowConfidenceWords,
            dpi: result.dpi, dpiAssumed: result.dpiAssumed, createdAt: ISO8601DateFormatter().string(from: time),
            needsRescan: result.needsRescan, rotation: result.rotation,
            cleaning: result.cleaning.joined(separator: "; "))
    }
}
