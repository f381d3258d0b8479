import Foundation

/// Which SQL the catalog speaks to: the embedded SQLite file, or a PostgreSQL server.
public enum SQLDialect: String, Sendable {
    case sqlite, postgres
}

/// A connection inside a transaction (or a read). Statements are written with `?` placeholders;
/// the PostgreSQL connection numbers them (`$1`, `$2`, …).
public protocol SQLConnection {
    var dialect: SQLDialect { get }
    /// Runs a statement; returns the number of rows it changed.
    @discardableResult
    func execute(_ sql: String, _ arguments: [any SQLValueConvertible]) throws -> Int
    /// Runs a query and returns every row.
    func rows(_ sql: String, _ arguments: [any SQLValueConvertible]) throws -> [SQLRow]
}

extension SQLConnection {
    @discardableResult
    public func execute(_ sql: String) throws -> Int { try execute(sql, []) }

    public func rows(_ sql: String) throws -> [SQLRow] { try rows(sql, []) }

    /// The first row, if any.
    public func row(_ sql: String, _ arguments: [any SQLValueConvertible] = []) throws -> SQLRow? {
        try rows(sql, arguments).first
    }

    /// The first column of the first row, nil when there is no row or it is NULL.
    public func scalar<T: SQLValueConvertible>(
        _ type: T.Type = T.self, _ sql: String, _ arguments: [any SQLValueConvertible] = []
    ) throws -> T? {
        try row(sql, arguments)?.values.first.flatMap { T(sqlValue: $0) }
    }

    /// The first column of every row.
    public func column<T: SQLValueConvertible>(
        _ type: T.Type = T.self, _ sql: String, _ arguments: [any SQLValueConvertible] = []
    ) throws -> [T] {
        try rows(sql, arguments).compactMap { $0.values.first.flatMap { T(sqlValue: $0) } }
    }

    /// Every row as a record.
    public func records<T: Decodable>(
        _ type: T.Type = T.self, _ sql: String, _ arguments: [any SQLValueConvertible] = []
    ) throws -> [T] {
        try rows(sql, arguments).map { try $0.decode(T.self) }
    }

    /// The first row as a record.
    public func record<T: Decodable>(
        _ type: T.Type = T.self, _ sql: String, _ arguments: [any SQLValueConvertible] = []
    ) throws -> T? {
        try row(sql, arguments).map { try $0.decode(T.self) }
    }

    /// The record with this primary key.
    public func find<T: SQLRecord>(_ type: T.Type, key: [any SQLValueConvertible]) throws -> T? {
        let condition = T.key.map { "\($0) = ?" }.joined(separator: " AND ")
        return try record(T.self, "SELECT * FROM \(T.table) WHERE \(condition)", key)
    }

    /// Inserts the record (fails on an existing key).
    public func insert<T: SQLRecord>(_ record: T) throws {
        let pairs = try record.columnValues()
        try execute(
            "INSERT INTO \(T.table)(\(pairs.map(\.0).joined(separator: ", "))) VALUES (\(pairs.map { _ in "?" }.joined(separator: ", ")))",
            pairs.map(\.1))
    }

    /// Inserts the record without its `id` column (the database numbers it) and returns the id.
    public func insertReturningID<T: SQLRecord>(_ record: T) throws -> Int64 {
        let pairs = try record.columnValues().filter { $0.0 != "id" }
        guard let id = try scalar(
            Int64.self,
            "INSERT INTO \(T.table)(\(pairs.map(\.0).joined(separator: ", "))) VALUES (\(pairs.map { _ in "?" }.joined(separator: ", "))) RETURNING id",
            pairs.map(\.1))
        else { throw SQLDatabaseError(location: "", message: "INSERT INTO \(T.table) returned no id") }
        return id
    }

    /// Updates every column of the record's row; returns whether it existed.
    @discardableResult
    public func update<T: SQLRecord>(_ record: T) throws -> Bool {
        let pairs = try record.columnValues()
        let keys = Set(T.key)
        let set = pairs.filter { !keys.contains($0.0) }
        let key = T.key.map { k in pairs.first { $0.0 == k }?.1 ?? .null }
        return try execute(
            "UPDATE \(T.table) SET \(set.map { "\($0.0) = ?" }.joined(separator: ", ")) WHERE "
                + T.key.map { "\($0) = ?" }.joined(separator: " AND "),
            set.map(\.1) + key) > 0
    }

    /// Inserts the record, or replaces every column of the row with its key.
    public func save<T: SQLRecord>(_ record: T) throws {
        let pairs = try record.columnValues()
        let keys = Set(T.key)
        let set = pairs.filter { !keys.contains($0.0) }.map { "\($0.0) = excluded.\($0.0)" }
        try execute(
            "INSERT INTO \(T.table)(\(pairs.map(\.0).joined(separator: ", "))) VALUES (\(pairs.map { _ in "?" }.joined(separator: ", ")))"
                + " ON CONFLICT(\(T.key.joined(separator: ", "))) DO "
                + (set.isEmpty ? "NOTHING" : "UPDATE SET " + set.joined(separator: ", ")),
            pairs.map(\.1))
    }
}

/// A database the catalog runs on: reads see one consistent state; a write is one transaction
/// (all of it or none), serialised with other writers where they touch the same rows.
public protocol SQLDatabase: Sendable {
    var dialect: SQLDialect { get }
    /// Where it is, for messages (a file path, or `postgres://user@host:port/db` without password).
    var location: String { get }
    func read<T>(_ body: (any SQLConnection) throws -> T) throws -> T
    @discardableResult
    func write<T>(_ body: (any SQLConnection) throws -> T) throws -> T
}

/// A database error, naming the database and what failed.
public struct SQLDatabaseError: Error, CustomStringConvertible, Sendable {
    public var location: String
    public var message: String
    /// The SQLSTATE (PostgreSQL) or result code (SQLite), when known.
    public var code: String?

    public var description: String { "catalog \(location): \(message)" }
}
