import Foundation

/// A full content ID or an abbreviation of one, as typed by a person (like a git hash).
///
/// Prefixes need at least ``minimumLength`` hex digits so that they stay unambiguous in an
/// archive of millions of objects.
public struct IDPrefix: Hashable, Sendable, CustomStringConvertible {
    /// The shortest prefix accepted.
    public static let minimumLength = 12

    /// Lowercase hex digits, 12 to 64 of them.
    public let hex: String

    /// Parses user input; throws ``SijillInputError`` naming the input when it is not 12–64 hex digits.
    public init(_ input: String) throws {
        let lower = input.trimmingCharacters(in: .whitespaces).lowercased()
        guard lower.utf8.allSatisfy(ContentID.isHexDigit) else {
            throw SijillInputError.badID(input, reason: "an ID is made of hex digits 0-9 and a-f")
        }
        guard lower.count >= IDPrefix.minimumLength, lower.count <= 64 else {
            throw SijillInputError.badID(
                input, reason: "give the full 64-digit ID or a prefix of at least \(IDPrefix.minimumLength) digits")
        }
        hex = lower
    }

    /// The full ID when all 64 digits were given.
    public var fullID: ContentID? { ContentID(hex: hex) }

    /// Whether `id` starts with this prefix.
    public func matches(_ id: ContentID) -> Bool { id.hex.hasPrefix(hex) }

    public var description: String { hex }
}

