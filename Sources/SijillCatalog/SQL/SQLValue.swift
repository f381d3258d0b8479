import Foundation
import SijillCore

/// A value bound to or read from a SQL statement, the same on SQLite and PostgreSQL. Integers
/// are 64-bit (`bigint` in PostgreSQL), booleans are stored as 0/1, times as ISO 8601 text.
public enum SQLValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob(Data)
}

/// A Swift type stored as one SQL value.
public protocol SQLValueConvertible: Sendable {
    var sqlValue: SQLValue { get }
    /// The value read back, nil when `value` cannot be one (a NULL, another type).
    init?(sqlValue value: SQLValue)
}

extension SQLValue: SQLValueConvertible {
    public var sqlValue: SQLValue { self }
    public init?(sqlValue value: SQLValue) { self = value }
}

extension Int64: SQLValueConvertible {
    public var sqlValue: SQLValue { .integer(self) }
    public init?(sqlValue value: SQLValue) {
        switch value {
        case .integer(let i): self = i
        case .real(let d) where d == d.rounded(): self = Int64(d)
        case .text(let s): guard let i = Int64(s) else { return nil }; self = i
        default: return nil
        }
    }
}

extension Int: SQLValueConvertible {
    public var sqlValue: SQLValue { .integer(Int64(self)) }
    public init?(sqlValue value: SQLValue) {
        guard let i = Int64(sqlValue: value) else { return nil }
        self = Int(i)
    }
}

extension Double: SQLValueConvertible {
    public var sqlValue: SQLValue { .real(self) }
    public init?(sqlValue value: SQLValue) {
        switch value {
        case .real(let d): self = d
        case .integer(let i): self = Double(i)
        case .text(let s): guard let d = Double(s) else { return nil }; self = d
        default: return nil
        }
    }
}

extension Bool: SQLValueConvertible {
    public var sqlValue: SQLValue { .integer(self ? 1 : 0) }
    public init?(sqlValue value: SQLValue) {
        guard let i = Int64(sqlValue: value) else { return nil }
        self = i != 0
    }
}

extension String: SQLValueConvertible {
    public var sqlValue: SQLValue { .text(self) }
    public init?(sqlValue value: SQLValue) {
        switch value {
        case .text(let s): self = s
        case .integer(let i): self = String(i)
        case .real(let d): self = String(d)
        case .blob(let b): self = String(decoding: b, as: UTF8.self)
        case .null: return nil
        }
    }
}

extension Data: SQLValueConvertible {
    public var sqlValue: SQLValue { .blob(self) }
    public init?(sqlValue value: SQLValue) {
        switch value {
        case .blob(let b): self = b
        case .text(let s): self = Data(s.utf8)
        default: return nil
        }
    }
}

extension ContentID: SQLValueConvertible {
    public var sqlValue: SQLValue { .text(hex) }
    public init?(sqlValue value: SQLValue) {
        guard case .text(let s) = value, let id = ContentID(hex: s) else { return nil }
        self = id
    }
}

extension Optional: SQLValueConvertible where Wrapped: SQLValueConvertible {
    public var sqlValue: SQLValue { self?.sqlValue ?? .null }
    public init?(sqlValue value: SQLValue) {
        if case .null = value {
            self = .none
        } else {
            guard let wrapped = Wrapped(sqlValue: value) else { return nil }
            self = .some(wrapped)
        }
    }
}
