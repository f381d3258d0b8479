import Foundation
import Logging
import SijillCore
import SijillIngest
import SijillTestSupport
import Synchronization
import Testing

/// `sijill watch`'s drop folder: boxes taken when complete, moved with their reports, never
/// twice, finished after a stop.
@Suite struct DropFolderTests {
    /// A drop folder beside a data directory.
    struct Drop {
        let root: URL
        let inbox: URL
        let archive: TestArchive

        init(options: IngestOptions = IngestOptions(jobs: 1)) throws {
            root = try FixtureFiles.temporaryDirectory("sijill-drop")
            inbox = root.appendingPathComponent("inbox")
            try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
            archive = try TestArchive(home: root.appendingPathComponent("home"), options: options)
        }

        func add(_ fixture: URL, as name: String? = nil) throws {
            try FileManager.default.copyItem(at: fixture, to: inbox.appendingPathComponent(name ?? fixture.lastPathComponent))
        }

        func watcher(settle: TimeInterval = 0, now: @escaping @Sendable () -> Date = { Date() }) throws -> DropFolderWatcher {
            try DropFolderWatcher(
                configuration: .init(inbox: inbox, settle: settle), pipeline: archive.pipeline, logger: archive.pipeline.logger,
                now: now)
        }

        func names(_ folder: String) -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: inbox.appendingPathComponent(folder).path)) ?? []).sorted()
        }

        func runs() throws -> Int { try archive.archive.catalog.ingestTotals().runs }
    }

    static let layouts = FixtureFiles.fixtures.appendingPathComponent("layouts")

    @Test("complete boxes go to done/ or failed/ with their reports; an unfinished copy waits")
    func doneAndFailed() throws {
        let drop = try Drop()
        defer { try? FileManager.default.removeItem(at: drop.root) }
        try drop.add(Self.layouts.appendingPathComponent("BOX-0001.zip"))
        try drop.add(Self.layouts.appendingPathComponent("misplaced.zip"))
        try Data("not an archive".utf8).write(to: drop.inbox.appendingPathComponent("garbage.zip"))
        try Data().write(to: drop.inbox.appendingPathComponent("copying.zip.part"))

        let outcomes = try drop.watcher().poll()
        #expect(outcomes.map(\.box).sorted() == ["BOX-0001.zip", "garbage.zip", "misplaced.zip"])
        #expect(drop.names("done") == ["BOX-0001.zip", "BOX-0001.zip.report.json", "BOX-0001.zip.report.txt"])
        #expect(drop.names("failed").contains("misplaced.zip.report.txt") && drop.names("failed").contains("garbage.zip"))
        #expect(drop.names("").contains("copying.zip.part"), "a partial upload is never taken")

        let report = try JSONSerialization.jsonObject(
            with: Data(contentsOf: drop.inbox.appendingPathComponent("failed/garbage.zip.report.json"))) as? [String: Any]
        #expect((report?["error"] as? String)?.contains("garbage.zip") == true)
        let table = try String(contentsOf: drop.inbox.appendingPathComponent("failed/misplaced.zip.report.txt"), encoding: .utf8)
        #expect(table.contains("did you mean 'scans/page.png'?"))
        #expect(try drop.archive.archive.catalog.counts().records == 3)
    }

    @Test("without a marker a box is taken only after it stayed unchanged for the settle time; a READY marker takes it at once")
    func settleAndMarker() throws {
        let drop = try Drop()
        defer { try? FileManager.default.removeItem(at: drop.root) }
        let clock = Mutex(Date(timeIntervalSince1970: 1_800_000_000))
        let watcher = try drop.watcher(settle: 30, now: { clock.withLock { $0 } })
        try drop.add(Self.layouts.appendingPathComponent("BOX-0001.zip"))
        #expect(try watcher.poll().isEmpty, "first seen: not yet settled")
        clock.withLock { $0 += 10 }
        #expect(try watcher.poll().isEmpty)
        try drop.add(Self.layouts.appendingPathComponent("two-boxes.zip"))
        try Data().write(to: drop.inbox.appendingPathComponent("two-boxes.zip.READY"))
        #expect(try watcher.poll().map(\.box) == ["two-boxes.zip"], "the marker says it is complete")
        #expect(!drop.names("").contains("two-boxes.zip.READY"))
        clock.withLock { $0 += 25 }
        #expect(try watcher.poll().map(\.box) == ["BOX-0001.zip"])
    }

    @Test("two watchers on one folder never take the same box")
    func twoWatchers() throws {
        let drop = try Drop()
        defer { try? FileManager.default.removeItem(at: drop.root) }
        let boxes = ["a", "b", "c", "d"].map { "BOX-\($0).zip" }
        for name in boxes { try drop.add(Self.layouts.appendingPathComponent("BOX-0001.zip"), as: name) }
        let watchers = [try drop.watcher(), try drop.watcher()]
        let taken = Mutex<[String]>([])
        let group = DispatchGroup()
        for watcher in watchers {
            nonisolated(unsafe) let watcher = watcher
            group.enter()
            Thread {
                defer { group.leave() }
                let names = (try? watcher.poll().map(\.box)) ?? ["error"]
                taken.withLock { $0 += names }
            }.start()
        }
        group.wait()
        #expect(taken.withLock { $0 }.sorted() == boxes)
        #expect(try drop.runs() == boxes.count, "one ingest run per box")
        #expect(drop.names("done").filter { $0.hasSuffix(".zip") } == boxes)
    }

    @Test("a box taken by a watcher that died is finished by the next one, nothing twice")
    func adoptsAbandonedClaims() throws {
        let drop = try Drop()
        defer { try? FileManager.default.removeItem(at: drop.root) }
        // A watcher that died after taking the box: its claim folder, no lock held.
        let dead = drop.inbox.appendingPathComponent("\(DropFolderWatcher.workFolder)/host-1-42")
        try FileManager.default.createDirectory(at: dead, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: Self.layouts.appendingPathComponent("BOX-0001.zip"), to: dead.appendingPathComponent("BOX-0001.zip"))
        // It had stored part of it already.
        _ = try drop.archive.ingest(dead.appendingPathComponent("BOX-0001.zip"))
        let before = try drop.archive.archive.catalog.counts()

        let outcomes = try drop.watcher().poll()
        #expect(outcomes.map(\.box) == ["BOX-0001.zip"])
        #expect(try drop.archive.archive.catalog.counts() == before, "records and pages are not added twice")
        #expect(!FileManager.default.fileExists(atPath: dead.path))
        #expect(drop.names("done").contains("BOX-0001.zip"))
    }

    @Test("a stopped ingest leaves its box taken; the next pass finishes it")
    func cancellation() throws {
        let cancel = IngestCancellation()
        var options = IngestOptions(jobs: 1)
        options.cancellation = cancel
        let drop = try Drop(options: options)
        defer { try? FileManager.default.removeItem(at: drop.root) }
        try drop.add(Self.layouts.appendingPathComponent("BOX-0001.zip"))
        let watcher = try drop.watcher()
        cancel.cancel()
        #expect(throws: IngestCancelled.self) { try watcher.poll() }
        #expect(drop.names("done").isEmpty && !drop.names("").contains("BOX-0001.zip"))
        #expect(try drop.archive.archive.catalog.counts().records == 0)

        let resumed = try DropFolderWatcher(
            configuration: .init(inbox: drop.inbox, settle: 0),
            pipeline: IngestPipeline(
                store: drop.archive.archive.store, catalog: drop.archive.archive.catalog, options: IngestOptions(jobs: 1),
                logger: drop.archive.pipeline.logger),
            logger: drop.archive.pipeline.logger)
        // The first watcher still lives (holds its lock): its box is not taken from it.
        #expect(try resumed.poll().isEmpty)
        _ = consume watcher
        #expect(try resumed.poll().map(\.box) == ["BOX-0001.zip"])
        #expect(try drop.archive.archive.catalog.counts().records == 2)
    }
}
