import Foundation

/// The PostgreSQL server the tests run against (a private cluster started by script/pg-server;
/// `script/test` exports `SIJILL_TEST_PG`).
public enum TestPG {
    public struct NotConfigured: Error, CustomStringConvertible {
        public var description: String { "SIJILL_TEST_PG is not set: script/test starts PostgreSQL (script/pg-server)" }
    }

    /// The server's URL (its `sijill_test` database). Nil when none is configured outside CI;
    /// on CI that is an error, so the PostgreSQL cases fail rather than pass unseen.
    public static func url() throws -> String? {
        guard let base = ProcessInfo.processInfo.environment["SIJILL_TEST_PG"] else {
            if ProcessInfo.processInfo.environment["CI"] != nil { throw NotConfigured() }
            return nil
        }
        return base
    }

    /// A streaming replica of that server (`script/pg-server replica`; `script/test` exports
    /// `SIJILL_TEST_PG_REPLICA`), its `sijill_test` database; nil outside CI when none is set.
    public static func replicaURL() throws -> String? {
        guard let url = ProcessInfo.processInfo.environment["SIJILL_TEST_PG_REPLICA"] else {
            if ProcessInfo.processInfo.environment["CI"] != nil { throw NotConfigured() }
            return nil
        }
        return url
    }

    /// A fresh database name for one test.
    public static func databaseName(_ label: String) -> String {
        "t_\(label.lowercased().filter { $0.isLetter || $0.isNumber })_\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// `url` with its database replaced by `name`.
    public static func url(_ url: String, database name: String) -> String {
        guard var components = URLComponents(string: url) else { return url }
        components.path = "/" + name
        return components.string ?? url
    }
}
