import Foundation
import SijillCore

/// Who a web session belongs to: a staff token or a citizen's access grant (by number).
public enum SessionSubject: Sendable, Hashable {
    case token(Int64)
    case grant(Int64)

    var kind: String {
        switch self {
        case .token: "token"
        case .grant: "grant"
        }
    }

    var id: Int64 {
        switch self {
        case .token(let id), .grant(let id): id
        }
    }
}

extension Catalog {
    // MARK: Web sessions

    /// Opens a session for `subject` and returns its cookie value (256 random bits; only its
    /// hash is stored). It ends at `now + lifetime` at the latest.
    public func openSession(_ subject: SessionSubject, lifetime: TimeInterval, at now: Date) throws -> String {
        let cookie = Secret.randomHex(32)
        try database.write { db in
            try db.execute("DELETE FROM web_session WHERE expires_at <= ?", [Timestamp.string(now)])
            try db.execute("""
                    INSERT INTO web_session(hash, subject_kind, subject_id, created_at, last_seen_at, expires_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """, [
                    Secret.hash(cookie), subject.kind, subject.id, Timestamp.string(now), Timestamp.string(now),
                    Timestamp.string(now.addingTimeInterval(lifetime)),
                ])
        }
        return cookie
    }

    /// The subject of the live session `cookie` names: not past its absolute end, and used
    /// within `idle` seconds. A use is recorded (at most once a minute, to keep reads cheap).
    public func session(_ cookie: String, idle: TimeInterval, at now: Date) throws -> SessionSubject? {
        let hash = Secret.hash(cookie)
        guard
            let row = try database.read({ db in
                try db.row("SELECT * FROM web_session WHERE hash = ?", [hash])
            })
        else { return nil }
        let kind: String = row["subject_kind"], id: Int64 = row["subject_id"]
        guard let expires = Timestamp.date(row["expires_at"]), let seen = Timestamp.date(row["last_seen_at"]),
            expires > now, now.timeIntervalSince(seen) < idle
        else {
            try database.write { db in try db.execute("DELETE FROM web_session WHERE hash = ?", [hash]) }
            return nil
        }
        if now.timeIntervalSince(seen) >= 60 {
            try database.write { db in
                try db.execute("UPDATE web_session SET last_seen_at = ? WHERE hash = ?", [Timestamp.string(now), hash])
            }
        }
        return kind == "token" ? .token(id) : .grant(id)
    }

    /// Ends the session `cookie` names (sign-out).
    public func closeSession(_ cookie: String) throws {
        try database.write { db in
            try db.execute("DELETE FROM web_session WHERE hash = ?", [Secret.hash(cookie)])
        }
    }

    /// Ends every session of `subject` (sign out everywhere); returns how many.
    @discardableResult
    public func closeSessions(of subject: SessionSubject) throws -> Int {
        try database.write { db in
            try db.execute("DELETE FROM web_session WHERE subject_kind = ? AND subject_id = ?", [subject.kind, subject.id])
        }
    }
}

extension Catalog {
    // MARK: Failed sign-in attempts

    /// Records a failed token or code attempt from `address`; attempts older than a day are
    /// forgotten on the way.
    public func recordAuthFailure(_ address: String, at now: Date) throws {
        try database.write { db in
            try db.execute("DELETE FROM auth_failure WHERE at < ?", [Timestamp.string(now.addingTimeInterval(-86_400))])
            try db.execute("INSERT INTO auth_failure(address, at) VALUES (?, ?)", [address, Timestamp.string(now)])
        }
    }

    /// The addresses with at least `limit` failed attempts since `since` (every server's).
    public func blockedAddresses(since: Date, limit: Int) throws -> Set<String> {
        try database.read { db in
            Set(
                try db.column(String.self, "SELECT address FROM auth_failure WHERE at > ? GROUP BY address HAVING COUNT(*) >= ?", [Timestamp.string(since), limit]))
        }
    }
}
