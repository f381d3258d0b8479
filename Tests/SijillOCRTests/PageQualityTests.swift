import CLeptonica
import Foundation
import SijillCore
import SijillTestSupport
import Testing
@testable import SijillOCR

@Suite struct PageQualityTests {
    /// A word with a box from `left` to `right` (rows `top` to `bottom`) and a confidence.
    func scoredWord(_ text: String, _ left: Int, _ right: Int, _ confidence: Double, top: Int, bottom: Int) -> RecognizedPage.Word {
        .init(text: text, box: .init(left: left, top: top, right: right, bottom: bottom), confidence: confidence, symbols: [])
    }

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

    @Test("a full stop that x-order puts before a number is the sentence's stop, written after it")
    func sentenceStopAfterNumber() {
        // "منذ عام 1976." as the main model read it: symbols in logical order, the stop's box
        // (line-tall, as the recogniser gives it) at the number's left.
        func symbol(_ text: String, _ left: Int, _ right: Int) -> RecognizedPage.Symbol {
            .init(text: text, box: .init(left: left, top: 1212, right: right, bottom: 1258))
        }
        let symbols = [symbol("1", 714, 739), symbol("9", 734, 761), symbol("7", 766, 795), symbol("6", 800, 828), symbol(".", 689, 719)]
        let word = RecognizedPage.Word(
            text: "1976.", box: .init(left: 689, top: 1212, right: 828, bottom: 1258), confidence: 92, symbols: symbols)
        #expect(DigitText.logicalOrder(word) == "1976.")
        // A stop between digits stays where it is printed.
        let decimal = RecognizedPage.Word(
            text: "1.5", box: .init(left: 0, top: 0, right: 30, bottom: 20), confidence: 90,
            symbols: [symbol("1", 0, 10), symbol(".", 10, 20), symbol("5", 20, 30)])
        #expect(DigitText.logicalOrder(decimal) == "1.5")
    }

    @Test("a reference with a letter part keeps its joiners between its parts")
    func letteredReference() {
        func symbol(_ text: String, _ x: Int) -> RecognizedPage.Symbol {
            .init(text: text, box: .init(left: x, top: 0, right: x + 10, bottom: 20))
        }
        // 8076/س/1972 printed in an Arabic line: the parts run right to left (1972 leftmost),
        // each number left to right. Tesseract's symbols come in logical order.
        let printed = ["1", "9", "7", "2", "/", "س", "/", "8", "0", "7", "6"]
        let x = Dictionary(uniqueKeysWithValues: printed.enumerated().map { ($0.offset, $0.offset * 10) })
        let logical = [7, 8, 9, 10, 6, 5, 4, 0, 1, 2, 3]
        let word = RecognizedPage.Word(
            text: "8076/س/1972", box: .init(left: 0, top: 0, right: 110, bottom: 20), confidence: 80,
            symbols: logical.map { symbol(printed[$0], x[$0]!) })
        #expect(DigitText.logicalOrder(word) == "8076/س/1972")
        #expect(DigitText.isLetteredReference("٤٢٠/م/١٩٨٢"))
        #expect(DigitText.isLetteredReference("ج/3328\u{200F}،"))
        #expect(DigitText.isLetteredReference("63/ق"))
        #expect(!DigitText.isLetteredReference("81559/1982"))
        #expect(!DigitText.isLetteredReference("/اوه11/95"))
        #expect(!DigitText.isLetteredReference("١٩٨٥م"))
        #expect(!DigitText.isLetteredReference("المعاملة"))
        // The references model's digits with the main model's letters.
        #expect(DigitText.referenceDigits(of: "١٣٤٦/ع/٢٠٠٦", letters: "١٣٤٦/ج/٠٠٦\u{200F}") == "١٣٤٦/ج/٢٠٠٦")
        #expect(DigitText.referenceDigits(of: "٧٤٦٣/و", letters: "٢٢٦٣/و") == "٧٤٦٣/و")
        // A part too many in the main reading, same letters: the references model's whole.
        #expect(DigitText.referenceDigits(of: "١٣٩٨/ع/٢٠٠٤", letters: "٩/١٣٩٨/ع/٢٠٠٤,") == "١٣٩٨/ع/٢٠٠٤")
        // Parts that do not line up, letters that differ: nothing.
        #expect(DigitText.referenceDigits(of: "٧١/م/٣", letters: "ب/٧١") == nil)
        #expect(DigitText.referenceDigits(of: "٧١٠٠", letters: "ب/٧١") == nil)
        // A letter part that starts a word is no series mark (٧١/م read as "١/الم").
        #expect(DigitText.hasSeriesLetters("٤٢٠/م/١٩٨٢"))
        #expect(!DigitText.hasSeriesLetters("١/الم\u{200F}"))
        #expect(DigitText.digitRuns(["8", "0", "/", "س", "/", "1"]) == [0..<2, 5..<6])
    }

