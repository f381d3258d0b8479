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
    public static func chainHash(
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

/// The outcome of checking the audit chain.
public struct AuditVerification: Sendable, Encodable {
    public var entries: Int
    /// The head of the chain (an anchor to give to an outside party).
    public var headSeq: Int64
    public var headHash: String
    /// The first entry that breaks the chain, and why; nil when the chain is whole.
    public var firstBroken: Int64?
    public var problem: String?
    /// Every entry that breaks it.
    public var broken: Int

    enum CodingKeys: String, CodingKey {
        case entries, problem, broken
        case headSeq = "head_seq"
        case headHash = "head_hash"
        case firstBroken = "first_broken"
    }
}

extension Catalog {
    /// Re-computes the whole chain: every entry's hash from its fields and its predecessor's
    /// hash, in sequence order without gaps. An edited entry fails its own hash; a deleted,
    /// inserted or reordered one breaks the sequence or the link to the entry before it.
    /// With `anchor` (seq, hash) from an earlier export, also checks that entry is unchanged.
    public func verifyAudit(anchor: (seq: Int64, hash: String)? = nil) throws -> AuditVerification {
        try writer.read { db in
            var result = AuditVerification(entries: 0, headSeq: 0, headHash: Self.auditGenesis, firstBroken: nil, problem: nil, broken: 0)
            func fail(_ seq: Int64, _ why: String) {
                result.broken += 1
                if result.firstBroken == nil {
                    result.firstBroken = seq
                    result.problem = why
                }
            }
            var expectedSeq: Int64 = 1
            var previous = Self.auditGenesis
            var anchorSeen = false
            let cursor = try AuditEntry.fetchCursor(db, sql: "SELECT * FROM audit_entry ORDER BY seq")
            while let entry = try cursor.next() {
                result.entries += 1
                if entry.seq != expectedSeq {
                    fail(entry.seq, "entries \(expectedSeq)…\(entry.seq - 1) are missing (deleted)")
                } else if entry.prevHash != previous {
                    fail(entry.seq, "it does not follow the entry before it (an entry was deleted, inserted or moved)")
                }
                let recomputed = AuditEntry.chainHash(
                    seq: entry.seq, at: entry.at, actor: entry.actor, action: entry.action, target: entry.target,
                    detail: entry.detail, prevHash: entry.prevHash)
                if recomputed != entry.hash { fail(entry.seq, "its contents were changed after it was written") }
                if let anchor, anchor.seq == entry.seq {
                    anchorSeen = true
                    if anchor.hash != entry.hash { fail(entry.seq, "it differs from the exported anchor") }
                }
                expectedSeq = entry.seq + 1
                previous = entry.hash
                result.headSeq = entry.seq
                result.headHash = entry.hash
            }
            if let anchor, !anchorSeen { fail(anchor.seq, "the anchored entry \(anchor.seq) is gone (the log was cut back)") }
            return result
        }
    }

    /// Entries written between two times (inclusive, ISO 8601 text comparison), oldest first.
    public func auditEntries(from: String?, to: String?) throws -> [AuditEntry] {
        try writer.read { db in
            try AuditEntry.fetchAll(
                db, sql: "SELECT * FROM audit_entry WHERE (?1 IS NULL OR at >= ?1) AND (?2 IS NULL OR at <= ?2) ORDER BY seq",
                arguments: [from, to])
        }
    }
}
