import CArchive
import Foundation

/// Reads an archive front to back with libarchive: no extraction to disk, one entry's bytes
/// in memory at a time. Every format and compression filter libarchive knows is accepted.
public struct ArchiveBoxSource: BoxSource {
    public let url: URL
    public var name: String { url.lastPathComponent }
    public var limits: BoxLimits

    public init(url: URL, limits: BoxLimits = BoxLimits()) {
        self.url = url
        self.limits = limits
    }

    public func forEachEntry(_ visit: (BoxEntry, (Int) throws -> Data) throws -> Void) throws {
        // Names are converted through the locale: read this archive in C.UTF-8 (this thread only).
        let locale = sijill_archive_locale_push()
        defer { sijill_archive_locale_pop(locale) }
        guard let archive = archive_read_new() else { throw BoxError.cannotOpen(name, "out of memory") }
        defer { archive_read_free(archive) }
        archive_read_support_filter_all(archive)
        archive_read_support_format_all(archive)
        guard archive_read_open_filename(archive, url.path, 64 * 1024) == ARCHIVE_OK else {
            throw BoxError.cannotOpen(name, "not a readable archive (\(message(archive)))")
        }
        let cutAtNUL = ZipNameCheck.namesCutAtNUL(in: url, maxEntries: limits.maxEntries)
        var lastEntry: String?
        var entry: OpaquePointer?
        var count = 0
        while true {
            let status = archive_read_next_header(archive, &entry)
            if status == ARCHIVE_EOF { break }
            count += 1
            if count > limits.maxEntries { throw BoxError.tooManyEntries(name, limit: limits.maxEntries) }
            // ARCHIVE_RETRY ("Damaged tar archive") leaves no usable entry: the box is damaged.
            guard status == ARCHIVE_OK || status == ARCHIVE_WARN, let entry else {
                if lastEntry == nil, status != ARCHIVE_EOF {
                    // Nothing could be read: not an archive, or damaged from the start.
                    throw BoxError.cannotOpen(name, "not a readable archive (\(message(archive)))")
                }
                throw BoxError.damaged(name, message(archive), after: lastEntry)
            }
            // (ARCHIVE_FORMAT_ZIP is 0x50000; the low bits name the variant)
            var boxEntry = describe(entry, zip: archive_format(archive) & 0xFF0000 == 0x50000)
            if cutAtNUL.contains(boxEntry.rawName) {
                boxEntry.path = nil
                boxEntry.unsafeReason = "name contains NUL or control characters (read as '\(boxEntry.rawName)' up to the NUL)"
            }
            var consumed = false
            try visit(boxEntry) { limit in
                consumed = true
                return try readData(archive, entryName: boxEntry.rawName, declaredSize: boxEntry.size, limit: limit)
            }
            if !consumed, archive_read_data_skip(archive) < ARCHIVE_WARN {
                throw BoxError.damaged(name, message(archive), after: lastEntry)
            }
            lastEntry = boxEntry.rawName
        }
    }

    /// `zip`: names without UTF-8 in a zip may be DOS Arabic (``LegacyZipName``).
    private func describe(_ entry: OpaquePointer, zip: Bool) -> BoxEntry {
        var validUTF8 = true
        var nameNote: String?
        let rawName: String
        if let utf8 = archive_entry_pathname_utf8(entry) {
            rawName = String(cString: utf8)
        } else if let raw = archive_entry_pathname(entry) {
            let bytes = [UInt8](Data(bytes: raw, count: strlen(raw)))
            if zip, let legacy = LegacyZipName.decode(bytes) {
                rawName = legacy
                nameNote = "name read as DOS Arabic (code page 720), as Windows writes zip names without UTF-8"
            } else {
                validUTF8 = false
                // Show undecodable bytes as replacement characters; the entry is refused anyway.
                rawName = String(decoding: bytes, as: UTF8.self)
            }
        } else {
            validUTF8 = false
            rawName = "(unnamed entry)"
        }
        let kind: BoxEntry.Kind
        var target: String?
        if let hard = archive_entry_hardlink(entry) {
            kind = .hardlink
            target = String(cString: hard)
        } else {
            // AE_IFREG and friends are macros with casts Swift cannot import; these are their values.
            switch archive_entry_filetype(entry) & 0o170000 {
            case 0o100000: kind = .file
            case 0o040000: kind = .directory
            case 0o120000:
                kind = .symlink
                target = archive_entry_symlink(entry).map { String(cString: $0) }
            default: kind = .other
            }
        }
        let size: Int64? = archive_entry_size_is_set(entry) != 0 ? archive_entry_size(entry) : nil
        var described = BoxEntry(rawName: rawName, kind: kind, size: size, linkTarget: target, nameIsValidUTF8: validUTF8)
        described.nameNote = nameNote
        return described
    }

    private func readData(_ archive: OpaquePointer, entryName: String, declaredSize: Int64?, limit: Int) throws -> Data {
        if let declaredSize, declaredSize > Int64(limit) {
            throw BoxError.entryTooLarge(entryName, limit: limit)
        }
        var data = Data()
        if let declaredSize, declaredSize > 0, declaredSize <= Int64(limits.bombFloor) { data.reserveCapacity(Int(declaredSize)) }
        let rawStart = archive_filter_bytes(archive, -1)
        let chunk = 256 * 1024
        var buffer = [UInt8](repeating: 0, count: chunk)
        while true {
            let n = buffer.withUnsafeMutableBytes { archive_read_data(archive, $0.baseAddress, chunk) }
            if n == 0 { break }
            if n < 0 {
                throw BoxError.entryUnreadable(entryName, message(archive))
            }
            if data.count + n > limit { throw BoxError.entryTooLarge(entryName, limit: limit) }
            data.append(contentsOf: buffer[0..<n])
            if data.count > limits.bombFloor {
                // Compressed bytes read so far for this entry (libarchive reads ahead a block).
                let raw = max(1, Int(archive_filter_bytes(archive, -1) - rawStart) + 64 * 1024)
                if data.count / raw > limits.maxRatio {
                    throw BoxError.compressionBomb(entryName, ratio: limits.maxRatio, floor: limits.bombFloor)
                }
            }
        }
        return data
    }

    private func message(_ archive: OpaquePointer) -> String {
        archive_error_string(archive).map { String(cString: $0) } ?? "unknown libarchive error"
    }
}
