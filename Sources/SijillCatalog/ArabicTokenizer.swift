import GRDB
import SijillCore

/// The FTS5 tokenizer for Arabic page text, registered on every connection as `arabic`.
///
/// It wraps `unicode61` configured to keep combining marks and private-use characters inside
/// words (otherwise harakat split words into letters) and folds each token with
/// ``ArabicText/fold(_:)``, the same function the query side uses. When indexing, each word's
/// light stem (``ArabicStemmer``) is added at the same position, marked so it never equals a
/// surface form: a query asks for `surface OR stem`, so exact forms rank above other forms of
/// the word, and phrases still match surface forms position by position.
public final class ArabicTokenizer: FTS5WrapperTokenizer {
    public static let name = "arabic"
    public let wrappedTokenizer: any FTS5Tokenizer

    public init(db: Database, arguments: [String]) throws {
        wrappedTokenizer = try db.makeTokenizer(.unicode61(categories: "L* N* Co Mn"))
    }

    public func accept(
        token: String, flags: FTS5TokenFlags, for tokenization: FTS5Tokenization,
        tokenCallback: FTS5WrapperTokenCallback
    ) throws {
        let folded = ArabicText.fold(token)
        guard !folded.isEmpty else { return }
        try tokenCallback(folded, flags)
        guard tokenization.contains(.document) else { return }
        let stem = ArabicStemmer.stemToken(folded)
        if let stem { try tokenCallback(stem, flags.union(.colocated)) }
        if let withoutConjunction = ArabicStemmer.conjunctionToken(folded) {
            try tokenCallback(withoutConjunction, flags.union(.colocated))
        }
    }
}
