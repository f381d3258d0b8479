import Foundation

/// A record stored as one row of `table`: its properties are the columns in snake_case.
public protocol SQLRecord: Codable, Sendable {
    static var table: String { get }
    /// The primary key's columns.
    static var key: [String] { get }
}

extension SQLRecord {
    /// The record's columns and values, in property order.
    func columnValues() throws -> [(String, SQLValue)] {
        let encoder = RowEncoder()
        try encode(to: encoder)
        return encoder.storage.values
    }
}

/// Encodes a flat record as (column, value) pairs; values that are not column types go in as
/// JSON text.
final class RowEncoder: Encoder {
    final class Storage {
        var values: [(String, SQLValue)] = []
    }

    let storage = Storage()
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] = [:]

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(Keyed<Key>(storage: storage))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer { fatalError("a row is not a list") }
    func singleValueContainer() -> any SingleValueEncodingContainer { fatalError("a row is not one value") }

    struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let storage: Storage
        var codingPath: [any CodingKey] = []

        func put(_ value: SQLValue, _ key: Key) { storage.values.append((RowDecoder.column(key), value)) }

        mutating func encodeNil(forKey key: Key) throws { put(.null, key) }
        mutating func encode(_ value: Bool, forKey key: Key) throws { put(value.sqlValue, key) }
        mutating func encode(_ value: String, forKey key: Key) throws { put(value.sqlValue, key) }
        mutating func encode(_ value: Double, forKey key: Key) throws { put(value.sqlValue, key) }
        mutating func encode(_ value: Float, forKey key: Key) throws { put(Double(value).sqlValue, key) }
        mutating func encode(_ value: Int, forKey key: Key) throws { put(value.sqlValue, key) }
        mutating func encode(_ value: Int8, forKey key: Key) throws { put(.integer(Int64(value)), key) }
        mutating func encode(_ value: Int16, forKey key: Key) throws { put(.integer(Int64(value)), key) }
        mutating func encode(_ value: Int32, forKey key: Key) throws { put(.integer(Int64(value)), key) }
        mutating func encode(_ value: Int64, forKey key: Key) throws { put(.integer(value), key) }
        mutating func encode(_ value: UInt, forKey key: Key) throws { put(.integer(Int64(value)), key) }
        mutating func encode(_ value: UInt8, forKey key: Key) throws { put(.integer(Int64(value)), key) }
        mutating func encode(_ value: UInt16, forKey key: Key) throws { put(.integer(Int64(value)), key) }
        mutating func encode(_ value: UInt32, forKey key: Key) throws { put(.integer(Int64(value)), key) }
        mutating func encode(_ value: UInt64, forKey key: Key) throws { put(.integer(Int64(value)), key) }

        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            if let convertible = value as? any SQLValueConvertible {
                put(convertible.sqlValue, key)
            } else if let raw = value as? any RawRepresentable, let text = raw.rawValue as? String {
                put(.text(text), key)
            } else {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                put(.text(String(decoding: try encoder.encode(value), as: UTF8.self)), key)
            }
        }

        mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
            if let value { try encode(value, forKey: key) } else { put(.null, key) }
        }
        mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws { put(value.sqlValue, key) }
        mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws { put(value.sqlValue, key) }
        mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) throws { put(value.sqlValue, key) }
        mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws { put(value.sqlValue, key) }
        mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws { put(value.sqlValue, key) }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
            -> KeyedEncodingContainer<NestedKey>
        { fatalError("nested containers are stored as JSON through encode(_:forKey:)") }
        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            fatalError("nested containers are stored as JSON through encode(_:forKey:)")
        }
        mutating func superEncoder() -> any Encoder { fatalError("no super encoder for rows") }
        mutating func superEncoder(forKey key: Key) -> any Encoder { fatalError("no super encoder for rows") }
    }
}
