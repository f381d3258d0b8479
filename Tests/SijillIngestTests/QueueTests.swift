import Foundation
import GRDB
import Logging
import SijillCatalog
import SijillCore
import SijillIngest
import SijillStore
import SijillTestSupport
import Testing

/// The ingest queue: `submit`, workers, leases, take-over after a worker dies.
@Suite struct QueueTests {
    static var logger: Logger {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        return logger
    }

    static func worker(_ t: TestArchive, lease: Double = 60, jobs: Int = 2) -> QueueWorker {
        QueueWorker(archive: t.archive, options: IngestOptions(jobs: jobs), logger: logger, lease: lease)
    }

    @Test("boxes submitted to the queue come out as a direct ingest makes them: same records, same report, the packed box not kept")
    func sameAsIngest() throws {
        let shared = try SharedArchive.get()
        let t = try TestArchive()
        let queue = IngestQueue(archive: t.archive, logger: Self.logger)
        let jobs = try ["box-folder", "box-zip.zip"].map { try queue.submit(box: FixtureFiles.box($0), actor: "test") }
        #expect(jobs.allSatisfy { $0.state == .queued && $0.boxId.map(t.archive.store.contains) == true })
        try Self.worker(t).run(threads: 2, untilIdle: true)

        for (job, name) in zip(jobs, ["box-folder", "box-zip.zip"]) {
            let done = try #require(try t.archive.catalog.job(id: job.id))
            #expect(done.state == .done, "\(done.error ?? "")")
            #expect(done.phase == nil && done.leaseOwner == nil)
            let report = try JSONDecoder().decode(
                ReconciliationReport.self, from: t.archive.store.get(try #require(done.reportId)))
            let direct = try #require(shared.reports[name])
            #expect(report.box == name && report.summary == direct.summary)
            #expect(report.items.map { "\($0.name) \($0.status)" } == direct.items.map { "\($0.name) \($0.status)" })
            #expect(report.records.map(\.record) == direct.records.map(\.record), "records are content-addressed: the same IDs")
            let counts = try t.archive.catalog.taskCounts(job: job.id)
            #expect(counts.done == direct.summary.pagesAdded && counts.todo == 0 && counts.failed == 0)
            #expect(!t.archive.store.contains(try #require(done.boxId)), "the packed delivery is removed once its pages are stored")
        }
        let orphans = try FixityCheck(archive: t.archive).run(actor: "test", at: Date()).orphaned
        #expect(orphans.isEmpty, "nothing left behind: \(orphans)")
    }

    @Test("damaged, hostile and non-archive boxes: the queue reports each as a direct ingest does", arguments: [
        "garbage.zip", "dotdot.zip", "links.tar", "corrupt-images.zip", "invalid-utf8.zip", "encrypted.zip", "absolute.tar",
    ])
    func hostileLikeIngest(box: String) throws {
        let direct = try TestArchive(jobs: 1)
        let expected: (items: [String], error: String?)
        do {
            let report = try direct.ingest(FixtureFiles.hostile(box))
            expected = (report.items.map { "\($0.name) \($0.status) \($0.code ?? "")" }, report.boxError)
        } catch {
            expected = ([], "\(error)")
        }
        let t = try TestArchive(jobs: 1)
        let job = try IngestQueue(archive: t.archive, logger: Self.logger).submit(box: FixtureFiles.hostile(box), actor: "test")
        try Self.worker(t, jobs: 1).run(threads: 1, untilIdle: true)
        let done = try #require(try t.archive.catalog.job(id: job.id))
        if let reportID = done.reportId {
            let report = try JSONDecoder().decode(ReconciliationReport.self, from: t.archive.store.get(reportID))
            #expect(report.items.map { "\($0.name) \($0.status) \($0.code ?? "")" } == expected.items)
            #expect(report.boxError == expected.error)
        } else {
            #expect(done.state == .failed)
            #expect(expected.items.isEmpty, "direct ingest made a report, the queue did not: \(done.error ?? "")")
            #expect(done.error?.contains(box) == true, "the error names the box: \(done.error ?? "")")
        }
        let (got, want) = (try t.archive.catalog.counts(), try direct.archive.catalog.counts())
        #expect(got.records == want.records && got.pages == want.pages)
    }

    @Test("a worker that dies holding a page: another takes it after the lease; nothing lost, nothing twice")
    func takeOver() throws {
        let t = try TestArchive()
        let job = try IngestQueue(archive: t.archive, logger: Self.logger).submit(box: FixtureFiles.box("box-zip.zip"), actor: "test")
        let catalog = t.archive.catalog
        // A worker reads the box, then another claims a page and dies (its lease runs out in 1 s).
        let first = Self.worker(t)
        #expect(try first.step(engine: { throw MissingInTest(description: "no OCR in this step") }))
        let now = Date().timeIntervalSince1970
        let held = try #require(try catalog.claimTasks(owner: "dead-worker", until: now + 1, now: now).first)
        // A live lease is respected: nobody else gets that page.
        let others = try catalog.claimTasks(owner: "other", until: now + 60, now: now, limit: 100)
        #expect(!others.contains(held) && others.count == 5)
        try catalog.releaseLeases(owner: "other")

        try Self.worker(t).run(threads: 2, untilIdle: true, poll: 0.1)
        let done = try #require(try catalog.job(id: job.id))
        #expect(done.state == .done, "\(done.error ?? "")")
        let counts = try catalog.counts()
        #expect(counts.records == 3 && counts.pages == 6)
        let (results, attempts) = try catalog.database.read { db in
            (
                try db.scalar(Int.self, "SELECT count(*) FROM ocr_result") ?? -1,
                try db.scalar(Int.self, "SELECT attempts FROM ocr_task WHERE image_id = ?", [held.imageId]) ?? -1
            )
        }
        #expect(results == 6, "one OCR result per page")
        #expect(attempts == 2, "the dead worker's claim, then the one that did it")
        let boxAudit = try catalog.database.read { db in
            try db.scalar(Int.self, "SELECT count(*) FROM audit_entry WHERE action = 'box.ingest'") ?? -1
        }
        #expect(boxAudit == 1, "the box is finished once")
    }

    @Test("a worker removes the box copies that killed workers on its host left behind, not a live one's")
    func abandonedBoxCopies() throws {
        let t = try TestArchive()
        let gone = Process()
        gone.executableURL = URL(fileURLWithPath: "/bin/true")
        try gone.run()
        gone.waitUntilExit()
        let tmp = FileManager.default.temporaryDirectory
        let dead = tmp.appendingPathComponent("sijill-job-\(gone.processIdentifier)-job1-\(UUID().uuidString.prefix(8))")
        let live = tmp.appendingPathComponent("sijill-job-1-job2-\(UUID().uuidString.prefix(8))")  // pid 1 is alive
        for dir in [dead, live] {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try Data("box".utf8).write(to: dir.appendingPathComponent("box.zip"))
        }
        defer { try? FileManager.default.removeItem(at: live) }
        try Self.worker(t).run(threads: 1, untilIdle: true, poll: 0.1)
        #expect(!FileManager.default.fileExists(atPath: dead.path), "the dead worker's copy is removed")
        #expect(FileManager.default.fileExists(atPath: live.path), "a live process's copy is kept")
    }

    @Test("claims by workers racing for pages never overlap")
    func claimsAreExclusive() throws {
        let t = try TestArchive()
        let catalog = t.archive.catalog
        var job = BoxJob(id: "race", name: "race.zip", path: "race.zip", bytes: 1, submittedBy: "test", submittedAt: Timestamp.string(Date()))
        job.boxId = ContentID.of(Data("race".utf8))
        try catalog.insertJob(job)
        let now = Date().timeIntervalSince1970
        _ = try #require(try catalog.claimPrepare(owner: "w0", until: now + 60, now: now, at: Timestamp.string(Date())))
        let images = (0..<300).map { ContentID.of(Data("page \($0)".utf8)) }
        try catalog.enqueueTasks(job: "race", images: images, owner: "w0")
        // Three more connections to the same catalog, as worker processes would have.
        let claimers = try (0..<3).map { _ in
            try t.catalogURL.map { try Catalog.open(postgres: $0) } ?? Catalog.open(at: t.home.appendingPathComponent("catalog.sqlite"))
        }
        let claimed = ConcurrentBox<[[ContentID]]>(Array(repeating: [], count: claimers.count))
        DispatchQueue.concurrentPerform(iterations: claimers.count) { n in
            while let task = try? claimers[n].claimTasks(owner: "w\(n)", until: now + 60, now: now, limit: 1 + n).first {
                claimed.update { $0[n].append(task.imageId) }
                _ = task
            }
        }
        let all = claimed.value.flatMap { $0 }
        #expect(all.count == Set(all).count, "no page claimed twice")
        #expect(Set(all).count <= images.count)
    }

    @Test("a page that took down five workers is given up: the box finishes, that record rejected with why")
    func poisonPage() throws {
        let t = try TestArchive()
        let job = try IngestQueue(archive: t.archive, logger: Self.logger).submit(box: FixtureFiles.box("box-folder"), actor: "test")
        let catalog = t.archive.catalog
        #expect(try Self.worker(t).step(engine: { throw MissingInTest(description: "no OCR in this step") }))
        var now = Date().timeIntervalSince1970
        let first = try #require(try catalog.claimTasks(owner: "dead-1", until: now - 1, now: now).first)
        for n in 2...Catalog.maxTaskClaims {
            now += 1
            let again = try #require(try catalog.claimTasks(owner: "dead-\(n)", until: now - 1, now: now).first)
            #expect(again.imageId == first.imageId && again.attempts == n)
        }
        try Self.worker(t).run(threads: 1, untilIdle: true)
        let done = try #require(try catalog.job(id: job.id))
        #expect(done.state == .failed, "a record was rejected")
        let report = try JSONDecoder().decode(ReconciliationReport.self, from: t.archive.store.get(try #require(done.reportId)))
        let rejected = report.records.filter { $0.status == .rejected }
        #expect(rejected.count == 1 && rejected[0].reason?.contains("given up: 5 workers stopped") == true, "\(rejected)")
        #expect(report.summary.recordsAdded == 2)
        #expect(try catalog.taskCounts(job: job.id) == TaskCounts(todo: 0, done: 3, failed: 1))
    }

    @Test("submit refuses what is not there or empty, naming it, and queues nothing")
    func badSubmissions() throws {
        let t = try TestArchive()
        let queue = IngestQueue(archive: t.archive, logger: Self.logger)
        let missing = t.home.appendingPathComponent("no-such-box.zip")
        #expect { try queue.submit(box: missing, actor: "test") } throws: { "\($0)".contains("no-such-box.zip") }
        let empty = t.home.appendingPathComponent("empty-box.zip")
        FileManager.default.createFile(atPath: empty.path, contents: Data())
        #expect { try queue.submit(box: empty, actor: "test") } throws: { "\($0)".contains("empty-box.zip") && "\($0)".contains("empty") }
        #expect(try t.archive.catalog.jobs().isEmpty)
    }
}

/// A value shared by threads of a test, behind a lock.
final class ConcurrentBox<Value>: @unchecked Sendable {
    private var stored: Value
    private let lock = NSLock()
    init(_ value: Value) { stored = value }
    var value: Value { lock.withLock { stored } }
    func update(_ body: (inout Value) -> Void) { lock.withLock { body(&stored) } }
}
