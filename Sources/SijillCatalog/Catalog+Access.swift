import Foundation
import SijillCore

/// An API token as stored (the secret itself is shown once, at creation).
public struct APIToken: Sendable, Codable, Hashable {
    public var id: Int64
    public var name: String
    public var role: Role
    public var createdAt: String
    public var revokedAt: String?

    enum CodingKeys: String, CodingKey {
        case id, name, role
        case createdAt = "created_at"
        case revokedAt = "revoked_at"
    }
}

/// A citizen's access to one record, opened by a code (shown once, at creation).
public struct AccessGrant: Sendable, Codable, Hashable {
    public var id: Int64
    public var recordId: ContentID
    public var createdAt: String
    public var expiresAt: String
    public var createdBy: String
    public var note: String?
    public var revokedAt: String?

    enum CodingKeys: String, CodingKey {
        case id, note
        case recordId = "record_id"
        case createdAt = "created_at"
        case expiresAt = "expires_at"
        case createdBy = "created_by"
        case revokedAt = "revoked_at"
    }
}

extension Catalog {
    // MARK: API tokens

    /// Creates a token named `name` with `role`; returns the secret (never stored) and the row.
    public func createToken(name: String, role: Role, actor: String = "cli", at now: Date) throws -> (secret: String, token: APIToken) {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= 100 else {
            throw SijillInputError.badOption("--name", reason: "a token needs a name of 1 to 100 characters")
        }
        let secret = Secret.makeToken()
        let token = try database.write { db in
            if try db.scalar(Int.self, "SELECT 1 FROM api_token WHERE name = ?", [name]) != nil {
                throw SijillInputError.badOption("--name", reason: "a token named \(name) already exists")
            }
            let id = try db.scalar(
                Int64.self, "INSERT INTO api_token(name, role, hash, created_at) VALUES (?, ?, ?, ?) RETURNING id",
                [name, role.rawValue, Secret.hash(secret), Timestamp.string(now)]) ?? 0
            try appendAudit(db, actor: actor, action: "token.create", target: "token:\(id)", detail: ["name": name, "role": role.rawValue], at: now)
            return try db.record(APIToken.self, "SELECT * FROM api_token WHERE id = ?", [id])!
        }
        return (secret, token)
    }

    /// The token `secret` names, if it exists and is not revoked.
    public func token(secret: String) throws -> APIToken? {
        try database.read { db in
            try db.record(APIToken.self, "SELECT * FROM api_token WHERE hash = ? AND revoked_at IS NULL", [Secret.hash(secret)])
        }
    }

    /// Every token, revoked ones included.
    public func tokens() throws -> [APIToken] {
        try database.read { db in try db.records(APIToken.self, "SELECT * FROM api_token ORDER BY id") }
    }

    /// Revokes the token with this name or number; false when there is none (or it was revoked).
    public func revokeToken(_ nameOrID: String, actor: String = "cli", at now: Date) throws -> Bool {
        try database.write { db in
            guard try db.execute(
                "UPDATE api_token SET revoked_at = ? WHERE (name = ? OR CAST(id AS TEXT) = ?) AND revoked_at IS NULL",
                [Timestamp.string(now), nameOrID, nameOrID]) > 0
            else { return false }
            try appendAudit(db, actor: actor, action: "token.revoke", target: "token:\(nameOrID)", detail: [:], at: now)
            return true
        }
    }

    // MARK: Access codes

    /// Grants access to `record` until `expires`; returns the code (never stored) and the grant.
    public func grantAccess(
        to record: ContentID, expires: Date, by actor: String, note: String? = nil, at now: Date
    ) throws -> (code: String, grant: AccessGrant) {
        let code = Secret.makeAccessCode()
        let grant = try database.write { db in
            guard try db.find(StoredRecord.self, key: [record]) != nil else {
                throw SijillInputError.notFound(record.hex, kind: "record")
            }
            let id = try db.scalar(
                Int64.self,
                "INSERT INTO access_grant(record_id, hash, created_at, expires_at, created_by, note) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                [record, Secret.hash(code), Timestamp.string(now), Timestamp.string(expires), actor, note]) ?? 0
            try appendAudit(
                db, actor: actor, action: "access.grant", target: "record:\(record.hex)",
                detail: ["grant": String(id), "expires_at": Timestamp.string(expires)], at: now)
            return try db.record(AccessGrant.self, "SELECT * FROM access_grant WHERE id = ?", [id])!
        }
        return (code, grant)
    }

    /// The live grant `code` opens at `now` (not expired, not revoked), if any.
    public func grant(code: String, at now: Date) throws -> AccessGrant? {
        guard let normalized = Secret.normalizeAccessCode(code) else { return nil }
        return try database.read { db in
            try db.record(AccessGrant.self, "SELECT * FROM access_grant WHERE hash = ? AND revoked_at IS NULL AND expires_at > ?", [Secret.hash(normalized), Timestamp.string(now)])
        }
    }

    /// The grant with this number, live or not.
    public func grant(id: Int64) throws -> AccessGrant? {
        try database.read { db in try db.record(AccessGrant.self, "SELECT * FROM access_grant WHERE id = ?", [id]) }
    }

    /// Grants for `record` (or all), newest first.
    public func grants(record: ContentID? = nil) throws -> [AccessGrant] {
        try database.read { db in
            try db.records(AccessGrant.self, "SELECT * FROM access_grant WHERE CAST(?1 AS TEXT) IS NULL OR record_id = ?1 ORDER BY id DESC", [record])
        }
    }

    /// Revokes grant `id`; false when there is none live.
    public func revokeGrant(_ id: Int64, by actor: String, at now: Date) throws -> Bool {
        try database.write { db in
            guard try db.execute(
                "UPDATE access_grant SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", [Timestamp.string(now), id]) > 0
            else { return false }
            try appendAudit(db, actor: actor, action: "access.revoke", target: "grant:\(id)", detail: [:], at: now)
            return true
        }
    }
}

extension Catalog {
    /// The live (not revoked) token with this number.
    public func token(id: Int64) throws -> APIToken? {
        try database.read { db in
            try db.record(APIToken.self, "SELECT * FROM api_token WHERE id = ? AND revoked_at IS NULL", [id])
        }
    }

    /// Whether `object` is part of `record`: its manifest, or a page's image, source file, text or hOCR.
    public func object(_ object: ContentID, belongsTo record: ContentID) throws -> Bool {
        try database.read { db in
            try db.scalar(Bool.self, """
                    SELECT EXISTS(SELECT 1 FROM record WHERE id = ?2 AND manifest_id = ?1)
                        OR EXISTS(SELECT 1 FROM page WHERE record_id = ?2
                                  AND (image_id = ?1 OR source_id = ?1 OR text_id = ?1 OR hocr_id = ?1))
                    """, [object, record]) ?? false
        }
    }

    /// Whether `object` is an ingest run's reconciliation report (auditors read those).
    public func isReport(_ object: ContentID) throws -> Bool {
        try database.read { db in
            try db.scalar(Bool.self, "SELECT EXISTS(SELECT 1 FROM ingest_run WHERE report_id = ?)", [object]) ?? false
        }
    }
}
