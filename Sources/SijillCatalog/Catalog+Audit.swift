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
public struct AuditEntry: Sendable, Codable, Hashable {
    public var seq: Int64
    public var at: String
    public var actor: String
    public var action: String
    public var target: String?
    /// JSON object with sorted keys.
    public var detail: String
    public var prevHash: String
    public var hash: String

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
        try database.write { db in
            for event in events {
                try appendAudit(db, actor: event.actor, action: event.action, target: event.target, detail: event.detail, at: event.at)
            }
        }
    }

    /// Appends one entry inside the caller's transaction (so a state change and its entry commit together).
    ///
    /// The chain has one head: on PostgreSQL, where writers run at once, each append first takes a
    /// transaction-scoped advisory lock, so appends from every process take turns; on SQLite the
    /// single writer already does.
    func appendAudit(
        _ db: any SQLConnection, actor: String, action: String, target: String?, detail: [String: String], at now: Date
    ) throws {
        if db.dialect == .postgres { try db.execute("SELECT pg_advisory_xact_lock(\(Self.auditLockKey))") }
        let last = try db.row("SELECT seq, hash FROM audit_entry ORDER BY seq DESC LIMIT 1")
        let seq: Int64 = (last.map { $0["seq"] as Int64 } ?? 0) + 1
        let prev: String = last.map { $0["hash"] as String } ?? Self.auditGenesis
        let at = Timestamp.string(now)
        let json = AuditEntry.json(detail)
        let hash = AuditEntry.chainHash(seq: seq, at: at, actor: actor, action: action, target: target, detail: json, prevHash: prev)
        try db.execute(
            "INSERT INTO audit_entry(seq, at, actor, action, target, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [seq, at, actor, action, target, json, prev, hash])
    }

    /// The advisory lock that serialises audit appends on PostgreSQL (an arbitrary constant).
    static let auditLockKey: Int64 = 0x5331_4A31_4C4C

    /// The same, from GRDB code still writing through `writer` (SQLite).
    func appendAudit(
        _ db: Database, actor: String, action: String, target: String?, detail: [String: String], at now: Date
    ) throws {
        try appendAudit(GRDBDatabase.Connection(db: db), actor: actor, action: action, target: target, detail: detail, at: now)
    }

    /// Entries after `seq`, oldest first.
    public func auditEntries(after seq: Int64 = 0, limit: Int = 1_000) throws -> [AuditEntry] {
        try database.read { db in
            try db.records(AuditEntry.self, "SELECT * FROM audit_entry WHERE seq > ? ORDER BY seq LIMIT ?", [seq, limit])
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
        try database.read { db in
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
            // In pages of 10,000 (constant memory for any length of log).
            var after: Int64 = -1
            var page: [AuditEntry] = []
            var index = 0
            func next() throws -> AuditEntry? {
                if index == page.count {
                    page = try db.records(
                        AuditEntry.self, "SELECT * FROM audit_entry WHERE seq > ? ORDER BY seq LIMIT 10000", [after])
                    index = 0
                    guard let last = page.last else { return nil }
                    after = last.seq
                }
                index += 1
                return page[index - 1]
            }
            while let entry = try next() {
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

    /// The newest entry with `action` (the last `fsck`, say), without reading the rest of the log.
    public func lastAuditEntry(action: String) throws -> AuditEntry? {
        try database.read { db in
            try db.record(AuditEntry.self, "SELECT * FROM audit_entry WHERE action = ? ORDER BY seq DESC LIMIT 1", [action])
        }
    }

    /// Entries written between two times (inclusive, ISO 8601 text comparison), oldest first.
    public func auditEntries(from: String?, to: String?) throws -> [AuditEntry] {
        try database.read { db in
            try db.records(
                AuditEntry.self, "SELECT * FROM audit_entry WHERE (CAST(?1 AS TEXT) IS NULL OR at >= ?1) AND (CAST(?2 AS TEXT) IS NULL OR at <= ?2) ORDER BY seq",
                [from, to])
        }
    }
}
