import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// Takes boxes that scanning stations copy into a drop folder, ingests each once, and moves it
/// with its report (JSON and a readable table) to `done/`, or to `failed/` when it could not be
/// imported or anything in it was rejected.
///
/// A box (an archive file or a folder) is taken when it is complete: a `READY` marker beside it
/// (`BOX-0001.READY`, or `READY` inside a box folder), or nothing in it changed for `settle`.
/// Taking is a rename into this watcher's claim folder (`.sijill-watch/<id>/` inside the drop
/// folder), so two watchers on one folder never take the same box. A watcher holds a lock while it
/// lives; one that starts later finishes the boxes a dead watcher had claimed (ingest is
/// idempotent: what was stored is not stored again).
///
/// ```swift
/// let watcher = try DropFolderWatcher(configuration: .init(inbox: inbox), pipeline: pipeline, logger: logger)
/// let outcomes = try watcher.poll()   // one pass; `run(until:)` loops
/// ```
public final class DropFolderWatcher {
    public struct Configuration: Sendable {
        public var inbox: URL
        public var done: URL
        public var failed: URL
        /// How long a box without a marker must stay unchanged before it is taken.
        public var settle: TimeInterval
        /// Pause between passes over the drop folder.
        public var interval: TimeInterval

        public init(inbox: URL, done: URL? = nil, failed: URL? = nil, settle: TimeInterval = 30, interval: TimeInterval = 2) {
            self.inbox = inbox.standardizedFileURL
            self.done = (done ?? inbox.appendingPathComponent("done")).standardizedFileURL
            self.failed = (failed ?? inbox.appendingPathComponent("failed")).standardizedFileURL
            self.settle = settle
            self.interval = interval
        }
    }

    /// What became of one box.
    public struct Outcome: Sendable, Hashable {
        public enum Destination: String, Sendable { case done, failed }
        public var box: String
        public var destination: Destination
        /// Where the box and its report now are.
        public var movedTo: URL
        public var report: URL
        /// One line for the log.
        public var summary: String
    }

    public let configuration: Configuration
    public let id: String
    let pipeline: IngestPipeline
    let logger: Logger
    let now: @Sendable () -> Date
    /// Called after each box is ingested (the CLI applies retention schedules there).
    var afterIngest: (ReconciliationReport) -> Void = { _ in }
    private let claims: URL
    private let lock: Int32
    /// Fingerprint of each box not yet taken, and since when it has not changed.
    private var seen: [String: (fingerprint: Int, since: Date)] = [:]

    public static let workFolder = ".sijill-watch"

