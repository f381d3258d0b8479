import Foundation

/// Says what a box entry that is not an image is, from its first bytes, so that a refusal tells
/// the archivist what was delivered instead of a scan.
enum EntryContent {
    /// An explanation for an entry the image decoder did not recognise, or nil when it is
    /// nothing we can name.
    struct Refusal {
        var code: String
        var reason: String
    }

    static func refusal(for data: Data, name: String) -> Refusal? {
        let head = [UInt8](data.prefix(512))
        func starts(_ magic: [UInt8], at offset: Int = 0) -> Bool {
            head.count >= offset + magic.count && Array(head[offset..<offset + magic.count]) == magic
        }
        let archives: [(String, [UInt8], Int)] = [
            ("ZIP", [0x50, 0x4B, 0x03, 0x04], 0), ("ZIP", [0x50, 0x4B, 0x05, 0x06], 0),
            ("gzip", [0x1F, 0x8B], 0), ("bzip2", Array("BZh".utf8), 0), ("xz", [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00], 0),
            ("Zstandard", [0x28, 0xB5, 0x2F, 0xFD], 0), ("7-Zip", [0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C], 0),
            ("RAR", Array("Rar!\u{1A}\u{07}".utf8), 0), ("tar", Array("ustar".utf8), 257), ("CAB", Array("MSCF".utf8), 0),
        ]
        if let (format, _, _) = archives.first(where: { starts($0.1, at: $0.2) }) {
            return Refusal(
                code: "nested-archive",
                reason: "\(name): a \(format) archive inside the box; archives inside a box are never opened "
                    + "(deliver its pages in the box itself, or as a box of its own)")
        }
        // Text: no NUL, and valid UTF-8 (the 4 KiB sample may end inside a character).
        let sample = data.prefix(4096)
        if !head.isEmpty, !head.contains(0), (0...3).contains(where: { String(bytes: sample.dropLast($0), encoding: .utf8) != nil }) {
            return Refusal(code: "not-an-image", reason: "\(name): a text file, not a scanned image")
        }
        return nil
    }
}
