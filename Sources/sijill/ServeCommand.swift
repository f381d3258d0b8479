import ArgumentParser
import Foundation
import SijillCatalog
import SijillIngest
import SijillCore
import SijillServer

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the read API (/v1), the web pages, /health and /metrics on this archive.",
        discussion: """
            Needs nothing else running. Staff use API tokens (`sijill token create`); citizens use \
            access codes (`sijill access grant`). Stops cleanly on SIGINT or SIGTERM.
            """)

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on.")
    var port = 8080

    @Option(help: "The public address of this server (verification URLs and QR codes on copies).")
    var publicURL: String?

    @Flag(help: "Mark web cookies Secure (when served behind HTTPS).")
    var secureCookies = false

    @Option(help: "Address of a reverse proxy whose X-Forwarded-For names the client (repeatable); failed sign-ins are then counted per client, not per proxy.")
    var trustedProxy: [String] = []

    @Option(help: "Largest box accepted by POST /v1/boxes and the upload page, in MiB.")
    var maxUploadMb = 2048

    @Option(help: "Digits for counts, page numbers and dates on the web pages: western (0-9) or arabic-indic (٠-٩). Identifiers, codes and the pages' text keep theirs.")
    var digits: String = "western"

    @Option(help: "OCR workers for uploaded boxes (default: one per core).")
    var jobs: Int?

    @Option(help: "A streaming replica (hot standby) of the PostgreSQL catalog, postgres://USER@HOST:PORT/DB: searches and their result lists are read from it; writes and every other read go to the catalog. Default: $SIJILL_CATALOG_REPLICA.")
    var catalogReplica: String?

    @OptionGroup var retention: RetentionOptions
    @OptionGroup var home: HomeOptions

    func validate() throws {
        guard (1...65_535).contains(port) else { throw ValidationError("--port must be between 1 and 65535") }
        guard maxUploadMb > 0 else { throw ValidationError("--max-upload-mb must be above 0") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    }

    func run() async throws {
        let logger = Sijill.makeLogger(verbose: home.verbose)
        let server: SijillServer
        do {
            var archive = try home.archive(create: false)
            if let replica = catalogReplica ?? ProcessInfo.processInfo.environment["SIJILL_CATALOG_REPLICA"] {
                archive.catalog = try archive.catalog.searching(
                    on: PostgresDatabase(url: ArchiveHome.withPassword(replica, option: replica, ProcessInfo.processInfo.environment)))
                logger.notice("searching on a replica", metadata: ["catalog.replica": "\(PostgresDatabase.withoutPassword(replica))"])
            }
            var configuration = ServerConfiguration()
            configuration.host = host
            configuration.port = port
            configuration.secureCookies = secureCookies
            configuration.trustedProxies = Set(trustedProxy)
            configuration.maxUploadBytes = maxUploadMb << 20
            guard let officeDigits = OfficeDigits(rawValue: digits) else {
                throw SijillInputError.badOption("--digits", reason: "'\(digits)' is not western or arabic-indic")
            }
            configuration.digits = officeDigits
            if let jobs { configuration.ingestJobs = jobs }
            configuration.publicURL = publicURL ?? ProcessInfo.processInfo.environment["SIJILL_BASE_URL"]
            configuration.retentionDirectory = retention.directory(home: archive.url)
            server = try SijillServer(archive: archive, configuration: configuration, logger: logger)
        } catch {
            throw ExitStatus.fail(error)
        }
        logger.notice("serving", metadata: ["http.host": "\(host)", "http.port": "\(port)"])
        try await server.run()
    }
}
