import Foundation
import Logging
import SijillCatalog
import Synchronization

/// Audit entries for reads, written in batches: a read must not wait for a disk commit, and
/// one transaction per batch keeps the chain cheap. ``run(every:)`` flushes until cancelled,
/// then once more; a crash can lose at most the last interval's read entries (state changes
/// are audited in their own transaction, never through this buffer).
final class AuditBuffer: Sendable {
    /// Identical events (same actor, action, target and detail) within one interval become one
    /// entry with `count` in its detail and the time of the first: a client re-reading the
    /// same page image a thousand times a second is one line per interval, not a thousand.
    private struct Key: Hashable {
        var actor: String
        var action: String
        var target: String?
        var detail: [String: String]
    }

    private struct Pending {
        var order: [Key] = []
        var events: [Key: (first: Date, count: Int)] = [:]
    }

    private let pending = Mutex(Pending())
    let catalog: Catalog
    let logger: Logger

    init(catalog: Catalog, logger: Logger) {
        self.catalog = catalog
        self.logger = logger
    }

    func record(_ event: AuditEvent) {
        let key = Key(actor: event.actor, action: event.action, target: event.target, detail: event.detail)
        pending.withLock { p in
            if let seen = p.events[key] {
                p.events[key] = (seen.first, seen.count + 1)
            } else {
                p.events[key] = (event.at, 1)
                p.order.append(key)
            }
        }
    }

    /// Writes what is pending; on failure keeps it for the next attempt.
    func flush() {
        let batch = pending.withLock { p -> Pending in
            defer { p = Pending() }
            return p
        }
        guard !batch.order.isEmpty else { return }
        let events = batch.order.map { key -> AuditEvent in
            let (first, count) = batch.events[key]!
            var detail = key.detail
            if count > 1 { detail["count"] = String(count) }
            return AuditEvent(actor: key.actor, action: key.action, target: key.target, detail: detail, at: first)
        }
        do {
            try catalog.audit(events)
        } catch {
            logger.error("audit write failed; will retry", metadata: ["error": "\(error)", "audit.pending": "\(events.count)"])
            for event in events { record(event) }
        }
    }

    func run(every interval: Duration) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            flush()
        }
        flush()
    }
}
