import CLeptonica
import Foundation
import SijillCore
import SijillTestSupport
import Testing
@testable import SijillOCR

@Suite struct PageQualityTests {
    func fixturePage(_ path: String) throws -> PageImage {
        let data = try Data(contentsOf: FixtureFiles.box("box-folder").appendingPathComponent(path))
        return try #require(try ImageDecoder().decode(data, name: path).first)
    }

    @Test("a page scanned upside down is turned and read; the turn is recorded")
    func upsideDown() throws {
        let page = try fixturePage("file-57231/scan-01.jpg")
        let turned = PageImage(owning: try #require(pixRotateOrth(page.pix, 2)))
        let engine = try TesseractEngine(settings: OCRSettings())
        let result = try engine.recognize(turned, pageNumber: 1)
        let truth = try FixtureFiles.groundTruth(box: "box-folder", path: "file-57231/scan-01.jpg")
        #expect(result.rotation == 180)
        #expect(CharacterErrorRate.of(result.text, truth: truth) < 0.05)
        #expect(!result.needsRescan)
    }

    @Test("a page with no readable text is flagged for re-scan")
    func blankPage() throws {
        let blank = try #require(pixCreate(1200, 1600, 8))
        pixSetAll(blank)
        let result = try TesseractEngine(settings: OCRSettings()).recognize(PageImage(owning: blank), pageNumber: 1)
        #expect(result.wordCount == 0)
        #expect(result.needsRescan)
    }

    @Test("a clean page is not flagged")
    func cleanPage() throws {
        let result = try TesseractEngine(settings: OCRSettings()).recognize(
            try fixturePage("معاملة-90214/page-1.tif"), pageNumber: 1)
        #expect(!result.needsRescan)
        #expect(result.rotation == 0)
        #expect(result.meanConfidence > 80)
    }

    @Test("digit runs are put in left-to-right order by their positions on the page")
    func digitOrder() {
        func symbol(_ text: String, _ x: Int) -> RecognizedPage.Symbol {
            .init(text: text, box: .init(left: x, top: 0, right: x + 10, bottom: 20))
        }
        // Tesseract gave "٠٠٠٠١" for ١٠٠٠٠ printed left to right.
        let word = RecognizedPage.Word(
            text: "٠٠٠٠١", box: .init(left: 0, top: 0, right: 60, bottom: 20), confidence: 50,
            symbols: [symbol("٠", 50), symbol("٠", 40), symbol("٠", 30), symbol("٠", 20), symbol("١", 10)])
        #expect(DigitText.logicalOrder(word) == "١٠٠٠٠")
    }

    @Test("Persian forms and mixed-script digit runs are normalised")
    func scripts() {
        #expect(DigitText.normalizeScripts("۸۱۵۵۹/۱۹۸۲") == "٨١٥٥٩/١٩٨٢")
        #expect(DigitText.normalizeScripts("۸۱00۹") == "٨١٥٥٩")
        #expect(DigitText.normalizeScripts("التاریخ") == "التاريخ")
        #expect(DigitText.normalizeScripts("81559/1982") == "81559/1982")
    }
}
