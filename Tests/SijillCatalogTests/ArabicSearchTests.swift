import Foundation
import GRDB
import Synchronization
import Testing
@testable import SijillCatalog
@testable import SijillCore

@Suite struct ArabicSearchTests {
    static let pageText = """
        وزارة العدل — رقم المعاملة: ٨١٥٥٩/١٩٨٢
        المواطن أَحْمَد إِبْراهِيم السيوفي يطلب نقل ملكية القطعـــة رقم 45 إلى مصطفى ويوسف
        """

    /// Page texts by object ID, standing in for the blob store.
    static let texts = Mutex<[ContentID: String]>([:])
    static let storedText: Catalog.PageTextLoader = { id in
        guard let text = texts.withLock({ $0[id] }) else { throw CatalogError.integrity("no text \(id)") }
        return text
    }

    /// A catalog holding one record with one page of `text`.
    func makeCatalog(text: String = pageText) throws -> (Catalog, ContentID) {
        let catalog = try Catalog.inMemory(pageText: Self.storedText)
        return (catalog, try insertPage(text, into: catalog))
    }

    @discardableResult
    func insertPage(_ text: String, into catalog: Catalog) throws -> ContentID {
        let image = ContentID.of(Data(text.utf8))
        Self.texts.withLock { $0[image] = text }
        let manifest = RecordManifest(pages: [.init(image: image)], metadata: .init(series: "LAND"))
        let id = manifest.recordID
        let ocr = OCRRow(
            imageId: image, settings: "test", engine: "test", textId: image, hocrId: image, confidence: 90,
            wordCount: 10, lowConfWords: 0, dpi: 300, dpiAssumed: false, createdAt: "2026-01-01T00:00:00Z")
        let record = StoredRecord(
            id: id, box: "box.zip", source: "page.png", metadata: manifest.metadata, pageCount: 1,
            ingestedAt: "2026-01-01T00:00:00Z", runId: nil)
        let page = StoredPage(recordId: id, pageNo: 1, imageId: image, sourceId: image, source: "page.png", frame: 0, ocr: ocr)
        try catalog.insert(.init(record: record, pages: [(page, text)]))
        return id
    }

    @Test("spelling variants a clerk types all find the page", arguments: [
        "احمد", "أحمد", "أَحْمَد", "ابراهيم", "إبراهيم", "القطعة", "القطعه", "مصطفي", "مصطفى", "وزاره العدل",
        "81559/1982", "٨١٥٥٩/١٩٨٢", "81559", "١٩٨٢", "\"احمد ابراهيم\"", "السيو*",
        "سيوفي", "والسيوفي", "قطعه", "القطع", "الوزارات", "وزارة", "ملكيات", "نقل", "يوسف",
    ])
    func variantsMatch(query: String) throws {
        let (catalog, id) = try makeCatalog()
        let hits = try catalog.search(SearchQuery(query))
        #expect(hits.map(\.record) == [id], "query \(query)")
    }

    @Test("a number matches whole numbers only, not part of another number", arguments: ["8155", "1559", "198", "4"])
    func numbersAreWhole(query: String) throws {
        let (catalog, _) = try makeCatalog()
        #expect(try catalog.search(SearchQuery(query)).isEmpty)
    }

    @Test("stemming does not turn a root و into a conjunction", arguments: ["زار", "زير", "لد", "زارات"])
    func noOverStemming(query: String) throws {
        let (catalog, _) = try makeCatalog(text: "الوزارة والوزير والولد")
        #expect(try catalog.search(SearchQuery(query)).isEmpty, "\(query)")
    }

    @Test("an exact form ranks above other forms of the word")
    func exactFormRanksFirst() throws {
        let shared = try Catalog.inMemory(pageText: Self.storedText)
        for text in ["تقرير عن الوزارات الجديدة", "تقرير عن الوزارة الجديدة", "تقرير آخر عن شيء مختلف تماما"] {
            try insertPage(text, into: shared)
        }
        let hits = try shared.search(SearchQuery("الوزارة"))
        #expect(hits.count == 2)
        #expect(hits.first?.snippet.contains("[الوزارة]") == true)
    }

    @Test("filters by series, box and date range; bad dates are clear errors")
    func filters() throws {
        let (catalog, id) = try makeCatalog()
        let q = try SearchQuery("احمد")
        #expect(try catalog.search(q, filters: SearchFilters(series: "LAND")).map(\.record) == [id])
        #expect(try catalog.search(q, filters: SearchFilters(series: "OTHER")).isEmpty)
        #expect(try catalog.search(q, filters: SearchFilters(box: "box.zip")).map(\.record) == [id])
        // The test record has no date: a date range excludes it.
        #expect(try catalog.search(q, filters: SearchFilters(from: "1980")).isEmpty)
        #expect(throws: SijillInputError.self) { try SearchFilters(from: "last year") }
        #expect(throws: SijillInputError.self) { try SearchFilters(to: "1982-13-01") }
        #expect(try SearchFilters(from: "١٩٨٢", to: "1982-03").from == "1982-01-01")
        #expect(try SearchFilters(to: "1982-03").to == "1982-03-31")
    }

