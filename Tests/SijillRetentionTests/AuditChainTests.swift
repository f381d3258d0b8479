import Foundation
import GRDB
import Testing
import SijillCatalog
import SijillCore
import SijillTestSupport

/// Someone with write access to the database file edits the log directly (after dropping the
/// append-only triggers): `verifyAudit` names the first broken entry every time.
@Suite struct AuditChainTests {
    func makeLog(_ count: Int = 6) throws -> Catalog {
        let catalog = try TestBackend.catalog("auditchain")
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        try catalog.audit((1...count).map {
            AuditEvent(actor: "token:clerk", action: "object.read", target: "object:\($0)", at: now.addingTimeInterval(Double($0)))
        })
        return catalog
    }

    func tamper(_ catalog: Catalog, _ sql: String) throws {
        try catalog.database.write { db in
            switch db.dialect {
            case .sqlite:
                try db.execute("DROP TRIGGER audit_entry_no_update")
                try db.execute("DROP TRIGGER audit_entry_no_delete")
            case .postgres: try db.execute("ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_no_change")
            }
            for statement in sql.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespacesAndNewlines) }) where !statement.isEmpty {
                try db.execute(statement)
            }
        }
    }

    @Test("an intact log verifies")
    func intact() throws {
        let v = try makeLog().verifyAudit()
        #expect(v.firstBroken == nil && v.entries == 6 && v.headSeq == 6)
    }

    @Test("an edited entry is found", arguments: ["actor = 'token:admin'", "target = 'object:99'", "detail = '{\"x\":\"1\"}'", "at = '2020-01-01T00:00:00Z'"])
    func edited(change: String) throws {
        let catalog = try makeLog()
        try tamper(catalog, "UPDATE audit_entry SET \(change) WHERE seq = 3")
        let v = try catalog.verifyAudit()
        #expect(v.firstBroken == 3 && v.problem?.contains("changed") == true)
    }

    @Test("an edited entry whose hash was recomputed still breaks the next link")
    func editedAndRehashed() throws {
        let catalog = try makeLog()
        let e = try #require(try catalog.auditEntries().first { $0.seq == 3 })
        let forged = AuditEntry.chainHash(
            seq: 3, at: e.at, actor: "token:admin", action: e.action, target: e.target, detail: e.detail, prevHash: e.prevHash)
        try tamper(catalog, "UPDATE audit_entry SET actor = 'token:admin', hash = '\(forged)' WHERE seq = 3")
        #expect(try catalog.verifyAudit().firstBroken == 4)
    }

    @Test("a deleted entry is found (in the middle, and at the end against an anchor)")
    func deleted() throws {
        let catalog = try makeLog()
        let anchor = try catalog.verifyAudit()
        try tamper(catalog, "DELETE FROM audit_entry WHERE seq = 4")
        let v = try catalog.verifyAudit()
        #expect(v.firstBroken == 5 && v.problem?.contains("missing") == true)
        let tail = try makeLog()
        let head = try tail.verifyAudit()
        try tamper(tail, "DELETE FROM audit_entry WHERE seq = 6")
        #expect(try tail.verifyAudit().firstBroken == nil)  // cutting the end leaves a valid chain…
        #expect(try tail.verifyAudit(anchor: (head.headSeq, head.headHash)).firstBroken == 6)  // …which the anchor catches
        _ = anchor
    }

    @Test("reordered entries are found")
    func reordered() throws {
        let catalog = try makeLog()
        try tamper(catalog, """
            UPDATE audit_entry SET seq = -1 WHERE seq = 2;
            UPDATE audit_entry SET seq = 2 WHERE seq = 3;
            UPDATE audit_entry SET seq = 3 WHERE seq = -1;
            """)
        let v = try catalog.verifyAudit()
        #expect(v.firstBroken == 2)
    }

    @Test("the database itself refuses edits and deletes while the triggers stand")
    func appendOnly() throws {
        let catalog = try makeLog()
        #expect(throws: (any Error).self) { try catalog.database.write { try $0.execute("DELETE FROM audit_entry WHERE seq = 1") } }
        #expect(throws: (any Error).self) { try catalog.database.write { try $0.execute("UPDATE audit_entry SET actor = 'x'") } }
        #expect(try catalog.verifyAudit().firstBroken == nil)
    }
}
