import Foundation
import Synchronization
import Testing
@testable import SijillCatalog
import SijillCore
import SijillTestSupport

/// Search gives the same answers on both databases: the same analysis of the same text, the
/// same ranking formula, the same impact-tier plans.
@Suite struct SearchBackendTests {
    static let texts = Mutex<[ContentID: String]>([:])
    static let loader: Catalog.PageTextLoader = { id in
        guard let text = texts.withLock({ $0[id] }) else { throw CatalogError.integrity("no text \(id)") }
        return text
    }

    /// The fixture boxes' records with their ground-truth page texts, and 300 pages of common
    /// administrative words (so that common-word queries go through the impact tiers).
    static func corpus() throws -> [(file: String, box: String, pages: [String], series: String)] {
        var records: [(String, String, [String], String)] = []
        for box in ["box-zip.zip", "box-targz.tar.gz", "box-folder"] {
            for record in try FixtureFiles.groundTruthRecords(box) { records.append((record.file, box, record.pages, "LAND")) }
        }
        let words = ["وزارة", "العدل", "طلب", "معاملة", "رقم", "تاريخ", "المواطن", "نقل", "ملكية", "دائرة", "السجل", "العقاري"]
        var seed: UInt64 = 7
        func next() -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int(seed >> 33)
        }
        for n in 0..<300 {
            let length = 20 + next() % 200
            let text = (0..<length).map { _ in words[next() % (n % 3 == 0 ? 4 : words.count)] }.joined(separator: " ")
            records.append(("filler-\(n)", "filler", [text], n % 2 == 0 ? "LAND" : "CIVIL"))
        }
        return records
    }

    static func load(_ catalog: Catalog) throws -> [String: ContentID] {
        var ids: [String: ContentID] = [:]
        for (file, box, pages, series) in try corpus() { ids["\(box)/\(file)"] = try insert(catalog, file: file, box: box, pages: pages, series: series) }
        return ids
    }

    @discardableResult
    static func insert(_ catalog: Catalog, file: String, box: String, pages: [String], series: String) throws -> ContentID {
        do {
            let images = pages.map { ContentID.of(Data(($0 + file).utf8)) }
            texts.withLock { for (image, text) in zip(images, pages) { $0[image] = text } }
            let manifest = RecordManifest(
                pages: images.map { .init(image: $0) }, metadata: .init(series: series, title: file))
            let id = manifest.recordID
            let record = StoredRecord(
                id: id, box: box, source: file, metadata: manifest.metadata, pageCount: pages.count,
                ingestedAt: "2026-01-01T00:00:00Z", runId: nil)
            let rows = zip(images, pages).enumerated().map { n, pair in
                let ocr = OCRRow(
                    imageId: pair.0, settings: "test", engine: "test", textId: pair.0, hocrId: pair.0, confidence: 90,
                    wordCount: 10, lowConfWords: 0, dpi: 300, dpiAssumed: false, createdAt: "2026-01-01T00:00:00Z")
                return (StoredPage(recordId: id, pageNo: n + 1, imageId: pair.0, sourceId: pair.0, source: file, frame: 0, ocr: ocr), pair.1)
            }
            try catalog.insert(.init(record: record, pages: rows))
            return id
        }
    }

    @Test("the clerk's evaluation queries find the same records in the same order on PostgreSQL as on SQLite")
    func sameAnswers() throws {
        guard let (sqlite, _) = try Backend.sqlite.catalog("search", pageText: Self.loader),
            let (postgres, _) = try Backend.postgres.catalog("search", pageText: Self.loader)
        else { return }
        let ids = try Self.load(sqlite)
        #expect(try Self.load(postgres) == ids)
        let evaluation = try SearchEvaluation.load()
        var queries = evaluation.queries.map(\.query)
        queries += ["وزارة العدل", "طلب نقل ملكية", "\"السجل العقاري\"", "معامل*", "رقم -طلب", "وزارة OR دائرة"]
        var found = 0, wanted = 0
        for text in queries {
            let query = try SearchQuery(text)
            for ranking in [SearchRanking.exact, .bounded(exactLimit: 20, budget: 30)] {
                let a = try sqlite.search(query, limit: 10, ranking: ranking)
                let b = try postgres.search(query, limit: 10, ranking: ranking)
                #expect(a.map(\.record) == b.map(\.record), "'\(text)' \(ranking): SQLite \(a.map(\.record.short)), PostgreSQL \(b.map(\.record.short))")
                for (x, y) in zip(a, b) {
                    #expect(abs(x.score - y.score) <= 1e-6 * max(1, abs(x.score)), "'\(text)': bm25 \(x.score) vs \(y.score)")
                }
                #expect(a.map(\.snippet) == b.map(\.snippet))
            }
            let filtered = try postgres.search(query, filters: SearchFilters(series: "CIVIL"), limit: 50)
            let filteredSQLite = try sqlite.search(query, filters: SearchFilters(series: "CIVIL"), limit: 50)
            #expect(filtered.map(\.record) == filteredSQLite.map(\.record), "'\(text)' series CIVIL")
        }
        for item in evaluation.queries {
            let hits = Set(try postgres.searchRecords(try SearchQuery(item.query), limit: 10).map(\.record))
            for target in item.expect {
                wanted += 1
                if let id = ids["\(target.box)/\(target.file)"], hits.contains(id) { found += 1 }
            }
        }
        #expect(wanted > 0 && found == wanted, "PostgreSQL recall on the evaluation set: \(found)/\(wanted)")
    }

    @Test("a PostgreSQL reindex catches up with records added, revised and removed while it ran; searches go on meanwhile")
    func rebuildWhileChanging() throws {
        guard let (postgres, another) = try Backend.postgres.catalog("rebuildlive", pageText: Self.loader) else { return }
        let ids = try Self.load(postgres)
        let other = try another()
        let victim = try #require(ids["filler/filler-1"]), revised = try #require(ids["filler/filler-2"])
        let revisedImage = try #require(try postgres.record(revised)?.pages.first?.imageId)
        let newText = "نص منقح فريد للصفحة"
        let textID = ContentID.of(Data(newText.utf8))
        Self.texts.withLock { $0[textID] = newText }
        var changed = false
        let count = try postgres.rebuildIndex { id in
            if !changed {
                changed = true
                // Another process, while the rebuild has read its first batch of pages:
                #expect(try other.deleteRecord(victim))
                let ocr = OCRRow(
                    imageId: revisedImage, settings: "test-2", engine: "test", textId: textID, hocrId: textID, confidence: 95,
                    wordCount: 4, lowConfWords: 0, dpi: 300, dpiAssumed: false, createdAt: "2026-01-02T00:00:00Z")
                try other.saveOCR(ocr)
                #expect(try other.revisePage(record: revised, pageNo: 1, ocr: ocr, text: newText, reason: .reocr, at: "2026-01-02T00:00:00Z"))
                try Self.insert(other, file: "late", box: "late", pages: ["سجل مضاف أثناء إعادة الفهرسة"], series: "LAND")
                #expect(try !other.search(SearchQuery("وزارة"), limit: 5).isEmpty, "the old index answers meanwhile")
            }
            return try Self.loader(id)
        }
        #expect(count == (try postgres.counts().pages))
        #expect(try postgres.search(SearchQuery("منقح")).map(\.record) == [revised])
        #expect(try postgres.search(SearchQuery("مضاف")).count == 1)
        let consistency = try postgres.indexConsistency()
        #expect(consistency.unindexedPages.isEmpty && consistency.strayEntries.isEmpty)
        // Deleting a page still removes its entry (the new table has the foreign key).
        #expect(try postgres.deleteRecord(revised))
        #expect(try postgres.search(SearchQuery("منقح")).isEmpty)
        #expect(try postgres.indexConsistency().strayEntries.isEmpty)
    }

    @Test("deleting and rebuilding the PostgreSQL index keeps it consistent with the pages")
    func rebuild() throws {
        guard let (postgres, _) = try Backend.postgres.catalog("rebuild", pageText: Self.loader) else { return }
        let ids = try Self.load(postgres)
        let before = try postgres.search(SearchQuery("وزارة العدل"), limit: 20, ranking: .exact)
        #expect(try postgres.rebuildIndex(text: Self.loader) == (try postgres.counts().pages))
        #expect(try postgres.search(SearchQuery("وزارة العدل"), limit: 20, ranking: .exact) == before)
        let victim = try #require(ids.values.first)
        #expect(try postgres.deleteRecord(victim))
        let consistency = try postgres.indexConsistency()
        #expect(consistency.unindexedPages.isEmpty && consistency.strayEntries.isEmpty)
        #expect(try postgres.indexAdvice() == nil)
    }

    @Test("a tsvector's text reads back into the lexemes and positions PostgreSQL printed")
    func tsvectorText() throws {
        #expect(TSVectorText.entries("") == [])
        #expect(
            TSVectorText.entries(#"'ملف':41B,123B 'it''s':2 'a\\b':7A 'x'"#)
                == [.init(lexeme: "ملف", positions: [41, 123]), .init(lexeme: "it's", positions: [2]),
                    .init(lexeme: #"a\b"#, positions: [7]), .init(lexeme: "x", positions: [])])
        // Against PostgreSQL's own output: quotes, backslashes, the tier marker, weights.
        guard let url = try TestPG.url() else { return }
        let database = try PostgresDatabase(url: url)
        let words = ["ملف", "it's", #"a\b"#, String(ImpactTier.marker) + "3ملف"]
        let text = try database.read { db in
            try db.scalar(String.self, "SELECT setweight(array_to_tsvector(?::text[]), 'B')::text", [Catalog.textArray(words)])
        }
        #expect(Set(TSVectorText.entries(try #require(text)).map(\.lexeme)) == Set(words))
        let filtered = try database.read { db in
            try db.scalar(
                String.self, "SELECT ts_filter(setweight(?::tsvector, 'B', ?::text[]), '{B}')::text",
                [#"'it''s':3,9 'b':4 'a\\b':1A"#, Catalog.textArray(["it's", #"a\b"#])])
        }
        #expect(
            TSVectorText.entries(try #require(filtered))
                == [.init(lexeme: #"a\b"#, positions: [1]), .init(lexeme: "it's", positions: [3, 9])])
    }
}
