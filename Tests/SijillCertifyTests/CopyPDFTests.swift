import Foundation
import SijillCertify
import SijillCore
import SijillTestSupport
import Testing

@Suite struct CopyPDFTests {

    func makeSignedCopy() async throws -> (dir: URL, pdf: Data, keys: SigningKeys) {
        let dir = try FixtureFiles.temporaryDirectory("sijill-copy")
        let keys = SigningKeys(home: dir)
        try keys.create(archiveName: "أرشيف الاختبار", at: Date())
        let folder = FixtureFiles.box("box-folder")
        let images = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".png") }.sorted()
        let page = try Data(contentsOf: folder.appendingPathComponent(try #require(images.first)))
        let stamp = CopyPDF.Stamp(
            title: "نسخة طبق الأصل", subtitle: "أرشيف الاختبار",
            lines: [("المرجع", "81559/1982"), ("تاريخ الإصدار", "2026-11-27 02:30 UTC"), ("معرّف النسخة", String(repeating: "ab", count: 32))],
            url: "http://127.0.0.1:8080/v1/copies/abcdef", footer: "تحقق من هذه النسخة بمسح الرمز.")
        let unsigned = try CopyPDF.render(pages: [.init(image: page, dpi: 300)], stamp: stamp)
        let (pdf, _) = try PDFSignature.sign(unsigned, keys: keys, name: "Sijill", reason: "نسخة طبق الأصل", at: Date())
        return (dir, pdf, keys)
    }

    @Test("a signed copy: pdfsig reports the signature valid and the document unmodified; one flipped byte fails")
    func pdfsig() async throws {
        let (dir, pdf, _) = try await makeSignedCopy()
        let file = dir.appendingPathComponent("copy.pdf")
        try pdf.write(to: file)
        let (status, output) = try ExternalTool.run(["pdfsig", file.path])
        #expect(status == 0, "\(output)")
        #expect(output.contains("Signature Validation: Signature is Valid."), "\(output)")
        #expect(output.contains("Total document signed"), "\(output)")
        var flipped = pdf
        flipped[pdf.count / 3] ^= 0x20
        let changed = dir.appendingPathComponent("changed.pdf")
        try flipped.write(to: changed)
        let (_, after) = try ExternalTool.run(["pdfsig", changed.path])
        #expect(!after.contains("Signature is Valid."), "\(after)")
    }
}