    @Test("a reference the references model read as seen is put in logical order; a lone letter beyond a slash joins it")
    func referenceAsSeen() {
        #expect(DigitText.referenceInLogicalOrder("٢٠٠١/ج/١٤٣") == "١٤٣/ج/٢٠٠١")
        #expect(DigitText.referenceInLogicalOrder("٣٣٢٨/ج") == "ج/٣٣٢٨")
        #expect(DigitText.referenceInLogicalOrder("ق/63") == "63/ق")
        #expect(DigitText.isReferenceShape("٢٠٠١/ج/١٤٣") && DigitText.isReferenceShape("ق/63") && DigitText.isReferenceShape("63/ق"))
        #expect(!DigitText.isReferenceShape("١١٤٨/ذ/١٤/١٢٩"))  // a date misread: four parts
        #expect(!DigitText.isReferenceShape("ج/ب/12") && !DigitText.isReferenceShape("12/جب") && !DigitText.isReferenceShape("12/05"))
        // Words run right to left: "/63" then ".ق" (the letter left of the slash).
        #expect(DigitText.withLoneLetters(1...1, of: ["رقم", "/63", ".ق"]) == 1...2)
        // "78/" then "ص" before it: the letter stands right of the slash.
        #expect(DigitText.withLoneLetters(1...1, of: ["ص", "78/", "التاريخ"]) == 0...1)
        // No slash facing the word, or a word, not a letter: the span stays.
        #expect(DigitText.withLoneLetters(1...1, of: ["رقم", "63", "ق"]) == 1...1)
        #expect(DigitText.withLoneLetters(1...1, of: ["رقم", "/63", "في"]) == 1...2)
        #expect(DigitText.withLoneLetters(1...1, of: ["رقم", "/63", "المعاملة"]) == 1...1)
    }

    @Test("a full stop or comma on the baseline at a number's end is punctuation; a tall mark or a raised dot is not")
    func sentencePunctuation() {
        func symbol(_ text: String, _ left: Int, _ top: Int, _ right: Int, _ bottom: Int) -> RecognizedPage.Symbol {
            .init(text: text, box: .init(left: left, top: top, right: right, bottom: bottom))
        }
        // Boxes as the main model gave them for "١٩٩٩." on a degraded page.
        let digits = [symbol("1", 492, 621, 502, 651), symbol("9", 513, 619, 532, 653), symbol("9", 539, 619, 558, 653)]
        let stop = DigitText.sentencePunctuation(around: [symbol(".", 470, 643, 477, 653)] + digits)
        #expect(stop.left?.text == "." && stop.left?.innerEdge == 492 && stop.right == nil)
        // ٤ read as "؛" (as tall as the digits) stays part of the number.
        #expect(DigitText.sentencePunctuation(around: [symbol("؛", 470, 620, 481, 652)] + digits).left == nil)
        // A dot at mid-height is a zero (٠), not a full stop.
        #expect(DigitText.sentencePunctuation(around: digits + [symbol(".", 560, 630, 567, 640)]).right == nil)
        #expect(DigitText.sentencePunctuation(around: digits + [symbol("،", 560, 642, 567, 653)]).right?.text == "،")
    }

