import Foundation
import Testing
@testable import SijillCatalog
@testable import SijillCore
import SijillTestSupport

@Suite struct AuditTests {
    @Test("entries chain by hash and keep their detail as valid JSON, whatever it holds")
    func chain() throws {
        let catalog = try TestBackend.catalog("audit")
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let odd = ["q": "قال \"لا\"\n\\ تاب\t\u{01}", "z": "", "a": "/path?x=1"]
        try catalog.audit([
            AuditEvent(actor: "token:a", action: "search", detail: odd, at: now),
            AuditEvent(actor: "token:b", action: "object.read", target: "object:00", at: now),
        ])
        let entries = try catalog.auditEntries()
        #expect(entries.count == 2)
        #expect(entries[0].prevHash == Catalog.auditGenesis && entries[1].prevHash == entries[0].hash)
        let decoded = try JSONDecoder().decode([String: String].self, from: Data(entries[0].detail.utf8))
        #expect(decoded == odd)
        #expect(entries[0].detail.hasPrefix("{\"a\":"))
        for entry in entries {
            #expect(entry.hash == AuditEntry.chainHash(
                seq: entry.seq, at: entry.at, actor: entry.actor, action: entry.action, target: entry.target,
                detail: entry.detail, prevHash: entry.prevHash))
        }
    }
}
