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

/// Opens the right reader for `url`: a folder, an archive (zip, tar, tar.gz/bz2/xz/zst, 7z…), or a
/// single page file (PDF, TIFF, PNG, JPEG) as a box of one.
public func openBox(_ url: URL, limits: BoxLimits = BoxLimits()) throws -> any BoxSource {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
        throw BoxError.cannotOpen(url.path, "no such file or folder")
    }
    if !isDirectory.boolValue, let size = try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int, size == 0 {
        // libarchive reads an empty file as an empty archive; a delivery of nothing is a mistake.
        throw BoxError.cannotOpen(url.lastPathComponent, "the file is empty (0 bytes)")
    }
    if isDirectory.boolValue { return FolderBoxSource(url: url, limits: limits) }
    // A lone scan or scanner PDF is a box of one record.
    if SingleFileBoxSource.isPageFile(url) { return SingleFileBoxSource(url: url, limits: limits) }
    return ArchiveBoxSource(url: url, limits: limits)
}
