import Foundation
import SijillCatalog
import SijillCore
import SijillTestSupport
import Testing

extension Backend {
    /// A fresh catalog of this kind, and a function opening another handle on it (another
    /// process's connections). Nil for PostgreSQL without a server (outside CI).
    func catalog(
        _ label: String, pageText: Catalog.PageTextLoader? = nil
    ) throws -> (catalog: Catalog, another: () throws -> Catalog)? {
        switch self {
        case .sqlite:
            let file = try FixtureFiles.temporaryDirectory("sijill-catalog").appendingPathComponent("catalog.sqlite")
            return (try Catalog.open(at: file, pageText: pageText), { try Catalog.open(at: file, pageText: pageText) })
        case .postgres:
            guard let base = try TestPG.url() else { return nil }
            let name = TestPG.databaseName(label)
            try PostgresDatabase(url: base).administer("CREATE DATABASE \(name)")
            let url = TestPG.url(base, database: name)
            return (try Catalog.open(postgres: url, pageText: pageText), { try Catalog.open(postgres: url, pageText: pageText) })
        }
    }
}

/// Catalog operations that several processes share, on both databases: the audit chain with
/// several writers, and the ingest queue's claims.
@Suite struct SharedCatalogTests {
    @Test("searches read from a streaming replica give the primary's results; writes still go to the primary")
    func searchReplica() throws {
        guard let base = try TestPG.url(), let standbyBase = try TestPG.replicaURL() else { return }
        let name = TestPG.databaseName("replica")
        try PostgresDatabase(url: base).administer("CREATE DATABASE \(name)")
        let primary = try Catalog.open(postgres: TestPG.url(base, database: name), pageText: SearchBackendTests.loader)
        _ = try SearchBackendTests.load(primary)
        let pages = try primary.counts().pages
        // The standby replays the new database and its rows shortly.
        var standby: PostgresDatabase?
        for _ in 0..<150 where standby == nil {
            if let candidate = try? PostgresDatabase(url: TestPG.url(standbyBase, database: name)),
                (try? candidate.read { try $0.scalar(Int.self, "SELECT count(*) FROM page_index") }) == pages
            {
                standby = candidate
            } else {
                Thread.sleep(forTimeInterval: 0.2)
            }
        }
        let replica = try #require(standby, "the standby did not catch up within 30 s")
        #expect(try replica.read { try $0.scalar(Int.self, "SELECT pg_is_in_recovery()::int") } == 1, "it is a standby")
        let searching = try primary.searching(on: replica)
        #expect(try searching.searchDatabase.read { try $0.scalar(Int.self, "SELECT pg_is_in_recovery()::int") } == 1)
        for text in ["وزارة العدل", "رقم", "طلب معاملة", "السيوفي"] {
            let query = try SearchQuery(text)
            #expect(try searching.searchRecords(query, limit: 10) == primary.searchRecords(query, limit: 10), "\(text)")
        }
        // A write through it lands on the primary (the standby refuses writes).
        let before = try primary.verifyAudit().entries
        try searching.audit([AuditEvent(actor: "token:clerk", action: "search", target: "q", at: Date())])
        #expect(try primary.verifyAudit().entries == before + 1)
        #expect(throws: CatalogError.self) { try Catalog.inMemory().searching(on: replica) }
    }

    @Test("several processes appending to the audit log at once keep one unbroken chain", arguments: Backend.allCases)
    func auditChain(backend: Backend) throws {
        guard let (catalog, another) = try backend.catalog("audit") else { return }
        let handles = try (0..<4).map { _ in try another() }
        DispatchQueue.concurrentPerform(iterations: handles.count) { n in
            for i in 0..<25 {
                try? handles[n].audit([AuditEvent(actor: "writer-\(n)", action: "test.append", target: "item:\(i)", at: Date())])
            }
        }
        let verification = try catalog.verifyAudit()
        #expect(verification.entries == 100 && verification.broken == 0, "\(verification.problem ?? "")")
        let entries = try catalog.auditEntries(after: 0, limit: 1_000)
        #expect(entries.map(\.seq) == Array(1...100))
        // Append-only: the database itself refuses an edit.
        #expect(throws: (any Error).self) {
            try catalog.database.write { db in try db.execute("UPDATE audit_entry SET actor = 'x' WHERE seq = 1") }
        }
    }

    @Test("workers racing for one queue's pages never get the same page; a live lease is respected", arguments: Backend.allCases)
    func claims(backend: Backend) throws {
        guard let (catalog, another) = try backend.catalog("claims") else { return }
        var job = BoxJob(id: "race", name: "race.zip", path: "race.zip", bytes: 1, submittedBy: "test", submittedAt: Timestamp.string(Date()))
        job.boxId = ContentID.of(Data("race".utf8))
        try catalog.insertJob(job)
        let now = Date().timeIntervalSince1970
        let prepared = try #require(try catalog.claimPrepare(owner: "w0", until: now + 60, now: now, at: Timestamp.string(Date())))
        #expect(prepared.id == "race" && prepared.phase == .prepare)
        #expect(try another().claimPrepare(owner: "w1", until: now + 60, now: now, at: "") == nil, "prepare is claimed once")
        let images = (0..<200).map { ContentID.of(Data("page \($0)".utf8)) }
        try catalog.enqueueTasks(job: "race", images: images, owner: "w0")
        let handles = try (0..<4).map { _ in try another() }
        let claimed = ClaimLog(count: handles.count)
        DispatchQueue.concurrentPerform(iterations: handles.count) { n in
            while let tasks = try? handles[n].claimTasks(owner: "w\(n)", until: now + 60, now: now, limit: 1 + n % 3), !tasks.isEmpty {
                claimed.add(n, tasks.map(\.imageId))
            }
        }
        let all = claimed.all
        #expect(all.count == images.count && Set(all) == Set(images), "every page claimed exactly once")
        #expect(try catalog.claimTasks(owner: "late", until: now + 60, now: now).isEmpty, "leases are live")
        // Nothing finishes while pages are out; then the last completion makes the job finishable once.
        #expect(try catalog.claimFinish(owner: "w0", until: now + 60, now: now) == nil)
        for image in images { try catalog.completeTask(OCRTask(jobId: "race", imageId: image, attempts: 1), error: nil) }
        let finisher = try #require(try catalog.claimFinish(owner: "w2", until: now + 60, now: now))
        #expect(finisher.phase == .finish && finisher.leaseOwner == "w2")
        #expect(try another().claimFinish(owner: "w3", until: now + 60, now: now) == nil)
        var done = finisher
        done.state = .done
        #expect(try !catalog.finishJob(done, owner: "w3", at: Date()), "only the holder finishes")
        #expect(try catalog.finishJob(done, owner: "w2", at: Date()))
        #expect(try catalog.taskCounts(job: "race") == TaskCounts(todo: 0, done: 200, failed: 0))
        #expect(try catalog.verifyAudit().broken == 0)
    }
}

/// Pages claimed per worker, from several threads.
final class ClaimLog: @unchecked Sendable {
    private var claimed: [[ContentID]]
    private let lock = NSLock()
    init(count: Int) { claimed = Array(repeating: [], count: count) }
    func add(_ worker: Int, _ ids: [ContentID]) { lock.withLock { claimed[worker] += ids } }
    var all: [ContentID] { lock.withLock { claimed.flatMap { $0 } } }
}