    @Test("a joiner with no room for it between two digits is dropped; a printed one stays")
    func phantomJoiners() {
        func word(_ parts: [(String, Int, Int)]) -> RecognizedPage.Word {
            .init(
                text: parts.map(\.0).joined(), box: .init(left: parts[0].1, top: 0, right: parts.last!.2, bottom: 40),
                confidence: 85, symbols: parts.map { .init(text: $0.0, box: .init(left: $0.1, top: 0, right: $0.2, bottom: 40)) })
        }
        // Boxes as the main model gave them on a blurred page printing 33047.
        let phantom = word([("3", 1262, 1290), ("3", 1295, 1324), ("0", 1328, 1357), ("4", 1360, 1392), (".", 1385, 1395), ("7", 1394, 1423)])
        #expect(DigitText.droppingPhantomJoiners(phantom) == "33047")
        // 758/1998 on the same page: the slash has its own room.
        let printed = word([("7", 1124, 1153), ("5", 1158, 1185), ("8", 1190, 1219), ("/", 1221, 1242), ("1", 1248, 1265), ("9", 1278, 1307)])
        #expect(DigitText.droppingPhantomJoiners(printed) == "758/19")
        // Words that are not a number alone are left as they are.
        let lettered = word([("8", 0, 20), ("/", 22, 30), ("س", 28, 40), ("/", 41, 50), ("1", 52, 60)])
        #expect(DigitText.droppingPhantomJoiners(lettered) == "8/س/1")
    }

    @Test("zeros the reading left out at a number's right end are counted from the ink; a colon or an off-pitch dot is not a zero")
    func trailingZeros() throws {
        // DejaVu's ٦٠٠٠٠ as measured on a held-out page: the main model's box stopped before
        // the last zero, so the digits model read ٦٠٠٠.
        func page(extra: [(Int, Int, Int, Int)]) throws -> PageImage {
            let pix = try #require(pixCreate(1600, 800, 8))
            pixSetAllArbitrary(pix, 255)
            for (l, t, r, b) in [(1319, 716, 1342, 749), (1357, 731, 1363, 737), (1386, 731, 1392, 737), (1415, 731, 1421, 737)] + extra {
                var box: UnsafeMutablePointer<BOX>? = boxCreate(Int32(l), Int32(t), Int32(r - l), Int32(b - t))
                pixSetInRectArbitrary(pix, box, 0)
                boxDestroy(&box)
            }
            return PageImage(owning: pix)
        }
        func symbol(_ text: String, _ l: Int, _ r: Int) -> RecognizedPage.Symbol {
            .init(text: text, box: .init(left: l, top: 716, right: r, bottom: 749))
        }
        let read = [symbol("٦", 1318, 1342), symbol("٠", 1356, 1363), symbol("٠", 1385, 1392), symbol("٠", 1414, 1421)]
        let fourth = try page(extra: [(1444, 731, 1450, 737)])
        #expect(NumberMarks.correct(read, in: fourth.pix).map(\.text).joined() == "٦٠٠٠٠")
        // A colon beyond the number (its dots above and on the baseline), a dot too far, a
        // larger mark: no zero added.
        for extra in [[(1444, 718, 1450, 724), (1444, 742, 1450, 748)], [(1460, 731, 1466, 737)], [(1444, 728, 1454, 740)]] {
            #expect(NumberMarks.correct(read, in: try page(extra: extra).pix).map(\.text).joined() == "٦٠٠٠", "\(extra)")
        }
        // Two zeros read give the pitch (up to two more are taken); one does not.
        #expect(NumberMarks.correct(Array(read.prefix(3)), in: fourth.pix).map(\.text).joined() == "٦٠٠٠٠")
        #expect(NumberMarks.correct(Array(read.prefix(2)), in: fourth.pix).map(\.text).joined() == "٦٠")
    }

