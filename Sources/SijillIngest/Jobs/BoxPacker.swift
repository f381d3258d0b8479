import CArchive
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Packs a box delivered as a folder into one tar file, so that it can wait in the object store
/// for a worker on another host. Entries go in as the folder has them (files, folders, symbolic
/// links as links, never followed), in the order ``FolderBoxSource`` lists them, names relative
/// to the folder: the worker reads the same entries the folder would have given.
enum BoxPacker {
    /// Writes the tar of `folder` to `output`.
    static func tar(folder: URL, to output: URL, limits: BoxLimits) throws {
        let name = folder.lastPathComponent
        guard let archive = archive_write_new() else { throw BoxError.cannotOpen(name, "out of memory") }
        defer { archive_write_free(archive) }
        let locale = sijill_archive_locale_push()
        defer { sijill_archive_locale_pop(locale) }
        archive_write_set_format_pax_restricted(archive)
        guard archive_write_open_filename(archive, output.path) == ARCHIVE_OK else {
            throw BoxError.cannotOpen(output.path, "cannot write the packed box (\(message(archive)))")
        }
        try FolderBoxSource(url: folder, limits: limits).forEachEntry { entry, _ in
            let full = folder.standardizedFileURL.path + "/" + entry.rawName
            var info = stat()
            guard lstat(full, &info) == 0 else { return }
            guard let header = archive_entry_new() else { throw BoxError.cannotOpen(name, "out of memory") }
            defer { archive_entry_free(header) }
            archive_entry_set_pathname_utf8(header, entry.rawName)
            archive_entry_set_perm(header, mode_t(info.st_mode & 0o7777))
            archive_entry_set_mtime(header, info.st_mtim.tv_sec, 0)
            switch entry.kind {
            case .file:
                archive_entry_set_filetype(header, 0o100000)
                archive_entry_set_size(header, la_int64_t(info.st_size))
            case .directory:
                archive_entry_set_filetype(header, 0o040000)
            case .symlink:
                archive_entry_set_filetype(header, 0o120000)
                archive_entry_set_symlink_utf8(header, entry.linkTarget ?? "")
            default:
                archive_entry_set_filetype(header, 0o010000)
            }
            guard archive_write_header(archive, header) >= ARCHIVE_WARN else {
                throw BoxError.entryUnreadable(entry.rawName, "cannot pack (\(message(archive)))")
            }
            guard entry.kind == .file else { return }
            guard let handle = FileHandle(forReadingAtPath: full) else {
                throw BoxError.entryUnreadable(entry.rawName, "permission denied or file vanished")
            }
            defer { try? handle.close() }
            var written = 0
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                let n = chunk.withUnsafeBytes { archive_write_data(archive, $0.baseAddress, $0.count) }
                guard n == chunk.count else { throw BoxError.entryUnreadable(entry.rawName, "cannot pack (\(message(archive)))") }
                written += n
            }
            guard written == Int(info.st_size) else {
                throw BoxError.entryUnreadable(entry.rawName, "the file changed while it was packed")
            }
        }
        guard archive_write_close(archive) == ARCHIVE_OK else {
            throw BoxError.cannotOpen(output.path, "cannot finish the packed box (\(message(archive)))")
        }
    }

    private static func message(_ archive: OpaquePointer) -> String {
        archive_error_string(archive).map { String(cString: $0) } ?? "unknown error"
    }
}
