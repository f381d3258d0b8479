import Foundation
import Logging
import SijillCatalog
import SijillCore
import SijillOCR
import SijillStore

/// Imports one box: reads it, stores every page content-addressed, recognises it, indexes it,
/// and accounts for every entry in a ``ReconciliationReport``.
///
/// The box is read twice, front to back: first for the listing and the manifest (so that
/// decisions are made before anything is stored), then for the page bytes. Work is idempotent:
/// blobs are content-addressed, records are keyed by their manifest hash, and OCR results are
/// kept per image, so an interrupted run, run again, finishes what is missing and adds nothing twice.
///
/// ```swift
/// let pipeline = IngestPipeline(store: store, catalog: catalog, options: IngestOptions(), logger: logger)
/// let report = try pipeline.run(box: URL(fileURLWithPath: "box-zip.zip"))
/// print(report.table())
/// ```
public struct IngestPipeline: Sendable {
    public let store: any BlobStore
    public let catalog: Catalog
    public let options: IngestOptions
    public let logger: Logger
    /// The clock (injected so tests control time).
    public let now: @Sendable () -> Date

    public init(
        store: any BlobStore, catalog: Catalog, options: IngestOptions, logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.store = store
        self.catalog = catalog
        self.options = options
        self.logger = logger
        self.now = now
    }

    /// Imports `box` (archive or folder). `manifest` overrides a `manifest.csv` at the box root.
    /// Throws only when the box cannot be imported at all; entry problems go in the report.
    /// `path` is what the report and the run record name as the box's location (default: `box`);
    /// `failedPages` are page images known to fail recognition (not tried again).
    public func run(
        box url: URL, manifest manifestURL: URL? = nil, path: String? = nil, failedPages: [ContentID: String] = [:],
        progress: @escaping @Sendable (IngestProgress) -> Void = { _ in }
    ) throws -> ReconciliationReport {
        let startedAt = timestamp()
        let reading = try read(box: url, manifest: manifestURL, progress: progress)
        let log = reading.logger
        let runID = try catalog.startRun(box: reading.name, path: path ?? url.path, at: startedAt)
        var outcomes: [ReconciliationReport.RecordOutcome] = []
        if let formed = reading.formed {
            outcomes = try recognizeAndCatalog(
                formed, box: reading.name, runID: runID, failedPages: failedPages, logger: log, progress: progress)
        }
        var report = ReconciliationReport(
            box: reading.name, path: path ?? url.path, run: runID, startedAt: startedAt, finishedAt: timestamp(),
            manifest: reading.manifestNames.isEmpty ? nil : reading.manifestNames.joined(separator: ", "),
            ocr: "\(TesseractEngine.engineVersion) \(options.ocr.fingerprint)",
            boxes: reading.layout.sections.count > 1 ? reading.layout.sections.compactMap(\.folder) : nil,
            boxError: reading.archiveProblem?.description, summary: .init(), items: reading.items(), records: outcomes)
        report.recount()
        let reportID = try store.put(report.jsonData()).id
        report.storedAs = reportID
        let s = report.summary
        try catalog.finishRun(
            runID, at: report.finishedAt, report: reportID, stored: s.stored, duplicate: s.duplicate, rejected: s.rejected,
            recordsAdded: s.recordsAdded)
        log.info(
            "box ingested",
            metadata: [
                "stored": "\(s.stored)", "duplicate": "\(s.duplicate)", "rejected": "\(s.rejected)",
                "records.added": "\(s.recordsAdded)", "report.id": "\(reportID)",
            ])
        progress(IngestProgress(phase: .done, done: s.pagesAdded, total: s.pagesAdded, item: ""))
        return report
    }

    /// The first half of an ingest, for a queue: reads `box`, stores its pages, forms its
    /// records, and returns the page images that still need recognising with these settings
    /// (none for a damaged box, which is refused whole when it is finished).
    public func pagesToRecognize(
        box url: URL, manifest manifestURL: URL? = nil, progress: @escaping @Sendable (IngestProgress) -> Void = { _ in }
    ) throws -> [ContentID] {
        let reading = try read(box: url, manifest: manifestURL, progress: progress)
        guard let formed = reading.formed else { return [] }
        return try selectForRecognition(formed).todo
    }

    /// A box read and its pages stored: everything an ingest knows before recognition.
    struct BoxReading {
        var name: String
        var logger: Logger
        var entries: [BoxEntry]
        var layout: BoxLayout
        var plan: IngestPlan
        var manifestNames: [String]
        /// Why nothing from the box is imported (damaged, too many entries).
        var archiveProblem: BoxError?
        var stored: StoredFiles?
        /// The records formed (nil when the box is refused whole).
        var formed: [FormedRecord]?