    @Test("a thousands separator ٬ read as a digit is told from one by its ink; digits stay digits")
    func thousandsReadAsDigit() throws {
        // DejaVu's ٢٬٣٠٠ as measured on a held-out page (components at 300 dpi, offset), read
        // ٢٢٣٠٠ by the numbers models, which have no class for ٬.
        func page(_ marks: [(Int, Int, Int, Int)]) throws -> PageImage {
            let pix = try #require(pixCreate(600, 200, 8))
            pixSetAllArbitrary(pix, 255)
            for (l, t, r, b) in marks {
                var box: UnsafeMutablePointer<BOX>? = boxCreate(Int32(100 + l), Int32(50 + t), Int32(r - l), Int32(b - t))
                pixSetInRectArbitrary(pix, box, 0)
                boxDestroy(&box)
            }
            return PageImage(owning: pix)
        }
        func symbol(_ text: String, _ l: Int, _ r: Int) -> RecognizedPage.Symbol {
            .init(text: text, box: .init(left: 100 + l, top: 60, right: 100 + r, bottom: 93))
        }
        let two = (10, 14, 30, 43), three = (50, 14, 71, 43), zero1 = (83, 27, 88, 33), zero2 = (108, 27, 113, 33)
        let read = [symbol("٢", 8, 32), symbol("٢", 34, 47), symbol("٣", 48, 73), symbol("٠", 80, 91), symbol("٠", 105, 116)]
        let raised = try page([two, (37, 10, 44, 20), three, zero1, zero2])
        #expect(NumberMarks.correct(read, in: raised.pix).map(\.text).joined() == "٢,٣٠٠")
        // A digit of full height there (٢٢٣٠٠ printed) stays; so does a mark at a zero's height
        // (a ٠ is not a ٢ the reading should second-guess).
        let printed = try page([two, (34, 14, 47, 43), three, zero1, zero2])
        #expect(NumberMarks.correct(read, in: printed.pix).map(\.text).joined() == "٢٢٣٠٠")
        let level = try page([two, (37, 26, 43, 33), three, zero1, zero2])
        #expect(NumberMarks.correct(read, in: level.pix).map(\.text).joined() == "٢٢٣٠٠")
        // A stamp's stroke above the number (in the crop, over the ٣) moves nothing.
        let stamped = try page([two, (34, 14, 47, 43), three, zero1, zero2, (40, 0, 90, 9)])
        #expect(NumberMarks.correct(read, in: stamped.pix).map(\.text).joined() == "٢٢٣٠٠")
    }

    @Test("a mark the digits model read as ٠ is told from a zero by its ink: hyphen, decimal separator, full stop")
    func numberMarks() {
        // Shares of the digits' height, as measured on Amiri, Noto Naskh and KacstOne renders.
        #expect(NumberMarks.kind(width: 0.25, height: 0.31, center: 0.50) == .zero)
        #expect(NumberMarks.kind(width: 0.28, height: 0.34, center: 0.52) == .zero)
        #expect(NumberMarks.kind(width: 0.27, height: 0.27, center: 0.63) == .zero)
        #expect(NumberMarks.kind(width: 0.41, height: 0.09, center: 0.48) == .hyphen)
        #expect(NumberMarks.kind(width: 0.40, height: 0.13, center: 0.57) == .hyphen)
        #expect(NumberMarks.kind(width: 0.34, height: 0.59, center: 0.89) == .decimal)
        #expect(NumberMarks.kind(width: 0.21, height: 0.48, center: 0.97) == .decimal)
        #expect(NumberMarks.kind(width: 0.20, height: 0.20, center: 1.00) == .stop)
        // DejaVu's comma, Noto Kufi's (taller than wide, short) and Amiri's diamond full stop.
        #expect(NumberMarks.kind(width: 0.22, height: 0.34, center: 1.00) == .decimal)
        #expect(NumberMarks.kind(width: 0.20, height: 0.35, center: 1.02) == .decimal)
        #expect(NumberMarks.kind(width: 0.27, height: 0.35, center: 0.79) == .stop)
        // The raised thousands separator ٬ (DejaVu, KacstBook, Amiri).
        #expect(NumberMarks.kind(width: 0.22, height: 0.35, center: 0.04) == .thousands)
        #expect(NumberMarks.kind(width: 0.27, height: 0.43, center: -0.25) == .thousands)
        #expect(NumberMarks.kind(width: 0.35, height: 0.59, center: 0.24) == .thousands)
        // A comma before exactly three digits groups thousands; before any other count it is ٫.
        func marks(_ text: String) -> String {
            NumberMarks.groupingCommas(text.map { .init(text: String($0), box: .init(left: 0, top: 0, right: 1, bottom: 1)) })
                .map(\.text).joined()
        }
        #expect(marks("٧٣٨,٢٥") == "٧٣٨٫٢٥")
        #expect(marks("١٢٫٥٠٠") == "١٢,٥٠٠")
        #expect(marks("١,٢٥٠,٠٠٠") == "١,٢٥٠,٠٠٠")
        #expect(marks("738,25") == "738,25")
        // With the raised separator in the number, a comma on the baseline is the decimal one.
        #expect(marks("٧٤\u{066C}٢٢٦,٧٥٠") == "٧٤,٢٢٦٫٧٥٠")
        #expect(marks("٣٠\u{066C}٧٠٠") == "٣٠,٧٠٠")
    }

