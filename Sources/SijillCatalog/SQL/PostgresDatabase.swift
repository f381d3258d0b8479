import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import Synchronization

/// A catalog database on a PostgreSQL server (`postgres://user[:password]@host[:port]/database`,
/// `?sslmode=disable|require`). Connections are pooled; every read runs in a read-only
/// repeatable-read transaction (one consistent state), every write in a read-committed
/// transaction committed at the end of its body. Calls block the calling thread.
public final class PostgresDatabase: SQLDatabase, @unchecked Sendable {
    public var dialect: SQLDialect { .postgres }
    public let location: String
    private let configuration: PostgresConnection.Configuration
    private let group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    private let idle = Mutex<[PostgresConnection]>([])
    private let nextID = Atomic<Int>(0)
    private let logger: Logger
    /// Connections kept open when idle.
    private let keep: Int

    public init(url: String, keepConnections: Int = 8) throws {
        guard let components = URLComponents(string: url), ["postgres", "postgresql"].contains(components.scheme ?? ""),
            let host = components.host, !host.isEmpty
        else {
            throw SQLDatabaseError(
                location: Self.redacted(url), message: "not a PostgreSQL URL: expected postgres://user@host:port/database")
        }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty else {
            throw SQLDatabaseError(location: Self.redacted(url), message: "the URL names no database (postgres://user@host:port/DATABASE)")
        }
        let user = components.user.flatMap { $0.removingPercentEncoding } ?? "postgres"
        let password = components.password.flatMap { $0.removingPercentEncoding }
        let sslmode = components.queryItems?.first { $0.name == "sslmode" }?.value ?? "disable"
        let tls: PostgresConnection.Configuration.TLS
        switch sslmode {
        case "disable": tls = .disable
        case "require", "verify-full":
            tls = .require(try .init(configuration: .makeClientConfiguration()))
        case "prefer": tls = .prefer(try .init(configuration: .makeClientConfiguration()))
        default:
            throw SQLDatabaseError(location: Self.redacted(url), message: "sslmode must be disable, prefer, require or verify-full")
        }
        configuration = PostgresConnection.Configuration(
            host: host, port: components.port ?? 5432, username: user, password: password, database: database, tls: tls)
        location = Self.redacted(url)
        keep = keepConnections
        var logger = Logger(label: "sijill.postgres")
        logger.logLevel = .critical
        self.logger = logger
        // Fail now, with the server's own words, rather than at the first query.
        try withConnection { _ in }
    }

    deinit {
        for connection in idle.withLock({ $0 }) { let closing: EventLoopFuture<Void> = connection.close(); try? closing.wait() }
    }

    /// The URL without its password (what the data directory records).
    public static func withoutPassword(_ url: String) -> String {
        guard var components = URLComponents(string: url) else { return url }
        components.password = nil
        return components.string ?? url
    }

