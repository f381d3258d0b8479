import Crypto
import Foundation
import Logging
import SijillCatalog
import SijillCore
import SijillOCR
import SijillStore

/// Ingest as a queue: `sijill submit` (and `POST /v1/boxes`) put the box in the object store and
/// record a job; any number of ``QueueWorker``s, on any hosts that share the catalog and the
/// store, prepare it, recognise its pages and finish it.
///
/// ```swift
/// let queue = IngestQueue(archive: archive, logger: logger)
/// let job = try queue.submit(box: URL(fileURLWithPath: "BOX-0001.zip"), actor: "cli:amal")
/// try QueueWorker(archive: archive, options: IngestOptions(), logger: logger).run(threads: 2, untilIdle: true)
/// ```
public struct IngestQueue: Sendable {
    public let archive: ArchiveHome
    let logger: Logger
    let limits: BoxLimits
    let now: @Sendable () -> Date

    public init(
        archive: ArchiveHome, limits: BoxLimits = BoxLimits(), logger: Logger, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.archive = archive
        self.limits = limits
        self.logger = logger
        self.now = now
    }

    /// Queues `box` (an archive, a page file, or a folder, which is packed into a tar first)
    /// under `name` (default: the box's own name). `manifest` goes with it when given apart.
    public func submit(box url: URL, manifest: URL? = nil, name: String? = nil, actor: String) throws -> BoxJob {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw BoxError.cannotOpen(url.path, "no such file or folder")
        }
        var file = url
        var packed: URL?
        defer { if let packed { try? FileManager.default.removeItem(at: packed.deletingLastPathComponent()) } }
        if isDirectory.boolValue {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sijill-pack-\(BoxJobRunner.randomID())")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            packed = dir.appendingPathComponent("box.tar")
            try BoxPacker.tar(folder: url, to: packed!, limits: limits)
            file = packed!
        }
        let data: Data
        do {
            data = try Data(contentsOf: file, options: .alwaysMapped)
        } catch {
            throw BoxError.cannotOpen(url.path, "cannot read it: \(error.localizedDescription)")
        }
        guard !data.isEmpty else { throw BoxError.cannotOpen(url.lastPathComponent, "the file is empty (0 bytes)") }
        let manifestID: ContentID?
        if let manifest {
            guard let bytes = FileManager.default.contents(atPath: manifest.path) else {
                throw ManifestError.unreadable(manifest.path, "cannot read the file")
            }
            manifestID = try archive.store.put(bytes).id
        } else {
            manifestID = nil
        }
        return try enqueue(data, name: name ?? url.lastPathComponent, path: url.path, manifest: manifestID, actor: actor)
    }

    /// Puts `data` in the store and records its job. The box object is put again after the job
    /// is recorded if a worker finishing an earlier job of the same bytes removed it meanwhile.
    func enqueue(_ data: Data, name: String, path: String, manifest: ContentID?, actor: String) throws -> BoxJob {
        let boxID = try archive.store.put(data).id
        var job = BoxJob(
            id: BoxJobRunner.randomID(), name: BoxJobRunner.safeName(name), path: path, bytes: data.count, submittedBy: actor,
            submittedAt: Timestamp.string(now()))
        job.boxId = boxID
        job.manifestId = manifest
        try archive.catalog.insertJob(job)
        if !archive.store.contains(boxID) { try archive.store.put(data) }
        logger.info(
            "box queued", metadata: ["job.id": "\(job.id)", "job.name": "\(job.name)", "job.bytes": "\(data.count)", "box.id": "\(boxID)"])
        return job
    }
}

/// Works the ingest queue: claims one piece of work at a time (finish a box whose pages are all
/// recognised; recognise one page; read and store a newly queued box), each under a lease that a
/// heartbeat renews, and gives up nothing it has saved. A worker that dies (SIGKILL, power) leaves
/// leases that run out; another worker then takes its pages over. Pages recognised before the
/// death are kept (OCR results are saved as they are made), so nothing is lost and nothing done
/// twice is stored twice.
public final class QueueWorker: Sendable {
    public let archive: ArchiveHome
    let options: IngestOptions
    let logger: Logger
    /// This worker's name in leases: host, process, and a random part.
    public let owner: String
    /// Seconds a claim holds without a heartbeat.
    let lease: Double
    let now: @Sendable () -> Date
    /// Called after a box finished (retention for new records, logs).
    let finished: @Sendable (BoxJob, ReconciliationReport?) -> Void

    /// `owner`: the name in leases (default: host, process and a random part).
    public init(
        archive: ArchiveHome, options: IngestOptions, logger: Logger, lease: Double = 60,
        now: @escaping @Sendable () -> Date = { Date() },
        finished: @escaping @Sendable (BoxJob, ReconciliationReport?) -> Void = { _, _ in }, owner: String? = nil
    ) {
        self.archive = archive
        self.options = options
        self.logger = logger
        self.lease = lease
        self.now = now
        self.finished = finished
        self.owner = owner
            ?? "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier):\(BoxJobRunner.randomID().prefix(8))"
    }