    @Test("Persian forms and mixed-script digit runs are normalised")
    func scripts() {
        #expect(DigitText.normalizeScripts("۸۱۵۵۹/۱۹۸۲") == "٨١٥٥٩/١٩٨٢")
        #expect(DigitText.normalizeScripts("۸۱00۹") == "٨١٥٥٩")
        #expect(DigitText.normalizeScripts("التاریخ") == "التاريخ")
        #expect(DigitText.normalizeScripts("81559/1982") == "81559/1982")
        // The references model's ٤ ٥ ٦ where the digits model read other digits: Persian shapes.
        #expect(DigitText.differsInPersianShapes("٢٣٩٩/١٩٧٠", "٦٣٩٩/١٩٧٠"))
        #expect(DigitText.differsInPersianShapes("١٩٨٧-٩٢", "١٩٨٧-٦٦"))
        #expect(!DigitText.differsInPersianShapes("٢٣٩٩/١٩٧٠", "٢٣٩٩/١٩٧٠"))
        #expect(!DigitText.differsInPersianShapes("٢٣٩٩", "٢٣٩٧"))
        #expect(!DigitText.differsInPersianShapes("٤٦/٧٤٠", "٤٦٦٧٤٠"))
        #expect(!DigitText.differsInPersianShapes("٢٣٩٩", "٦٣٩٩٩"))
    }

    @Test("a number's crop stops at a neighbouring word's ink; a confident reading the page contradicts is doubted")
    func numberBoxes() {
        func word(_ text: String, _ left: Int, _ right: Int) -> RecognizedPage.Word {
            .init(text: text, box: .init(left: left, top: 0, right: right, bottom: 50), confidence: 90, symbols: [])
        }
        // Tesseract boxed ٩١٧٢٣/١٤٠٨ with its label "الرقم:" (1480–1588) inside.
        let line = RecognizedPage.Line(
            box: .init(left: 1151, top: 0, right: 1588, bottom: 50),
            words: [word("الرقم:", 1480, 1588), word("١١٢٢٣١٢٠١٠٣٠", 1151, 1586)], startsParagraph: false)
        #expect(line.box(of: 1...1) == .init(left: 1151, top: 0, right: 1480, bottom: 50))
        // Neighbours that only touch, or a cut that would leave under half the box: unchanged.
        let touching = RecognizedPage.Line(
            box: .init(left: 0, top: 0, right: 400, bottom: 50),
            words: [word("التاريخ:", 300, 400), word("1987", 150, 298), word("في", 100, 280)], startsParagraph: false)
        #expect(touching.box(of: 1...1) == .init(left: 150, top: 0, right: 298, bottom: 50))
        // 4197651 read as "419765" and "1" (the 1 inside the first box); 22/06/2006 as "26"
        // across 261 px of a 62 px line; a plain number and two numbers a space apart are not doubted.
        #expect(TesseractEngine.doubtfulReading([word("419765", 1246, 1437), word("1", 1423, 1445)], lineHeight: 50))
        #expect(TesseractEngine.doubtfulReading([word("26", 1134, 1395)], lineHeight: 62))
        #expect(!TesseractEngine.doubtfulReading([word("1987", 1130, 1257)], lineHeight: 62))
        #expect(!TesseractEngine.doubtfulReading([word("12", 1000, 1050), word("1987", 1080, 1200)], lineHeight: 62))
        // Such a reading stays Western: the digits model's Arabic-Indic reading of Lateef's
        // 4197651 is refused, and the references model's more confident date wins.
        #expect(TesseractEngine.mostConfidentWestern([(text: "٦١٣٢٨٤٢١", confidence: 60, symbols: 0), (text: "4197651", confidence: 89, symbols: 0)])?.text == "4197651")
        #expect(TesseractEngine.mostConfidentWestern([(text: "٦١٣٢٨٤٢١", confidence: 95, symbols: 0), (text: "4197651", confidence: 70, symbols: 0)])?.text == "4197651")
        #expect(TesseractEngine.mostConfidentWestern([(text: "33/06/2006", confidence: 83, symbols: 0), (text: "22/06/2006", confidence: 91, symbols: 0)])?.text == "22/06/2006")
        #expect(TesseractEngine.mostConfidentWestern([(text: "٣٣", confidence: 83, symbols: 0)]) == nil)
        // A page printed in Western digits: two confident Western numbers, no Arabic-Indic one.
        func sure(_ text: String, _ confidence: Double = 90) -> RecognizedPage.Word { scoredWord(text, 0, 10, confidence, top: 0, bottom: 10) }
        #expect(TesseractEngine.printedInWestern([sure("936/2010"), sure("1983", 49), sure("57500"), sure("الرقم")]))
        #expect(!TesseractEngine.printedInWestern([sure("936/2010"), sure("1983", 49)]))
        #expect(!TesseractEngine.printedInWestern([sure("936/2010"), sure("57500"), sure("١٩٨٢")]))
        #expect(!TesseractEngine.printedInWestern([sure("1"), sure("7"), sure("١٩٨٢", 40)]))
    }

