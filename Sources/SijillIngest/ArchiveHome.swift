import Foundation
import SijillCatalog
import SijillStore

/// The embedded default: one data directory holding the blob store (`objects/`) and the
/// catalog (`catalog.sqlite`, WAL mode). With a store URL (`--store`, `$SIJILL_STORE`), the
/// objects live there instead (S3) and the data directory keeps the catalog; the choice is
/// written to `store.url` on first use, so later commands find the objects without being told,
/// and a different store named later is refused rather than silently mixed.
public struct ArchiveHome: Sendable {
    public let url: URL
    public let store: any BlobStore
    public var catalog: Catalog

    /// `--home`, else `$SIJILL_HOME`, else `./sijill-data`.
    public static func resolve(_ option: String?) -> URL {
        let path = option ?? ProcessInfo.processInfo.environment["SIJILL_HOME"] ?? "sijill-data"
        return URL(fileURLWithPath: path).standardizedFileURL
    }

    /// Opens the data directory; with `create`, makes it if missing, else a missing one is an error.
    /// `store`: the object store's URL (nil: `$SIJILL_STORE`, else what `store.url` records,
    /// else the data directory itself).
    public init(url: URL, store storeOption: String? = nil, catalog catalogOption: String? = nil, create: Bool) throws {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory)
        if exists, !isDirectory.boolValue {
            throw IngestError("data directory \(url.path) is a file, not a folder")
        }
        if !exists {
            guard create else {
                throw IngestError("no archive at \(url.path): run `sijill ingest <box>` first, or pass --home")
            }
            do {
                try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            } catch {
                throw IngestError("cannot create data directory \(url.path): \(error.localizedDescription)")
            }
        }
        self.url = url
        let store = try ArchiveHome.openStore(home: url, option: storeOption ?? ProcessInfo.processInfo.environment["SIJILL_STORE"])
        self.store = store
        let pageText: Catalog.PageTextLoader = { id in String(decoding: try store.get(id), as: UTF8.self) }
        let environment = ProcessInfo.processInfo.environment
        if let postgres = try ArchiveHome.catalogURL(home: url, option: catalogOption ?? environment["SIJILL_CATALOG"]) {
            self.catalog = try Catalog.open(postgres: ArchiveHome.withPassword(postgres, option: catalogOption, environment), pageText: pageText)
        } else {
            self.catalog = try Catalog.open(at: url.appendingPathComponent("catalog.sqlite"), pageText: pageText)
        }
    }

    /// The file in the data directory that names the archive's PostgreSQL catalog (without its password).
    public static func catalogRecord(_ home: URL) -> URL { home.appendingPathComponent("catalog.url") }

    /// The PostgreSQL catalog to open (nil: the embedded SQLite catalog), from the option and
    /// what the data directory recorded; a different catalog than recorded is refused, and so is
    /// one named for an archive whose catalog is already its own SQLite file.
    static func catalogURL(home: URL, option: String?) throws -> String? {
        let record = catalogRecord(home)
        let recorded = (try? String(contentsOf: record, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        let wanted = option.flatMap { $0.isEmpty ? nil : $0 }
        switch (recorded, wanted) {
        case (let r?, let w?) where r != PostgresDatabase.withoutPassword(w):
            throw IngestError(
                "the archive at \(home.path) keeps its catalog in \(r), not \(PostgresDatabase.withoutPassword(w)): "
                    + "drop --catalog / $SIJILL_CATALOG, or copy the archive with `sijill migrate --to-catalog`")
        case (let r?, _):
            return r
        case (nil, let w?):
            let local = home.appendingPathComponent("catalog.sqlite")
            if FileManager.default.fileExists(atPath: local.path),
                let records = try? Catalog.open(at: local).counts().records, records > 0
            {
                throw IngestError(
                    "the archive at \(home.path) keeps its catalog in catalog.sqlite; --catalog \(PostgresDatabase.withoutPassword(w)) "
                        + "would split it (copy it with `sijill migrate --to-catalog`)")
            }
            _ = try PostgresDatabase(url: withPassword(w, option: w, ProcessInfo.processInfo.environment))
            do {
                try (PostgresDatabase.withoutPassword(w) + "\n").write(to: record, atomically: true, encoding: .utf8)
            } catch {
                throw IngestError("cannot record the catalog in \(record.path): \(error.localizedDescription)")
            }
            return w
        case (nil, nil):
            return nil
        }
    }

    /// `url` with a password: its own, the option's (same server), or `$PGPASSWORD`.
    public static func withPassword(_ url: String, option: String?, _ environment: [String: String]) -> String {
        guard var components = URLComponents(string: url), components.password == nil else { return url }
        if let option, let given = URLComponents(string: option)?.password { components.password = given }
        else if let password = environment["PGPASSWORD"] { components.password = password }
        return components.string ?? url
    }

    /// The file in the data directory that names the archive's object store.
    public static func storeRecord(_ home: URL) -> URL { home.appendingPathComponent("store.url") }

    static func openStore(home: URL, option: String?) throws -> any BlobStore {
        let record = storeRecord(home)
        let recorded = (try? String(contentsOf: record, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        let wanted = option.flatMap { $0.isEmpty ? nil : $0 }
        switch (recorded, wanted) {
        case (let r?, let w?) where r != w:
            throw IngestError(
                "the archive at \(home.path) keeps its objects in \(r), not \(w): "
                    + "drop --store / $SIJILL_STORE, or copy the archive with `sijill migrate`")
        case (let r?, _):
            return try BlobStores.open(r)
        case (nil, let w?):
            let store = try BlobStores.open(w)
            if let s3 = store as? S3BlobStore { try s3.createBucket() }
            // An archive whose objects are already in its own directory does not move by a flag.
            let local = try FileSystemBlobStore(root: home)
            if !(try local.inventory().objects.isEmpty) {
                throw IngestError(
                    "the archive at \(home.path) keeps its objects in the data directory; --store \(w) would split it "
                        + "(copy it with `sijill migrate`)")
            }
            do {
                try (w + "\n").write(to: record, atomically: true, encoding: .utf8)
            } catch {
                throw IngestError("cannot record the store in \(record.path): \(error.localizedDescription)")
            }
            return store
        case (nil, nil):
            return try FileSystemBlobStore(root: home)
        }
    }
}
