import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import SijillCatalog
import SijillIngest
import ServiceLifecycle
import Synchronization

/// `sijill serve`: the read API, the web pages, `/health` and `/metrics`, on one archive.
///
/// ```swift
/// let server = try SijillServer(archive: ArchiveHome(url: home, create: false), logger: logger)
/// try await server.run()  // until SIGINT/SIGTERM
/// ```
public struct SijillServer: Sendable {
    let services: ServerServices

    public init(
        archive: ArchiveHome, configuration: ServerConfiguration = .init(), logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() }
    ) throws {
        services = try ServerServices(archive: archive, configuration: configuration, logger: logger, now: now)
    }

    /// The routes and middleware (tests drive this without a socket).
    public func router() -> Router<SijillRequestContext> {
        let router = Router(context: SijillRequestContext.self)
        router.add(middleware: MetricsMiddleware(metrics: services.metrics))
        router.add(middleware: ErrorMiddleware(logger: services.logger))
        router.add(middleware: AuthMiddleware(services: services))
        router.add(middleware: StaffDeniedMiddleware(services: services))
        router.get("/health") { _, _ in
            _ = try services.catalog.counts()
            return try JSONResponse(["status": "ok"])
        }
        router.get("/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(string: try metricsText())))
        }
        APIRoutes(services: services).register(on: router)
        CopyRoutes(services: services).register(on: router)
        BoxRoutes(services: services).register(on: router)
        WebRoutes(services: services).register(on: router)
        CopyPages(services: services).register(on: router)
        StaffRoutes(services: services).register(on: router)
        Self.answerOtherMethods(on: router)
        return router
    }

    /// A known path asked with a method it does not have answers 405 with `Allow` (RFC 9110),
    /// not 404 as if the path did not exist. (Registered after every route, through the same
    /// middleware: a bad credential is still 401 first.)
    static func answerOtherMethods(on router: Router<SijillRequestContext>) {
        let methods: [HTTPRequest.Method] = [.get, .head, .post, .put, .delete, .patch, .options, .trace, .init("QUERY")!]
        for routes in Dictionary(grouping: router.routes, by: { $0.path.description }).values {
            let has = Set(routes.map(\.method))
            let allow = methods.filter(has.contains).map(\.rawValue).joined(separator: ", ")
            for method in methods where !has.contains(method) {
                router.on(routes[0].path, method: method) { _, _ -> Response in throw APIError.methodNotAllowed(allow) }
            }
        }
    }

    /// The application; its services flush the audit buffer while it runs.
    public func application() -> some ApplicationProtocol {
        Application(
            router: router(),
            configuration: .init(
                address: .hostname(services.configuration.host, port: services.configuration.port), serverName: "Sijill"),
            services: [AuditFlushService(buffer: services.audit, interval: services.configuration.auditFlushInterval)]
                + (services.configuration.runsBoxJobs ? [BoxJobService(services: services)] : [])
                + (services.configuration.runsCopyJobs ? [CopyQueueService(services: services)] : []),
            logger: services.logger)
    }

    /// Serves until SIGINT or SIGTERM, then writes the pending audit entries.
    public func run() async throws {
        try await application().runService()
    }

    /// Writes buffered audit entries now (tests; the running server does it on a timer).
    public func flushAudit() { services.audit.flush() }

    /// Issues every queued certified copy now, on the caller's thread (tests; `serve` has a worker).
    @discardableResult
    public func workCopyQueue() throws -> Int {
        try services.copyQueue.drain(owner: "inline-\(ProcessInfo.processInfo.processIdentifier)", now: services.now)
    }

    private func metricsText() throws -> String {
        let catalog = services.catalog
        let counts = try catalog.counts()
        let runs = try catalog.ingestTotals()
        return services.metrics.render(gauges: [
            ("sijill_records", "Records in the catalog.", Double(counts.records)),
            ("sijill_pages", "Pages in the catalog.", Double(counts.pages)),
            ("sijill_ingest_runs", "Ingest runs started.", Double(runs.runs)),
            ("sijill_ingest_entries_stored", "Box entries stored by all ingest runs.", Double(runs.stored)),
            ("sijill_ingest_entries_rejected", "Box entries rejected by all ingest runs.", Double(runs.rejected)),
            ("sijill_ocr_results", "Pages recognised (OCR results kept, all settings).", Double(runs.ocrResults)),
            ("sijill_pages_needing_rescan", "Pages flagged for re-scan.", Double(runs.needsRescan)),
        ])
    }
}

