/// A problem with something a person typed or supplied: an ID, a query, an option.
///
/// The message names the input and says what is wrong with it.
public struct SijillInputError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Internal: Equatable, Sendable {
        case badID(String, String)
        case notFound(String, String)
        case ambiguous(String, Int)
        case badQuery(String, String)
        case badOption(String, String)
    }

    private let value: Internal

    /// The text is not a usable ID or ID prefix.
    public static func badID(_ input: String, reason: String) -> Self { .init(value: .badID(input, reason)) }
    /// Nothing is stored under the ID or prefix; `kind` says what was looked for.
    public static func notFound(_ input: String, kind: String) -> Self { .init(value: .notFound(input, kind)) }
    /// The prefix matches several objects.
    public static func ambiguous(_ input: String, candidates: Int) -> Self { .init(value: .ambiguous(input, candidates)) }
    /// The search query cannot be used.
    public static func badQuery(_ input: String, reason: String) -> Self { .init(value: .badQuery(input, reason)) }

    /// An option or parameter has an unusable value.
    public static func badOption(_ name: String, reason: String) -> Self { .init(value: .badOption(name, reason)) }

    /// A stable machine-readable name for the problem (API error codes).
    public var code: String {
        switch value {
        case .badID: "bad-id"
        case .notFound: "not-found"
        case .ambiguous: "ambiguous-id"
        case .badQuery: "bad-query"
        case .badOption: "bad-parameter"
        }
    }

    /// Whether this is a not-found error (for exit codes and HTTP 404).
    public var isNotFound: Bool { if case .notFound = value { true } else { false } }

    public var description: String {
        switch value {
        case .badID(let input, let reason): "'\(input)' is not a valid ID: \(reason)"
        case .notFound(let input, let kind): "no \(kind) with ID '\(input)'"
        case .ambiguous(let input, let count): "ID prefix '\(input)' matches \(count) objects; type more digits"
        case .badQuery(let input, let reason): "cannot search for '\(input)': \(reason)"
        case .badOption(let name, let reason): "\(name): \(reason)"
        }
    }
}
