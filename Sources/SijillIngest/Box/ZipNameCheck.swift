import Foundation

/// Finds zip entry names with a NUL byte inside. libarchive hands names over as C strings, so
/// `evil.png\0.txt` would arrive as `evil.png`; the zip's central directory has the real bytes.
/// Returns the names as libarchive will report them (cut at the NUL), to be refused.
enum ZipNameCheck {
    static func namesCutAtNUL(in url: URL, maxEntries: Int) -> Set<String> {
        guard let file = try? FileHandle(forReadingFrom: url) else { return [] }
        defer { try? file.close() }
        guard let size = try? file.seekToEnd(), size >= 22 else { return [] }
        // The end-of-central-directory record is in the last 64 KiB + 22 bytes (comment ≤ 65535).
        let tailLength = min(size, 65_557)
        guard (try? file.seek(toOffset: size - tailLength)) != nil, let tail = try? file.read(upToCount: Int(tailLength)),
            tail.count == Int(tailLength)
        else { return [] }
        let bytes = [UInt8](tail)
        func u16(_ b: [UInt8], _ i: Int) -> Int { Int(b[i]) | Int(b[i + 1]) << 8 }
        func u32(_ b: [UInt8], _ i: Int) -> UInt64 { UInt64(u16(b, i)) | UInt64(u16(b, i + 2)) << 16 }
        func u64(_ b: [UInt8], _ i: Int) -> UInt64 { u32(b, i) | u32(b, i + 4) << 32 }
        guard let eocd = stride(from: bytes.count - 22, through: 0, by: -1).first(where: {
            bytes[$0] == 0x50 && bytes[$0 + 1] == 0x4B && bytes[$0 + 2] == 0x05 && bytes[$0 + 3] == 0x06
        }) else { return [] }
        var count = UInt64(u16(bytes, eocd + 10))
        var cdSize = u32(bytes, eocd + 12)
        var cdOffset = u32(bytes, eocd + 16)
        // Zip64: the locator sits just before the EOCD and points at the zip64 record.
        if eocd >= 20, bytes[eocd - 20] == 0x50, bytes[eocd - 19] == 0x4B, bytes[eocd - 18] == 0x06, bytes[eocd - 17] == 0x07 {
            let recordOffset = u64(bytes, eocd - 20 + 8)
            if recordOffset < size, (try? file.seek(toOffset: recordOffset)) != nil, let rec = try? file.read(upToCount: 56),
                rec.count == 56
            {
                let r = [UInt8](rec)
                if r[0] == 0x50, r[1] == 0x4B, r[2] == 0x06, r[3] == 0x06 {
                    count = u64(r, 32)
                    cdSize = u64(r, 40)
                    cdOffset = u64(r, 48)
                }
            }
        }
        guard cdOffset < size, cdSize <= size - cdOffset, cdSize <= 256 << 20,
            (try? file.seek(toOffset: cdOffset)) != nil, let cd = try? file.read(upToCount: Int(cdSize))
        else { return [] }
        let dir = [UInt8](cd)
        var found: Set<String> = []
        var at = 0
        var seen: UInt64 = 0
        while at + 46 <= dir.count, seen < count, seen <= UInt64(maxEntries) {
            guard dir[at] == 0x50, dir[at + 1] == 0x4B, dir[at + 2] == 0x01, dir[at + 3] == 0x02 else { break }
            let nameLength = u16(dir, at + 28)
            let next = at + 46 + nameLength + u16(dir, at + 30) + u16(dir, at + 32)
            guard next <= dir.count else { break }
            let name = dir[(at + 46)..<(at + 46 + nameLength)]
            if let nul = name.firstIndex(of: 0) {
                found.insert(String(decoding: name[name.startIndex..<nul], as: UTF8.self))
            }
            at = next
            seen += 1
        }
        return found
    }
}
