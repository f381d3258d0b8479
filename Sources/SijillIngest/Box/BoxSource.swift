import Foundation

/// A box to import: an archive read by streaming, or a folder.
///
/// `forEachEntry` visits entries in box order. For regular files, `readData` returns the bytes
/// (at most `limit`; larger entries throw ``BoxError/entryTooLarge``) and must be called inside
/// the visit, since archives are read front to back.
public protocol BoxSource {
    /// A name for reports: the archive's or folder's file name.
    var name: String { get }

    /// Visits every entry once.
    func forEachEntry(_ visit: (BoxEntry, _ readData: (_ limit: Int) throws -> Data) throws -> Void) throws
}

/// Opens the right reader for `url`: a folder, or an archive (zip, tar, tar.gz/bz2/xz/zst, 7z…).
public func openBox(_ url: URL) throws -> any BoxSource {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
        throw BoxError.cannotOpen(url.path, "no such file or folder")
    }
    return isDirectory.boolValue ? FolderBoxSource(url: url) : ArchiveBoxSource(url: url)
}
