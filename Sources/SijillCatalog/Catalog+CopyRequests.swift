import Foundation
import SijillCore

/// A request for a certified copy, queued so that rendering and signing (0.5–2 s a copy) run
/// on a worker of their own, never on a request's thread. Rows survive a restart: one found
/// `running` with a lapsed lease is taken again (issuing writes nothing until it has signed).
public struct CopyRequest: SQLRecord, Hashable {
    public static let table = "copy_request"
    public static let key = ["id"]

    public enum State: String, Codable, Sendable, CaseIterable {
        case queued, running, done, failed
    }

    /// 128 random bits, hex: the request's address is also what lets its asker follow it.
    public var id: String
    public var recordId: ContentID
    /// Page numbers asked for ("1,2,5"); nil for every page.
    public var pages: String?
    /// Who or what the copy is for (a receiving office, a case number).
    public var requester: String?
    /// Who asked: `token:NAME` or `citizen:grant-N`.
    public var issuer: String
    public var state: State
    public var copyId: String?
    public var error: String?
    public var requestedAt: String
    public var finishedAt: String?
    public var leaseOwner: String?
    public var leaseUntil: Double?

    public init(id: String, recordId: ContentID, pages: [Int]?, requester: String?, issuer: String, requestedAt: String) {
        self.id = id
        self.recordId = recordId
        self.pages = pages.map { $0.map(String.init).joined(separator: ",") }
        self.requester = requester
        self.issuer = issuer
        self.state = .queued
        self.requestedAt = requestedAt
    }

    /// The page numbers asked for, nil for all.
    public var pageNumbers: [Int]? {
        pages.map { $0.split(separator: ",").compactMap { Int($0) } }
    }
}

extension Catalog {
    static let copyRequestSchema = [
        """
        CREATE TABLE copy_request (
            id TEXT PRIMARY KEY, record_id TEXT NOT NULL REFERENCES record(id), pages TEXT, requester TEXT,
            issuer TEXT NOT NULL, state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
            copy_id TEXT, error TEXT, requested_at TEXT NOT NULL, finished_at TEXT, lease_owner TEXT,
            lease_until DOUBLE PRECISION)
        """,
        "CREATE INDEX copy_request_open ON copy_request(state, requested_at) WHERE state IN ('queued', 'running')",
    ]

    public func insertCopyRequest(_ request: CopyRequest) throws {
        try database.write { db in try db.insert(request) }
    }

    public func copyRequest(id: String) throws -> CopyRequest? {
        guard id.count <= 64 else { return nil }
        return try database.read { db in try db.find(CopyRequest.self, key: [id.lowercased()]) }
    }

    /// Requests waiting or being worked on, oldest first (how far down the queue one is).
    public func openCopyRequests() throws -> [CopyRequest] {
        try database.read { db in
            try db.records(
                CopyRequest.self,
                "SELECT * FROM copy_request WHERE state IN ('queued', 'running') ORDER BY requested_at, id")
        }
    }

    /// Claims the oldest queued request, or a running one whose worker stopped renewing its
    /// lease. One write transaction: no two workers get the same request.
    public func claimCopyRequest(owner: String, until: Double, now: Double) throws -> CopyRequest? {
        try database.write { db in
            guard var request = try db.record(
                CopyRequest.self,
                """
                    SELECT * FROM copy_request
                    WHERE state = 'queued' OR (state = 'running' AND coalesce(lease_until, 0) < ?)
                    ORDER BY requested_at, id LIMIT 1\(db.skipLocked())
                    """,
                [now])
            else { return nil }
            request.state = .running
            request.leaseOwner = owner
            request.leaseUntil = until
            try db.update(request)
            return request
        }
    }

    /// Records how a claimed request ended: the copy issued, or why none could be.
    public func finishCopyRequest(_ id: String, copy: String?, error: String?, at now: Date) throws {
        try database.write { db in
            try db.execute(
                """
                UPDATE copy_request SET state = ?, copy_id = ?, error = ?, finished_at = ?, lease_owner = NULL,
                    lease_until = NULL WHERE id = ?
                """,
                [copy == nil ? "failed" : "done", copy, error, Timestamp.string(now), id])
        }
    }
}
