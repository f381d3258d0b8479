import Foundation
import Logging
import SijillCatalog
import SijillCore
import SijillIngest
import SijillStore
import Synchronization

/// What the routes share: the archive, the clock, and the server's in-memory state.
final class ServerServices: Sendable {
    let archive: ArchiveHome
    let configuration: ServerConfiguration
    let logger: Logger
    let now: @Sendable () -> Date
    let limiter: FailureLimiter
    let sessions: SessionStore
    let audit: AuditBuffer
    let metrics = Metrics()
    let templates: WebTemplates
    /// Objects verified since the server started, with the size and modification time they had:
    /// a later change to the file sends it through verification again.
    private let verified = Mutex<[ContentID: FileStamp]>([:])

    struct FileStamp: Equatable {
        var size: Int
        var modified: Date
    }

    init(archive: ArchiveHome, configuration: ServerConfiguration, logger: Logger, now: @escaping @Sendable () -> Date) throws {
        self.archive = archive
        self.configuration = configuration
        self.logger = logger
        self.now = now
        limiter = FailureLimiter(limit: configuration.maxFailures, window: configuration.failureWindow)
        sessions = SessionStore(lifetime: configuration.sessionLifetime)
        audit = AuditBuffer(catalog: archive.catalog, logger: logger)
        templates = try WebTemplates()
    }

    /// The principal behind a web session cookie, re-checked (a revoked token or an expired
    /// code ends the session).
    func sessionPrincipal(_ cookie: String, at now: Date) throws -> Principal? {
        switch sessions.subject(cookie, at: now) {
        case .token(let id): return try archive.catalog.token(id: id).map(Principal.staff)
        case .grant(let id):
            guard let grant = try archive.catalog.grant(id: id), grant.revokedAt == nil,
                let expires = Timestamp.date(grant.expiresAt), expires > now
            else { return nil }
            return .citizen(grant)
        case nil: return nil
        }
    }

    /// Verifies `id` against its hash unless it was verified unchanged before; returns its size.
    /// A corrupt object is logged, audited and counted, and the error rethrown.
    func verifiedSize(_ id: ContentID) throws -> Int {
        let path = archive.store.path(for: id).path
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let size = (attributes[.size] as? NSNumber)?.intValue, let modified = attributes[.modificationDate] as? Date
        else { throw StoreError.missing(id) }
        let stamp = FileStamp(size: size, modified: modified)
        if verified.withLock({ $0[id] }) == stamp { return size }
        do {
            try archive.store.verify(id)
        } catch let error as StoreError where error.isCorrupt {
            logger.error("stored object failed verification; not served", metadata: ["object.id": "\(id.hex)"])
            metrics.count("sijill_object_verify_failures_total")
            audit.record(AuditEvent(actor: "server", action: "object.corrupt", target: "object:\(id.hex)", at: now()))
            throw error
        }
        verified.withLock { table in
            if table.count > 1_000_000 { table.removeAll() }
            table[id] = stamp
        }
        return size
    }
}