    var catalog: Catalog { archive.catalog }

    private var clock: (now: Double, until: Double) {
        let t = now().timeIntervalSince1970
        return (t, t + lease)
    }

    /// Does one piece of work; false when there was none to claim. `engine` gives this
    /// thread's Tesseract handle (made on first use).
    public func step(engine: () throws -> TesseractEngine) throws -> Bool {
        try options.checkCancelled()
        var c = clock
        if let job = try catalog.claimFinish(owner: owner, until: c.until, now: c.now) {
            try finish(job)
            return true
        }
        if let task = try catalog.claimTasks(owner: owner, until: c.until, now: c.now).first {
            try recognize(task, engine: engine)
            c = clock
            if let job = try catalog.claimFinish(owner: owner, until: c.until, now: c.now, job: task.jobId) {
                try finish(job)
            }
            return true
        }
        if let job = try catalog.claimPrepare(owner: owner, until: c.until, now: c.now, at: Timestamp.string(now())) {
            try prepare(job)
            return true
        }
        return false
    }

    /// Runs `threads` workers (one Tesseract handle each) and a heartbeat until `cancellation`
    /// is set or, with `untilIdle`, until no job is waiting or running anywhere. Leases held at
    /// a clean stop are given back at once.
    public func run(threads: Int, untilIdle: Bool, poll: Double = 0.5, cancellation: IngestCancellation? = nil) throws {
        let stop = cancellation ?? options.cancellation ?? IngestCancellation()
        QueueWorker.removeAbandonedBoxCopies(logger: logger)
        var options = self.options
        options.cancellation = stop
        let worker = QueueWorker(
            archive: archive, options: options, logger: logger, lease: lease, now: now, finished: finished, owner: owner)
        let done = IngestCancellation()
        let heartbeat = Thread { [worker, lease, logger] in
            while !done.isCancelled {
                for _ in 0..<Int(lease / 3 * 10) where !done.isCancelled { Thread.sleep(forTimeInterval: 0.1) }
                if done.isCancelled { break }
                do {
                    let t = worker.now().timeIntervalSince1970
                    try worker.catalog.renewLeases(owner: worker.owner, until: t + lease)
                } catch {
                    logger.error("lease heartbeat failed", metadata: ["error": "\(error)"])
                }
            }
        }
        heartbeat.start()
        let group = DispatchGroup()
        let settings = options.ocr, logger = self.logger
        for n in 0..<max(1, threads) {
            group.enter()
            let thread = Thread {
                defer { group.leave() }
                var engine: TesseractEngine?
                let make = { () throws -> TesseractEngine in
                    if let engine { return engine }
                    let made = try TesseractEngine(settings: settings)
                    engine = made
                    return made
                }
                while !stop.isCancelled {
                    do {
                        if try worker.step(engine: make) { continue }
                        if untilIdle, try worker.catalog.unfinishedJobCount() == 0 { break }
                        Thread.sleep(forTimeInterval: poll)
                    } catch is IngestCancelled {
                        break
                    } catch {
                        logger.error("queue worker step failed", metadata: ["worker": "\(n)", "error": "\(error)"])
                        Thread.sleep(forTimeInterval: poll * 4)
                    }
                }
            }
            thread.stackSize = 16 << 20
            thread.start()
        }
        group.wait()
        done.cancel()
        try? catalog.releaseLeases(owner: owner)
        if stop.isCancelled { throw IngestCancelled() }
    }

    // MARK: - The three kinds of work

    /// Recognises one page (unless a result for these settings is already saved) and marks
    /// its task done or failed.
    func recognize(_ task: OCRTask, engine: () throws -> TesseractEngine) throws {
        var failure: String?
        if try catalog.cachedOCR(image: task.imageId, settings: options.ocr.fingerprint) == nil {
            do {
                let decoder = ImageDecoder(maxPixels: options.maxPixels, maxPages: options.maxPagesPerFile)
                try catalog.saveOCR(
                    PageRecognizer.recognize(
                        task.imageId, engine: try engine(), decoder: decoder, store: archive.store, catalog: catalog, at: now()))
            } catch {
                failure = "\(error)"
            }
        }
        try catalog.completeTask(task, error: failure)
        logger.debug("page recognised", metadata: ["job.id": "\(task.jobId)", "image.id": "\(task.imageId)"])
    }

    /// Reads the job's box, stores its pages and queues the ones to recognise. A box that
    /// cannot be read at all fails the job, with why.
    func prepare(_ job: BoxJob) throws {
        do {
            let images = try withBox(of: job) { box, manifest in
                try pipeline.pagesToRecognize(box: box, manifest: manifest)
            }
            try catalog.enqueueTasks(job: job.id, images: images, owner: owner)
            logger.info("box prepared", metadata: ["job.id": "\(job.id)", "pages.to.recognise": "\(images.count)"])
        } catch let error as IngestCancelled {
            throw error
        } catch {
            var failed = job
            failed.state = .failed
            failed.error = "\(error)"
            failed.finishedAt = Timestamp.string(now())
            if try catalog.finishJob(failed, owner: owner, at: now()) { finished(failed, nil) }
            logger.error("box could not be prepared", metadata: ["job.id": "\(job.id)", "error": "\(error)"])
        }
    }

