import SijillTestSupport
import Testing
@testable import SijillCore

/// Properties of the query parser on random and hostile search text; see ``Fuzz`` for the seed
/// and iteration settings.
@Suite struct QueryFuzzTests {
    /// Query text: words, numbers, operators and quote marks in any order, random scalars between.
    static func queryText(_ r: inout Random, maxParts: Int = 40) -> String {
        var out = ""
        for _ in 0..<r.int(0...maxParts) {
            out += r.weighted([
                (10, r.word()), (3, "OR"), (2, "or"), (3, "-"), (3, "*"), (2, "\""), (1, "“"), (1, "”"), (1, "«"), (1, "»"),
                (2, "("), (2, ")"), (1, "-\"" + r.word() + "\""), (2, "-" + r.word()), (2, r.word() + "*"), (1, "NEAR("),
                (1, "AND"), (1, "NOT"), (1, ":"), (1, "^"), (1, "'"), (3, r.text(maxLength: 12)), (1, "\u{0600}"),
                (1, String(r.scalar())),
            ])
            out += r.weighted([(6, " "), (3, ""), (1, "\n"), (1, "\u{00A0}"), (1, "\u{3000}"), (1, "\t")])
        }
        return out
    }

    static func check(_ text: String) -> String? {
        let query: SearchQuery
        do {
            query = try SearchQuery(text)
        } catch let error as SijillInputError {
            return error.code == "bad-query" ? nil : "threw \(error.code): \(error)"
        } catch {
            return "threw \(type(of: error)), not SijillInputError: \(error)"
        }
        if text.unicodeScalars.count > 1_000 { return "a query over 1000 characters was accepted" }
        if query.required.isEmpty || query.required.contains(where: \.isEmpty) { return "an empty group" }
        for term in query.required.flatMap({ $0 }) + query.excluded {
            if term.tokens.isEmpty { return "a term without tokens" }
            for token in term.tokens {
                // Quoted FTS5 text: nothing but folded token characters, so no syntax and no split.
                if token.isEmpty || !token.unicodeScalars.allSatisfy(ArabicText.isTokenScalar) || ArabicText.fold(token) != token {
                    return "token \(Fuzz.escape(token)) is not a folded word"
                }
            }
        }
        // Every word typed is looked for or excluded; only the operators are dropped.
        let typed = ArabicText.foldedTokens(text).filter { $0 != "or" }.sorted()
        let kept = (query.required.flatMap { $0 } + query.excluded).flatMap(\.tokens).filter { $0 != "or" }.sorted()
        if typed != kept {
            func minus(_ a: [String], _ b: [String]) -> [String] {
                var rest = b
                return a.filter { word in rest.firstIndex(of: word).map { rest.remove(at: $0) } == nil }
            }
            let missing = minus(typed, kept), added = minus(kept, typed)
            return "typed words \(missing.map { Fuzz.escape($0) }) are not in the terms, which have \(added.map { Fuzz.escape($0) })"
        }
        if let problem = balance(query.ftsExpression) { return "ftsExpression \(Fuzz.escape(query.ftsExpression)): \(problem)" }
        if query.phrases.count != query.required.flatMap({ $0 }).flatMap(\.alternatives).count + query.excluded.count {
            return "phrases do not follow the expression"
        }
        return nil
    }

    /// Quotes pair up and parentheses outside quotes balance.
    static func balance(_ expression: String) -> String? {
        var depth = 0, quoted = false
        for s in expression.unicodeScalars {
            switch s {
            case "\"": quoted.toggle()
            case "(" where !quoted: depth += 1
            case ")" where !quoted:
                depth -= 1
                if depth < 0 { return "unbalanced ')'" }
            default: break
            }
        }
        return quoted ? "unclosed quote" : depth != 0 ? "unclosed '('" : nil
    }

    @Test("any text parses to quoted folded terms or is refused as a bad query")
    func anyText() {
        let failure = Fuzz.firstFailure("query total", iterations: 2_000, timeLimit: .milliseconds(500), generate: { r in
            r.chance(0.5) ? Self.queryText(&r) : r.text(maxLength: 1_000)
        }, check: Self.check)
        #expect(failure == nil, "\(failure ?? "")")
    }

    @Test("long operator soup is answered quickly")
    func longInputs() {
        let failure = Fuzz.firstFailure("query long", iterations: 60, timeLimit: .milliseconds(500), generate: { r -> String in
            // 10 kB of operators (refused by length) or just under the limit (parsed).
            let pieces = ["\"", "(", ")", " OR ", "-", "*", " ", "«", "»", "- ", "\"\"", "OR", "-\"", "*\"", "ب", "٨"]
            var v = String.UnicodeScalarView()
            let target = r.chance(0.5) ? 10_000 : r.int(900...1_000)
            while v.count < target { v.append(contentsOf: r.element(pieces).unicodeScalars) }
            return String(String(v).unicodeScalars.prefix(target))
        }, check: Self.check)
        #expect(failure == nil, "\(failure ?? "")")
    }

    /// The query written back in its own syntax: groups of `OR`ed terms, `-` before exclusions,
    /// multi-word terms quoted (or joined by `/`, as a typed number is), `*` after prefixes.
    static func render(_ query: SearchQuery, _ r: inout Random) -> String {
        func term(_ t: SearchQuery.Term, negated: Bool) -> String {
            // A separator before the first token: a token may start with a combining mark.
            if !negated, !t.prefix, r.chance(0.5) { return "\" " + t.tokens.joined(separator: " ") + " \"" }
            return (negated ? "-/" : "/") + t.tokens.joined(separator: "/") + (t.prefix ? "*" : "")
        }
        let groups = query.required.map { $0.map { term($0, negated: false) }.joined(separator: " OR ") }
        return (groups + query.excluded.map { term($0, negated: true) }).joined(separator: " ")
    }

    @Test("a query written back in query syntax parses to the same query")
    func roundTrip() {
        let failure = Fuzz.firstFailure("query round trip", iterations: 2_000, generate: { r -> (String, UInt64) in
            (Self.queryText(&r, maxParts: 12), r.generator.next())
        }, show: { Fuzz.escape($0.0) }) { text, seed in
            guard let query = try? SearchQuery(text) else { return nil }
            var r = Random(seed: seed)
            let rendered = Self.render(query, &r)
            guard rendered.unicodeScalars.count <= 1_000 else { return nil }
            let again = try SearchQuery(rendered)
            if again.required != query.required || again.excluded != query.excluded || again.ftsExpression != query.ftsExpression {
                return "written back as \(Fuzz.escape(rendered)), which parses to \(Fuzz.escape(again.ftsExpression)), "
                    + "not \(Fuzz.escape(query.ftsExpression))"
            }
            return nil
        }
        #expect(failure == nil, "\(failure ?? "")")
    }

    @Test("found by these properties: a query is split scalar by scalar, as page text is")
    func regressions() throws {
        // A space took the combining mark after it (a grapheme), and the mark was lost.
        #expect(try SearchQuery("a \u{0301}b").positiveTokens == ["a", "\u{0301}b"])
        // U+0600 took the space after it, and two words became one phrase.
        #expect(try SearchQuery("أحمد\u{0600} محمد").required.count == 2)
    }
}
