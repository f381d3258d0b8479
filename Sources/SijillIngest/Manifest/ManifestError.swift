/// A manifest that cannot be used as a whole (a bad row is reported per row instead).
public struct ManifestError: Error, Sendable, CustomStringConvertible {
    private enum Internal: Sendable {
        case encoding(String, String)
        case syntax(String, Int, String)
        case header(String, String)
        case tooLarge(String, Int)
        case unreadable(String, String)
    }

    private let value: Internal

    public static func encoding(_ name: String, _ detail: String) -> Self { .init(value: .encoding(name, detail)) }
    public static func syntax(_ name: String, line: Int, _ detail: String) -> Self { .init(value: .syntax(name, line, detail)) }
    public static func header(_ name: String, _ detail: String) -> Self { .init(value: .header(name, detail)) }
    public static func tooLarge(_ name: String, limit: Int) -> Self { .init(value: .tooLarge(name, limit)) }
    public static func unreadable(_ name: String, _ detail: String) -> Self { .init(value: .unreadable(name, detail)) }

    public var description: String {
        switch value {
        case .encoding(let name, let detail): "manifest \(name): \(detail)"
        case .syntax(let name, let line, let detail): "manifest \(name), line \(line): \(detail)"
        case .header(let name, let detail): "manifest \(name), header row: \(detail)"
        case .tooLarge(let name, let limit): "manifest \(name) is larger than \(limit / 1_048_576) MiB"
        case .unreadable(let name, let detail): "manifest \(name): \(detail)"
        }
    }
}
