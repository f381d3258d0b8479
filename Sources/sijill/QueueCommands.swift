import ArgumentParser
import Foundation
import SijillCatalog
import SijillCore
import SijillIngest
import SijillRetention

struct SubmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Queue a box for `sijill worker`s: put it in the object store and record a job (prints the job ID).",
        discussion: """
            A folder is packed into a tar first. Workers on any host that share the catalog and the object \
            store take the job; `sijill jobs` shows its progress and, when done, its report.
            """)

    @Argument(help: "The box: an archive file, a page file, or a folder.")
    var box: String

    @Option(help: "A manifest CSV to use instead of the box's own manifest.csv.")
    var manifest: String?

    @Option(help: "The box's name in reports and records (default: its file or folder name).")
    var name: String?

    @Option(help: "Who submits (recorded in the audit log).")
    var actor: String = "cli"

    @Flag(help: "Print the job as JSON.")
    var json = false

    @OptionGroup(title: "Limits") var limits: LimitOptions
    @OptionGroup var home: HomeOptions

    func run() async throws {
        let logger = Sijill.makeLogger(verbose: home.verbose)
        do {
            var options = IngestOptions()
            limits.apply(to: &options)
            let archive = try home.archive(create: true)
            let job = try IngestQueue(archive: archive, limits: options.limits, logger: logger).submit(
                box: URL(fileURLWithPath: box), manifest: manifest.map { URL(fileURLWithPath: $0) }, name: name,
                actor: "cli:\(actor)")
            if json { try JSONOutput.print(JobSummary(job, counts: TaskCounts())) } else { print(job.id) }
        } catch {
            throw ExitStatus.fail(error)
        }
    }
}

struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Work the ingest queue: read submitted boxes, recognise their pages, write their records and reports.",
        discussion: """
            Run any number of workers, on any hosts sharing the catalog and the object store. Each claim is held \
            under a lease its heartbeat renews; a worker that dies leaves leases that run out after --lease \
            seconds, and another worker takes its pages over. SIGTERM or SIGINT: the pages under way are \
            finished, leases are given back, the worker exits (0).
            """)

    @Option(help: "Seconds a claim holds without a heartbeat (the heartbeat renews it every third of that).")
    var lease: Double = 60

    @Flag(help: "Exit when no job is waiting or running anywhere (instead of waiting for more).")
    var untilIdle = false

    @OptionGroup var ocr: OCROptions
    @OptionGroup(title: "Limits") var limits: LimitOptions
    @OptionGroup var retention: RetentionOptions
    @OptionGroup var home: HomeOptions

    func validate() throws {
        guard lease >= 1 else { throw ValidationError("--lease must be at least 1 second") }
    }

    func run() async throws {
        let logger = Sijill.makeLogger(verbose: home.verbose)
        // SIGTERM/SIGINT: finish the pages under way, then stop.
        let signals = StopSignals()
        let cancellation = signals.cancellation
        defer { withExtendedLifetime(signals) {} }
        do {
            var options = try ocr.ingestOptions()
            limits.apply(to: &options)
            let archive = try home.archive(create: true)
            let schedules = try? retention.load(home: archive.url)
            let worker = QueueWorker(archive: archive, options: options, logger: logger, lease: lease, finished: { job, report in
                if let schedules {
                    try? RetentionService(catalog: archive.catalog, schedules: schedules).apply(actor: "worker", at: Date())
                }
                let s = report?.summary
                print(
                    "\(job.id) \(job.name): \(job.state.rawValue)"
                        + (s.map { " (\($0.recordsAdded) records added, \($0.stored) stored, \($0.rejected) rejected)" } ?? "")
                        + (job.error.map { ": \($0)" } ?? ""))
            })
            try worker.run(threads: options.jobs, untilIdle: untilIdle, cancellation: cancellation)
        } catch is IngestCancelled {
            ExitStatus.printNote("stopped; leases given back, other workers take the rest")
        } catch {
            throw ExitStatus.fail(error)
        }
    }
}

struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs",
        abstract: "List queued boxes (newest first) with their state and pages recognised, or show one job.")

    @Argument(help: "A job ID: show that job.")
    var id: String?

    @Option(help: "How many jobs to list.")
    var limit: Int = 50

    @Flag(help: "Print JSON.")
    var json = false

    @OptionGroup var home: HomeOptions

    func run() async throws {
        do {
            let archive = try home.archive(create: false)
            let catalog = archive.catalog
            let jobs: [BoxJob]
            if let id {
                guard let job = try catalog.job(id: id) else { throw SijillInputError.notFound(id, kind: "job") }
                jobs = [job]
            } else {
                jobs = try catalog.jobs(limit: max(1, limit))
            }
            let rows = try jobs.map { JobSummary($0, counts: try catalog.taskCounts(job: $0.id)) }
            if json {
                if id != nil { try JSONOutput.print(rows[0]) } else { try JSONOutput.print(rows) }
                return
            }
            for row in rows {
                var line = "\(row.id)  \(row.state.padding(toLength: 7, withPad: " ", startingAt: 0))  "
                line += "pages \(row.pagesDone)/\(row.pagesTotal)"
                if row.pagesFailed > 0 { line += " (\(row.pagesFailed) failed)" }
                line += "  \(row.name)  \(row.submittedAt)"
                if let report = row.reportId { line += "  report \(report)" }
                if let error = row.error { line += "\n    \(error)" }
                print(line)
            }
        } catch {
            throw ExitStatus.fail(error)
        }
    }
}

/// A job as `submit --json` and `jobs --json` print it.
struct JobSummary: Encodable {
    var id: String, name: String, state: String, phase: String?, submittedBy: String, submittedAt: String
    var startedAt: String?, finishedAt: String?, pagesTotal: Int, pagesDone: Int, pagesFailed: Int
    var boxId: String?, reportId: String?, error: String?

    init(_ job: BoxJob, counts: TaskCounts) {
        id = job.id
        name = job.name
        state = job.state.rawValue
        phase = job.phase?.rawValue
        submittedBy = job.submittedBy
        submittedAt = job.submittedAt
        startedAt = job.startedAt
        finishedAt = job.finishedAt
        pagesTotal = counts.total
        pagesDone = counts.done
        pagesFailed = counts.failed
        boxId = job.boxId?.hex
        reportId = job.reportId?.hex
        error = job.error
    }

    enum CodingKeys: String, CodingKey {
        case id, name, state, phase, error
        case submittedBy = "submitted_by", submittedAt = "submitted_at", startedAt = "started_at", finishedAt = "finished_at"
        case pagesTotal = "pages_total", pagesDone = "pages_done", pagesFailed = "pages_failed"
        case boxId = "box_id", reportId = "report_id"
    }
}
