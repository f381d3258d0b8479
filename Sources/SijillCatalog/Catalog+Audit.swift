import Foundation
import GRDB
import SijillCore

/// Something that happened, to be appended to the audit log.
public struct AuditEvent: Sendable, Hashable {
    /// Who: `token:<name>`, `citizen:grant-<n>`, `cli`, `server`.
    public var actor: String
    /// What, as `area.verb`: `object.read`, `record.read`, `search`, `token.create`…
    public var action: String
    /// On what: `object:<id>`, `record:<id>`, `page:<record>/<n>`…
    public var target: String?
    /// Anything else worth keeping (no secrets, no page text).
    public var detail: [String: String]
    public var at: Date

    public init(actor: String, action: String, target: String? = nil, detail: [String: String] = [:], at: Date) {
        self.actor = actor
        self.action = action
        self.target = target
        self.detail = detail
        self.at = at
    }
}

/// One stored audit entry.
public struct AuditEntry: Sendable, Codable, Hashable, FetchableRecord {
    public var seq: Int64
    public var at: String
    public var actor: String
    public var action: String
    public var target: String?
    /// JSON object with sorted keys.
    public var detail: String
    public var prevHash: String
    public var hash: String

    enum CodingKeys: String, CodingKey {
        case seq, at, actor, action, target, detail, hash
        case prevHash = "prev_hash"
    }

    /// `detail` as a JSON object with sorted keys (written by hand: one per audited read).
    static func json(_ detail: [String: String]) -> String {
        func quoted(_ text: String) -> String {
            var out = "\""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
                default: out.unicodeScalars.append(scalar)
                }
            }
            return out + "\""
        }
        return "{" + detail.sorted { $0.key < $1.key }.map { quoted($0.key) + ":" + quoted($0.value) }.joined(separator: ",") + "}"
    }

    /// The hash this entry must carry: SHA-256 over its fields and the previous entry's hash, so
    /// an edited, deleted, inserted or reordered entry breaks the chain from there on.
    static func chainHash(
        seq: Int64, at: String, actor: String, action: String, target: String?, detail: String, prevHash: String
    ) -> String {
        let fields = [String(seq), at, actor, action, target ?? "", detail, prevHash]
        return ContentID.of(Data(fields.joined(separator: "\n").utf8)).hex
    }
}

extension Catalog {
    /// The previous-hash of the first entry.
    public static let auditGenesis = String(repeating: "0", count: 64)

    /// Appends `events` in order, in one transaction.
    public func audit(_ events: [AuditEvent]) throws {
        guard !events.isEmpty else { return }
        try writer.write { db in
            for event in events {
                try appendAudit(db, actor: event.actor, action: event.action, target: event.target, detail: event.detail, at: event.at)
            }
        }
    }

    /// Appends one entry inside the caller's transaction (so a state change and its entry commit together).
    func appendAudit(
        _ db: Database, actor: String, action: String, target: String?, detail: [String: String], at now: Date
    ) throws {
        let last = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT seq, hash FROM audit_entry ORDER BY seq DESC LIMIT 1"))
        let seq: Int64 = (last?["seq"] ?? 0) + 1
        let prev: String = last?["hash"] ?? Self.auditGenesis
        let at = Timestamp.string(now)
        let json = AuditEntry.json(detail)
        let hash = AuditEntry.chainHash(seq: seq, at: at, actor: actor, action: action, target: target, detail: json, prevHash: prev)
        try db.cachedStatement(
            sql: "INSERT INTO audit_entry(seq, at, actor, action, target, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
        ).execute(arguments: [seq, at, actor, action, target, json, prev, hash])
    }

    /// Entries after `seq`, oldest first.
    public func auditEntries(after seq: Int64 = 0, limit: Int = 1_000) throws -> [AuditEntry] {
        try writer.read { db in
            try AuditEntry.fetchAll(
                db, sql: "SELECT * FROM audit_entry WHERE seq > ? ORDER BY seq LIMIT ?", arguments: [seq, limit])
        }
    }
}
