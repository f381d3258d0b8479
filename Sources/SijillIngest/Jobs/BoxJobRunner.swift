import Foundation
import Logging
import SijillCatalog
import SijillCore
import SijillOCR

/// Uploaded boxes (``BoxJob``s) for `serve`: an upload goes into the ingest queue (the object
/// store and a job row), and the server's own ``QueueWorker`` works the queue beside any
/// `sijill worker` processes. Progress is read from the job's page tasks, so any `serve` process
/// reports it, whichever worker does the work.
///
/// ```swift
/// let runner = BoxJobRunner(archive: archive, options: IngestOptions(), logger: logger)
/// let job = try runner.submit(upload: tempFile, name: "BOX-0001.zip", actor: "token:amal")
/// while try runner.runNext() {}
/// ```
public final class BoxJobRunner: Sendable {
    /// Progress of a job, from its page tasks.
    public struct Progress: Sendable, Hashable, Codable {
        public var phase: String
        /// Entries read of those to read, pages recognised of those to recognise.
        public var entriesRead: Int
        public var entriesTotal: Int
        public var pagesDone: Int
        public var pagesTotal: Int
        /// Seconds left, estimated from the pace so far.
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
    /// The server's worker on the queue.
    public let worker: QueueWorker

    public init(
        archive: ArchiveHome, options: IngestOptions, logger: Logger, now: @escaping @Sendable () -> Date = { Date() },
        finished: @escaping @Sendable (BoxJob, ReconciliationReport?) -> Void = { _, _ in }
    ) {
        self.archive = archive
        self.options = options
        self.logger = logger
        self.now = now
        worker = QueueWorker(archive: archive, options: options, logger: logger, now: now, finished: finished)
    }

    /// Where uploads are received before they are queued: `<data dir>/uploads`.
    public var uploads: URL { archive.url.appendingPathComponent("uploads") }

    /// A fresh file in the uploads folder to write an upload into.
    public func temporaryUpload() throws -> URL {
        try FileManager.default.createDirectory(at: uploads, withIntermediateDirectories: true)
        return uploads.appendingPathComponent(".incoming-\(Self.randomID())")
    }

    /// Queues the upload written to `file` (from ``temporaryUpload()``), named `name`; the file
    /// is removed once the box is in the object store.
    public func submit(upload file: URL, name: String, actor: String) throws -> BoxJob {
        defer { try? FileManager.default.removeItem(at: file) }
        let data = try Data(contentsOf: file, options: .alwaysMapped)
        let safe = Self.safeName(name)
        return try IngestQueue(archive: archive, limits: options.limits, logger: logger, now: now)
            .enqueue(data, name: safe, path: safe, manifest: nil, actor: actor)
    }

    /// A job's progress while it waits or runs (nil once it finished: its report says the rest).
    public func progress(of id: String) -> Progress? {
        guard let job = try? archive.catalog.job(id: id), job.state == .queued || job.state == .running else { return nil }
        let counts = (try? archive.catalog.taskCounts(job: id)) ?? TaskCounts()
        let phase: String
        switch job.phase {
        case nil: phase = job.state == .queued ? "queued" : "reading"
        case .prepare?: phase = "reading"
        case .ocr?: phase = "ocr"
        case .finish?: phase = "finishing"
        }
        var eta: Int?
        let done = counts.done + counts.failed
        if job.phase == .ocr, done > 0, let started = job.startedAt.flatMap(Timestamp.date) {
            let elapsed = now().timeIntervalSince(started)
            eta = Int((elapsed / Double(done) * Double(counts.todo)).rounded())
        }
        return Progress(phase: phase, entriesRead: 0, entriesTotal: 0, pagesDone: done, pagesTotal: counts.total, etaSeconds: eta)
    }

    /// Does every piece of queued work there is, on this thread; false when there was none.
    /// Throws ``IngestCancelled`` when stopped (what was claimed is taken over after its lease).
    @discardableResult
    public func runNext() throws -> Bool {
        var engine: TesseractEngine?
        let settings = options.ocr
        var any = false
        while try worker.step(engine: {
            if let engine { return engine }
            let made = try TesseractEngine(settings: settings)
            engine = made
            return made
        }) {
            any = true
        }
        return any
    }

    /// A finished job's last progress (JSON), from its report.
    static func progressJSON(report: ReconciliationReport, counts: TaskCounts) -> String? {
        let p = Progress(
            phase: "done", entriesRead: report.summary.entries, entriesTotal: report.summary.entries,
            pagesDone: counts.done + counts.failed, pagesTotal: counts.total, etaSeconds: 0)
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