        /// Every entry's report line, in the box's order, then the manifest's own problems.
        func items() -> [ReconciliationReport.Item] {
            var items: [ReconciliationReport.Item] = []
            guard let stored else {
                // A damaged or oversized delivery is not imported in part: nothing from it is stored,
                // and every entry that could be listed is reported, so the archivist asks for a new copy.
                for (i, entry) in entries.enumerated() where entry.kind != .directory {
                    items.append(plan.decided[i] ?? .init(
                        name: entry.rawName, status: .rejected,
                        reason: "not imported: the box is damaged, so nothing from it is stored", code: "archive-damaged"))
                }
                if let damage = archiveProblem {
                    items.append(.init(name: name, status: .rejected, reason: damage.description, code: damage.code))
                }
                return items
            }
            for i in entries.indices {
                if let item = stored.items[i] ?? plan.decided[i] { items.append(item) }
            }
            items.append(contentsOf: plan.rowItems)
            if let late = stored.archiveProblem {
                items.append(.init(name: name, status: .rejected, reason: late.description, code: late.code))
            }
            return items
        }
    }

    /// Pass 1 (listing, manifests, plan) and pass 2 (page files read, checked and stored).
    func read(
        box url: URL, manifest manifestURL: URL?, progress: @escaping @Sendable (IngestProgress) -> Void
    ) throws -> BoxReading {
        let source = try openBox(url, limits: options.limits)
        var log = logger
        log[metadataKey: "ingest.box"] = "\(source.name)"

        // Pass 1: list entries, read every file that may be a box's manifest (at the root, or
        // directly inside a top folder).
        var entries: [BoxEntry] = []
        var manifestData: [Int: Data] = [:]
        var archiveProblem: BoxError?
        do {
            try source.forEachEntry { entry, read in
                // At the root, in a top folder, or at the end of a chain of lone folders (≤ 8 deep).
                let parts = entry.path?.split(separator: "/") ?? []
                if manifestURL == nil, entry.kind == .file, (1...9).contains(parts.count), manifestData.count < 64,
                    parts.last.flatMap({ BoxLayout.manifestRank(String($0)) }) != nil
                {
                    manifestData[entries.count] = try read(options.maxManifestBytes)
                }
                entries.append(entry)
            }
        } catch let error as BoxError where error.code == "archive-damaged" || error.code == "too-many-entries" {
            archiveProblem = error
        }
        let refusedWhole = archiveProblem?.code == "too-many-entries"
        if refusedWhole {
            // Refused before a plan is made: the listing stopped at the limit, the manifest may be unread.
            entries = []
            manifestData = [:]
        }
        let layout = BoxLayout(entries: entries, manifestGivenApart: manifestURL != nil)
        var manifests: [Int: Manifest] = [:]
        if let manifestURL, !refusedWhole {
            guard let data = FileManager.default.contents(atPath: manifestURL.path) else {
                throw ManifestError.unreadable(manifestURL.path, "cannot read the file")
            }
            guard data.count <= options.maxManifestBytes else {
                throw ManifestError.tooLarge(manifestURL.lastPathComponent, limit: options.maxManifestBytes)
            }
            manifests[0] = try Manifest(data: data, name: manifestURL.lastPathComponent)
        }
        for (n, section) in layout.sections.enumerated() {
            guard let ordinal = section.manifestOrdinal, let data = manifestData[ordinal] else {
                // A box whose manifest is a spreadsheet file and no CSV: without it every file
                // would become a record with no metadata, and the records made once it is
                // delivered as CSV would be other records. Nothing is imported.
                if manifestURL == nil, !refusedWhole, let sheet = layout.spreadsheetManifest(in: section, entries: entries) {
                    throw ManifestError.encoding(
                        entries[sheet].rawName,
                        "it is a spreadsheet file, not CSV; save it from the spreadsheet as CSV UTF-8 (or Unicode text) named manifest.csv beside it")
                }
                continue
            }
            manifests[n] = try Manifest(data: data, name: entries[ordinal].rawName)
        }
        // (with how each was read when it was not UTF-8 with commas: "manifest.csv (Windows-1256)")
        let manifestNames = layout.sections.indices.compactMap { manifests[$0] }.map { m in
            m.dialect.isDefault ? m.name : "\(m.name) (\(m.dialect.summary))"
        }
        let plan = IngestPlan(entries: entries, layout: layout, manifests: manifests)
        log.info(
            "box listed",
            metadata: ["entries": "\(entries.count)", "records": "\(plan.records.count)", "boxes": "\(layout.sections.count)"])
        var reading = BoxReading(
            name: source.name, logger: log, entries: entries, layout: layout, plan: plan, manifestNames: manifestNames,
            archiveProblem: archiveProblem)
        guard archiveProblem == nil else { return reading }
        // Pass 2: read, validate and store the page files, then form records.
        var stored = try storePages(source: source, entries: entries, plan: plan, progress: progress)
        reading.formed = formRecords(plan: plan, entries: entries, stored: &stored)
        reading.archiveProblem = stored.archiveProblem
        reading.stored = stored
        return reading
    }

    func timestamp() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: now())
    }
}
