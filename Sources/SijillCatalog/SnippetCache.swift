import SijillCore
import Synchronization

/// Analysed page texts (``Snippet/Analysis``) by text object ID, with the vocabulary their
/// word numbers come from. Texts never change, so an analysis stays valid; beyond `capacity`
/// pages (or a vocabulary of several million forms) it starts afresh.
final class SnippetCache: Sendable {
    private struct State {
        var vocabulary = Snippet.Vocabulary()
        var pages: [ContentID: Snippet.Analysis] = [:]
    }

    private let state = Mutex(State())
    let capacity: Int

    init(capacity: Int = 20_000) {
        self.capacity = capacity
    }

    /// The vocabulary to build a query's matcher with.
    var vocabulary: Snippet.Vocabulary {
        state.withLock { s in
            if s.pages.count >= capacity || s.vocabulary.count > 4_000_000 { s = State() }
            return s.vocabulary
        }
    }

    /// The analysis of text `id` in `vocabulary` (made with `text()` when missing).
    func analysis(_ id: ContentID, vocabulary: Snippet.Vocabulary, text: () throws -> String) rethrows -> Snippet.Analysis {
        if let hit = state.withLock({ $0.vocabulary === vocabulary ? $0.pages[id] : nil }) { return hit }
        let analysis = Snippet.Analysis(try text(), vocabulary: vocabulary)
        state.withLock { s in
            if s.vocabulary === vocabulary { s.pages[id] = analysis }
        }
        return analysis
    }
}
