import Foundation
import SijillCatalog
import SijillCore

/// Web sessions: a random cookie value → who signed in (a token's or a grant's number), kept in
/// the catalog (hashed), so a restart signs nobody out and several `serve` processes behind one
/// load balancer share them. A session ends at `lifetime` after sign-in, or after `idle`
/// without use, whichever comes first.
final class SessionStore: Sendable {
    typealias Subject = SessionSubject

    let catalog: Catalog
    let lifetime: TimeInterval
    let idle: TimeInterval

    init(catalog: Catalog, lifetime: Duration, idle: Duration) {
        self.catalog = catalog
        self.lifetime = Double(lifetime.components.seconds)
        self.idle = Double(idle.components.seconds)
    }

    /// Opens a session and returns its cookie value (256 random bits).
    func open(_ subject: Subject, at now: Date) throws -> String {
        try catalog.openSession(subject, lifetime: lifetime, at: now)
    }

    func subject(_ id: String, at now: Date) throws -> Subject? {
        try catalog.session(id, idle: idle, at: now)
    }

    func close(_ id: String) throws {
        try catalog.closeSession(id)
    }

    /// Signs `subject` out on every device; returns how many sessions ended.
    func closeAll(of subject: Subject) throws -> Int {
        try catalog.closeSessions(of: subject)
    }
}
