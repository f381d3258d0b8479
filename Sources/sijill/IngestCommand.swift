import ArgumentParser
import Foundation
import SijillIngest
import SijillRetention
import SijillOCR

struct IngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Import a scanned box (zip, tar[.gz|.bz2|.xz|.zst] or folder) and print its reconciliation report.",
        discussion: "Exit 0 if every entry was stored or already present, 3 if some were rejected, 4 if the box could not be imported.")

    @Argument(help: "The box: an archive file or a folder.")
    var box: String

    @Option(help: "A manifest CSV to use instead of the box's own manifest.csv.")
    var manifest: String?

    @OptionGroup var ocr: OCROptions
    @OptionGroup(title: "Limits") var limits: LimitOptions

    @Flag(help: "Print the report as JSON on stdout.")
    var json = false

    @OptionGroup var retention: RetentionOptions
    @OptionGroup var home: HomeOptions

    func run() async throws {
        let logger = Sijill.makeLogger(verbose: home.verbose)
        let report: ReconciliationReport
        let archive: ArchiveHome
        do {
            var options = try ocr.ingestOptions()
            limits.apply(to: &options)
            archive = try home.archive(create: true)
            let pipeline = IngestPipeline(store: archive.store, catalog: archive.catalog, options: options, logger: logger)
            let bar = ProgressBar()
            report = try pipeline.run(
                box: URL(fileURLWithPath: box), manifest: manifest.map { URL(fileURLWithPath: $0) },
                progress: { bar.update($0) })
        } catch {
            ExitStatus.printError("\(error)")
            throw ExitCode(ExitStatus.couldNotRun)
        }
        if json {
            FileHandle.standardOutput.write(report.jsonData())
            print()
        } else {
            print(report.table(), terminator: "")
        }
        // Class determines destiny: new records get their series' schedule now.
        do {
            let schedules = try retention.load(home: archive.url)
            try RetentionService(catalog: archive.catalog, schedules: schedules).apply(actor: "ingest", at: Date())
            let unscheduled = try archive.catalog.retentionFacts(day: CivilDate(Date()).text).filter { !$0.retention.scheduled }.count
            if unscheduled > 0 {
                ExitStatus.printNote("note: \(unscheduled) record(s) have no retention schedule (no series, or a series not in the schedules): see `sijill retention report`")
            }
        } catch {
            ExitStatus.printNote("warning: retention not applied: \(error)")
        }
        if let boxError = report.boxError {
            ExitStatus.printError(boxError)
            throw ExitCode(ExitStatus.couldNotRun)
        }
        if !report.isClean { throw ExitCode(ExitStatus.rejected) }
    }
}
