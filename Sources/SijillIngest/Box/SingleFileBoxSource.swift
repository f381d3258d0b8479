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
    static func isPageFile(_ url: URL) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: url.path) else { return false }
        defer { try? handle.close() }
        let head = [UInt8]((try? handle.read(upToCount: 1024)) ?? Data())
        func starts(_ magic: [UInt8]) -> Bool { head.count >= magic.count && Array(head.prefix(magic.count)) == magic }
        return Data(head).range(of: Data("%PDF-".utf8)) != nil || starts([0x49, 0x49, 0x2A, 0x00])
            || starts([0x4D, 0x4D, 0x00, 0x2A]) || starts([0x89, 0x50, 0x4E, 0x47]) || starts([0xFF, 0xD8, 0xFF])
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
