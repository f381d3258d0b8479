import Foundation
import SijillCore
import Synchronization

/// Small stored objects (page images, texts, hOCR) kept in memory after they were read and
/// verified, with their content type: objects never change, so a hit needs no disk access and
/// no re-hash, and what is served is always bytes that matched their ID. Oldest out first
/// beyond `capacity` bytes.
final class ObjectCache: Sendable {
    struct Entry: Sendable {
        var bytes: [UInt8]
        var contentType: String
    }

    private struct State {
        var entries: [ContentID: Entry] = [:]
        var order: [ContentID] = []
        var head = 0
        var bytes = 0
    }

    private let state = Mutex(State())
    /// Objects larger than this are streamed from disk, never cached.
    let maxObject: Int
    let capacity: Int

    init(capacity: Int = 64 << 20, maxObject: Int = 1 << 20) {
        self.capacity = capacity
        self.maxObject = maxObject
    }

    func get(_ id: ContentID) -> Entry? {
        state.withLock { $0.entries[id] }
    }

    func put(_ id: ContentID, _ entry: Entry) {
        guard entry.bytes.count <= maxObject else { return }
        state.withLock { s in
            guard s.entries[id] == nil else { return }
            s.entries[id] = entry
            s.order.append(id)
            s.bytes += entry.bytes.count
            while s.bytes > capacity, s.head < s.order.count {
                let old = s.order[s.head]
                s.head += 1
                if let removed = s.entries.removeValue(forKey: old) { s.bytes -= removed.bytes.count }
            }
            if s.head > 4_096, s.head * 2 > s.order.count {
                s.order.removeFirst(s.head)
                s.head = 0
            }
        }
    }
}
