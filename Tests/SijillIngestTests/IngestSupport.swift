import Foundation
import Logging
import SijillCatalog
import SijillCore
import SijillIngest
import SijillOCR
import SijillStore
import SijillTestSupport

/// A temporary data directory with a pipeline over it.
struct TestArchive {
    let home: URL
    let archive: ArchiveHome
    let pipeline: IngestPipeline
    /// The PostgreSQL catalog's URL on the cluster back end (``TestBackend``).
    let catalogURL: String?

    init(jobs: Int = 2, home: URL? = nil, options: IngestOptions? = nil) throws {
        self.home = try home ?? FixtureFiles.temporaryDirectory("sijill-ingest")
        catalogURL = try TestBackend.catalogOption("ingest")
        archive = try ArchiveHome(url: self.home, store: TestBackend.storeOption("ingest"), catalog: catalogURL, create: true)
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        pipeline = IngestPipeline(
            store: archive.store, catalog: archive.catalog, options: options ?? IngestOptions(jobs: jobs), logger: logger)
    }

    func ingest(_ box: URL, manifest: URL? = nil) throws -> ReconciliationReport {
        try pipeline.run(box: box, manifest: manifest)
    }

    /// Every object in the archive's store (either back end).
    func objects() throws -> Set<SijillCore.ContentID> { Set(try archive.store.inventory().objects) }

    /// Every file under `home`, for checks that nothing was written elsewhere or twice.
    func files() -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: home.path)
        var out: [String] = []
        while let next = enumerator?.nextObject() as? String { out.append(next) }
        return out
    }
}

/// One archive holding the three fixture boxes, ingested once and shared by read-only tests.
enum SharedArchive {
    struct Loaded: @unchecked Sendable {
        let archive: TestArchive
        let reports: [String: ReconciliationReport]
    }

    static let loaded: Result<Loaded, any Error> = Result {
        let archive = try TestArchive()
        var reports: [String: ReconciliationReport] = [:]
        for box in ["box-zip.zip", "box-targz.tar.gz", "box-folder"] {
            reports[box] = try archive.ingest(FixtureFiles.box(box))
        }
        return Loaded(archive: archive, reports: reports)
    }

    static func get() throws -> Loaded { try loaded.get() }
}

struct MissingInTest: Error, CustomStringConvertible {
    let description: String
}

extension TestArchive {
    /// The catalogued record `id` (from a report outcome), or a test error.
    func record(_ id: SijillCore.ContentID?) throws -> (record: StoredRecord, pages: [StoredPage]) {
        guard let id else { throw MissingInTest(description: "outcome has no record ID") }
        guard let found = try archive.catalog.record(id) else { throw MissingInTest(description: "record \(id) not catalogued") }
        return found
    }
}
