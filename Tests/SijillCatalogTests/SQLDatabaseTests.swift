import Foundation
import SijillCatalog
import SijillCore
import SijillTestSupport
import Testing

/// The catalog's two databases: the embedded SQLite file and a PostgreSQL server.
enum Backend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres
    var testDescription: String { rawValue }

    /// A fresh, empty database of this kind; nil for PostgreSQL when no server is configured
    /// (outside CI).
    func database(_ label: String) throws -> (any SQLDatabase)? {
        switch self {
        case .sqlite:
            let dir = try FixtureFiles.temporaryDirectory("sijill-sql")
            return try GRDBDatabase.file(at: dir.appendingPathComponent("catalog.sqlite"))
        case .postgres:
            guard let base = try TestPG.url() else { return nil }
            let name = TestPG.databaseName(label)
            try PostgresDatabase(url: base).administer("CREATE DATABASE \(name)")
            return try PostgresDatabase(url: TestPG.url(base, database: name))
        }
    }
}

struct Sample: SQLRecord, Equatable {
    static let table = "sample"
    static let key = ["id"]
    enum Kind: String, Codable, Sendable { case letter, permit }
    var id: String
    var count: Int
    var ratio: Double?
    var kind: Kind
    var image: ContentID?
    var note: String?
}

@Suite struct SQLDatabaseTests {
    static let schema = """
        CREATE TABLE sample (id TEXT PRIMARY KEY, count BIGINT NOT NULL, ratio DOUBLE PRECISION, kind TEXT NOT NULL,
                             image TEXT, note TEXT)
        """

    @Test("values go in and come back the same on both databases; a ? inside quotes is not a placeholder", arguments: Backend.allCases)
    func roundTrip(backend: Backend) throws {
        guard let db = try backend.database("roundtrip") else { return }
        let id = ContentID.of(Data("x".utf8))
        let row = try db.read { c in
            try c.row(
                "SELECT ? AS i, ? AS d, ? AS t, ? AS b, ? AS n, ? AS c, '?' AS q, 'it''s ?' AS q2",
                [Int64(-42), 2.5, "وزارة الداخلية ٨١٥٥٩", Data([0, 1, 255]), SQLValue.null, id])
        }
        let r = try #require(row)
        #expect(r["i"] as Int64 == -42 && r["d"] as Double == 2.5 && r["t"] as String == "وزارة الداخلية ٨١٥٥٩")
        #expect(r["b"] as Data == Data([0, 1, 255]) && r.value("n") == .null && r["c"] as ContentID == id)
        #expect(r["q"] as String == "?" && r["q2"] as String == "it's ?")
        // Sums of integers are integers on both (PostgreSQL's sum(BIGINT) is NUMERIC).
        let sums = try #require(try db.read { c in
            try c.row("SELECT sum(x) AS whole, sum(x) / 4.0 AS part FROM (SELECT CAST(? AS BIGINT) AS x UNION ALL SELECT 3) s", [Int64(4_000_000_000)])
        })
        #expect(sums["whole"] as Int == 4_000_000_003 && sums["part"] as Double == 1_000_000_000.75)
    }

    @Test("records: insert, find, update, save; enums and optionals as columns", arguments: Backend.allCases)
    func records(backend: Backend) throws {
        guard let db = try backend.database("records") else { return }
        try db.write { c in try c.execute(Self.schema) }
        var sample = Sample(id: "a", count: 1, ratio: nil, kind: .letter, image: ContentID.of(Data("a".utf8)), note: "ملاحظة")
        try db.write { c in try c.insert(sample) }
        #expect(try db.read { c in try c.find(Sample.self, key: ["a"]) } == sample)
        sample.count = 7
        sample.ratio = 0.25
        sample.kind = .permit
        #expect(try db.write { c in try c.update(sample) })
        #expect(try db.read { c in try c.find(Sample.self, key: ["a"]) } == sample)
        var other = Sample(id: "b", count: 2, ratio: 1, kind: .letter, image: nil, note: nil)
        try db.write { c in try c.save(other) }
        other.note = "ثانية"
        try db.write { c in try c.save(other) }
        let all = try db.read { c in try c.records(Sample.self, "SELECT * FROM sample ORDER BY id") }
        #expect(all == [sample, other])
        #expect(try db.read { c in try c.scalar(Int.self, "SELECT count(*) FROM sample") } == 2)
    }

    @Test("a write that fails leaves nothing behind; the error names the database and the problem", arguments: Backend.allCases)
    func rollback(backend: Backend) throws {
        guard let db = try backend.database("rollback") else { return }
        try db.write { c in try c.execute(Self.schema) }
        struct Stop: Error {}
        #expect(throws: Stop.self) {
            try db.write { c in
                try c.insert(Sample(id: "x", count: 1, ratio: nil, kind: .letter, image: nil, note: nil))
                throw Stop()
            }
        }
        #expect(try db.read { c in try c.scalar(Int.self, "SELECT count(*) FROM sample") } == 0)
        #expect {
            try db.write { c in
                try c.insert(Sample(id: "y", count: 1, ratio: nil, kind: .letter, image: nil, note: nil))
                try c.execute("SELECT * FROM no_such_table")
            }
        } throws: { error in
            "\(error)".contains("no_such_table")
        }
        #expect(try db.read { c in try c.scalar(Int.self, "SELECT count(*) FROM sample") } == 0)
    }

    @Test("writers from several threads take turns: no update is lost", arguments: Backend.allCases)
    func concurrentWriters(backend: Backend) throws {
        do {
            guard let db = try backend.database("writers") else { return }
            try db.write { c in
                try c.execute("CREATE TABLE counter (id BIGINT PRIMARY KEY, n BIGINT NOT NULL)")
                try c.execute("INSERT INTO counter VALUES (1, 0)")
            }
            DispatchQueue.concurrentPerform(iterations: 4) { _ in
                for _ in 0..<50 {
                    try? db.write { c in
                        // SQLite: one writer at a time. PostgreSQL: the row is locked until commit.
                        let lock = backend == .sqlite ? "" : " FOR UPDATE"
                        let n = try c.scalar(Int.self, "SELECT n FROM counter WHERE id = 1" + lock) ?? 0
                        try c.execute("UPDATE counter SET n = ? WHERE id = 1", [n + 1])
                    }
                }
            }
            #expect(try db.read { c in try c.scalar(Int.self, "SELECT n FROM counter") } == 200, "\(backend)")
        }
    }

    @Test("PostgreSQL: a bad or unreachable URL is refused, naming it without its password")
    func badURL() throws {
        #expect { try PostgresDatabase(url: "mysql://x@h/db") } throws: { "\($0)".contains("not a PostgreSQL URL") }
        #expect { try PostgresDatabase(url: "postgres://u@127.0.0.1:1/") } throws: { "\($0)".contains("names no database") }
        #expect {
            try PostgresDatabase(url: "postgres://sijill:s3cret@127.0.0.1:1/archive")
        } throws: { error in
            let text = "\(error)"
            return text.contains("127.0.0.1:1/archive") && text.contains("cannot connect") && !text.contains("s3cret")
        }
    }
}
