import Foundation
import Logging
import SijillCatalog
import SijillCore
import Synchronization

/// Runs uploaded boxes (``BoxJob``s) through ingest one at a time, oldest first, and keeps their
/// progress where the API can read it. A job interrupted by a stop is run again at the next start.
///
/// ```swift
/// let runner = BoxJobRunner(archive: archive, options: IngestOptions(), logger: logger)
/// let job = try runner.submit(upload: tempFile, name: "BOX-0001.zip", actor: "token:amal")
/// while try runner.runNext() {}
/// ```
public final class BoxJobRunner: Sendable {
    /// Progress of the running job, as the pipeline reports it.
    public struct Progress: Sendable, Hashable, Codable {
        public var phase: String
        /// Entries read of those to read, pages recognised of those to recognise.
        public var entriesRead: Int
        public var entriesTotal: Int
        public var pagesDone: Int
        public var pagesTotal: Int
        /// Seconds left, estimated from the pace of the current phase.
        public var etaSeconds: Int?

        enum CodingKeys: String, CodingKey {
            case phase, entriesRead = "entries_read", entriesTotal = "entries_total", pagesDone = "pages_ocr_done"
            case pagesTotal = "pages_ocr_total", etaSeconds = "eta_seconds"
        }
    }

    public let archive: ArchiveHome
    let options: IngestOptions
    let logger: Logger
    let now: @Sendable () -> Date
    private let live = Mutex<[String: Progress]>([:])

    public init(archive: ArchiveHome, options: IngestOptions, logger: Logger, now: @escaping @Sendable () -> Date = { Date() }) {
        self.archive = archive
        self.options = options
        self.logger = logger
        self.now = now
    }

    /// Where uploads wait for their job: `<data dir>/uploads`.
    public var uploads: URL { archive.url.appendingPathComponent("uploads") }

    /// A fresh file in the uploads folder to write an upload into.
    public func temporaryUpload() throws -> URL {
        try FileManager.default.createDirectory(at: uploads, withIntermediateDirectories: true)
        return uploads.appendingPathComponent(".incoming-\(Self.randomID())")
    }

    /// Makes a job of an upload written to `file` (from ``temporaryUpload()``), named `name`.
    public func submit(upload file: URL, name: String, actor: String) throws -> BoxJob {
        let id = Self.randomID()
        let safe = Self.safeName(name)
        let folder = uploads.appendingPathComponent(id)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.moveItem(at: file, to: folder.appendingPathComponent(safe))
        let size = (try? FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(safe).path)[.size] as? Int) ?? 0
        let job = BoxJob(
            id: id, name: safe, path: "uploads/\(id)/\(safe)", bytes: size, submittedBy: actor,
            submittedAt: Timestamp.string(now()))
        try archive.catalog.insertJob(job)
        logger.info("box uploaded", metadata: ["job.id": "\(id)", "job.name": "\(safe)", "job.bytes": "\(size)"])
        return job
    }

    /// Live progress of a running job (nil when it is not running in this process).
    public func progress(of id: String) -> Progress? { live.withLock { $0[id] } }

    /// Runs the oldest job still to do; false when there is none. Throws ``IngestCancelled``
    /// when stopped (the job stays `running` and is run again next time).
    @discardableResult
    public func runNext() throws -> Bool {
        guard var job = try archive.catalog.nextJob() else { return false }
        job.state = .running
        job.startedAt = job.startedAt ?? Timestamp.string(now())
        try archive.catalog.updateJob(job, at: now())
        let box = archive.url.appendingPathComponent(job.path)
        let pipeline = IngestPipeline(store: archive.store, catalog: archive.catalog, options: options, logger: logger, now: now)
        let id = job.id
        let clock = now
        let started = Mutex((phase: "", at: Date()))
        live.withLock { $0[id] = Progress(phase: "reading", entriesRead: 0, entriesTotal: 0, pagesDone: 0, pagesTotal: 0) }
        defer { live.withLock { _ = $0.removeValue(forKey: id) } }
        do {
            let report = try pipeline.run(box: box) { [self] step in
                let time = clock()
                let since = started.withLock { state -> Date in
                    if state.phase != step.phase.rawValue { state = (step.phase.rawValue, time) }
                    return state.at
                }
                self.live.withLock { table in
                    var p = table[id] ?? Progress(phase: "", entriesRead: 0, entriesTotal: 0, pagesDone: 0, pagesTotal: 0)
                    p.phase = step.phase.rawValue
                    switch step.phase {
                    case .reading: (p.entriesRead, p.entriesTotal) = (step.done, step.total)
                    case .ocr, .done: (p.pagesDone, p.pagesTotal) = (step.done, step.total)
                    }
                    let elapsed = time.timeIntervalSince(since)
                    p.etaSeconds = step.done > 0 && step.total >= step.done
                        ? Int((elapsed / Double(step.done) * Double(step.total - step.done)).rounded()) : nil
                    table[id] = p
                }
            }
            job.reportId = report.storedAs
            job.state = report.boxError == nil && report.isClean ? .done : .failed
            job.error = report.boxError
            job.progress = progressJSON(id, report: report)
        } catch let error as IngestCancelled {
            throw error
        } catch {
            job.state = .failed
            job.error = "\(error)"
        }
        job.finishedAt = Timestamp.string(now())
        try archive.catalog.updateJob(job, at: now())
        // The pages are stored objects now; the upload itself is not kept.
        try? FileManager.default.removeItem(at: box.deletingLastPathComponent())
        logger.info("box job finished", metadata: ["job.id": "\(id)", "job.state": "\(job.state.rawValue)"])
        return true
    }

    private func progressJSON(_ id: String, report: ReconciliationReport) -> String? {
        var p = live.withLock { $0[id] } ?? Progress(phase: "done", entriesRead: 0, entriesTotal: 0, pagesDone: 0, pagesTotal: 0)
        p.phase = "done"
        p.entriesRead = report.summary.entries
        p.entriesTotal = report.summary.entries
        p.etaSeconds = 0
        return (try? JSONEncoder().encode(p)).map { String(decoding: $0, as: UTF8.self) }
    }

    static func randomID() -> String {
        (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
    }

    /// The file name part of what the uploader called it, without anything a path or a
    /// terminal would read as more than a name; `upload` when nothing usable is left.
    static func safeName(_ name: String) -> String {
        let last = name.replacingOccurrences(of: "\\", with: "/").split(separator: "/").last.map(String.init) ?? ""
        let cleaned = String(last.unicodeScalars.filter { scalar in
            !(scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || (0x202A...0x202E).contains(scalar.value)
                || (0x2066...0x2069).contains(scalar.value))
        }.map(Character.init)).trimmingCharacters(in: .whitespaces)
        let trimmed = String(cleaned.prefix(120))
        return trimmed.isEmpty || trimmed.hasPrefix(".") ? "upload" + (trimmed.isEmpty ? "" : trimmed) : trimmed
    }
}
