import Foundation
import SijillCatalog
import SijillCertify
import SijillCore
import SijillStore
import SijillTestSupport
import Testing

/// Issue and verify on a real store: a valid copy verifies everywhere (our verifier, pdfsig,
/// openssl on the .p7s); one flipped byte fails everywhere; another archive's key is unknown;
/// a revoked key shows revoked.
@Suite struct CopyServiceTests {
    struct Archive {
        let dir: URL
        let store: FileSystemBlobStore
        let catalog: Catalog
        let keys: SigningKeys
        let service: CopyService
        let record: ContentID

        init() async throws {
            dir = try FixtureFiles.temporaryDirectory("sijill-copies")
            store = try FileSystemBlobStore(root: dir)
            let store = self.store
            catalog = try TestBackend.catalog("copies") { String(decoding: try store.get($0), as: UTF8.self) }
            keys = SigningKeys(home: dir)
            try keys.create(archiveName: "أرشيف الاختبار", at: Date())
            service = CopyService(catalog: catalog, store: store, keys: keys, baseURL: "https://archive.example/", archiveName: "أرشيف الاختبار")
            let folder = FixtureFiles.box("box-folder")
            let image = try Data(contentsOf: folder.appendingPathComponent("letter-77851.png"))
            let imageID = try store.put(image).id
            let textID = try store.put(Data("طلب نسخة".utf8)).id
            let manifest = RecordManifest(pages: [.init(image: imageID)], metadata: .init(series: "CIVIL-REG", title: "طلب", reference: "37420/2001"))
            let ocr = OCRRow(
                imageId: imageID, settings: "t", engine: "t", textId: textID, hocrId: textID, confidence: 90, wordCount: 2,
                lowConfWords: 0, dpi: 300, dpiAssumed: false, createdAt: "2026-01-01T00:00:00Z")
            let stored = StoredRecord(
                id: manifest.recordID, box: "b", source: "letter.png", metadata: manifest.metadata, pageCount: 1,
                ingestedAt: "2026-01-01T00:00:00Z", runId: nil)
            try catalog.insert(.init(
                record: stored,
                pages: [(StoredPage(recordId: stored.id, pageNo: 1, imageId: imageID, sourceId: imageID, source: "letter.png", frame: 0, ocr: ocr), "طلب نسخة")]))
            record = stored.id
        }
    }


    @Test("a valid copy verifies everywhere; one flipped byte fails everywhere")
    func validAndFlipped() async throws {
        let a = try await Archive()
        let issued = try a.service.issue(record: a.record, requester: "طلب 17", issuer: "token:clerk", at: Date())
        #expect(issued.verifyURL == "https://archive.example/verify/\(issued.copy.id)")
        #expect(try a.catalog.copy(id: issued.copy.id)?.pdfId == ContentID.of(issued.pdf))
        #expect(try a.catalog.auditEntries(limit: 100).contains { $0.action == "copy.issue" })
        let ours = await a.service.verify(pdf: issued.pdf, at: Date())
        #expect(ours.status == .valid && ours.copy?.id == issued.copy.id)
        let pdf = a.dir.appendingPathComponent("copy.pdf"), p7s = a.dir.appendingPathComponent("copy.pdf.p7s")
        try issued.pdf.write(to: pdf)
        try issued.p7s.write(to: p7s)
        let cert = a.keys.directory.appendingPathComponent("\(issued.copy.keyId).cert.pem").path
        let sig = try ExternalTool.run(["pdfsig", pdf.path])
        #expect(sig.1.contains("Signature is Valid.") && sig.1.contains("Total document signed"), "\(sig.1)")
        let cms = try ExternalTool.run(["openssl", "cms", "-verify", "-binary", "-content", pdf.path, "-inform", "DER", "-in", p7s.path, "-CAfile", cert, "-out", "/dev/null"])
        #expect(cms.0 == 0, "\(cms.1)")

        var flipped = issued.pdf
        flipped[flipped.count / 2] ^= 0x04
        try flipped.write(to: pdf)
        #expect(await a.service.verify(pdf: flipped, at: Date()).status == .modified)
        #expect(!(try ExternalTool.run(["pdfsig", pdf.path]).1.contains("Signature is Valid.")))
        #expect(try ExternalTool.run(["openssl", "cms", "-verify", "-binary", "-content", pdf.path, "-inform", "DER", "-in", p7s.path, "-CAfile", cert, "-out", "/dev/null"]).0 != 0)
        // Bytes appended after the signature are a modification too.
        #expect(await a.service.verify(pdf: issued.pdf + Data("%extra".utf8), at: Date()).status == .modified)
    }

    @Test("a copy signed by an unknown key is unknown; a revoked key's copy is revoked; rotation keeps old copies valid")
    func unknownAndRevoked() async throws {
        let a = try await Archive(), b = try await Archive()
        let foreign = try b.service.issue(record: b.record, requester: nil, issuer: "token:x", at: Date())
        #expect(await a.service.verify(pdf: foreign.pdf, at: Date()).status == .unknown)
        let mine = try a.service.issue(record: a.record, requester: nil, issuer: "token:x", at: Date())
        try a.keys.create(archiveName: "أرشيف الاختبار", at: Date())  // rotation
        #expect(await a.service.verify(pdf: mine.pdf, at: Date()).status == .valid)
        _ = try a.keys.revoke(mine.copy.keyId, reason: "compromised", at: Date())
        let revoked = await a.service.verify(pdf: mine.pdf, at: Date())
        #expect(revoked.status == .revoked && revoked.detail.contains("compromised"))
        #expect(await a.service.verify(pdf: Data("not a pdf".utf8), at: Date()).status == .unknown)
    }
}
