/// Limits on reading a box, so that a hostile or broken delivery cannot exhaust memory or time.
/// A box over `maxEntries` is refused as a whole; an entry over a byte or ratio limit is refused
/// by name and the rest of the box goes on.
public struct BoxLimits: Sendable, Hashable {
    /// Most entries (files, folders, links) a box may hold.
    public var maxEntries: Int
    /// Largest entry read, in bytes.
    public var maxEntryBytes: Int
    /// An entry that has inflated past `bombFloor` bytes to more than `maxRatio` times the
    /// compressed bytes read for it is refused as a decompression bomb, without inflating it to
    /// `maxEntryBytes`. (A legitimately uncompressed scan can compress 500×, but stays far below
    /// the floor.)
    public var maxRatio: Int
    public var bombFloor: Int

    public init(maxEntries: Int = 20_000, maxEntryBytes: Int = 512 << 20, maxRatio: Int = 100, bombFloor: Int = 64 << 20) {
        self.maxEntries = maxEntries
        self.maxEntryBytes = maxEntryBytes
        self.maxRatio = maxRatio
        self.bombFloor = bombFloor
    }
}
