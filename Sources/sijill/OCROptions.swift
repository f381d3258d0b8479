import ArgumentParser
import Foundation
import SijillIngest
import SijillOCR

/// OCR options shared by the commands that recognise pages (ingest, reocr).
struct OCROptions: ParsableArguments {
    @Option(help: "Parallel OCR workers (default: number of cores).")
    var jobs: Int = IngestOptions.defaultJobs

    @Option(help: "OCR settings JSON (see Ingest/ocr.json); default: built-in settings.")
    var ocrConfig: String?

    func validate() throws {
        guard (1...64).contains(jobs) else { throw ValidationError("--jobs must be between 1 and 64") }
    }

    /// Ingest options with these workers and settings.
    func ingestOptions() throws -> IngestOptions {
        var options = IngestOptions(jobs: jobs)
        if let ocrConfig { options.ocr = try OCRSettings.load(from: URL(fileURLWithPath: ocrConfig)) }
        return options
    }
}
