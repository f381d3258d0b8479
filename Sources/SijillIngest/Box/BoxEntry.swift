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