    @Test("a day read as letters before a month name is a candidate; words are not")
    func daysBeforeMonths() {
        for misread in ["اا", "ا", "ه", "”", "I", "/"] { #expect(TesseractEngine.mayBeMisreadDay(misread), "\(misread)") }
        for word in ["في", "من", "حتى", "١٧", "17", "اااا", "لا"] { #expect(!TesseractEngine.mayBeMisreadDay(word), "\(word)") }
        for month in ["تشرين", "كانون", "محرم", "جمادي", "ذو", "ذي", "ايار", "يناير", "جانفي"] {
            #expect(TesseractEngine.monthFirstWords.contains(month), "\(month)")
        }
        #expect(!TesseractEngine.monthFirstWords.contains("الثاني"))
    }

    @Test("a number's joiners and its plain shape")
    func joiners() {
        #expect(DigitText.joiners(of: "22/06/2006") == "//")
        #expect(DigitText.joiners(of: "197/0") == "/")
        #expect(DigitText.joiners(of: "1970") == "")
        #expect(DigitText.isPlainNumberShape("81559/1982"))
        #expect(DigitText.isPlainNumberShape("١٢.٠٥.١٩٨٩"))
        #expect(!DigitText.isPlainNumberShape("17/0:/1900"))
        #expect(!DigitText.isPlainNumberShape("/1970"))
        #expect(!DigitText.isPlainNumberShape("1970/"))
        #expect(!DigitText.isPlainNumberShape("143/ج/2001"))
    }

    @Test("an unsure word of digit look-alike marks touching a number is taken with it; words are not")
    func misreadNeighbors() {
        func word(_ text: String, _ left: Int, _ right: Int, _ confidence: Double) -> RecognizedPage.Word {
            scoredWord(text, left, right, confidence, top: 0, bottom: 30)
        }
        // Logical order, right to left: label, number, the rest of the number read as marks.
        let line = RecognizedPage.Line(
            box: .init(left: 0, top: 0, right: 600, bottom: 30),
            words: [word("الرقم:", 500, 600, 90), word("١٠٧", 412, 466, 93), word("ؤلالا", 315, 401, 0), word("في", 200, 300, 40)],
            startsParagraph: false)
        #expect(TesseractEngine.withMisreadNeighbors(1...1, of: line, reach: 18, unsureBelow: 50) == 1...2)
        // Too far, or read with confidence: not taken.
        #expect(TesseractEngine.withMisreadNeighbors(1...1, of: line, reach: 8, unsureBelow: 50) == 1...1)
        var sure = line
        sure.words[2].confidence = 80
        #expect(TesseractEngine.withMisreadNeighbors(1...1, of: sure, reach: 18, unsureBelow: 50) == 1...1)
        #expect(TesseractEngine.mayBeMisreadDigits("//./ا/ا"))
        #expect(!TesseractEngine.mayBeMisreadDigits("في"))
        #expect(!TesseractEngine.mayBeMisreadDigits("//."))
    }

    @Test("a line the recogniser could not make out (broken into junk, or mostly unread) is read again alone; a short or confident line is not")
    func linesReadAlone() {
        func word(_ text: String, _ left: Int, _ right: Int, _ confidence: Double) -> RecognizedPage.Word {
            scoredWord(text, left, right, confidence, top: 809, bottom: 848)
        }
        func line(_ left: Int, _ right: Int, _ words: [RecognizedPage.Word]) -> RecognizedPage.Line {
            .init(box: .init(left: left, top: 809, right: right, bottom: 848), words: words, startsParagraph: false)
        }
        // The skewed KacstNaskh line read as one letter across half its box.
        #expect(TesseractEngine.needsReadingAlone(line(1175, 1655, [word("ل", 1175, 1420, 41)]), lineHeight: 46, unsureBelow: 60))
        // Read as one unsure word over a third of it.
        #expect(TesseractEngine.needsReadingAlone(line(1120, 1655, [word("سد", 1580, 1655, 30)]), lineHeight: 46, unsureBelow: 60))
        // The same with a confident word, a full line, or a short line: left alone.
        #expect(!TesseractEngine.needsReadingAlone(line(1175, 1655, [word("ل", 1175, 1420, 80)]), lineHeight: 46, unsureBelow: 60))
        #expect(!TesseractEngine.needsReadingAlone(
            line(1439, 1656, [word("رئيس", 1581, 1656, 50), word("الديوان", 1439, 1548, 40)]), lineHeight: 46, unsureBelow: 60))
        #expect(!TesseractEngine.needsReadingAlone(line(1500, 1655, [word("ل", 1600, 1655, 20)]), lineHeight: 46, unsureBelow: 60))
        // Broken: junk at confidence under 10 beside readable words.
        #expect(TesseractEngine.needsReadingAlone(
            line(1000, 1400, [word("رقم", 1300, 1400, 95), word("؟/ه", 1100, 1280, 0)]), lineHeight: 46, unsureBelow: 60))
    }

    @Test("a number read twice inside a lettered reference's box is dropped, its doubt kept; a slash and letter beside a number join it")
    func echoesAndSlashLetters() {
        func word(_ text: String, _ left: Int, _ right: Int, _ confidence: Double) -> RecognizedPage.Word {
            .init(text: text, box: .init(left: left, top: 0, right: right, bottom: 30), confidence: confidence, symbols: [])
        }
        // ٤٧٤/م read as "74" (31%) and "4/م" (92%), the second boxed over both.
        let kept = TesseractEngine.withoutEchoes([word("رقم", 1504, 1580, 96), word("74", 1266, 1311, 31), word("4/م", 1171, 1322, 92)])
        #expect(kept.map(\.text) == ["رقم", "4/م"])
        #expect(kept.last?.confidence == 31)
        // Beside a number without letters, or not inside: both stay.
        #expect(TesseractEngine.withoutEchoes([word("74", 1266, 1311, 31), word("474", 1171, 1322, 92)]).count == 2)
        #expect(TesseractEngine.withoutEchoes([word("74", 1400, 1450, 31), word("4/م", 1171, 1322, 92)]).count == 2)
        // ٣٥٢١/ص read as "٥٢١" and "؟/ص": the references model reads them together.
        #expect(DigitText.withLoneLetters(1...1, of: ["الطلب:", "٥٢١", "؟/ص"]) == 1...2)
        #expect(DigitText.withLoneLetters(1...1, of: ["الطلب:", "٥٢١", "في"]) == 1...1)
        #expect(DigitText.withLoneLetters(1...1, of: ["الطلب:", "٥٢١", "/ص/ب"]) == 1...1)
        // A label before a value: a colon, or رقم and its noun in a sentence.
        #expect(TesseractEngine.labelBefore(3, in: ["لدينا", "برقم", "الوارد", "الا"]))
        #expect(TesseractEngine.labelBefore(1, in: ["الرقم:", "الا"]))
        #expect(!TesseractEngine.labelBefore(2, in: ["لدينا", "كتابكم", "الا"]))
    }

    @Test("unread ink beside a number: digit-wide ink within reach is taken, specks and the next word are not")
    func unreadInk() {
        // Columns walked away from a number: two digits' ink after a small gap, then a word gap.
        let columns: [Int32] = [0, 0, 5, 9, 9, 7, 0, 6, 8, 8, 0, 0, 0, 0, 0, 0, 9, 9, 9]
        #expect(TesseractEngine.inkRun(columns.indices, of: columns, reach: 4, minimum: 4) == 9)
        // A speck (two columns) is not a digit.
        let speck: [Int32] = [0, 3, 3, 0, 0, 0, 0, 0]
        #expect(TesseractEngine.inkRun(speck.indices, of: speck, reach: 4, minimum: 4) == nil)
        // Ink that starts beyond the reach is another word's.
        let far: [Int32] = [0, 0, 0, 0, 0, 9, 9, 9, 9, 9]
        #expect(TesseractEngine.inkRun(far.indices, of: far, reach: 4, minimum: 4) == nil)
        // Walked right to left (the ink left of a number): three columns, then a word gap.
        #expect(TesseractEngine.inkRun(columns.indices.reversed(), of: columns, reach: 4, minimum: 3) == 16)
        #expect(TesseractEngine.inkRun(columns.indices.reversed(), of: columns, reach: 4, minimum: 4) == nil)
    }
}

