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
    public func run(
        box url: URL, manifest manifestURL: URL? = nil,
        progress: @escaping @Sendable (IngestProgress) -> Void = { _ in }
    ) throws -> ReconciliationReport {
        let source = try openBox(url, limits: options.limits)
        let startedAt = timestamp()
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
                    parts.last?.lowercased() == BoxLayout.manifestName
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
            guard let ordinal = section.manifestOrdinal, let data = manifestData[ordinal] else { continue }
            manifests[n] = try Manifest(data: data, name: entries[ordinal].rawName)
        }
        let manifestNames = layout.sections.indices.compactMap { manifests[$0]?.name }
        let plan = IngestPlan(entries: entries, layout: layout, manifests: manifests)
        log.info(
            "box listed",
            metadata: ["entries": "\(entries.count)", "records": "\(plan.records.count)", "boxes": "\(layout.sections.count)"])

        let runID = try catalog.startRun(box: source.name, path: url.path, at: startedAt)

        var items: [ReconciliationReport.Item] = []
        var outcomes: [ReconciliationReport.RecordOutcome] = []
        if let damage = archiveProblem {
            // A damaged or oversized delivery is not imported in part: nothing from it is stored,
            // and every entry that could be listed is reported, so the archivist asks for a new copy.
            for (i, entry) in entries.enumerated() where entry.kind != .directory {
                items.append(plan.decided[i] ?? .init(
                    name: entry.rawName, status: .rejected,
                    reason: "not imported: the box is damaged, so nothing from it is stored", code: "archive-damaged"))
            }
            items.append(.init(name: source.name, status: .rejected, reason: damage.description, code: damage.code))
        } else {
            // Pass 2: read, validate and store the page files.
            var stored = try storePages(source: source, entries: entries, plan: plan, progress: progress)
            // Form records, then recognise and index the new ones.
            let formed = formRecords(plan: plan, entries: entries, stored: &stored)
            outcomes = try recognizeAndCatalog(formed, box: source.name, runID: runID, logger: log, progress: progress)
            for i in entries.indices {
                if let item = stored.items[i] ?? plan.decided[i] { items.append(item) }
            }
            items.append(contentsOf: plan.rowItems)
            if let late = stored.archiveProblem {
                items.append(.init(name: source.name, status: .rejected, reason: late.description, code: late.code))
                archiveProblem = late
            }
        }
        var report = ReconciliationReport(
            box: source.name, path: url.path, run: runID, startedAt: startedAt, finishedAt: timestamp(),
            manifest: manifestNames.isEmpty ? nil : manifestNames.joined(separator: ", "), ocr: "\(TesseractEngine.engineVersion) \(options.ocr.fingerprint)",
            boxes: layout.sections.count > 1 ? layout.sections.compactMap(\.folder) : nil,
            boxError: archiveProblem?.description, summary: .init(), items: items, records: outcomes)
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

    func timestamp() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: now())
    }
}
