import Foundation

/// One page file given where a box is expected (`sijill ingest dossier.pdf`, a scanner's PDF
/// dropped into a watched folder): a box of one entry, the file itself, which becomes one record.
public struct SingleFileBoxSource: BoxSource {
    public let url: URL
    public var name: String { url.lastPathComponent }
    public var limits: BoxLimits

    public init(url: URL, limits: BoxLimits = BoxLimits()) {
        self.url = url
        self.limits = limits
    }

    /// Whether the file starts like a page file (PDF, TIFF, PNG, JPEG) rather than an archive.
    /// An archive's own signature is looked for first: a zip that stores (does not compress) its
    /// first entry, or a plain tar, holds that entry's bytes within its first 1024, and a PDF's
    /// `%PDF-` may stand anywhere there, so a box of scanner PDFs was read as its first PDF.
    static func isPageFile(_ url: URL) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: url.path) else { return false }
        defer { try? handle.close() }
        let head = [UInt8]((try? handle.read(upToCount: 1024)) ?? Data())
        guard !isArchive(head) else { return false }
        func starts(_ magic: [UInt8]) -> Bool { head.count >= magic.count && Array(head.prefix(magic.count)) == magic }
        return Data(head).range(of: Data("%PDF-".utf8)) != nil || starts([0x49, 0x49, 0x2A, 0x00])
            || starts([0x4D, 0x4D, 0x00, 0x2A]) || starts([0x89, 0x50, 0x4E, 0x47]) || starts([0xFF, 0xD8, 0xFF])
    }

    /// The signatures of the archives and compressed streams libarchive reads: zip (a local
    /// entry, an empty zip, a spanned one), tar (`ustar` at 257), gzip, bzip2, xz, zstd, 7z, rar.
    static func isArchive(_ head: [UInt8]) -> Bool {
        func starts(_ magic: [UInt8]) -> Bool { head.count >= magic.count && Array(head.prefix(magic.count)) == magic }
        let zip = starts([0x50, 0x4B, 0x03, 0x04]) || starts([0x50, 0x4B, 0x05, 0x06]) || starts([0x50, 0x4B, 0x07, 0x08])
        let tar = head.count >= 262 && Array(head[257..<262]) == Array("ustar".utf8)
        return zip || tar || starts([0x1F, 0x8B]) || starts(Array("BZh".utf8)) || starts([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00])
            || starts([0x28, 0xB5, 0x2F, 0xFD]) || starts([0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C]) || starts(Array("Rar!".utf8))
    }

    public func forEachEntry(_ visit: (BoxEntry, (Int) throws -> Data) throws -> Void) throws {
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int).flatMap { $0 }
        let entry = BoxEntry(rawName: name, kind: .file, size: size.map(Int64.init))
        try visit(entry) { limit in
            if let size, size > limit { throw BoxError.entryTooLarge(name, limit: limit) }
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw BoxError.entryUnreadable(name, "permission denied or file vanished")
            }
            return data
        }
    }
}
