import Foundation
import SijillCore

/// One row of a result, by column name (as the statement names them).
public struct SQLRow: Sendable, Hashable {
    public let columns: [String]
    public let values: [SQLValue]

    public init(columns: [String], values: [SQLValue]) {
        self.columns = columns
        self.values = values
    }

    /// The value of `column` (NULL when there is no such column).
    public func value(_ column: String) -> SQLValue {
        guard let i = columns.firstIndex(of: column) else { return .null }
        return values[i]
    }

    /// The value of `column` as `T`. A value that is not a `T` is a programming error (the
    /// schema and the code disagree) and stops the process, as GRDB's rows do.
    public subscript<T: SQLValueConvertible>(_ column: String) -> T {
        let raw = value(column)
        guard let converted = T(sqlValue: raw) else {
            preconditionFailure("column '\(column)' holds \(raw), not a \(T.self)")
        }
        return converted
    }

    /// The value of the first column.
    public func first<T: SQLValueConvertible>(_ type: T.Type = T.self) -> T? {
        values.first.flatMap { T(sqlValue: $0) }
    }

    /// The row as a `Decodable` record whose properties are the columns in camelCase
    /// (`record_id` → `recordId`); nested values are decoded from JSON text.
    public func decode<T: Decodable>(_ type: T.Type = T.self) throws -> T {
        try T(from: RowDecoder(row: self))
    }
}

/// Decodes a flat record from a row (snake_case columns, camelCase properties).
struct RowDecoder: Decoder {
    let row: SQLRow
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] = [:]

    static func column(_ key: any CodingKey) -> String {
        var out = ""
        for ch in key.stringValue {
            if ch.isUppercase {
                out.append("_")
                out.append(contentsOf: ch.lowercased())
            } else {
                out.append(ch)
            }
        }
        return out
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(Keyed<Key>(row: row))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch([Any].self, .init(codingPath: codingPath, debugDescription: "a row is not a list"))
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        throw DecodingError.typeMismatch(Any.self, .init(codingPath: codingPath, debugDescription: "a row is not one value"))
    }

    struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let row: SQLRow
        var codingPath: [any CodingKey] = []
        var allKeys: [Key] { row.columns.compactMap { Key(stringValue: $0) } }

        func value(_ key: Key) -> SQLValue { row.value(RowDecoder.column(key)) }

        func contains(_ key: Key) -> Bool { row.columns.contains(RowDecoder.column(key)) }

        func decodeNil(forKey key: Key) throws -> Bool { value(key) == .null }

        func mismatch<T>(_ type: T.Type, _ key: Key) -> DecodingError {
            .typeMismatch(T.self, .init(codingPath: codingPath + [key], debugDescription: "column \(RowDecoder.column(key)) holds \(value(key))"))
        }

        func scalar<T: SQLValueConvertible>(_ type: T.Type, _ key: Key) throws -> T {
            guard let v = T(sqlValue: value(key)) else { throw mismatch(T.self, key) }
            return v
        }

        func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try scalar(Bool.self, key) }
        func decode(_ type: String.Type, forKey key: Key) throws -> String { try scalar(String.self, key) }
        func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try scalar(Double.self, key) }
        func decode(_ type: Float.Type, forKey key: Key) throws -> Float { Float(try scalar(Double.self, key)) }
        func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try scalar(Int.self, key) }
        func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { Int8(try scalar(Int64.self, key)) }
        func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { Int16(try scalar(Int64.self, key)) }
        func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { Int32(try scalar(Int64.self, key)) }
        func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try scalar(Int64.self, key) }
        func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { UInt(try scalar(Int64.self, key)) }
        func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { UInt8(try scalar(Int64.self, key)) }
        func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { UInt16(try scalar(Int64.self, key)) }
        func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { UInt32(try scalar(Int64.self, key)) }
        func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { UInt64(try scalar(Int64.self, key)) }

        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            if let convertible = T.self as? any SQLValueConvertible.Type {
                guard let v = convertible.init(sqlValue: value(key)) as? T else { throw mismatch(T.self, key) }
                return v
            }
            // A value that is not a column type: one value (an enum's raw value), or JSON text.
            let raw = value(key)
            if case .text(let text) = raw {
                if let v = try? T(from: SingleValue(value: raw, codingPath: codingPath + [key])) { return v }
                return try JSONDecoder().decode(T.self, from: Data(text.utf8))
            }
            return try T(from: SingleValue(value: raw, codingPath: codingPath + [key]))
        }

        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
            -> KeyedDecodingContainer<NestedKey>
        {
            throw mismatch([String: Any].self, key)
        }

        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer { throw mismatch([Any].self, key) }
        func superDecoder() throws -> any Decoder { RowDecoder(row: row) }
        func superDecoder(forKey key: Key) throws -> any Decoder { RowDecoder(row: row) }
    }

    /// One column's value, for types that decode from a single value (raw-value enums).
    struct SingleValue: Decoder, SingleValueDecodingContainer {
        let value: SQLValue
        var codingPath: [any CodingKey]
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
            throw DecodingError.typeMismatch(Key.self, .init(codingPath: codingPath, debugDescription: "one value"))
        }
        func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
            throw DecodingError.typeMismatch([Any].self, .init(codingPath: codingPath, debugDescription: "one value"))
        }
        func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

        func decodeNil() -> Bool { value == .null }
        func get<T: SQLValueConvertible>(_ type: T.Type) throws -> T {
            guard let v = T(sqlValue: value) else {
                throw DecodingError.typeMismatch(T.self, .init(codingPath: codingPath, debugDescription: "holds \(value)"))
            }
            return v
        }
        func decode(_ type: Bool.Type) throws -> Bool { try get(Bool.self) }
        func decode(_ type: String.Type) throws -> String { try get(String.self) }
        func decode(_ type: Double.Type) throws -> Double { try get(Double.self) }
        func decode(_ type: Float.Type) throws -> Float { Float(try get(Double.self)) }
        func decode(_ type: Int.Type) throws -> Int { try get(Int.self) }
        func decode(_ type: Int8.Type) throws -> Int8 { Int8(try get(Int64.self)) }
        func decode(_ type: Int16.Type) throws -> Int16 { Int16(try get(Int64.self)) }
        func decode(_ type: Int32.Type) throws -> Int32 { Int32(try get(Int64.self)) }
        func decode(_ type: Int64.Type) throws -> Int64 { try get(Int64.self) }
        func decode(_ type: UInt.Type) throws -> UInt { UInt(try get(Int64.self)) }
        func decode(_ type: UInt8.Type) throws -> UInt8 { UInt8(try get(Int64.self)) }
        func decode(_ type: UInt16.Type) throws -> UInt16 { UInt16(try get(Int64.self)) }
        func decode(_ type: UInt32.Type) throws -> UInt32 { UInt32(try get(Int64.self)) }
        func decode(_ type: UInt64.Type) throws -> UInt64 { UInt64(try get(Int64.self)) }
        func decode<T: Decodable>(_ type: T.Type) throws -> T { try T(from: self) }
    }
}
