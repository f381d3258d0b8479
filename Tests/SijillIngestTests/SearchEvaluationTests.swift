import Foundation
import SijillCatalog
import SijillCore
import SijillTestSupport
import Testing

/// The clerk-typed evaluation set: 100% recall over the ground-truth text, and recall/precision
/// printed over the OCR'd text of the fixture boxes.
@Suite struct SearchEvaluationTests {
    static let boxes = ["box-zip.zip", "box-targz.tar.gz", "box-folder"]

    /// An in-memory catalog whose pages hold the exact ground-truth text.
    func groundTruthCatalog() throws -> (Catalog, [SearchEvaluation.Target: ContentID]) {
        var records: [(box: String, file: String, pages: [String])] = []
        var texts: [ContentID: String] = [:]
        for box in Self.boxes {
            for (file, pages) in try FixtureFiles.groundTruthRecords(box) {
                records.append((box, file, pages))
                for page in pages { texts[ContentID.of(Data((page + file).utf8))] = page }
            }
        }
        let known = texts
        let catalog = try Catalog.inMemory { id in
            guard let text = known[id] else { throw CatalogError.integrity("no text \(id)") }
            return text
        }
        var ids: [SearchEvaluation.Target: ContentID] = [:]
        for (box, file, pages) in records {
            let images = pages.map { ContentID.of(Data(($0 + file).utf8)) }
            let manifest = RecordManifest(pages: images.map { .init(image: $0) }, metadata: .init(title: file))
            let record = StoredRecord(
                id: manifest.recordID, box: box, source: file, metadata: manifest.metadata, pageCount: pages.count,
                ingestedAt: "2026-01-01T00:00:00Z", runId: nil)
            let rows = zip(images, pages).enumerated().map { n, pair in
                let ocr = OCRRow(
                    imageId: pair.0, settings: "gt", engine: "gt", textId: pair.0, hocrId: pair.0, confidence: 100,
                    wordCount: 1, lowConfWords: 0, dpi: 300, dpiAssumed: false, createdAt: "2026-01-01T00:00:00Z")
                return (
                    page: StoredPage(
                        recordId: manifest.recordID, pageNo: n + 1, imageId: pair.0, sourceId: pair.0, source: file,
                        frame: 0, ocr: ocr), text: pair.1)
            }
            try catalog.insert(.init(record: record, pages: rows))
            ids[.init(box: box, file: file)] = manifest.recordID
        }
        return (catalog, ids)
    }

    @Test("every spelling-variant query finds its record in the ground-truth text")
    func fullRecallOnGroundTruth() throws {
        let (catalog, ids) = try groundTruthCatalog()
        let evaluation = try SearchEvaluation.load()
        #expect(evaluation.queries.count >= 80)
        for q in evaluation.queries {
            let found = Set(try catalog.searchRecords(SearchQuery(q.query), limit: 20).map(\.record))
            for target in q.expect {
                #expect(found.contains(try #require(ids[target])), "\(q.kind) '\(q.query)' misses \(target.file)")
            }
        }
    }

    @Test("recall and precision over the OCR'd fixture boxes (printed; bounded below)")
    func recallOnOCR() throws {
        let shared = try SharedArchive.get()
        var ids: [SearchEvaluation.Target: ContentID] = [:]
        for (box, report) in shared.reports {
            for outcome in report.records { ids[.init(box: box, file: outcome.source)] = outcome.record }
        }
        var wanted = 0, found = 0, returned = 0, relevant = 0
        var misses: [String] = []
        for q in try SearchEvaluation.load().queries {
            let results = Set(try shared.archive.archive.catalog.searchRecords(SearchQuery(q.query), limit: 20).map(\.record))
            let targets = Set(q.expect.compactMap { ids[$0] })
            wanted += targets.count
            found += targets.intersection(results).count
            returned += results.count
            relevant += results.intersection(targets).count
            if !targets.isSubset(of: results) { misses.append("\(q.kind) '\(q.query)'") }
        }
        let recall = Double(found) / Double(wanted)
        let precision = returned == 0 ? 0 : Double(relevant) / Double(returned)
        print("search over OCR text: recall \(found)/\(wanted) = \(String(format: "%.3f", recall)), precision \(String(format: "%.3f", precision))")
        for miss in misses { print("  missed: \(miss)") }
        #expect(recall >= 0.85)
    }
}
