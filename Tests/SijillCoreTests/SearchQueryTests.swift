import Testing
@testable import SijillCore

@Suite struct SearchQueryTests {
    @Test("words are folded, quoted and joined with AND")
    func words() throws {
        let q = try SearchQuery("أحمد إبراهيم")
        #expect(q.ftsExpression == #"("احمد") AND ("ابراهيم")"#)
    }

    @Test("a number with a slash becomes a phrase, in either digit script")
    func numbers() throws {
        #expect(try SearchQuery("81559/1982").ftsExpression == #"("81559 1982")"#)
        #expect(try SearchQuery("٨١٥٥٩/١٩٨٢").ftsExpression == #"("81559 1982")"#)
    }

    @Test("phrases, OR, exclusion and prefix")
    func operators() throws {
        let q = try SearchQuery(#""وزارة العدل" محمد OR أحمد -عقد مدرس*"#)
        #expect(q.ftsExpression == #"(("وزاره العدل") AND ("محمد" OR "احمد") AND ("مدرس" *)) NOT "عقد""#)
    }

    @Test("FTS5 syntax typed by a user is treated as text", arguments: [
        "NEAR(a b)", "a AND b", "col:value", "\"unbalanced", "^start", "a + b", "(((x)))", "x\"y\"z", "'; DROP TABLE page; --",
    ])
    func hostileInputIsLiteral(input: String) throws {
        let q = try SearchQuery(input)
        // Every term is a quoted phrase of token characters: no operator can come from the input.
        for group in q.required {
            for term in group {
                #expect(term.tokens.allSatisfy { token in token.unicodeScalars.allSatisfy(ArabicText.isTokenScalar) })
            }
        }
    }

    @Test("queries with nothing to look for are clear errors", arguments: ["", "   ", "!!! ...", "-محمد", "ـــ"])
    func emptyQueries(input: String) {
        #expect(throws: SijillInputError.self) { try SearchQuery(input) }
    }
}
