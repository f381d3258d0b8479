import Foundation
import GRDB

/// The embedded catalog's database: a GRDB writer (a WAL-mode pool on disk, a queue in memory).
public struct GRDBDatabase: SQLDatabase {
    public let writer: any DatabaseWriter
    public var dialect: SQLDialect { .sqlite }
    public var location: String { writer.path }

    public init(_ writer: any DatabaseWriter) { self.writer = writer }

    /// A WAL-mode pool on the file at `url` (created if missing), configured as the catalog's.
    public static func file(at url: URL) throws -> GRDBDatabase {
        GRDBDatabase(try DatabasePool(path: url.path, configuration: Catalog.configuration()))
    }

    public func read<T>(_ body: (any SQLConnection) throws -> T) throws -> T {
        try writer.read { db in try body(Connection(db: db)) }
    }

    @discardableResult
    public func write<T>(_ body: (any SQLConnection) throws -> T) throws -> T {
        try writer.write { db in try body(Connection(db: db)) }
    }

    /// A GRDB connection inside the caller's transaction.
    public struct Connection: SQLConnection {
        public let db: Database
        public var dialect: SQLDialect { .sqlite }

        public init(db: Database) { self.db = db }

        static func arguments(_ values: [any SQLValueConvertible]) -> StatementArguments {
            StatementArguments(values.map { value -> DatabaseValue in
                switch value.sqlValue {
                case .null: return .null
                case .integer(let i): return i.databaseValue
                case .real(let d): return d.databaseValue
                case .text(let s): return s.databaseValue
                case .blob(let b): return b.databaseValue
                }
            })
        }

        @discardableResult
        public func execute(_ sql: String, _ arguments: [any SQLValueConvertible]) throws -> Int {
            try db.cachedStatement(sql: sql).execute(arguments: Self.arguments(arguments))
            return db.changesCount
        }

        public func rows(_ sql: String, _ arguments: [any SQLValueConvertible]) throws -> [SQLRow] {
            try Row.fetchAll(db.cachedStatement(sql: sql), arguments: Self.arguments(arguments)).map { row in
                SQLRow(
                    columns: Array(row.columnNames),
                    values: row.databaseValues.map { value in
                        switch value.storage {
                        case .null: return .null
                        case .int64(let i): return .integer(i)
                        case .double(let d): return .real(d)
                        case .string(let s): return .text(s)
                        case .blob(let b): return .blob(b)
                        }
                    })
            }
        }
    }
}