    /// Writes the job's records and its report (every page is recognised by now), and removes
    /// the box object when no record and no other job uses it.
    func finish(_ job: BoxJob) throws {
        var job = job
        var report: ReconciliationReport?
        var boxIsPageFile = true
        do {
            let failedPages = try catalog.failedTasks(job: job.id)
            let done = try withBox(of: job) { box, manifest in
                boxIsPageFile = SingleFileBoxSource.isPageFile(box)
                return try pipeline.run(box: box, manifest: manifest, path: job.path, failedPages: failedPages)
            }
            report = done
            job.reportId = done.storedAs
            job.state = done.boxError == nil && done.isClean ? .done : .failed
            job.error = done.boxError
            job.progress = BoxJobRunner.progressJSON(report: done, counts: try catalog.taskCounts(job: job.id))
        } catch let error as IngestCancelled {
            throw error
        } catch {
            job.state = .failed
            job.error = "\(error)"
        }
        job.finishedAt = Timestamp.string(now())
        guard try catalog.finishJob(job, owner: owner, at: now()) else {
            logger.notice("box finished by another worker", metadata: ["job.id": "\(job.id)"])
            return
        }
        if let box = job.boxId, !boxIsPageFile, try catalog.uses(ofImage: box).isEmpty,
            try !catalog.boxStillNeeded(box, except: job.id)
        {
            // The box's pages are stored objects of their own now; the packed delivery is not kept.
            _ = try? archive.store.remove(box)
        }
        logger.info("box job finished", metadata: ["job.id": "\(job.id)", "job.state": "\(job.state.rawValue)"])
        finished(job, report)
    }

    private var pipeline: IngestPipeline {
        var options = self.options
        options.jobs = 1
        return IngestPipeline(store: archive.store, catalog: catalog, options: options, logger: logger, now: now)
    }

    /// Runs `body` with the job's box (and manifest) as local files: copied out of the object
    /// store (checked against its ID) into a temporary folder, or the upload in the data directory.
    private func withBox<T>(of job: BoxJob, _ body: (URL, URL?) throws -> T) throws -> T {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "\(Self.boxCopyPrefix)\(getpid())-\(job.id)-\(BoxJobRunner.randomID().prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let box: URL
        if let id = job.boxId {
            box = dir.appendingPathComponent(job.name)
            try copyOut(id, to: box, what: "box '\(job.name)'")
        } else {
            box = archive.url.appendingPathComponent(job.path)
        }
        var manifest: URL?
        if let id = job.manifestId {
            manifest = dir.appendingPathComponent("manifest.csv")
            try copyOut(id, to: manifest!, what: "manifest of '\(job.name)'")
        }
        return try body(box, manifest)
    }

    /// Temporary box copies are named `sijill-job-<pid>-<job>-<random>`.
    static let boxCopyPrefix = "sijill-job-"

    /// Removes the temporary box copies of workers on this host that were killed while working
    /// (their process is gone); a live worker's copy is left alone.
    static func removeAbandonedBoxCopies(logger: Logger) {
        let tmp = FileManager.default.temporaryDirectory
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: tmp.path) else { return }
        for name in names where name.hasPrefix(boxCopyPrefix) {
            guard let pid = Int32(name.dropFirst(boxCopyPrefix.count).prefix { $0 != "-" }), pid > 0,
                pid != getpid(), kill(pid, 0) != 0, errno == ESRCH
            else { continue }
            do {
                try FileManager.default.removeItem(at: tmp.appendingPathComponent(name))
                logger.info("removed a killed worker's box copy", metadata: ["path": "\(tmp.path)/\(name)"])
            } catch {
                logger.warning("cannot remove a killed worker's box copy", metadata: ["path": "\(tmp.path)/\(name)", "error": "\(error)"])
            }
        }
    }

    /// Copies a stored object to a file in 8 MiB ranges, re-hashing it on the way.
    private func copyOut(_ id: ContentID, to file: URL, what: String) throws {
        guard FileManager.default.createFile(atPath: file.path, contents: nil),
            let handle = FileHandle(forWritingAtPath: file.path)
        else { throw IngestError("cannot write \(file.path)") }
        defer { try? handle.close() }
        var hasher = SHA256()
        var offset = 0
        while true {
            guard let chunk = try archive.store.read(id, offset: offset, length: 8 << 20) else {
                throw IngestError("the \(what) is no longer in the object store (\(id.short)): submit the box again")
            }
            if chunk.isEmpty { break }
            hasher.update(data: chunk)
            try handle.write(contentsOf: chunk)
            offset += chunk.count
            if chunk.count < 8 << 20 { break }
        }
        let actual = ContentID(digest: hasher.finalize())
        guard actual == id else { throw StoreError.corrupt(id, actual: actual) }
    }
}
