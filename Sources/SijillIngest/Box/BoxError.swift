/// A problem reading a box as a whole, or one of its entries.
public struct BoxError: Error, Sendable, CustomStringConvertible {
    private enum Internal: Sendable {
        case cannotOpen(String, String)
        case damaged(String, String, String?)
        case entryTooLarge(String, Int)
        case entryUnreadable(String, String)
        case compressionBomb(String, Int, Int)
        case tooManyEntries(String, Int)
    }

    private let value: Internal

    /// The box cannot be opened at all (missing, not an archive, unsupported format).
    public static func cannotOpen(_ box: String, _ reason: String) -> Self { .init(value: .cannotOpen(box, reason)) }
    /// The archive is truncated or corrupt; `after` is the last entry read whole.
    public static func damaged(_ box: String, _ reason: String, after: String?) -> Self {
        .init(value: .damaged(box, reason, after))
    }
    /// An entry is larger than the configured limit.
    public static func entryTooLarge(_ entry: String, limit: Int) -> Self { .init(value: .entryTooLarge(entry, limit)) }
    /// An entry's bytes cannot be read (encrypted, corrupt compressed data…).
    public static func entryUnreadable(_ entry: String, _ reason: String) -> Self {
        .init(value: .entryUnreadable(entry, reason))
    }

    /// An entry inflates far beyond its compressed size (a decompression bomb); stopped early.
    public static func compressionBomb(_ entry: String, ratio: Int, floor: Int) -> Self {
        .init(value: .compressionBomb(entry, ratio, floor))
    }
    /// The box holds more entries than the configured limit; it is refused as a whole.
    public static func tooManyEntries(_ box: String, limit: Int) -> Self { .init(value: .tooManyEntries(box, limit)) }

    /// Short code for reports.
    public var code: String {
        switch value {
        case .cannotOpen: "cannot-open"
        case .damaged: "archive-damaged"
        case .entryTooLarge: "entry-too-large"
        case .compressionBomb: "zip-bomb"
        case .tooManyEntries: "too-many-entries"
        case .entryUnreadable: "entry-unreadable"
        }
    }

    public var description: String {
        switch value {
        case .cannotOpen(let box, let reason): "cannot open box \(box): \(reason)"
        case .damaged(let box, let reason, let after):
            "box \(box) is truncated or corrupt"
                + (after.map { " after entry '\($0)'" } ?? " at its start") + ": \(reason)"
        case .entryTooLarge(let entry, let limit): "\(entry): larger than the limit of \(limit / 1_048_576) MiB per entry"
        case .compressionBomb(let entry, let ratio, let floor):
            "\(entry): expands more than \(ratio)× its compressed size past \(floor / 1_048_576) MiB (a decompression bomb); not read further"
        case .tooManyEntries(let box, let limit):
            "box \(box) holds more than \(limit) entries (the limit); nothing from it is imported: split it into smaller boxes or raise --max-entries"
        case .entryUnreadable(let entry, let reason): "\(entry): cannot read its data (\(reason))"
        }
    }
}
