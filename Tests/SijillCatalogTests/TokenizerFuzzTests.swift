import GRDB
import SijillTestSupport
import Testing
@testable import SijillCatalog
@testable import SijillCore

/// The `arabic` FTS5 tokenizer against the query side, on random text; see ``Fuzz`` for the seed
/// and iteration settings.
@Suite struct TokenizerFuzzTests {
    /// A page is indexed under the tokenizer's reading of its text; a clerk who types that text
    /// searches for the tokenizer's reading of the phrases ``SearchQuery`` wrote (its folded
    /// tokens, joined by spaces). The two readings must be the same words, or typing a page's
    /// own words misses it.
    @Test("typing a page's text asks the index for the words it indexed")
    func indexAndQueryAgree() throws {
        let catalog = try Catalog.inMemory()
        let failure = try catalog.writer.read { db in
            let tokenizer = try db.makeTokenizer(ArabicTokenizer.tokenizerDescriptor())
            return Fuzz.firstFailure("index and query agree", iterations: 1_500, generate: { $0.text(maxLength: 300) }) { text in
                let indexed = try tokenizer.tokenize(query: text).map(\.token)
                let asked = try tokenizer.tokenize(query: ArabicText.foldedTokens(text).joined(separator: " ")).map(\.token)
                if indexed != asked {
                    return "indexed \(indexed.map { Fuzz.escape($0) }), asked \(asked.map { Fuzz.escape($0) })"
                }
                // Indexing adds stems and tiers, never changes or drops a word.
                let document = try tokenizer.tokenize(document: text).filter { !$0.flags.contains(.colocated) }.map(\.token)
                if document != indexed { return "document tokens \(document.map { Fuzz.escape($0) })" }
                return nil
            }
        }
        #expect(failure == nil, "\(failure ?? "")")
    }

    /// unicode61 knows Unicode 6.1: later code points (ALM, the bidi isolates, newer emoji) were
    /// letters to it and glued the words around them into one indexed token.
    @Test("words joined by a mark unicode61 does not know are found one by one", arguments: [
        "رقم\u{061C}81559", "الرقم\u{2067}81559\u{2069}/1982", "تحية🤝محمد",
    ])
    func gluedWords(text: String) throws {
        let (catalog, id) = try ArabicSearchTests().makeCatalog(text: text)
        for word in ArabicText.foldedTokens(text) {
            #expect(try catalog.search(SearchQuery(word)).map(\.record) == [id], "\(word)")
        }
    }
}
