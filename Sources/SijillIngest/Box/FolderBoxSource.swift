import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A box delivered as a plain folder. Symbolic links are reported, never followed.
public struct FolderBoxSource: BoxSource {
    public let url: URL
    public var name: String { url.lastPathComponent }
    public var limits: BoxLimits

    public init(url: URL, limits: BoxLimits = BoxLimits()) {
        self.url = url.standardizedFileURL
        self.limits = limits
    }

    public func forEachEntry(_ visit: (BoxEntry, (Int) throws -> Data) throws -> Void) throws {
        var paths: [String] = []
        try walk(relative: "", into: &paths)
        for relative in paths.sorted() {
            let full = url.path + "/" + relative
            var info = stat()
            guard lstat(full, &info) == 0 else { continue }
            let kind: BoxEntry.Kind
            var target: String?
            switch info.st_mode & S_IFMT {
            case S_IFREG: kind = .file
            case S_IFDIR: kind = .directory
            case S_IFLNK:
                kind = .symlink
                target = try? FileManager.default.destinationOfSymbolicLink(atPath: full)
            default: kind = .other
            }
            let entry = BoxEntry(rawName: relative, kind: kind, size: Int64(info.st_size), linkTarget: target)
            try visit(entry) { limit in
                guard kind == .file else { throw BoxError.entryUnreadable(relative, "not a regular file") }
                guard Int64(info.st_size) <= Int64(limit) else { throw BoxError.entryTooLarge(relative, limit: limit) }
                guard let data = FileManager.default.contents(atPath: full) else {
                    throw BoxError.entryUnreadable(relative, "permission denied or file vanished")
                }
                return data
            }
        }
    }

    private func walk(relative: String, into paths: inout [String]) throws {
        let dir = relative.isEmpty ? url.path : url.path + "/" + relative
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: dir)
        } catch {
            if relative.isEmpty { throw BoxError.cannotOpen(name, "cannot list the folder") }
            return
        }
        for child in names {
            let rel = relative.isEmpty ? child : relative + "/" + child
            paths.append(rel)
            if paths.count > limits.maxEntries { throw BoxError.tooManyEntries(name, limit: limits.maxEntries) }
            var info = stat()
            if lstat(url.path + "/" + rel, &info) == 0, info.st_mode & S_IFMT == S_IFDIR {
                try walk(relative: rel, into: &paths)
            }
        }
    }
}
