import Crypto
import Foundation

/// The address of a stored object: the SHA-256 of its bytes, as 64 lowercase hex digits.
///
/// Every page image, OCR text, hOCR document and record manifest is stored under its
/// `ContentID`, so the same bytes always get the same ID and any change is detectable.
///
/// ```swift
/// let id = ContentID.of(Data("سجل".utf8))
/// print(id.hex) // "…64 hex digits…"
/// ```
public struct ContentID: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The 64 lowercase hex digits.
    public let hex: String

    /// Parses a full ID; `nil` unless `hex` is exactly 64 hex digits (upper case is folded).
    public init?(hex: String) {
        let lower = hex.lowercased()
        guard lower.utf8.count == 64, lower.utf8.allSatisfy(ContentID.isHexDigit) else { return nil }
        self.hex = lower
    }

    /// The ID of `bytes`.
    public static func of(_ bytes: some DataProtocol) -> ContentID {
        ContentID(digest: SHA256.hash(data: bytes))
    }

    /// The ID for a finished SHA-256 digest (for hashing while streaming).
    public init(digest: SHA256.Digest) {
        self.hex = digest.map { byte in
            let s = String(byte, radix: 16)
            return s.count == 1 ? "0" + s : s
        }.joined()
    }

    public var description: String { hex }

    /// The first 12 hex digits, for tables and logs.
    public var short: String { String(hex.prefix(12)) }

    public static func < (lhs: ContentID, rhs: ContentID) -> Bool { lhs.hex < rhs.hex }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let string = try container.decode(String.self)
        guard let id = ContentID(hex: string) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "'\(string)' is not a SHA-256 content ID")
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hex)
    }

    static func isHexDigit(_ c: UInt8) -> Bool {
        (c >= 48 && c <= 57) || (c >= 97 && c <= 102)
    }
}
