import Foundation
import Testing
@testable import SijillCertify

/// The pieces of the PDF/A export that no extractor sees directly.
@Suite struct ArchivalPDFTests {
    @Test("the sRGB profile is a well-formed ICC v2 display profile: size, signature, tags inside the file")
    func iccProfile() {
        let p = [UInt8](SRGBProfile.data)
        func u32(_ at: Int) -> Int { Int(p[at]) << 24 | Int(p[at + 1]) << 16 | Int(p[at + 2]) << 8 | Int(p[at + 3]) }
        #expect(u32(0) == p.count)
        #expect(String(decoding: p[36..<40], as: UTF8.self) == "acsp")
        #expect(String(decoding: p[12..<24], as: UTF8.self) == "mntrRGB XYZ ")
        let tags = u32(128)
        #expect(tags == 9)
        var names: [String] = []
        for i in 0..<tags {
            let entry = 132 + 12 * i
            names.append(String(decoding: p[entry..<(entry + 4)], as: UTF8.self))
            #expect(u32(entry + 4) + u32(entry + 8) <= p.count && u32(entry + 4) % 4 == 0)
        }
        #expect(Set(names) == ["desc", "cprt", "wtpt", "rXYZ", "gXYZ", "bXYZ", "rTRC", "gTRC", "bTRC"])
    }

    @Test("words are drawn in visual order with marks that make Poppler's reading logical again")
    func visualOrder() {
        let rlm: Unicode.Scalar = "\u{200F}"
        #expect(VisualOrder.visual("رقم") == Array("مقر".unicodeScalars))
        #expect(VisualOrder.visual("81559/1982") == Array("81559/1982".unicodeScalars))
        // A word with a trailing colon: the colon on the left, fenced by marks.
        #expect(VisualOrder.drawn("المعاملة:", rightToLeft: true) == [rlm, ":", rlm] + Array("ةلماعملا".unicodeScalars))
        // A number: a mark on its left, digits left to right.
        #expect(VisualOrder.drawn("١٢٣/٢٠٠٥", rightToLeft: true) == [rlm] + Array("١٢٣/٢٠٠٥".unicodeScalars))
        #expect(VisualOrder.isRightToLeft("رقم المعاملة 81559") && !VisualOrder.isRightToLeft("Ministry of Justice 12"))
    }
}
