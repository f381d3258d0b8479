import GRDB
import SijillCore

/// The FTS5 tokenizer for Arabic page text, registered on every connection as `arabic`.
///
/// It runs `unicode61` configured to keep combining marks and private-use characters inside
/// words (otherwise harakat split words into letters) and folds each token with
/// ``ArabicText/fold(_:)``, the same function the query side uses. When indexing, each word's
/// light stem (``ArabicStemmer``) is added at the same position, marked so it never equals a
/// surface form: a query asks for `surface OR stem`, so exact forms rank above other forms of
/// the word, and phrases still match surface forms position by position. After the last word,
/// the page's ``ImpactTier`` tokens are added (the words it uses most, for its length).
public final class ArabicTokenizer: FTS5CustomTokenizer {
    public static let name = "arabic"
    private let wrapped: any FTS5Tokenizer

    public init(db: Database, arguments: [String]) throws {
        wrapped = try db.makeTokenizer(.unicode61(categories: "L* N* Co Mn"))
    }

    private struct RawToken {
        var text: String
        var flags: CInt
        var start: CInt
        var end: CInt
    }

    public func tokenize(
        context: UnsafeMutableRawPointer?, tokenization: FTS5Tokenization, pText: UnsafePointer<CChar>?, nText: CInt,
        tokenCallback: @escaping FTS5TokenCallback
    ) -> CInt {
        let ok: CInt = 0  // SQLITE_OK
        var raw: [RawToken] = []
        let code = withUnsafeMutablePointer(to: &raw) { buffer in
            wrapped.tokenize(context: buffer, tokenization: tokenization, pText: pText, nText: nText) {
                buffer, flags, pToken, nToken, start, end in
                guard let buffer, let pToken, nToken > 0 else { return 0 }
                let text = String(
                    decoding: UnsafeRawBufferPointer(start: pToken, count: Int(nToken)), as: UTF8.self)
                let tokens = buffer.assumingMemoryBound(to: [RawToken].self)
                // unicode61's tables are Unicode 6.1: a code point assigned since (ALM U+061C, the
                // isolates U+2066–2069, most emoji) counts as a letter there and would glue the
                // words around it into one token. Split where the query side splits.
                if text.unicodeScalars.allSatisfy(ArabicText.isTokenScalar) {
                    tokens.pointee.append(RawToken(text: text, flags: flags, start: start, end: end))
                } else {
                    for piece in ArabicText.tokens(text) {
                        tokens.pointee.append(RawToken(text: piece, flags: flags, start: start, end: end))
                    }
                }
                return 0
            }
        }
        guard code == ok else { return code }

        func emit(_ token: String, _ flags: CInt, _ start: CInt, _ end: CInt) -> CInt {
            var token = token
            return token.withUTF8 { bytes in
                bytes.withMemoryRebound(to: CChar.self) { chars in
                    tokenCallback(context, flags, chars.baseAddress, CInt(chars.count), start, end)
                }
            }
        }
        let colocated = FTS5TokenFlags.colocated.rawValue
        let indexing = tokenization.contains(.document)
        var uses: [String: Int] = [:]
        for token in raw {
            let folded = ArabicText.fold(token.text)
            guard !folded.isEmpty else { continue }
            var rc = emit(folded, token.flags, token.start, token.end)
            guard indexing else {
                if rc != ok { return rc }
                continue
            }
            let stem = ImpactTier.key(folded)  // the light stem
            uses[stem, default: 0] += 1
            if rc == ok, stem != folded, !stem.isEmpty {
                rc = emit(String(ArabicStemmer.stemMarker) + stem, token.flags | colocated, token.start, token.end)
            }
            if rc == ok, let withoutConjunction = ArabicStemmer.conjunctionToken(folded) {
                rc = emit(withoutConjunction, token.flags | colocated, token.start, token.end)
                // "واحمد" also counts as a use of احمد (a query for احمد matches it).
                let rest = ImpactTier.key(String(withoutConjunction.unicodeScalars.dropFirst()))
                if rest != stem { uses[rest, default: 0] += 1 }
            }
            if rc != ok { return rc }
        }
        guard indexing, let last = raw.last else { return ok }
        // Sorted, so the same text always gives the same token stream.
        for (key, count) in uses.sorted(by: { $0.key < $1.key }) where !key.isEmpty {
            guard let tiers = ImpactTier.tiers(uses: count, length: raw.count) else { continue }
            for tier in tiers {
                let rc = emit(ImpactTier.token(key: key, tier: tier), colocated, last.start, last.end)
                if rc != ok { return rc }
            }
        }
        return ok
    }
}
