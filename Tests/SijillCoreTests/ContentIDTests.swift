import Foundation
import Testing
@testable import SijillCore

@Suite struct ContentIDTests {
    @Test("the ID is the SHA-256 of the bytes")
    func knownDigest() {
        #expect(ContentID.of(Data("abc".utf8)).hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test("parsing accepts 64 hex digits only")
    func parsing() {
        #expect(ContentID(hex: String(repeating: "A", count: 64)) != nil)
        #expect(ContentID(hex: String(repeating: "a", count: 63)) == nil)
        #expect(ContentID(hex: String(repeating: "g", count: 64)) == nil)
    }

    @Test("prefixes need 12 to 64 hex digits")
    func prefixes() throws {
        #expect(throws: SijillInputError.self) { try IDPrefix("abc") }
        #expect(throws: SijillInputError.self) { try IDPrefix("zzzzzzzzzzzzzz") }
        let p = try IDPrefix("BA7816BF8F01")
        #expect(p.matches(ContentID.of(Data("abc".utf8))))
    }

    @Test("a record ID depends on page order and metadata, and is stable")
    func recordIDs() {
        let a = ContentID.of(Data("a".utf8)), b = ContentID.of(Data("b".utf8))
        let m1 = RecordManifest(pages: [.init(image: a), .init(image: b)], metadata: .init(series: "X", title: "عنوان"))
        let m2 = RecordManifest(pages: [.init(image: b), .init(image: a)], metadata: .init(series: "X", title: "عنوان"))
        let m3 = RecordManifest(pages: [.init(image: a), .init(image: b)], metadata: .init(series: "Y", title: "عنوان"))
        #expect(m1.recordID == RecordManifest(pages: m1.pages, metadata: m1.metadata).recordID)
        #expect(m1.recordID != m2.recordID)
        #expect(m1.recordID != m3.recordID)
        #expect(String(decoding: m1.canonicalBytes(), as: UTF8.self).contains("عنوان"))
    }
}
