import Foundation
import Logging
import SijillCatalog
import Synchronization

/// Audit entries for reads, written in batches: a read must not wait for a disk commit, and
/// one transaction per batch keeps the chain cheap. ``run(every:)`` flushes until cancelled,
/// then once more; a crash can lose at most the last interval's read entries (state changes
/// are audited in their own transaction, never through this buffer).
final class AuditBuffer: Sendable {
    private let pending = Mutex<[AuditEvent]>([])
    let catalog: Catalog
    let logger: Logger

    init(catalog: Catalog, logger: Logger) {
        self.catalog = catalog
        self.logger = logger
    }

    func record(_ event: AuditEvent) {
        pending.withLock { $0.append(event) }
    }

    /// Writes what is pending; on failure keeps it for the next attempt.
    func flush() {
        let batch = pending.withLock { events -> [AuditEvent] in
            defer { events.removeAll(keepingCapacity: true) }
            return events
        }
        guard !batch.isEmpty else { return }
        do {
            try catalog.audit(batch)
        } catch {
            logger.error("audit write failed; will retry", metadata: ["error": "\(error)", "audit.pending": "\(batch.count)"])
            pending.withLock { $0.insert(contentsOf: batch, at: 0) }
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
