import Foundation
import GRDB
import SijillCore

/// The archive's catalog and search index: one SQLite database.
///
/// On disk it is a `DatabasePool` in WAL mode, so readers (search, serve) never wait for the
/// writer (ingest). Tests use an in-memory queue. Migrations run when it opens.
///
/// ```swift
/// let catalog = try Catalog.open(at: home.appendingPathComponent("catalog.sqlite"))
/// let hits = try catalog.search(SearchQuery("احمد ابراهيم"), limit: 10)
/// ```
public struct Catalog: Sendable {
    /// The connection(s).
    public let writer: any DatabaseWriter

    /// Wraps `writer` and brings its schema up to date.
    public init(writer: any DatabaseWriter) throws {
        self.writer = writer
        try Catalog.migrator.migrate(writer)
    }

    /// Opens (creating if needed) the catalog file at `url`.
    public static func open(at url: URL) throws -> Catalog {
        do {
            let pool = try DatabasePool(path: url.path, configuration: configuration())
            return try Catalog(writer: pool)
        } catch let error as DatabaseError {
            throw CatalogError.database(url.path, error)
        }
    }

    /// A fresh in-memory catalog (tests, `--dry-run`).
    public static func inMemory() throws -> Catalog {
        try Catalog(writer: DatabaseQueue(configuration: configuration()))
    }

    static func configuration() -> Configuration {
        var config = Configuration()
        config.prepareDatabase { db in
            db.add(tokenizer: ArabicTokenizer.self)
        }
        config.busyMode = .timeout(30)
        return config
    }
}
