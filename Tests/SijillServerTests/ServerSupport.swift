import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import SijillCatalog
import SijillCore
import SijillIngest
import SijillCertify
import Testing
import SijillServer
import SijillTestSupport
import Synchronization

/// The folder fixture box, ingested once (real OCR) into a temporary archive shared by the
/// server tests; each test creates its own tokens and codes.
enum ServerFixture {
    struct Loaded: @unchecked Sendable {
        let home: URL
        let archive: ArchiveHome
        let records: [StoredRecord]
    }

    static let loaded: Result<Loaded, any Error> = Result {
        let home = try FixtureFiles.temporaryDirectory("sijill-server")
        let archive = try ArchiveHome(
            url: home, store: TestBackend.storeOption("server"), catalog: TestBackend.catalogOption("server"), create: true)
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        let pipeline = IngestPipeline(store: archive.store, catalog: archive.catalog, options: IngestOptions(jobs: 2), logger: logger)
        _ = try pipeline.run(box: FixtureFiles.box("box-folder"), manifest: nil)
        let records = try archive.catalog.database.read { db in try db.records(StoredRecord.self, "SELECT * FROM record ORDER BY id") }
        // A signing key for certified copies (created once: tests share the data dir).
        try SigningKeys(home: home).create(archiveName: "أرشيف الاختبار", at: Date())
        return Loaded(home: home, archive: archive, records: records)
    }

    static func get() throws -> Loaded { try loaded.get() }
}

/// A clock tests can move.
final class TestClock: Sendable {
    private let current = Mutex(Date(timeIntervalSince1970: 1_800_000_000))
    var now: Date { current.withLock { $0 } }
    func advance(_ seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
}

/// A server over the shared archive, its clock, and helpers to make credentials.
struct TestServer {
    let fixture: ServerFixture.Loaded
    let server: SijillServer
    let clock = TestClock()

    /// `archive`: an archive of the test's own instead of the shared fixture archive.
    init(archive: ArchiveHome? = nil, configure: (inout ServerConfiguration) -> Void = { _ in }) throws {
        let shared = try ServerFixture.get()
        fixture = archive.map { ServerFixture.Loaded(home: $0.url, archive: $0, records: []) } ?? shared
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let clock = self.clock
        var configuration = ServerConfiguration()
        configuration.runsBoxJobs = false
        configuration.retentionDirectory = FixtureFiles.root.appendingPathComponent("Retention")
        // Tests share one archive and start their clocks at the same instant: failures counted in
        // the catalog would add up across tests. Each test server counts its own unless a test
        // turns sharing on (with an archive of its own).
        configuration.sharedFailureLimits = false
        configure(&configuration)
        server = try SijillServer(archive: fixture.archive, configuration: configuration, logger: logger, now: { clock.now })
    }

    var catalog: Catalog { fixture.archive.catalog }

    func token(_ role: Role) throws -> String {
        try catalog.createToken(name: "\(role.rawValue)-\(UUID().uuidString)", role: role, at: clock.now).secret
    }

    func code(for record: ContentID, days: Double = 30) throws -> String {
        try catalog.grantAccess(to: record, expires: clock.now.addingTimeInterval(days * 86_400), by: "test", at: clock.now).code
    }

    /// Runs `body` against the router (no socket), or over a loopback socket (`.live`).
    func test(_ mode: TestingSetup = .router, _ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let app = Application(router: server.router())
        try await app.test(mode, body)
    }
}

func bearer(_ secret: String) -> HTTPFields { [.authorization: "Bearer \(secret)"] }

/// An `application/x-www-form-urlencoded` body, fields in order.
func formBody(_ fields: [(String, String)]) -> ByteBuffer {
    ByteBuffer(string: fields.map { "\($0)=\($1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
        .joined(separator: "&"))
}

/// The session's form token on a rendered page (a form's hidden `csrf` field).
func formToken(in html: String) -> String? {
    guard let range = html.range(of: #"name="csrf" value="[0-9a-f]{64}""#, options: .regularExpression) else { return nil }
    return String(html[range].dropLast().suffix(64))
}

extension TestServer {
    /// Works the copy queue until request `id` has ended (tests share one archive and one
    /// queue: another test's worker may be issuing it at this moment).
    func finishCopy(_ id: String) async throws {
        for _ in 0..<300 {
            try server.workCopyQueue()
            if let request = try catalog.copyRequest(id: id), request.state == .done || request.state == .failed { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("copy request \(id) did not finish")
    }
}

/// The `error.code` of a JSON error body.
func errorCode(_ buffer: ByteBuffer) -> String? {
    struct Body: Decodable {
        struct Inner: Decodable { var code: String; var message: String; var message_ar: String }
        var error: Inner
    }
    return try? JSONDecoder().decode(Body.self, from: Data(buffer: buffer)).error.code
}

extension Data {
    init(buffer: ByteBuffer) {
        self = Data(buffer.readableBytesView)
    }
}
