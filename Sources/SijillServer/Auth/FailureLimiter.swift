import Foundation
import Synchronization

/// Counts failed token and access-code attempts per client address, so codes cannot be
/// guessed: past `limit` failures within `window`, the address is refused until they age out.
final class FailureLimiter: Sendable {
    private let failures = Mutex<[String: [Date]]>([:])
    let limit: Int
    let window: TimeInterval

    init(limit: Int, window: Duration) {
        self.limit = limit
        self.window = Double(window.components.seconds) + Double(window.components.attoseconds) / 1e18
    }

    /// Whether `address` is refused at `now`.
    func isBlocked(_ address: String, at now: Date) -> Bool {
        failures.withLock { table in
            let recent = (table[address] ?? []).filter { now.timeIntervalSince($0) < window }
            table[address] = recent.isEmpty ? nil : recent
            return recent.count >= limit
        }
    }

    /// Records a failure; returns whether the address is now refused.
    @discardableResult
    func recordFailure(_ address: String, at now: Date) -> Bool {
        failures.withLock { table in
            var recent = (table[address] ?? []).filter { now.timeIntervalSince($0) < window }
            recent.append(now)
            // Bound memory under a flood of distinct addresses.
            if table.count > 100_000 { table.removeAll() }
            table[address] = recent
            return recent.count >= limit
        }
    }
}