/// Runs the audit buffer's flush loop as a service of the application.
struct AuditFlushService: Service {
    let buffer: AuditBuffer
    let interval: Duration

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await buffer.run(every: interval)
        }
        buffer.flush()
    }
}

/// Works the ingest queue (uploaded and submitted boxes) on threads of its own (OCR blocks),
/// beside any `sijill worker` processes; at shutdown work stops at a page boundary and its
/// leases are given back, so another worker (or the next start) takes it over.
struct BoxJobService: Service {
    let services: ServerServices

    func run() async throws {
        let runner = services.jobs, cancellation = services.jobCancellation, logger = services.logger
        let threads = services.configuration.ingestJobs
        let finished = AsyncStream<Void>.makeStream()
        let thread = Thread {
            while !cancellation.isCancelled {
                do {
                    try runner.worker.run(threads: threads, untilIdle: false, poll: 1, cancellation: cancellation)
                } catch is IngestCancelled {
                    break
                } catch {
                    logger.error("box job worker failed", metadata: ["error": "\(error)"])
                    Thread.sleep(forTimeInterval: 5)
                }
            }
            finished.continuation.finish()
        }
        thread.stackSize = 16 << 20
        thread.start()
        await withGracefulShutdownHandler {
            for await _ in finished.stream {}
        } onGracefulShutdown: {
            cancellation.cancel()
        }
    }
}

/// Renders and signs queued certified copies on a thread of its own, at a lower scheduling
/// priority than the request threads (nice +10 for that thread only), so a burst of copy
/// requests does not slow search. Polls the catalog every 2 s (requests queued by other
/// `serve` processes) and wakes at once for requests queued here. Several processes may run
/// one each: claims are leased.
struct CopyQueueService: Service {
    let services: ServerServices

    func run() async throws {
        let queue = services.copyQueue, wake = services.copyWake, logger = services.logger, now = services.now
        let stop = Mutex(false)
        let finished = AsyncStream<Void>.makeStream()
        let owner = "serve-\(ProcessInfo.processInfo.processIdentifier)-copies"
        let thread = Thread {
            LowPriority.applyToCurrentThread()
            while !stop.withLock({ $0 }) {
                do {
                    if try !queue.workOne(owner: owner, now: now) { _ = wake.wait(timeout: .now() + 2) }
                } catch {
                    logger.error("copy worker failed", metadata: ["error": "\(error)"])
                    _ = wake.wait(timeout: .now() + 5)
                }
            }
            finished.continuation.finish()
        }
        thread.stackSize = 8 << 20
        thread.start()
        await withGracefulShutdownHandler {
            for await _ in finished.stream {}
        } onGracefulShutdown: {
            stop.withLock { $0 = true }
            wake.signal()
        }
    }
}

/// Turns unexpected errors into a JSON 500 without details (logged with them); API errors pass.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = SijillRequestContext
    let logger: Logger

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as HTTPError {
            throw APIError(error.status, code: "http-\(error.status.code)", message: error.body ?? error.status.reasonPhrase,
                           arabic: "تعذّر تنفيذ الطلب")
        } catch {
            logger.error("request failed", metadata: ["error": "\(error)", "http.path": "\(request.uri.path)"])
            throw APIError.internalError
        }
    }
}
