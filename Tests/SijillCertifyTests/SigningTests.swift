import Foundation
import SijillCertify
import SijillCore
import SijillTestSupport
import Testing

@Suite struct SigningTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    /// Runs a command; returns its exit status and output.

    @Test("keys init: a 0600 P-256 key and a self-signed certificate; openssl accepts the detached signature, not a changed byte")
    func openSSL() async throws {
        let home = try FixtureFiles.temporaryDirectory("sijill-keys")
        let keys = SigningKeys(home: home)
        // openssl checks validity against the real clock.
        let entry = try keys.create(archiveName: "أرشيف الاختبار", at: Date())
        let attributes = try FileManager.default.attributesOfItem(atPath: keys.directory.appendingPathComponent("\(entry.id).key.pem").path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let document = Data("نسخة طبق الأصل \(UUID())".utf8)
        let file = home.appendingPathComponent("copy.bin")
        try document.write(to: file)
        let (signature, keyID) = try keys.signDetached(document, at: Date())
        #expect(keyID == entry.id)
        let p7s = home.appendingPathComponent("copy.p7s")
        try Data(signature).write(to: p7s)
        let ca = keys.directory.appendingPathComponent("\(entry.id).cert.pem").path
        let ok = try ExternalTool.run(["openssl", "cms", "-verify", "-binary", "-content", file.path, "-inform", "DER", "-in", p7s.path, "-CAfile", ca, "-out", "/dev/null"])
        #expect(ok.0 == 0, "\(ok.1)")
        var changed = document
        changed[3] ^= 0x01
        try changed.write(to: file)
        let bad = try ExternalTool.run(["openssl", "cms", "-verify", "-binary", "-content", file.path, "-inform", "DER", "-in", p7s.path, "-CAfile", ca, "-out", "/dev/null"])
        #expect(bad.0 != 0)
    }

    @Test("verification: valid, modified, unknown key, revoked key; an old key still verifies after rotation")
    func verification() async throws {
        let home = try FixtureFiles.temporaryDirectory("sijill-keys")
        let keys = SigningKeys(home: home)
        let first = try keys.create(archiveName: "أرشيف", at: now)
        let document = Data("صفحة ١".utf8)
        let (signature, _) = try keys.signDetached(document, at: now)
        func check(_ bytes: Data, _ keys: SigningKeys) async throws -> SignatureCheck {
            let entries = try keys.entries()
            let revoked = Dictionary(uniqueKeysWithValues: entries.compactMap { e in e.revokedAt.map { (e.id, ($0, e.revocationReason)) } })
            return await SignatureCheck.check(
                bytes: bytes, signature: signature, certificates: try entries.map { try keys.certificate($0.id) }, revoked: revoked,
                at: now)
        }
        #expect(try await check(document, keys) == .valid(keyID: first.id))
        var changed = document
        changed[0] ^= 0x01
        if case .invalid = try await check(changed, keys) {} else { Issue.record("a changed byte must not verify") }
        // Another archive's key: a well-formed signature by a signer we do not trust.
        let stranger = SigningKeys(home: try FixtureFiles.temporaryDirectory("sijill-keys"))
        try stranger.create(archiveName: "غريب", at: now)
        if case .unknownSigner = try await check(document, stranger) {} else { Issue.record("an unknown key must not verify") }
        // Rotation keeps the old certificate for verification; revoking it shows revoked.
        let second = try keys.create(archiveName: "أرشيف", at: now)
        #expect(try keys.active().entry.id == second.id)
        #expect(try await check(document, keys) == .valid(keyID: first.id))
        _ = try keys.revoke(String(first.id.prefix(12)), reason: "key compromised", at: now)
        if case .revoked(let id, _, let reason) = try await check(document, keys) {
            #expect(id == first.id && reason == "key compromised")
        } else {
            Issue.record("a revoked key's copy must verify as revoked")
        }
    }
}