    /// The URL without its password, for messages.
    static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url) else { return "(unparseable catalog URL)" }
        if components.password != nil { components.password = "***" }
        components.query = nil
        return components.string ?? "(catalog URL)"
    }

    private func withConnection<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        let connection: PostgresConnection
        if let reused = idle.withLock({ $0.popLast() }), !reused.isClosed {
            connection = reused
        } else {
            do {
                connection = try PostgresConnection.connect(
                    on: group.next(), configuration: configuration, id: nextID.add(1, ordering: .relaxed).newValue,
                    logger: logger
                ).wait()
            } catch {
                throw SQLDatabaseError(location: location, message: "cannot connect: \(Self.message(error))", code: Self.code(error))
            }
        }
        do {
            let result = try body(connection)
            giveBack(connection)
            return result
        } catch {
            giveBack(connection)
            throw error
        }
    }

    private func giveBack(_ connection: PostgresConnection) {
        guard !connection.isClosed else { return }
        let closeIt = idle.withLock { list -> Bool in
            guard list.count < keep else { return true }
            list.append(connection)
            return false
        }
        if closeIt { let closing: EventLoopFuture<Void> = connection.close(); _ = closing }
    }

    /// Runs one statement outside any transaction (`CREATE DATABASE`, `VACUUM`, …).
    public func administer(_ sql: String) throws {
        try withConnection { raw in
            _ = try Connection(connection: raw, location: location, logger: logger).execute(sql)
        }
    }

    public func read<T>(_ body: (any SQLConnection) throws -> T) throws -> T {
        try transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", body)
    }

    @discardableResult
    public func write<T>(_ body: (any SQLConnection) throws -> T) throws -> T {
        try transaction("BEGIN", body)
    }

    private func transaction<T>(_ begin: String, _ body: (any SQLConnection) throws -> T) throws -> T {
        try withConnection { raw in
            let connection = Connection(connection: raw, location: location, logger: logger)
            try connection.execute(begin)
            do {
                let result = try body(connection)
                try connection.execute("COMMIT")
                return result
            } catch {
                _ = try? connection.execute("ROLLBACK")
                throw error
            }
        }
    }

    static func message(_ error: any Error) -> String {
        if let psql = error as? PSQLError {
            if let server = psql.serverInfo, let text = server[.message] {
                return text + (server[.detail].map { " (\($0))" } ?? "")
            }
            return "\(psql.code)" + (psql.underlying.map { ": \($0)" } ?? "")
        }
        return "\(error)"
    }

    static func code(_ error: any Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.sqlState]
    }

    /// One pooled connection inside a transaction.
    struct Connection: SQLConnection {
        let connection: PostgresConnection
        let location: String
        let logger: Logger
        var dialect: SQLDialect { .postgres }

        func query(_ sql: String, _ arguments: [any SQLValueConvertible]) throws -> PostgresQueryResult {
            var binds = PostgresBindings(capacity: arguments.count)
            for argument in arguments {
                switch argument.sqlValue {
                case .null: binds.appendNull()
                case .integer(let i): binds.append(i)
                case .real(let d): binds.append(d)
                case .text(let s): binds.append(s)
                case .blob(let b): binds.append(ByteBuffer(bytes: b))
                }
            }
            let query = PostgresQuery(unsafeSQL: Self.numbered(sql), binds: binds)
            do {
                return try connection.query(query, logger: logger).wait()
            } catch {
                throw SQLDatabaseError(
                    location: location, message: PostgresDatabase.message(error), code: PostgresDatabase.code(error))
            }
        }

        @discardableResult
        func execute(_ sql: String, _ arguments: [any SQLValueConvertible]) throws -> Int {
            try query(sql, arguments).metadata.rows ?? 0
        }

        func rows(_ sql: String, _ arguments: [any SQLValueConvertible]) throws -> [SQLRow] {
            let result = try query(sql, arguments)
            // Every row shares one array of column names (a search reads thousands of rows).
            var columns: [String]?
            return try result.rows.map { row in
                var values: [SQLValue] = []
                values.reserveCapacity(row.count)
                for cell in row { values.append(try Self.value(cell)) }
                if columns == nil { columns = row.map(\.columnName) }
                return SQLRow(columns: columns!, values: values)
            }
        }

        static func value(_ cell: PostgresCell) throws -> SQLValue {
            guard cell.bytes != nil else { return .null }
            switch cell.dataType {
            case .int2, .int4, .int8, .oid: return .integer(try cell.decode(Int64.self))
            case .float4, .float8: return .real(try cell.decode(Double.self))
            case .numeric:
                // sum() of BIGINT is NUMERIC: whole numbers come back as integers, as on SQLite.
                let text = try cell.decode(Decimal.self).description
                if let whole = Int64(text) { return .integer(whole) }
                guard let real = Double(text) else {
                    throw SQLDatabaseError(location: "PostgreSQL", message: "column \(cell.columnName) holds the number \(text), out of range")
                }
                return .real(real)
            case .bool: return .integer(try cell.decode(Bool.self) ? 1 : 0)
            case .bytea: return .blob(Data(buffer: try cell.decode(ByteBuffer.self)))
            default: return .text(try cell.decode(String.self))
            }
        }

        /// `?` placeholders as `$1`, `$2`, … (outside quotes and comments).
        static func numbered(_ sql: String) -> String {
            var out = ""
            out.reserveCapacity(sql.utf8.count + 16)
            var n = 0
            var quote: Character?
            var comment = false
            var previous: Character = " "
            var pendingNumber = false
            for ch in sql {
                if pendingNumber {
                    pendingNumber = false
                    if ch.isASCII, ch.isNumber {
                        out += "$"
                    } else {
                        n += 1
                        out += "$\(n)"
                    }
                }
                if comment {
                    if ch == "\n" { comment = false }
                } else if let q = quote {
                    if ch == q { quote = nil }
                } else if ch == "'" || ch == "\"" {
                    quote = ch
                } else if ch == "-", previous == "-" {
                    comment = true
                } else if ch == "?" {
                    // `?NNN` (SQLite's numbered form) keeps its number; a bare `?` takes the next.
                    pendingNumber = true
                    previous = ch
                    continue
                }
                out.append(ch)
                previous = ch
            }
            if pendingNumber {
                n += 1
                out += "$\(n)"
            }
            return out
        }
    }
}
