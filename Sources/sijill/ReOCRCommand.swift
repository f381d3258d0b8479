import ArgumentParser
import Foundation
import SijillCatalog
import SijillCore
import SijillIngest
import SijillOCR

struct ReOCRCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reocr",
        abstract: "Re-read stored pages with the current OCR settings, replacing their text and index entries.",
        discussion: "Pages already read with the current settings are skipped unless --force is given.")

    @Flag(help: "Every page.")
    var all = false

    @Option(help: "Pages of records in this series.")
    var series: String?

    @Option(help: "Pages whose mean word confidence is below this (0-100).")
    var belowConfidence: Double?

    @Option(help: "Pages of this record (ID or ≥12-hex prefix).")
    var record: String?

    @Flag(help: "Read again even pages already read with the current settings.")
    var force = false

    @OptionGroup var ocr: OCROptions

    @Flag(help: "Print the summary as JSON.")
    var json = false

    @OptionGroup var home: HomeOptions

    func validate() throws {
        guard all || series != nil || belowConfidence != nil || record != nil else {
            throw ValidationError("say which pages: --all, --series S, --below-confidence X or --record ID")
        }
        if let belowConfidence, !(0...100).contains(belowConfidence) {
            throw ValidationError("--below-confidence must be between 0 and 100")
        }
    }

    func run() async throws {
        let logger = Sijill.makeLogger(verbose: home.verbose)
        let summary: ReOCRSummary
        do {
            let options = try ocr.ingestOptions()
            let archive = try home.archive(create: false)
            let recordID = try record.map { try archive.catalog.resolveRecord(IDPrefix($0)) }
            let bar = ProgressBar()
            let pipeline = IngestPipeline(store: archive.store, catalog: archive.catalog, options: options, logger: logger)
            summary = try pipeline.reocr(
                Catalog.PageSelection(series: series, belowConfidence: belowConfidence, record: recordID), force: force,
                progress: { bar.update($0) })
        } catch {
            throw ExitStatus.fail(error)
        }
        if json {
            try JSONOutput.print(summary)
        } else {
            print("pages selected \(summary.selected), re-read \(summary.recognized), updated \(summary.updated), failed \(summary.failed.count)")
            print("needs re-scan: \(summary.flaggedBefore) before, \(summary.flaggedAfter) after")
            for failure in summary.failed { print("  failed: \(failure)") }
        }
        if !summary.failed.isEmpty { throw ExitCode(ExitStatus.rejected) }
    }
}