    public init(
        configuration: Configuration, pipeline: IngestPipeline, logger: Logger, now: @escaping @Sendable () -> Date = { Date() },
        afterIngest: @escaping (ReconciliationReport) -> Void = { _ in }
    ) throws {
        self.configuration = configuration
        self.pipeline = pipeline
        self.logger = logger
        self.now = now
        self.afterIngest = afterIngest
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: configuration.inbox.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw IngestError("drop folder \(configuration.inbox.path) does not exist or is not a folder")
        }
        for folder in [configuration.done, configuration.failed] {
            try fm.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        let work = configuration.inbox.appendingPathComponent(Self.workFolder)
        try fm.createDirectory(at: work, withIntermediateDirectories: true)
        id = "\(ProcessInfo.processInfo.hostName)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        claims = work.appendingPathComponent(id)
        try fm.createDirectory(at: claims, withIntermediateDirectories: true)
        lock = open(work.appendingPathComponent("\(id).lock").path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard lock >= 0, flock(lock, LOCK_EX | LOCK_NB) == 0 else {
            throw IngestError("cannot lock \(work.path) for this watcher")
        }
    }

    deinit {
        // The claim folder stays if it still holds a box (a later watcher finishes it).
        try? FileManager.default.removeItem(at: claims.deletingLastPathComponent().appendingPathComponent("\(id).lock"))
        rmdir(claims.path)
        close(lock)
    }

    /// Loops over the drop folder until `stop` returns true (checked between boxes and passes).
    public func run(until stop: () -> Bool, report: (Outcome) -> Void = { _ in }) throws {
        while !stop() {
            for outcome in try poll(stop: stop) { report(outcome) }
            var waited = 0.0
            while waited < configuration.interval, !stop() {
                Thread.sleep(forTimeInterval: 0.2)
                waited += 0.2
            }
        }
    }

    /// One pass: finishes boxes claimed by watchers that died, then takes and ingests every box
    /// that is complete. Throws ``IngestCancelled`` (the box stays claimed) when stopped mid-box.
    public func poll(stop: () -> Bool = { false }) throws -> [Outcome] {
        var outcomes: [Outcome] = []
        adoptAbandonedClaims()
        for name in try claimedBoxes() where !stop() {
            outcomes.append(try process(name))
        }
        for name in try readyBoxes() where !stop() {
            guard claim(name) else { continue }
            outcomes.append(try process(name))
        }
        return outcomes
    }

    // MARK: - Finding complete boxes

    static let markerSuffixes = [".READY", ".ready"]
    static let partialSuffixes = [".part", ".partial", ".tmp", ".crdownload", ".download", ".filepart"]

    /// Boxes in the drop folder that are complete, in name order.
    func readyBoxes() throws -> [String] {
        let fm = FileManager.default
        let names = try fm.contentsOfDirectory(atPath: configuration.inbox.path).sorted()
        let present = Set(names)
        let outputs = Set([configuration.done, configuration.failed].map { Self.plainPath($0) })
        var ready: [String] = []
        for name in names {
            let url = configuration.inbox.appendingPathComponent(name)
            if name.hasPrefix(".") || name.hasPrefix("~$") || outputs.contains(Self.plainPath(url))
                || Self.markerSuffixes.contains(where: { name.hasSuffix($0) })
                || Self.partialSuffixes.contains(where: { name.lowercased().hasSuffix($0) })
            {
                continue
            }
            if Self.markerSuffixes.contains(where: { present.contains(name + $0) })
                || fm.fileExists(atPath: url.appendingPathComponent("READY").path)
            {
                ready.append(name)
                continue
            }
            guard let print = Self.fingerprint(url) else { continue }
            let time = now()
            if let known = seen[name], known.fingerprint == print {
                if time.timeIntervalSince(known.since) >= configuration.settle { ready.append(name) }
            } else {
                seen[name] = (print, time)
                if configuration.settle <= 0 { ready.append(name) }
            }
        }
        return ready
    }

    static func plainPath(_ url: URL) -> String {
        var path = url.standardizedFileURL.resolvingSymlinksInPath().path
        while path.count > 1, path.hasSuffix("/") { path.removeLast() }
        return path
    }

    /// Sizes, times and names of everything in `url`: changes while a copy is under way.
    static func fingerprint(_ url: URL) -> Int? {
        var hasher = Hasher()
        func add(_ path: String) -> Bool {
            var info = stat()
            guard lstat(path, &info) == 0 else { return false }
            hasher.combine(path)
            hasher.combine(info.st_size)
            hasher.combine(info.st_mtim.tv_sec)
            hasher.combine(info.st_mtim.tv_nsec)
            return true
        }
        guard add(url.path) else { return nil }
        if let walker = FileManager.default.enumerator(atPath: url.path) {
            while let next = walker.nextObject() as? String { _ = add(url.path + "/" + next) }
        }
        return hasher.finalize()
    }

    // MARK: - Claiming

    /// Moves `name` (and its marker) into this watcher's claim folder; false when another
    /// watcher took it first.
    func claim(_ name: String) -> Bool {
        let from = configuration.inbox.appendingPathComponent(name).path
        guard rename(from, claims.appendingPathComponent(name).path) == 0 else { return false }
        seen[name] = nil
        for suffix in Self.markerSuffixes {
            unlink(configuration.inbox.appendingPathComponent(name + suffix).path)
        }
        // A marker inside a box folder is not part of the box.
        unlink(claims.appendingPathComponent(name).appendingPathComponent("READY").path)
        logger.info("box taken", metadata: ["watch.box": "\(name)", "watch.id": "\(id)"])
        return true
    }

    func claimedBoxes() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: claims.path).filter { !$0.hasPrefix(".") }.sorted()
    }

    /// Takes over the claims of watchers whose lock is free (they died before finishing).
    func adoptAbandonedClaims() {
        let work = claims.deletingLastPathComponent()
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: work.path) else { return }
        for folder in names where folder != id && !folder.hasSuffix(".lock") {
            let lockPath = work.appendingPathComponent("\(folder).lock").path
            let fd = open(lockPath, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
            guard fd >= 0 else { continue }
            defer { close(fd) }
            guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { continue }  // alive
            let theirs = work.appendingPathComponent(folder)
            for box in (try? fm.contentsOfDirectory(atPath: theirs.path)) ?? [] {
                if rename(theirs.appendingPathComponent(box).path, claims.appendingPathComponent(box).path) == 0 {
                    logger.notice("box adopted from a stopped watcher", metadata: ["watch.box": "\(box)", "watch.from": "\(folder)"])
                }
            }
            rmdir(theirs.path)
            unlink(lockPath)
        }
    }

    // MARK: - Ingesting

    /// Ingests a claimed box (unless its report is already written: it was ingested before a
    /// stop) and moves it with its report to done/ or failed/.
    func process(_ name: String) throws -> Outcome {
        let box = claims.appendingPathComponent(name)
        let json = claims.appendingPathComponent(".\(name).report.json")
        let text = claims.appendingPathComponent(".\(name).report.txt")
        let fm = FileManager.default
        if !fm.fileExists(atPath: json.path) {
            let (jsonData, table, failed) = try ingest(box, name: name)
            try table.write(to: text, options: .atomic)
            // The JSON report is written last: its presence says the ingest finished.
            try jsonData.write(to: json, options: .atomic)
            logger.info("box ingested", metadata: ["watch.box": "\(name)", "watch.failed": "\(failed)"])
        }
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: json)) as? [String: Any]
        let failed = (report?["watch_outcome"] as? String) == "failed"
        let destination: Outcome.Destination = failed ? .failed : .done
        let folder = failed ? configuration.failed : configuration.done
        let target = Self.freeName(name, in: folder)
        try fm.moveItem(at: text, to: folder.appendingPathComponent(target + ".report.txt"))
        let reportURL = folder.appendingPathComponent(target + ".report.json")
        try fm.moveItem(at: json, to: reportURL)
        let movedTo = folder.appendingPathComponent(target)
        try fm.moveItem(at: box, to: movedTo)
        return Outcome(
            box: name, destination: destination, movedTo: movedTo, report: reportURL,
            summary: (report?["watch_summary"] as? String) ?? destination.rawValue)
    }

    /// Runs the ingest; returns the JSON report (with the watcher's verdict added), the table,
    /// and whether the box failed. A box that could not be imported at all gets a report saying why.
    private func ingest(_ box: URL, name: String) throws -> (Data, Data, Bool) {
        do {
            let report = try pipeline.run(box: box)
            afterIngest(report)
            let failed = report.boxError != nil || !report.isClean
            let s = report.summary
            let summary = "\(name): \(failed ? "failed" : "done"): stored \(s.stored), duplicate \(s.duplicate), "
                + "rejected \(s.rejected); records added \(s.recordsAdded) (\(s.pagesAdded) pages)"
            var object = (try JSONSerialization.jsonObject(with: report.jsonData()) as? [String: Any]) ?? [:]
            object["watch_outcome"] = failed ? "failed" : "done"
            object["watch_summary"] = summary
            return (try Self.encode(object), Data(report.table().utf8), failed)
        } catch let error as IngestCancelled {
            throw error
        } catch {
            let summary = "\(name): failed: could not be imported: \(error)"
            let object: [String: Any] = [
                "box": name, "error": "\(error)", "watch_outcome": "failed", "watch_summary": summary,
                "finished_at": ISO8601DateFormatter().string(from: now()),
            ]
            return (try Self.encode(object), Data("Box \(name)\nnot imported: \(error)\n".utf8), true)
        }
    }

    private static func encode(_ object: [String: Any]) throws -> Data {
        try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    }

    /// `name`, or `name-2`, `name-3`… when a box of that name (or its report) is already there.
    static func freeName(_ name: String, in folder: URL) -> String {
        let fm = FileManager.default
        func taken(_ candidate: String) -> Bool {
            fm.fileExists(atPath: folder.appendingPathComponent(candidate).path)
                || fm.fileExists(atPath: folder.appendingPathComponent(candidate + ".report.json").path)
        }
        guard taken(name) else { return name }
        let ext = (name as NSString).pathExtension
        let stem = ext.isEmpty ? name : String(name.dropLast(ext.count + 1))
        var n = 2
        while taken(ext.isEmpty ? "\(stem)-\(n)" : "\(stem)-\(n).\(ext)") { n += 1 }
        return ext.isEmpty ? "\(stem)-\(n)" : "\(stem)-\(n).\(ext)"
    }
}
