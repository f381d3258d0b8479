import Foundation
import SijillCore
import Synchronization

/// Web sessions: a random cookie value → who signed in (a token's or a grant's number) and
/// until when. Kept in memory: restarting the server signs everyone out.
final class SessionStore: Sendable {
    enum Subject: Sendable, Hashable {
        case token(Int64)
        case grant(Int64)
    }

    private struct Session {
        var subject: Subject
        var expires: Date
    }

    private let sessions = Mutex<[String: Session]>([:])
    let lifetime: TimeInterval

    init(lifetime: Duration) {
        self.lifetime = Double(lifetime.components.seconds)
    }

    /// Opens a session and returns its cookie value (256 random bits).
    func open(_ subject: Subject, at now: Date) -> String {
        let id = Secret.randomHex(32)
        sessions.withLock { table in
            if table.count > 50_000 { table = table.filter { $0.value.expires > now } }
            table[id] = Session(subject: subject, expires: now.addingTimeInterval(lifetime))
        }
        return id
    }

    func subject(_ id: String, at now: Date) -> Subject? {
        sessions.withLock { table in
            guard let session = table[id] else { return nil }
            guard session.expires > now else {
                table[id] = nil
                return nil
            }
            return session.subject
        }
    }

    func close(_ id: String) {
        _ = sessions.withLock { $0.removeValue(forKey: id) }
    }
}
