import Foundation
import SijillOCR

/// Settings and limits for one ingest. Limits keep a hostile or broken box from exhausting
/// memory: an entry over a limit is rejected by name, the rest of the box goes on.
public struct IngestOptions: Sendable {
    /// OCR workers (one Tesseract handle each).
    public var jobs: Int
    /// Limits on reading the box: entries, entry size, compression ratio.
    public var limits: BoxLimits
    /// Largest manifest, in bytes.
    public var maxManifestBytes: Int
    /// Largest image, in pixels (width × height).
    public var maxPixels: Int
    /// Most pages in one file (a multi-page TIFF).
    public var maxPagesPerFile: Int
    /// How pages are recognised.
    public var ocr: OCRSettings
    /// Set to stop the ingest at the next page boundary.
    public var cancellation: IngestCancellation?

    public init(
        jobs: Int = IngestOptions.defaultJobs, limits: BoxLimits = BoxLimits(), maxManifestBytes: Int = 32 << 20,
        maxPixels: Int = 120_000_000, maxPagesPerFile: Int = 1_000, ocr: OCRSettings = OCRSettings()
    ) {
        self.jobs = max(1, jobs)
        self.limits = limits
        self.maxManifestBytes = maxManifestBytes
        self.maxPixels = maxPixels
        self.maxPagesPerFile = maxPagesPerFile
        self.ocr = ocr
        self.cancellation = nil
    }

    /// Throws ``IngestCancelled`` when the ingest was asked to stop.
    func checkCancelled() throws {
        if cancellation?.isCancelled == true { throw IngestCancelled() }
    }

    /// One worker per core.
    public static var defaultJobs: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }
}

