import Testing
@testable import SijillCore

@Suite struct SearchQueryTests {
    @Test("words are folded, quoted and joined with AND")
    func words() throws {
        let q = try SearchQuery("أحمد إبراهيم")
        // Each Arabic word is also looked up by its light stem (a marked token).
        // …and by the form it has after a conjunction و (another marked token).
        #expect(
            q.ftsExpression
                == "(\"احمد\" OR \"\u{E000}احمد\" OR \"\u{E001}احمد\") AND (\"ابراهيم\" OR \"\u{E000}ابراهيم\" OR \"\u{E001}ابراهيم\")")
    }

    @Test("a number with a slash becomes a phrase, in either digit script")
    func numbers() throws {
        #expect(try SearchQuery("81559/1982").ftsExpression == #"("81559 1982")"#)
        #expect(try SearchQuery("٨١٥٥٩/١٩٨٢").ftsExpression == #"("81559 1982")"#)
    }

    @Test("a typed whole date also looks for the other ways pages write that day; a reference or a quoted date does not")
    func dates() throws {
        let forms = try SearchQuery("14/03/1982").required[0][0].alternatives.map { $0.tokens.joined(separator: " ") }
        #expect(forms.first == "14 03 1982")
        for expected in ["1982 03 14", "14 3 1982", "1982 3 14", "14 اذار 1982", "14 مارس 1982", "18 05 1402", "1402 5 18", "18 جمادي الاولي 1402"] {
            #expect(forms.contains(expected), "\(expected) in \(forms)")
        }
        #expect(try SearchQuery("81559/1982").required[0][0].forms.isEmpty)
        #expect(try SearchQuery("\"14/03/1982\"").required[0][0].forms.isEmpty)
        #expect(try SearchQuery("31/02/1982").required[0][0].forms.isEmpty)
    }

    @Test("phrases, OR, exclusion and prefix")
    func operators() throws {
        let q = try SearchQuery(#""وزارة العدل" محمد OR أحمد -عقد مدرس*"#)
        #expect(
            q.ftsExpression
                == "((\"وزاره العدل\") AND (\"محمد\" OR \"\u{E000}محمد\" OR \"\u{E001}محمد\" OR \"احمد\" OR \"\u{E000}احمد\" OR \"\u{E001}احمد\") AND (\"مدرس\" *)) NOT \"عقد\"")
    }

    @Test("light stems meet at the same token without over-stemming", arguments: [
        ("الوزاره", "وزار"), ("وزاره", "وزار"), ("والوزارات", "وزار"), ("للمعلمين", "معلم"), ("كتابها", "كتاب"),
        ("وزير", "وزير"), ("ولد", "ولد"), ("81559", "81559"), ("ومحمد", "ومحمد"),
    ])
    func stems(word: String, stem: String) {
        #expect(ArabicStemmer.stem(word) == stem)
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

    @Test("ref: takes a reference as clerks type it: either digit script, a space after the colon or around the separators")
    func references() throws {
        for typed in ["ref:81559/1982", "REF:٨١٥٥٩/١٩٨٢", "ref: 81559/1982", "ref:81559 / 1982", "ref: 81559/ 1982"] {
            let q = try SearchQuery(typed)
            #expect(q.references == ["81559/1982"], "\(typed)")
            #expect(q.isReferenceOnly, "\(typed)")
        }
        #expect(try SearchQuery("ref:123 / ب / 2005").references == ["123/ب/2005"])
        #expect(try SearchQuery("ref:866 ص").references == ["866/ص"])
        let mixed = try SearchQuery("ref:81559/1982 في البغدادي")
        #expect(mixed.references == ["81559/1982"] && !mixed.isReferenceOnly)
        #expect(throws: SijillInputError.self) { try SearchQuery("ref:") }
    }

    @Test("queries with nothing to look for are clear errors", arguments: ["", "   ", "!!! ...", "-محمد", "ـــ"])
    func emptyQueries(input: String) {
        #expect(throws: SijillInputError.self) { try SearchQuery(input) }
    }
}
