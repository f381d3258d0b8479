import Foundation
import SijillCatalog
import SijillCore

/// The back end the tests' archives and catalogs use: the embedded default (SQLite catalog and
/// objects in the data directory), or the cluster (a PostgreSQL catalog and an S3 store) when
/// `SIJILL_TEST_BACKEND=cluster`. `script/test` runs the catalog, ingest, search, retention,
/// copies and API suites once on each, with the same test bodies.
public enum TestBackend: String, Sendable {
    case embedded, cluster

    public static let current: TestBackend =
        ProcessInfo.processInfo.environment["SIJILL_TEST_BACKEND"] == "cluster" ? .cluster : .embedded

    /// For tests of the embedded back end's own files (the SQLite file, the objects folder):
    /// `.enabled(if: TestBackend.isEmbedded)`.
    public static var isEmbedded: Bool { current == .embedded }

    /// The `--catalog` option for a new archive: nil on the embedded back end, otherwise a fresh
    /// PostgreSQL database of its own.
    public static func catalogOption(_ label: String) throws -> String? {
        guard current == .cluster else { return nil }
        guard let base = try TestPG.url() else { throw TestPG.NotConfigured() }
        let name = TestPG.databaseName(label)
        try PostgresDatabase(url: base).administer("CREATE DATABASE \(name)")
        return TestPG.url(base, database: name)
    }

    /// The `--store` option for a new archive: nil on the embedded back end, otherwise an S3
    /// store with a key prefix of its own.
    public static func storeOption(_ label: String) throws -> String? {
        guard current == .cluster else { return nil }
        guard let url = try TestS3.store(label) else { throw TestS3.NotConfigured() }
        return url
    }

    /// A new, empty catalog: in memory (SQLite), or a fresh PostgreSQL database.
    public static func catalog(_ label: String, pageText: Catalog.PageTextLoader? = nil) throws -> Catalog {
        guard let url = try catalogOption(label) else { return try Catalog.inMemory(pageText: pageText) }
        return try Catalog.open(postgres: url, pageText: pageText)
    }
}
