import Crypto
import Foundation
import SijillCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A blob store in a directory: `objects/ab/cd/<sha256>`.
///
/// A blob is written to `tmp/`, fsynced, then renamed into place, so a crash leaves either the
/// whole blob or nothing under its name. An existing blob is never rewritten.
public struct FileSystemBlobStore: BlobStore {
    /// The store's root (the data directory).
    public let root: URL

    var objectsDir: URL { root.appendingPathComponent("objects", isDirectory: true) }
    var tmpDir: URL { root.appendingPathComponent("tmp", isDirectory: true) }

    /// Opens (and creates if needed) a store under `root`.
    public init(root: URL) throws {
        self.root = root
        for dir in [root.appendingPathComponent("objects"), root.appendingPathComponent("tmp")] {
            do {
                try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            } catch {
                throw StoreError.io(dir.path, "cannot create directory (\(error.localizedDescription))")
            }
        }
    }

    /// The file that holds `id`.
    public func path(for id: ContentID) -> URL {
        let hex = id.hex
        let a = String(hex.prefix(2))
        let b = String(hex.dropFirst(2).prefix(2))
        return objectsDir.appendingPathComponent(a).appendingPathComponent(b).appendingPathComponent(hex)
    }

    @discardableResult
    public func put(_ bytes: Data) throws -> (id: ContentID, created: Bool) {
        let id = ContentID.of(bytes)
        let final = path(for: id)
        if FileManager.default.fileExists(atPath: final.path) { return (id, false) }
        let dir = final.deletingLastPathComponent()
        try createDirectory(dir)
        let tmp = tmpDir.appendingPathComponent("\(id.hex).\(UUID().uuidString).tmp")
        try writeSynced(bytes, to: tmp.path)
        if rename(tmp.path, final.path) != 0 {
            let message = String(cString: strerror(errno))
            unlink(tmp.path)
            throw StoreError.io(final.path, "cannot move blob into place: \(message)")
        }
        syncDirectory(dir.path)
        return (id, true)
    }

    public func get(_ id: ContentID) throws -> Data {
        let file = path(for: id)
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw StoreError.missing(id)
        }
        let actual = ContentID.of(data)
        guard actual == id else { throw StoreError.corrupt(id, actual: actual) }
        return data
    }

    /// Re-hashes the stored file in 1 MiB pieces (constant memory for any size) and returns its
    /// size; throws ``StoreError/missing(_:)`` or ``StoreError/corrupt(_:actual:)``.
    @discardableResult
    public func verify(_ id: ContentID) throws -> Int {
        let file = path(for: id)
        guard let handle = FileHandle(forReadingAtPath: file.path) else { throw StoreError.missing(id) }
        defer { try? handle.close() }
        var hasher = SHA256()
        var size = 0
        do {
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                hasher.update(data: chunk)
                size += chunk.count
            }
        } catch {
            throw StoreError.io(file.path, "\(error)")
        }
        let actual = ContentID(digest: hasher.finalize())
        guard actual == id else { throw StoreError.corrupt(id, actual: actual) }
        return size
    }

    /// Deletes the stored object (disposition); true when it existed. The directory is
    /// synced so the removal survives a crash.
    @discardableResult
    public func remove(_ id: ContentID) throws -> Bool {
        let file = path(for: id)
        guard FileManager.default.fileExists(atPath: file.path) else { return false }
        do {
            try FileManager.default.removeItem(at: file)
        } catch {
            throw StoreError.io(file.path, "cannot remove: \(error.localizedDescription)")
        }
        syncDirectory(file.deletingLastPathComponent().path)
        return true
    }

    public var location: String { root.path }

    public func size(_ id: ContentID) throws -> Int? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path(for: id).path) else { return nil }
        return (attributes[.size] as? NSNumber)?.intValue
    }

    public func read(_ id: ContentID, offset: Int, length: Int) throws -> Data? {
        let file = path(for: id)
        guard let handle = FileHandle(forReadingAtPath: file.path) else { return nil }
        defer { try? handle.close() }
        do {
            try handle.seek(toOffset: UInt64(max(0, offset)))
            return try handle.read(upToCount: max(0, length)) ?? Data()
        } catch {
            throw StoreError.io(file.path, "\(error)")
        }
    }

    public func contains(_ id: ContentID) -> Bool {
        FileManager.default.fileExists(atPath: path(for: id).path)
    }

    public func resolve(_ prefix: IDPrefix, limit: Int) throws -> [ContentID] {
        if let full = prefix.fullID { return contains(full) ? [full] : [] }
        let hex = prefix.hex
        let dir = objectsDir.appendingPathComponent(String(hex.prefix(2)))
            .appendingPathComponent(String(hex.dropFirst(2).prefix(2)))
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.compactMap(ContentID.init(hex:)).filter(prefix.matches).sorted().prefix(limit).map { $0 }
    }

    /// Every file under `objects/` (for fixity checks): the IDs of well-named ones, and the
    /// paths of anything else found there (stray files).
    /// Removes temporary files a killed writer left in `tmp/` (a write is fsynced and renamed
    /// within seconds; files older than `age` belong to no live writer). Returns how many.
    @discardableResult
    public func removeAbandonedWrites(olderThan age: TimeInterval, now: Date = Date()) -> Int {
        let fm = FileManager.default
        var removed = 0
        for name in (try? fm.contentsOfDirectory(atPath: tmpDir.path)) ?? [] where name.hasSuffix(".tmp") {
            let path = tmpDir.appendingPathComponent(name).path
            guard let modified = (try? fm.attributesOfItem(atPath: path))?[.modificationDate] as? Date,
                now.timeIntervalSince(modified) > age, unlink(path) == 0
            else { continue }
            removed += 1
        }
        return removed
    }

    public func inventory() -> (objects: [ContentID], strays: [String]) {
        var objects: [ContentID] = [], strays: [String] = []
        let fm = FileManager.default
        for a in ((try? fm.contentsOfDirectory(atPath: objectsDir.path)) ?? []).sorted() {
            let da = objectsDir.appendingPathComponent(a)
            for b in ((try? fm.contentsOfDirectory(atPath: da.path)) ?? []).sorted() {
                let db = da.appendingPathComponent(b)
                for name in ((try? fm.contentsOfDirectory(atPath: db.path)) ?? []).sorted() {
                    if let id = ContentID(hex: name), name.hasPrefix(a + b) {
                        objects.append(id)
                    } else {
                        strays.append("objects/\(a)/\(b)/\(name)")
                    }
                }
            }
        }
        return (objects, strays)
    }

    private func createDirectory(_ dir: URL) throws {
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        } catch {
            throw StoreError.io(dir.path, "cannot create directory (\(error.localizedDescription))")
        }
    }

    private func writeSynced(_ bytes: Data, to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard fd >= 0 else { throw StoreError.io(path, String(cString: strerror(errno))) }
        defer { close(fd) }
        try bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    let message = String(cString: strerror(errno))
                    unlink(path)
                    throw StoreError.io(path, "write failed: \(message)")
                }
                offset += n
            }
        }
        guard fsync(fd) == 0 else {
            let message = String(cString: strerror(errno))
            unlink(path)
            throw StoreError.io(path, "fsync failed: \(message)")
        }
    }

    private func syncDirectory(_ path: String) {
        let fd = open(path, O_RDONLY)
        if fd >= 0 {
            _ = fsync(fd)
            close(fd)
        }
    }
}
