/// One entry of a box as the reader saw it, before any decision about it.
public struct BoxEntry: Sendable, Hashable {
    /// What kind of file system object the entry is.
    public enum Kind: String, Sendable, Hashable, Codable {
        case file, directory, symlink, hardlink, other
    }

    /// The name exactly as the box gave it (for reports), even when unsafe.
    public var rawName: String
    /// The normalised relative path, or nil when the name is unsafe (see ``EntryPath``).
    public var path: String?
    /// Why the name is unsafe, when it is.
    public var unsafeReason: String?
    public var kind: Kind
    /// Uncompressed size if the box declares it.
    public var size: Int64?
    /// For links, where they point.
    public var linkTarget: String?
    /// How the name was read when the box did not give it in UTF-8 (for the report).
    public var nameNote: String?

    public init(rawName: String, kind: Kind, size: Int64?, linkTarget: String? = nil, nameIsValidUTF8: Bool = true) {
        self.rawName = rawName
        self.kind = kind
        self.size = size
        self.linkTarget = linkTarget
        switch EntryPath.normalize(rawName, validUTF8: nameIsValidUTF8) {
        case .success(let path):
            self.path = path
            self.unsafeReason = nil
        case .failure(let reason):
            self.path = nil
            self.unsafeReason = reason.message
        }
    }
}

/// Zip entry names written in the DOS Arabic code page (720), as Windows' own "compressed
/// folder" writes them on Arabic Windows (no UTF-8 flag): libarchive hands over their bytes,
/// which are not UTF-8.
enum LegacyZipName {
    /// The name read as code page 720, when that gives Arabic letters and nothing a name would
    /// not hold (control characters, box drawing, the code page's unassigned bytes).
    static func decode(_ bytes: [UInt8]) -> String? {
        var scalars = String.UnicodeScalarView()
        for byte in bytes {
            let scalar = byte < 0x80 ? Unicode.Scalar(byte) : cp720[Int(byte) - 0x80]
            guard scalar.value >= 0x20, scalar.value != 0x7F, !(0x80...0x9F).contains(scalar.value),
                !(0x2500...0x25FF).contains(scalar.value), scalar != "\u{FFFD}"
            else { return nil }
            scalars.append(scalar)
        }
        guard scalars.contains(where: { (0x0621...0x064A).contains($0.value) }) else { return nil }
        return String(scalars)
    }

    /// Code page 720 bytes 0x80–0xFF (below 0x80 it is ASCII); U+FFFD where it assigns nothing.
    static let cp720: [Unicode.Scalar] = Array(
        [
            "\u{0080}\u{0081}\u{00E9}\u{00E2}\u{0084}\u{00E0}\u{0086}\u{00E7}\u{00EA}\u{00EB}\u{00E8}\u{00EF}\u{00EE}\u{008D}\u{008E}\u{008F}",
            "\u{0090}\u{0651}\u{0652}\u{00F4}\u{00A4}\u{0640}\u{00FB}\u{00F9}\u{0621}\u{0622}\u{0623}\u{0624}\u{00A3}\u{0625}\u{0626}\u{0627}",
            "\u{0628}\u{0629}\u{062A}\u{062B}\u{062C}\u{062D}\u{062E}\u{062F}\u{0630}\u{0631}\u{0632}\u{0633}\u{0634}\u{0635}\u{00AB}\u{00BB}",
            "\u{2591}\u{2592}\u{2593}\u{2502}\u{2524}\u{2561}\u{2562}\u{2556}\u{2555}\u{2563}\u{2551}\u{2557}\u{255D}\u{255C}\u{255B}\u{2510}",
            "\u{2514}\u{2534}\u{252C}\u{251C}\u{2500}\u{253C}\u{255E}\u{255F}\u{255A}\u{2554}\u{2569}\u{2566}\u{2560}\u{2550}\u{256C}\u{2567}",
            "\u{2568}\u{2564}\u{2565}\u{2559}\u{2558}\u{2552}\u{2553}\u{256B}\u{256A}\u{2518}\u{250C}\u{2588}\u{2584}\u{258C}\u{2590}\u{2580}",
            "\u{0636}\u{0637}\u{0638}\u{0639}\u{063A}\u{0641}\u{00B5}\u{0642}\u{0643}\u{0644}\u{0645}\u{0646}\u{0647}\u{0648}\u{0649}\u{064A}",
            "\u{2261}\u{064B}\u{064C}\u{064D}\u{064E}\u{064F}\u{0650}\u{2248}\u{00B0}\u{2219}\u{00B7}\u{221A}\u{207F}\u{00B2}\u{25A0}\u{00A0}",
        ].joined().unicodeScalars)
}
