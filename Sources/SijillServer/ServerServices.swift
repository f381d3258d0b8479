import Foundation
import Logging
import SijillCatalog
import SijillCore
import SijillIngest
import SijillCertify
import SijillRetention
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
    /// Verified small objects in memory (page images, texts).
    let cache = ObjectCache()
    /// The catalog, cutting snippets from cached page texts.
    let catalog: Catalog
    /// The retention schedules, applied at start.
    let retention: RetentionService?
    /// Certified copies (the archive's signing keys in `<data dir>/keys`).
    let copies: CopyService
    /// Copy requests waiting to be rendered and signed (see ``CopyQueueService``).
    let copyQueue: CopyQueue
    /// Signalled when a request is queued here, so this process's worker starts at once.
    let copyWake = DispatchSemaphore(value: 0)
    /// Uploaded boxes waiting for or going through ingest.
    let jobs: BoxJobRunner
    /// Stops the running box job at a page boundary when the server shuts down.
    let jobCancellation = IngestCancellation()
    /// Staff tokens by secret hash, re-read from the catalog after 5 s (so a revocation takes
    /// effect within 5 s without a database read per request).
    private let tokens = Mutex<[String: (token: APIToken, read: ContinuousClock.Instant)]>([:])
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
        limiter = FailureLimiter(limit: configuration.maxFailures, window: configuration.failureWindow,
            catalog: configuration.sharedFailureLimits ? archive.catalog : nil)
        sessions = SessionStore(catalog: archive.catalog, lifetime: configuration.sessionLifetime, idle: configuration.sessionIdle)
        audit = AuditBuffer(catalog: archive.catalog, logger: logger)
        var templates = try WebTemplates()
        templates.digits = configuration.digits
        self.templates = templates
        let cache = self.cache, store = archive.store
        catalog = Catalog(sharing: archive.catalog) { id in
            if let hit = cache.get(id) { return String(decoding: hit.bytes, as: UTF8.self) }
            let data = try store.get(id)
            cache.put(id, .init(bytes: Array(data), contentType: "text/plain; charset=utf-8"))
            return String(decoding: data, as: UTF8.self)
        }
        copies = CopyService(
            catalog: catalog, store: archive.store, keys: SigningKeys(home: archive.url),
            baseURL: configuration.publicURL ?? "http://\(configuration.host):\(configuration.port)",
            archiveName: configuration.archiveName)
        copyQueue = CopyQueue(copies: copies)
        if let dir = configuration.retentionDirectory {
            let service = RetentionService(catalog: catalog, schedules: try ScheduleSet.load(directory: dir))
            try service.apply(actor: "server", at: now())
            retention = service
        } else {
            retention = nil
        }
        var ingest = IngestOptions(jobs: configuration.ingestJobs)
        ingest.cancellation = jobCancellation
        let retention = self.retention, clock = now
        jobs = BoxJobRunner(archive: archive, options: ingest, logger: logger, now: now) { [logger] _, _ in
            // New records get their series' schedule as soon as their box is in.
            do { try retention?.apply(actor: "ingest", at: clock()) } catch {
                logger.error("retention not applied after a box", metadata: ["error": "\(error)"])
            }
        }
    }

    /// The live token `secret` names (cached for 5 s).
    func token(secret: String) throws -> APIToken? {
        let hash = Secret.hash(secret)
        let now = ContinuousClock.now
        if let hit = tokens.withLock({ $0[hash] }), now - hit.read < .seconds(5) { return hit.token }
        guard let token = try catalog.token(secret: secret) else {
            _ = tokens.withLock { $0.removeValue(forKey: hash) }
            return nil
        }
        tokens.withLock { table in
            if table.count > 10_000 { table.removeAll() }
            table[hash] = (token, now)
        }
        return token
    }

    /// A stored object ready to serve, verified against its ID.
    enum VerifiedObject {
        /// At most `cache.maxObject` bytes: in memory (from the cache, or read whole, hashed and kept).
        case small(ObjectCache.Entry)
        /// Larger: re-hashed in a streaming pass (remembered by size and modification time), then
        /// streamed from disk.
        case large(size: Int)
    }

    /// Verifies `id` once per change of its file. A corrupt object is logged, audited and
    /// counted, and the error rethrown; a missing one throws ``StoreError/missing(_:)``.
    func verifiedObject(_ id: ContentID) throws -> VerifiedObject {
        if let hit = cache.get(id) { return .small(hit) }
        let stamp = try stamp(id)
        if stamp.size <= cache.maxObject {
            let data: Data
            do {
                data = try archive.store.get(id)  // re-hashed on read
            } catch let error as StoreError where error.isCorrupt {
                reportCorrupt(id)
                throw error
            }
            let entry = ObjectCache.Entry(bytes: Array(data), contentType: MediaType.sniff(Array(data.prefix(512))))
            cache.put(id, entry)
            return .small(entry)
        }
        if verified.withLock({ $0[id] }) != stamp {
            do {
                try archive.store.verify(id)
            } catch let error as StoreError where error.isCorrupt {
                reportCorrupt(id)
                throw error
            }
            verified.withLock { table in
                if table.count > 1_000_000 { table.removeAll() }
                table[id] = stamp
            }
        }
        return .large(size: stamp.size)
    }

    /// What identifies one state of a stored object: a file in the data directory can be
    /// changed in place (size and modification time: it is verified again after a change); an
    /// object in S3 is never rewritten under its ID (the key is the hash, writes are
    /// HEAD-then-PUT), so its size alone.
    private func stamp(_ id: ContentID) throws -> FileStamp {
        if let local = archive.store as? FileSystemBlobStore {
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: local.path(for: id).path),
                let size = (attributes[.size] as? NSNumber)?.intValue, let modified = attributes[.modificationDate] as? Date
            else { throw StoreError.missing(id) }
            return FileStamp(size: size, modified: modified)
        }
        guard let size = try archive.store.size(id) else { throw StoreError.missing(id) }
        return FileStamp(size: size, modified: .distantPast)
    }

    func reportCorrupt(_ id: ContentID) {
        logger.error("stored object failed verification; not served", metadata: ["object.id": "\(id.hex)"])
        metrics.count("sijill_object_verify_failures_total")
        audit.record(AuditEvent(actor: "server", action: "object.corrupt", target: "object:\(id.hex)", at: now()))
    }

    /// The principal behind a web session cookie, re-checked (a revoked token or an expired
    /// code ends the session).
    func sessionPrincipal(_ cookie: String, at now: Date) throws -> Principal? {
        switch try sessions.subject(cookie, at: now) {
        case .token(let id): return try catalog.token(id: id).map(Principal.staff)
        case .grant(let id):
            guard let grant = try catalog.grant(id: id), grant.revokedAt == nil,
                let expires = Timestamp.date(grant.expiresAt), expires > now
            else { return nil }
            return .citizen(grant)
        case nil: return nil
        }
    }
}
