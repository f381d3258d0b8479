import Foundation
import GRDB
import Synchronization
import Testing
@testable import SijillCatalog
@testable import SijillCore
import SijillTestSupport

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

    /// A catalog holding one record with one page of `text`, on the tests' back end (``TestBackend``).
    func makeCatalog(text: String = pageText) throws -> (Catalog, ContentID) {
        let catalog = try TestBackend.catalog("search", pageText: Self.storedText)
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

    @Test("a date typed one way finds the page that writes it another: order, digits, month names, Hijri", arguments: [
        // (14 March 1982 is 18 Jumada al-Ula 1402 by Umm al-Qura; 19 Jumada al-Ula is 15 March)
        ("التاريخ: 1982/03/14", ["14/03/1982", "14-3-1982", "١٤/٠٣/١٩٨٢", "1982-03-14", "1402/05/18هـ", "طلب 14.03.1982"]),
        ("حرر في ١٤ آذار ١٩٨٢", ["14/03/1982", "1982-3-14"]),
        ("بتاريخ 14 مارس 1982", ["١٤/٣/١٩٨٢"]),
        ("الموافق ١٩ جمادى الأولى ١٤٠٢ هـ", ["15/03/1982", "19/5/1402هـ"]),
    ])
    func datesMatch(page: String, queries: [String]) throws {
        let (catalog, id) = try makeCatalog(text: page + "\nطلب نقل ملكية")
        for query in queries {
            #expect(try catalog.search(SearchQuery(query)).map(\.record) == [id], "query \(query) on \(page)")
        }
        // Another day, or the same numbers as a reference, is not that page.
        #expect(try catalog.search(SearchQuery("12/03/1982")).isEmpty)
        #expect(try catalog.search(SearchQuery("14/1982")).isEmpty)
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
        let shared = try TestBackend.catalog("search", pageText: Self.storedText)
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
        try catalog.database.write { db in
            try db.execute(db.dialect == .sqlite ? "INSERT INTO page_text(page_text) VALUES ('delete-all')" : "DELETE FROM page_index")
        }
        #expect(try catalog.search(SearchQuery("احمد")).isEmpty)
        let count = try catalog.rebuildIndex { _ in Self.pageText }
        #expect(count == 1)
        #expect(try catalog.search(SearchQuery("احمد")).map(\.record) == [id])
        // A failing text source leaves the index as it was.
        struct Broken: Error {}
        #expect(throws: Broken.self) { try catalog.rebuildIndex { _ in throw Broken() } }
        #expect(try catalog.search(SearchQuery("احمد")).map(\.record) == [id])
    }

    @Test("an index built by an older tokenizer is reported until reindex")
    func indexAdvice() throws {
        let (catalog, _) = try makeCatalog()
        #expect(try catalog.indexAdvice() == nil)
        try catalog.database.write { db in try db.execute("UPDATE catalog_setting SET value = '1' WHERE key = 'index_tokenizer'") }
        #expect(try catalog.indexAdvice()?.contains("older tokenizer") == true)
        _ = try catalog.rebuildIndex { _ in Self.pageText }
        #expect(try catalog.indexAdvice() == nil)
    }

    @Test("a common-word query is ranked within the smallest impact tier that fills the page, else exactly")
    func impactTiers() throws {
        let catalog = try Catalog.inMemory(pageText: Self.storedText)
        // Pages of ~150 words (the reference length), so a word's tier weight is its use count.
        let filler = Array(repeating: "بيان", count: 145).joined(separator: " ")
        let four = try insertPage("طلب احمد واحمد الاحمد احمد " + filler, into: catalog)  // 4 uses of احمد: tiers 1–4
        let twoA = try insertPage("طلب احمد احمد بيع ارض " + filler, into: catalog)  // tiers 1–2
        let twoB = try insertPage("طلب احمد احمد نقل ملك " + filler, into: catalog)
        for i in 0..<10 { try insertPage("طلب احمد عقد رقم \(i) " + filler, into: catalog) }  // no tier
        let key = ImpactTier.key("احمد")
        let counts = try catalog.writer.read { db in
            try (1...ImpactTier.thresholds.count).map { tier in
                try Int.fetchOne(
                    db, sql: "SELECT doc FROM page_text_vocab WHERE term = ?",
                    arguments: [ImpactTier.token(key: key, tier: tier)]) ?? 0
            }
        }
        #expect(counts == [3, 3, 1, 1, 0, 0])

        let query = try SearchQuery("احمد")
        let ranking = SearchRanking.bounded(exactLimit: 5, budget: 1)
        let plans = try catalog.writer.read { db in try catalog.searchPlans(query, ranking: ranking, db) }
        #expect(plans.map(\.tier) == [3, 2, 1, nil])
        // Tier 3 holds one page, too few for 2 results: tier 2 answers, as the exact ranking does.
        let bounded = try catalog.search(query, limit: 2, ranking: ranking).map(\.record)
        let exact = try catalog.search(query, limit: 2, ranking: .exact).map(\.record)
        #expect(bounded.first == four && Set([twoA, twoB]).contains(bounded[1]))
        #expect(bounded == exact)
        // Two words: a tier is "one word reaches t, or both reach t − 1" (a valid FTS5 expression).
        let pair = try SearchQuery("احمد طلب")
        let pairPlans = try catalog.writer.read { db in
            try catalog.searchPlans(pair, ranking: .bounded(exactLimit: 0, budget: 1), db)
        }
        #expect(pairPlans.contains { $0.expression.contains(" AND \"\u{E002}") } && pairPlans.last?.tier == nil)
        #expect(try catalog.search(pair, limit: 1, ranking: .bounded(exactLimit: 0, budget: 1)).map(\.record) == [four])
        // No tier holds 20 pages: exact, all 13.
        #expect(try catalog.search(query, limit: 20, ranking: ranking).count == 13)
        // A query whose rarest word is in few pages is always exact.
        let selective = try catalog.writer.read { db in
            try catalog.searchPlans(query, ranking: .bounded(exactLimit: 100, budget: 1), db)
        }
        #expect(selective.map(\.tier) == [nil])
        // An index built before tiers existed (until `sijill reindex`) is searched exactly.
        try catalog.writer.write { db in try db.execute(sql: "UPDATE catalog_setting SET value = '0'") }
        #expect(try catalog.writer.read { db in try catalog.searchPlans(query, ranking: ranking, db) }.map(\.tier) == [nil])
        _ = try catalog.rebuildIndex { id in try Self.storedText(id) }
        #expect(try catalog.writer.read { db in try catalog.searchPlans(query, ranking: ranking, db) }.map(\.tier) == [3, 2, 1, nil])
    }

    @Test("results are grouped by record with their best pages")
    func grouped() throws {
        let catalog = try TestBackend.catalog("search", pageText: Self.storedText)
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

    @Test("sijill_bm25 with vocabulary counts scores exactly as FTS5's bm25", arguments: [
        "العدل", "احمد ابراهيم", "رقم", "وزارة OR ملكية", "رقم -مصطفى", "\"رقم المعاملة\"", "القطعة رقم",
    ])
    func rankMatchesBM25(query: String) throws {
        let catalog = try Catalog.inMemory(pageText: Self.storedText)
        let lines = [
            Self.pageText, "رقم المعاملة 12 رقم 13 رقم 14", "وزارة الزراعة رقم ٧", "ملكية ارض العدل والاحسان",
            "احمد محمد ابراهيم رقم المعاملة", "القطعة رقم 9 في وزارة العدل", "ابراهيم وأحمد واحمد",
        ]
        for line in lines { try insertPage(line, into: catalog) }
        let parsed = try SearchQuery(query)
        let pairs = try catalog.writer.read { db in
            let idf = try catalog.termStatistics.idfBlob(parsed, GRDBDatabase.Connection(db: db))
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT bm25(page_text, 1.0, 4.0) AS fts, sijill_bm25(page_text, 1.0, 4.0, ?) AS ours
                    FROM page_text WHERE page_text MATCH ?
                    """,
                arguments: [idf, parsed.ftsExpression]
            ).map { ($0["fts"] as Double, $0["ours"] as Double) }
        }
        #expect(!pairs.isEmpty, "query \(query) matched nothing")
        for (fts, ours) in pairs {
            #expect(abs(fts - ours) <= 1e-9 * max(1, abs(fts)), "query \(query): bm25 \(fts), sijill_bm25 \(ours)")
        }
    }
}