@Suite struct LineRepairTests {
    func word(_ text: String, _ left: Int) -> RecognizedPage.Word {
        .init(text: text, box: .init(left: left, top: 0, right: left + 80, bottom: 30), confidence: 90, symbols: [])
    }

    @Test("an RTL line is ordered right to left, a number keeping its place in the flow")
    func numberInRTLLine() {
        // Visually, left to right: ٠٢/٠٦/١٩٧٦  التاريخ:  (the date is printed after the label).
        let words = [word("٠٢/٠٦/١٩٧٦", 100), word("التاريخ:", 400)]
        #expect(LineOrder.logical(words).map(\.text) == ["التاريخ:", "٠٢/٠٦/١٩٧٦"])
        let amount = [word("300", 200), word("المبلغ:", 300), word("ريال", 100)]
        #expect(LineOrder.logical(amount).map(\.text) == ["المبلغ:", "300", "ريال"])
    }

    @Test("a number is placed by the Arabic words' symbols, not by a word box that runs over it")
    func wideWordBox() {
        // "التاريخ: 8 فيفري 1987 م": Tesseract boxed فيفري from 1242 to 1578, over the label and
        // the day; its letters lie between 1242 and 1370.
        func arabic(_ text: String, box: (Int, Int), letters: [Int]) -> RecognizedPage.Word {
            .init(
                text: text, box: .init(left: box.0, top: 0, right: box.1, bottom: 30), confidence: 90,
                symbols: letters.map { .init(text: "x", box: .init(left: $0, top: 0, right: $0 + 20, bottom: 30)) })
        }
        let words = [
            arabic("التاريخ:", box: (1427, 1578), letters: [1430, 1470, 1510, 1550]),
            .init(text: "8", box: .init(left: 1382, top: 0, right: 1406, bottom: 30), confidence: 93, symbols: []),
            arabic("فيفري", box: (1242, 1578), letters: [1245, 1280, 1310, 1345]),
            word("1987", 1098), arabic("م", box: (1055, 1077), letters: [1057]),
        ]
        #expect(LineOrder.logical(words).map(\.text) == ["التاريخ:", "8", "فيفري", "1987", "م"])
    }

