import Foundation

/// Times as the catalog and the audit log store them: ISO 8601 in UTC, to the second
/// (`2026-11-27T01:30:00Z`), which sorts as text in time order.
public enum Timestamp {
    public static func string(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!))
    }

    /// Parses `string(_:)`'s format.
    public static func date(_ string: String) -> Date? {
        try? Date(string, strategy: Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!))
    }
}