    @Test("reindex rebuilds the index from stored text in one transaction")
    func reindex() throws {
        let (catalog, id) = try makeCatalog()
        try catalog.writer.write { db in try db.execute(sql: "INSERT INTO page_text(page_text) VALUES ('delete-all')") }
        #expect(try catalog.search(SearchQuery("احمد")).isEmpty)
        let count = try catalog.rebuildIndex { _ in Self.pageText }
        #expect(count == 1)
        #expect(try catalog.search(SearchQuery("احمد")).map(\.record) == [id])
        // A failing text source leaves the index as it was.
        struct Broken: Error {}
        #expect(throws: Broken.self) { try catalog.rebuildIndex { _ in throw Broken() } }
        #expect(try catalog.search(SearchQuery("احمد")).map(\.record) == [id])
    }

    @Test("a candidate bound ranks only among the newest matching pages")
    func candidateBound() throws {
        let catalog = try Catalog.inMemory(pageText: Self.storedText)
        let older = try insertPage("طلب احمد احمد احمد", into: catalog)
        let newer = try insertPage("طلب احمد وكلام آخر كثير هنا", into: catalog)
        #expect(try catalog.search(SearchQuery("احمد")).first?.record == older)
        #expect(try catalog.search(SearchQuery("احمد"), candidateLimit: 1).map(\.record) == [newer])
        #expect(try catalog.search(SearchQuery("احمد"), candidateLimit: 5).count == 2)
    }

    @Test("results are grouped by record with their best pages")
    func grouped() throws {
        let catalog = try Catalog.inMemory(pageText: Self.storedText)
        try insertPage("طلب احمد الاول", into: catalog)
        let results = try catalog.searchRecords(SearchQuery("احمد"), limit: 10)
        #expect(results.count == 1)
        #expect(results.first?.pages.count == 1)
        #expect(results.first?.series == "LAND")
    }

    @Test("snippets cut on word boundaries: no split grapheme, harakat or lam-alef")
    func snippetBoundaries() throws {
        let words = (1...60).map { i in i == 30 ? "المُسْتَلَم" : (i % 3 == 0 ? "لا" : "كَلِمَة\(i % 7)") }
        let (catalog, _) = try makeCatalog(text: words.joined(separator: " "))
        let hit = try #require(try catalog.search(SearchQuery("المستلم")).first)
        #expect(hit.snippet.contains("[المُسْتَلَم]"))
        let pieces = hit.snippet.replacingOccurrences(of: "…", with: " ").replacingOccurrences(of: "[", with: " ")
            .replacingOccurrences(of: "]", with: " ").split(separator: " ")
        for piece in pieces {
            #expect(words.contains(String(piece)), "snippet piece '\(piece)' is not a whole word")
        }
        #expect(hit.snippet.unicodeScalars.first?.properties.generalCategory != .nonspacingMark)
    }

    @Test("exclusion and OR")
    func operators() throws {
        let (catalog, id) = try makeCatalog()
        #expect(try catalog.search(SearchQuery("احمد -السيوفي")).isEmpty)
        #expect(try catalog.search(SearchQuery("خالد OR احمد")).map(\.record) == [id])
    }

    @Test("snippets mark the matched words")
    func snippet() throws {
        let (catalog, _) = try makeCatalog()
        let hit = try #require(try catalog.search(SearchQuery("ابراهيم")).first)
        #expect(hit.snippet.contains("[إِبْراهِيم]"))
        #expect(hit.page == 1 && hit.source == "page.png" && hit.box == "box.zip")
    }

    @Test("hostile query text never reaches SQLite as syntax", arguments: [
        "NEAR(a b)", "a AND b OR", "page_text:x", "'; DROP TABLE page; --", "\"\"\"", "*", "x*y", "^a",
    ])
    func hostileQueries(query: String) throws {
        let (catalog, _) = try makeCatalog()
        guard let parsed = try? SearchQuery(query) else { return }  // nothing searchable is a clear error
        _ = try catalog.search(parsed)
        #expect(try catalog.counts().records == 1)
    }

    @Test("plain unicode61 misses these variants; the Arabic tokenizer is what finds them")
    func defaultTokenizerMisses() throws {
        let db = try DatabaseQueue()
        try db.write { db in
            try db.create(virtualTable: "t", using: FTS5()) { t in t.column("text") }
            try db.execute(sql: "INSERT INTO t(text) VALUES (?)", arguments: [Self.pageText])
            for query in ["\"احمد\"", "\"81559\"", "\"القطعه\""] {
                let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM t WHERE t MATCH ?", arguments: [query])
                #expect(count == 0, "unicode61 unexpectedly matched \(query)")
            }
        }
    }
}
