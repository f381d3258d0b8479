import ArgumentParser
import Foundation
import SijillIngest
import SijillRetention

struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Ingest boxes that scanning stations drop into a folder; move each with its report to done/ or failed/.",
        discussion: """
            A box (archive or folder) is taken when a marker stands beside it (BOX.READY, or READY inside a \
            box folder) or when nothing in it changed for --settle. Several watchers may share one folder; \
            one started after a watcher died finishes the boxes it had taken. SIGTERM or SIGINT: the pages \
            being read are finished, then the watcher exits (0); the box is finished on the next start.
            """)

    @Argument(help: "The drop folder.")
    var folder: String

    @Option(help: "Where finished boxes go with their reports (default: <folder>/done).")
    var done: String?

    @Option(help: "Where boxes go that could not be imported or had rejections (default: <folder>/failed).")
    var failed: String?

    @Option(help: "How long a box without a READY marker must stay unchanged: 30s, 2m, 0s.")
    var settle: String = "30s"

    @Option(help: "Seconds between passes over the folder.")
    var interval: Double = 2

    @Flag(help: "One pass over the folder, then exit.")
    var once = false

    @OptionGroup var ocr: OCROptions
    @OptionGroup(title: "Limits") var limits: LimitOptions
    @OptionGroup var retention: RetentionOptions
    @OptionGroup var home: HomeOptions

    static func seconds(_ text: String) -> TimeInterval? {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for (unit, scale) in units where text.hasSuffix(unit) {
            if let value = Double(text.dropLast(unit.count)), value >= 0 { return value * scale }
        }
        return Double(text).flatMap { $0 >= 0 ? $0 : nil }
    }

    func validate() throws {
        guard Self.seconds(settle) != nil else { throw ValidationError("--settle: '\(settle)' is not a duration (30s, 2m, 0s)") }
        guard interval > 0 else { throw ValidationError("--interval must be above 0") }
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
            options.cancellation = cancellation
            let archive = try home.archive(create: true)
            let schedules = try? retention.load(home: archive.url)
            let pipeline = IngestPipeline(store: archive.store, catalog: archive.catalog, options: options, logger: logger)
            let watcher = try DropFolderWatcher(
                configuration: .init(
                    inbox: URL(fileURLWithPath: folder), done: done.map { URL(fileURLWithPath: $0) },
                    failed: failed.map { URL(fileURLWithPath: $0) }, settle: Self.seconds(settle) ?? 30, interval: interval),
                pipeline: pipeline, logger: logger,
                afterIngest: { _ in
                    guard let schedules else { return }
                    try? RetentionService(catalog: archive.catalog, schedules: schedules).apply(actor: "watch", at: Date())
                })
            let show: (DropFolderWatcher.Outcome) -> Void = { print($0.summary) }
            if once {
                for outcome in try watcher.poll(stop: { cancellation.isCancelled }) { show(outcome) }
            } else {
                try watcher.run(until: { cancellation.isCancelled }, report: show)
            }
        } catch is IngestCancelled {
            ExitStatus.printNote("stopped; the box under way is finished on the next start")
        } catch {
            throw ExitStatus.fail(error)
        }
    }
}
