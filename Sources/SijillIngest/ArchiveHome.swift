import Foundation
import SijillCatalog
import SijillStore

/// The embedded default: one data directory holding the blob store (`objects/`) and the
/// catalog (`catalog.sqlite`, WAL mode).
public struct ArchiveHome: Sendable {
    public let url: URL
    public let store: FileSystemBlobStore
    public let catalog: Catalog

    /// `--home`, else `$SIJILL_HOME`, else `./sijill-data`.
    public static func resolve(_ option: String?) -> URL {
        let path = option ?? ProcessInfo.processInfo.environment["SIJILL_HOME"] ?? "sijill-data"
        return URL(fileURLWithPath: path).standardizedFileURL
    }

    /// Opens the data directory; with `create`, makes it if missing, else a missing one is an error.
    public init(url: URL, create: Bool) throws {
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
        let store = try FileSystemBlobStore(root: url)
        self.store = store
        self.catalog = try Catalog.open(at: url.appendingPathComponent("catalog.sqlite")) { id in
            String(decoding: try store.get(id), as: UTF8.self)
        }
    }
}
