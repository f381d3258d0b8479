import Foundation
import SijillCatalog
import Synchronization

/// Counts failed token and access-code attempts per client address, so codes cannot be
/// guessed: past `limit` failures within `window`, the address is refused until they age out.
///
/// Failures are written to the catalog, and the addresses every server has seen fail too often
/// are read back at most once a second, so several `serve` processes on one archive enforce one
/// limit (a guesser spreading attempts over them gains at most a second's worth). This
/// process's own failures also count at once, without waiting for the next read.
final class FailureLimiter: Sendable {
    private struct Shared {
        var blocked: Set<String> = []
        var readAt = Date.distantPast
    }

    private let failures = Mutex<[String: [Date]]>([:])
    private let shared = Mutex(Shared())
    let limit: Int
    let window: TimeInterval
    let catalog: Catalog?

    init(limit: Int, window: Duration, catalog: Catalog? = nil) {
        self.limit = limit
        self.window = Double(window.components.seconds) + Double(window.components.attoseconds) / 1e18
        self.catalog = catalog
    }

    /// Whether `address` is refused at `now`.
    func isBlocked(_ address: String, at now: Date) -> Bool {
        let local = failures.withLock { table in
            let recent = (table[address] ?? []).filter { now.timeIntervalSince($0) < window }
            table[address] = recent.isEmpty ? nil : recent
            return recent.count >= limit
        }
        return local || sharedBlocked(now).contains(address)
    }

    /// Records a failure; returns whether the address is now refused.
    @discardableResult
    func recordFailure(_ address: String, at now: Date) -> Bool {
        try? catalog?.recordAuthFailure(address, at: now)
        shared.withLock { $0.readAt = .distantPast }  // read the shared view again on the next check
        return failures.withLock { table in
            var recent = (table[address] ?? []).filter { now.timeIntervalSince($0) < window }
            recent.append(now)
            // Bound memory under a flood of distinct addresses.
            if table.count > 100_000 { table.removeAll() }
            table[address] = recent
            return recent.count >= limit
        }
    }

    private func sharedBlocked(_ now: Date) -> Set<String> {
        guard let catalog else { return [] }
        if let fresh = shared.withLock({ abs(now.timeIntervalSince($0.readAt)) < 1 ? $0.blocked : nil }) { return fresh }
        let blocked = (try? catalog.blockedAddresses(since: now.addingTimeInterval(-window), limit: limit)) ?? []
        shared.withLock { $0 = Shared(blocked: blocked, readAt: now) }
        return blocked
    }
}