    @Test("Arabic words keep the recogniser's order even where their boxes disagree")
    func arabicOrderKept() {
        // Letter-spaced fonts give overlapping boxes; Tesseract's own order of Arabic words is kept.
        let words = [word("من", 300), word("أحمد", 100), word("إبراهيم", 150)]
        #expect(LineOrder.logical(words).map(\.text) == ["من", "أحمد", "إبراهيم"])
    }

    @Test("a run of Latin words keeps its left-to-right order inside an Arabic line")
    func latinRun() {
        let words = [word("وزارة", 500), word("of", 200), word("Justice", 300), word("Ministry", 100)]
        #expect(LineOrder.logical(words).map(\.text) == ["وزارة", "Ministry", "of", "Justice"])
    }

    @Test("a Latin-only line is left alone")
    func latinLine() {
        let words = [word("b", 300), word("a", 100)]
        #expect(LineOrder.logical(words).map(\.text) == ["b", "a"])
    }

    @Test("the Arabic comma read as » or a Latin comma is repaired; real quotation marks stay")
    func comma() {
        var line = RecognizedPage.Line(
            box: .init(left: 0, top: 0, right: 500, bottom: 30),
            words: [word("البغدادي»", 0), word("العلي,", 100), word("2,5", 200)], startsParagraph: false)
        ArabicPunctuation.repair(&line)
        #expect(line.words.map(\.text) == ["البغدادي،", "العلي،", "2,5"])
        var quoted = RecognizedPage.Line(
            box: line.box, words: [word("«قال", 0), word("نعم»", 100)], startsParagraph: false)
        ArabicPunctuation.repair(&quoted)
        #expect(quoted.words.map(\.text) == ["«قال", "نعم»"])
    }
}
