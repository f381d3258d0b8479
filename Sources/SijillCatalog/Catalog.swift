import CSijillRank
import Foundation
import GRDB
import SijillCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
    /// Reads a page's stored OCR text by its object ID (the blob store). The index keeps no copy
    /// of the text: snippets are cut from it, and replacing a page's index entry needs it.
    public typealias PageTextLoader = @Sendable (ContentID) throws -> String

    /// The database: the embedded SQLite file (GRDB) or a PostgreSQL server.
    public let database: any SQLDatabase
    /// Where searches and their result lists are read: `database`, or a PostgreSQL hot standby
    /// of it (``searching(on:)``). Everything else, writes included, uses `database`.
    public internal(set) var searchDatabase: any SQLDatabase
    /// The SQLite connection(s) of an embedded catalog (its FTS5 index, maintenance, tests).
    public var writer: any DatabaseWriter {
        guard let sqlite = database as? GRDBDatabase else {
            preconditionFailure("the catalog at \(database.location) is not SQLite")
        }
        return sqlite.writer
    }
    /// Where page texts are read from; without it, hits have no snippets and pages cannot be revised.
    public let pageText: PageTextLoader?
    /// Document counts of query words, shared by every search through this catalog.
    let termStatistics = TermStatistics()
    /// Result pages' words, analysed once for snippets.
    let snippetCache = SnippetCache()

    /// Wraps `writer` and brings its schema up to date.
    public init(writer: any DatabaseWriter, pageText: PageTextLoader? = nil) throws {
        self.database = GRDBDatabase(writer)
        self.searchDatabase = database
        self.pageText = pageText
        try Catalog.migrator.migrate(writer)
    }

    /// Wraps an open catalog's database again (another page-text loader); no migration.
    public init(sharing other: Catalog, pageText: PageTextLoader?) {
        self.database = other.database
        self.searchDatabase = other.searchDatabase
        self.pageText = pageText
    }

    /// Opens (creating if needed) the catalog file at `url`.
    ///
    /// Processes opening a new or older catalog at once (two ingests, ingest and serve) create
    /// or migrate it in turn, under a lock on its directory: GRDB reads which migrations are
    /// applied before the transaction that applies each, so two processes could both apply one
    /// and the second fail ("table already exists").
    public static func open(at url: URL, pageText: PageTextLoader? = nil) throws -> Catalog {
        try withDirectoryLock(url.deletingLastPathComponent().path) {
            do {
                let pool = try DatabasePool(path: url.path, configuration: configuration())
                return try Catalog(writer: pool, pageText: pageText)
            } catch let error as DatabaseError {
                throw CatalogError.database(url.path, error)
            }
        }
    }

    /// A fresh in-memory catalog (tests, `--dry-run`).
    public static func inMemory(pageText: PageTextLoader? = nil) throws -> Catalog {
        try Catalog(writer: DatabaseQueue(configuration: configuration()), pageText: pageText)
    }

    /// The loader, or an error saying why it is needed.
    func requirePageText() throws -> PageTextLoader {
        guard let pageText else { throw CatalogError.integrity("this catalog was opened without access to page texts") }
        return pageText
    }

    static func configuration() -> Configuration {
        var config = Configuration()
        config.prepareDatabase { db in
            db.add(tokenizer: ArabicTokenizer.self)
            let code = sijill_fts5_register(db.sqliteConnection)
            guard code == ResultCode.SQLITE_OK.rawValue else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: "cannot register sijill_bm25")
            }
        }
        config.busyMode = .timeout(30)
        return config
    }
}

/// Runs `body` holding an exclusive `flock` on the directory at `path` (released when the
/// descriptor closes, also when the process dies). Without a descriptor, runs it unlocked.
private func withDirectoryLock<T>(_ path: String, _ body: () throws -> T) throws -> T {
    let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard fd >= 0 else { return try body() }
    defer { close(fd) }
    while flock(fd, LOCK_EX) != 0, errno == EINTR {}
    return try body()
}
