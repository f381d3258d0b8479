import CLeptonica
import Foundation
import SijillCore
import SijillTestSupport
import Testing
@testable import SijillOCR

/// Each page is cleaned by what its own measurements call for, and what ran is recorded. Pages
/// from `Fixtures/degraded/` (held out from any tuning of thresholds: see Ingest/README.md).
@Suite struct AdaptiveCleaningTests {
    let engine: TesseractEngine

    init() throws { engine = try TesseractEngine(settings: OCRSettings()) }

    func read(_ page: FixtureFiles.DegradedPage) throws -> OCRResult {
        let data = try Data(contentsOf: page.url)
        let image = try #require(try ImageDecoder().decode(data, name: page.file).first)
        return try engine.recognize(image, pageNumber: 1)
    }

    /// The text lines read on a fixture page (`path` under Fixtures/).
    func lines(_ path: String) throws -> [Substring] {
        let url = FixtureFiles.fixtures.appendingPathComponent(path)
        let page = try #require(try ImageDecoder().decode(try Data(contentsOf: url), name: url.lastPathComponent).first)
        return try engine.recognize(page, pageNumber: 1).text.split(separator: "\n")
    }

    func first(_ kind: String) throws -> FixtureFiles.DegradedPage {
        try #require(try FixtureFiles.degraded().first { $0.kind == kind }, "no '\(kind)' page in Fixtures/degraded")
    }

    @Test("a 200×100 dpi fax page is resampled to square 300 dpi pixels and read")
    func fax() throws {
        let page = try first("fax")
        let result = try read(page)
        #expect(result.cleaning.contains { $0.hasPrefix("square-pixels 200x100") })
        #expect(result.cleaning.contains { $0.hasPrefix("upscale 200→300") })
        #expect(result.dpi == 300)
        #expect(result.measurements?.yDPI == 100)
        #expect(CharacterErrorRate.of(result.text, truth: try page.truth()) < 0.25)
        #expect(result.hocr.contains("sijill-cleaning"))
    }

    @Test("a poorly read page is read again smaller and the more confident reading kept; a confident page is read once")
    func smallerReading() throws {
        // The uneven-background KacstBook page: at full size one line comes out as fragments
        // (mean confidence 79); at 75% every line is read.
        let uneven = try #require(try FixtureFiles.degraded().first { $0.file.contains("uneven-kacstbook") })
        let result = try read(uneven)
        #expect(result.cleaning.contains { $0.hasPrefix("read at 75% (full size read at confidence") }, "\(result.cleaning)")
        var fullSizeOnly = OCRSettings()
        fullSizeOnly.smallerReadingBelow = 0
        let before = try TesseractEngine(settings: fullSizeOnly).recognize(
            try #require(try ImageDecoder().decode(try Data(contentsOf: uneven.url), name: uneven.file).first), pageNumber: 1)
        #expect(!before.cleaning.contains { $0.hasPrefix("read at") })
        #expect(result.meanConfidence > before.meanConfidence)
        let truth = try uneven.truth()
        #expect(CharacterErrorRate.of(result.text, truth: truth) < CharacterErrorRate.of(before.text, truth: truth))
        // Word boxes of the smaller reading are on the full-size page: they reach as far right as
        // the full-size reading's.
        func rightmost(_ hocr: String) -> Int {
            hocr.matches(of: /ocrx_word[^>]*bbox \d+ \d+ (\d+) \d+/).compactMap { Int($0.output.1) }.max() ?? 0
        }
        #expect(abs(rightmost(result.hocr) - rightmost(before.hocr)) < 20)
        let clean = try #require(try FixtureFiles.degraded().first { $0.file.contains("blur-kacstone") })
        let confident = try read(clean)
        #expect(confident.meanConfidence >= OCRSettings().smallerReadingBelow)
        #expect(!confident.cleaning.contains { $0.hasPrefix("read at") })
        // A poor page whose smaller reading is no more confident keeps its full-size reading,
        // and says that the other was tried (the stamped KacstBook page: 76 against 74).
        let stamp = try read(try #require(try FixtureFiles.degraded().first { $0.file.contains("stamp-kacstbook") }))
        #expect(stamp.cleaning.contains { $0.hasPrefix("read at 75% too") && $0.hasSuffix("full size kept") }, "\(stamp.cleaning)")
    }

    @Test("lines the layout analysis drops are found in the page's uncovered ink and read; nothing is invented on clean pages")
    func missedLines() throws {
        // The 200 × 100 dpi Amiri fax with its streaks left on: psm 3 returns 7 of its 10 lines.
        var withStreaks = OCRSettings()
        withStreaks.preprocess.adaptive.removeAll { $0 == "streaks" }
        let fax = try #require(try FixtureFiles.degraded().first { $0.file.contains("fax-amiri") })
        let result = try TesseractEngine(settings: withStreaks).recognize(
            try #require(try ImageDecoder().decode(try Data(contentsOf: fax.url), name: fax.file).first), pageNumber: 1)
        #expect(result.cleaning.contains { $0.contains("the layout missed") }, "\(result.cleaning)")
        #expect(result.text.contains("الجابري"), "the last line, dropped by the layout, is read")
        var withoutRecovery = withStreaks
        withoutRecovery.recoverMissedLines = false
        let before = try TesseractEngine(settings: withoutRecovery).recognize(
            try #require(try ImageDecoder().decode(try Data(contentsOf: fax.url), name: fax.file).first), pageNumber: 1)
        let truth = try fax.truth()
        #expect(CharacterErrorRate.of(result.text, truth: truth) < CharacterErrorRate.of(before.text, truth: truth) - 0.1)
        // A clean page whose lines were all found gets no extra reading.
        let clean = try #require(try FixtureFiles.degraded().first { $0.kind == "noise" })
        #expect(!(try read(clean)).cleaning.contains { $0.contains("the layout missed") })
    }

    @Test("a field's number the main model read as several words of letters is read again as one number")
    func unreadFieldRun() throws {
        // Turned 180°, KacstBook: ara reads the date ١٢/٠٧/٢٠٠٣ as "ع..؟ را /كى" (12–23).
        let page = try #require(try FixtureFiles.degraded().first { $0.file.contains("turned180-kacstbook") })
        let line = try #require(try read(page).text.split(separator: "\n").first { $0.hasPrefix("التاريخ:") })
        #expect(line.hasPrefix("التاريخ: ١٢/"), "\(line)")
        #expect(line.hasSuffix("/٢٠٠٣"), "\(line)")
    }

    @Test("a page the layout analysis cuts into fragments is read again as one block; commas and decimal marks in Arabic-Indic numbers")
    func layoutRetry() throws {
        func read(_ file: String) throws -> OCRResult {
            let url = FixtureFiles.fixtures.appendingPathComponent("fields/pages/\(file)")
            return try engine.recognize(try #require(try ImageDecoder().decode(try Data(contentsOf: url), name: file).first), pageNumber: 1)
        }
        // A clean Amiri form: psm 3 returns "رة الصحة", "في |", "ظ لبصرة" … at confidence 49.
        let form = try read("29-labels-amiri.png")
        #expect(form.cleaning.contains { $0.hasPrefix("read as one block") }, "\(form.cleaning)")
        #expect(form.text.contains("مديرية الصحة في البصرة"))
        #expect(form.text.contains("عادل منذر سليم الروسان"))
        // ٢٢,٥٠٠: a comma before three digits groups thousands; ٦٢٤٢٥٤٫٠٤: a decimal separator
        // (the digits model reads both as ٠).
        #expect(form.text.contains("٢٢,٥٠٠"))
        #expect(try read("12-court-kacstone.png").text.contains("٦٢٤٢٥٤٫٠٤"))
        // A page read well is read once.
        #expect(!(try read("02-letter-noto-naskh.png")).cleaning.contains { $0.hasPrefix("read as one block") })
    }

    @Test("a reference with a letter the main model lost or garbled is read by the references model")
    func letteredReferences() throws {
        func line(_ file: String, _ label: String) throws -> String {
            let lines = try self.lines("fields/pages/\(file)")
            return String(try #require(lines.first { $0.hasPrefix(label) }, "\(file): \(lines)"))
        }
        // KacstBook, Western digits: ara reads "2001/:/143" (confidence 89), the letter lost.
        #expect(try line("19-court-kacstbook.png", "الرقم:") == "الرقم: 143/ج/2001")
        // KacstBook: ara reads "1962//6365", the letter gone.
        #expect(try line("23-letter-kacstbook.png", "الرقم:") == "الرقم: 6365/ك/1962")
        // Noto Naskh: ara reads "3/63" (the letter as a digit).
        #expect(try line("18-receipt-noto-naskh.png", "رقم المعاملة:") == "رقم المعاملة: 63/ق")
        // Amiri: the references model read ٤٢٠/م/١٩٨٢ as ٤٢٣ at full size (37) and right at 75% (46).
        #expect(try line("17-contract-amiri.png", "رقم السجل:") == "رقم السجل: ٤٢٠/م/١٩٨٢")
    }

    @Test("a number boxed with its label is cropped without it; a field's date with its هـ is read apart from the letter")
    func fieldValues() throws {
        let lines = try self.lines("fields/pages/05-court-amiri.png")
        // The number's box ran over "الرقم:" (read "١١٢٢٣١٢٠١٠٣٠"); the date and its هـ were "له" (27).
        #expect(lines.contains("الرقم: ٩١٧٢٣/١٤٠٨"), "\(lines)")
        #expect(lines.contains { $0.hasPrefix("التاريخ: ١٤٠٨/٠٥/٢٤ ") }, "\(lines)")
    }

    @Test("digits the main model dropped beside a number (ink no word covers) are read with it")
    func droppedDigits() throws {
        let lines = try self.lines("fields/pages/01-labels-amiri.png")
        // ara read "9 أيار 9 م" (96% sure), with no word over the "200" of 2009.
        #expect(lines.contains { $0.hasSuffix(": 9 أيار 2009 م") }, "\(lines)")
    }

    @Test("a fax's dashed streaks are painted out; a row of hyphenated numbers keeps its hyphens")
    func dashedStreaks() throws {
        let fax = try #require(try FixtureFiles.degraded().first { $0.file.contains("fax-kacstone") })
        let result = try read(fax)
        let rows = try #require(result.measurements?.streakRows)
        #expect(rows >= 1)
        #expect(result.cleaning.contains("streaks \(rows) dashed row(s)"), "\(result.cleaning)")
        var withStreaks = OCRSettings()
        withStreaks.preprocess.adaptive.removeAll { $0 == "streaks" }
        let before = try TesseractEngine(settings: withStreaks).recognize(
            try #require(try ImageDecoder().decode(try Data(contentsOf: fax.url), name: fax.file).first), pageNumber: 1)
        #expect(before.measurements?.streakRows == rows, "measured either way")
        #expect(!before.cleaning.contains { $0.hasPrefix("streaks") })
        let truth = try fax.truth()
        #expect(CharacterErrorRate.of(result.text, truth: truth) < CharacterErrorRate.of(before.text, truth: truth))

        // Hyphens between digits cross no band alone (the digits' strokes do): only the row of
        // em dashes is a dashed row.
        let url = FixtureFiles.fixtures.appendingPathComponent("cases/hyphens-amiri.png")
        let page = try engine.recognize(
            try #require(try ImageDecoder().decode(try Data(contentsOf: url), name: url.lastPathComponent).first), pageNumber: 1)
        #expect(page.cleaning.contains("streaks 1 dashed row(s)"), "\(page.cleaning)")
        #expect(page.text.matches(of: /[0-9]-[0-9]/).count >= 15, "\(page.text)")
        // With that row gone, Tesseract's row noise filter drops the last line; it is read.
        #expect(page.text.contains("الديوان"), "\(page.text)")
    }

    @Test("a scan's dark edges and punch holes are painted out before the page is measured; shadows are not")
    func darkRegions() throws {
        let url = FixtureFiles.fixtures.appendingPathComponent("cases/borders-noto-sans.jpg")
        let image = try #require(try ImageDecoder().decode(try Data(contentsOf: url), name: url.lastPathComponent).first)
        let result = try engine.recognize(image, pageNumber: 1)
        #expect(result.cleaning.contains { $0.hasPrefix("dark regions") && $0.hasSuffix("(1 at the edges, 3 inside)") }, "\(result.cleaning)")
        let truth = try String(contentsOf: url.deletingPathExtension().appendingPathExtension("txt"), encoding: .utf8)
        let printed = result.text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        // Every line as printed (the em dash aside, which Tesseract reads as two hyphens).
        #expect(printed.map { $0.replacingOccurrences(of: "--", with: "—") } == truth.split(separator: "\n").map(String.init))
        // Without the step the holes are read as characters beside the lines' words.
        var keep = OCRSettings()
        keep.preprocess.adaptive.removeAll { $0 == "dark-regions" }
        let before = try TesseractEngine(settings: keep).recognize(image, pageNumber: 1)
        #expect(before.text.contains("©"), "\(before.text)")
        // Uneven lighting and a phone capture's vignetting are shadows, not dark regions.
        for page in try FixtureFiles.degraded() where page.kind == "uneven" || page.kind == "phone150" {
            #expect(!(try read(page)).cleaning.contains { $0.hasPrefix("dark regions") }, "\(page.file)")
        }
    }

    @Test("a page laid 11° crooked is measured and turned straight (the skew search spans ±20°)")
    func crooked() throws {
        let url = FixtureFiles.fixtures.appendingPathComponent("cases/crooked-kacstbook.jpg")
        let image = try #require(try ImageDecoder().decode(try Data(contentsOf: url), name: url.lastPathComponent).first)
        let result = try engine.recognize(image, pageNumber: 1)
        let skew = try #require(result.measurements?.skewDegrees)
        #expect(skew < -10 && skew > -12, "\(skew)")
        #expect(result.cleaning.contains { $0.hasPrefix("deskew -1") }, "\(result.cleaning)")
        let truth = try String(contentsOf: url.deletingPathExtension().appendingPathExtension("txt"), encoding: .utf8)
        #expect(CharacterErrorRate.of(result.text, truth: truth) < 0.05, "\(result.text)")
        #expect(result.text.contains("9 آب 1994"))
        // Not turned, the page reads as nothing useful.
        var straightOnly = OCRSettings()
        straightOnly.preprocess.adaptive.removeAll { $0 == "deskew" }
        let before = try TesseractEngine(settings: straightOnly).recognize(image, pageNumber: 1)
        #expect(CharacterErrorRate.of(before.text, truth: truth) > 0.5)
    }

    @Test("the English lines of a bilingual form are read as English; Arabic lines never are")
    func latinLines() throws {
        let url = FixtureFiles.fixtures.appendingPathComponent("cases/bilingual-noto-naskh.png")
        let image = try #require(try ImageDecoder().decode(try Data(contentsOf: url), name: url.lastPathComponent).first)
        let result = try engine.recognize(image, pageNumber: 1)
        #expect(result.cleaning.contains("4 line(s) read as Latin text (eng)"), "\(result.cleaning)")
        for english in ["Ministry of Interior - Immigration Directorate", "Applicant name: Yousef Ahmad Al-Homsi", "Date: 03/02/2015"] {
            #expect(result.text.contains(english), "\(result.text)")
        }
        #expect(result.text.contains("اسم مقدم الطلب: يوسف أحمد الحمصي"))
        var arabicOnly = OCRSettings()
        arabicOnly.latinLanguage = ""
        let before = try TesseractEngine(settings: arabicOnly).recognize(image, pageNumber: 1)
        #expect(!before.text.contains("Ministry"))
        // Arabic pages read poorly (a noisy Noto Kufi page `eng` once read a line of as
        // "49660/1976 :dlolzoll pay") keep their Arabic.
        for page in try FixtureFiles.degraded() where page.kind == "noise" || page.kind == "fax" {
            #expect(!(try read(page)).cleaning.contains { $0.contains("read as Latin") }, "\(page.file)")
        }
    }

    @Test("a line the layout missed that Tesseract reads as nothing at its size is read smaller")
    func missedLineRescaled() throws {
        // A photocopied KacstOffice page: one of its lines is in no line of the layout, and its
        // crop read at 100% gave no word at all.
        let truth = try String(contentsOf: FixtureFiles.fixtures.appendingPathComponent("degraded/groundtruth/21-photocopy-kacstoffice.txt"), encoding: .utf8)
        let read = try lines("degraded/pages/21-photocopy-kacstoffice.tif").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(read.filter { !$0.isEmpty } == truth.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
    }

    @Test("a number's digits read as marks in an unsure word beside it are read with it")
    func digitsReadAsMarks() throws {
        // KacstOne: ara read ٧٧٩١٠٧ as "١٠٧ ؤلالا" (the word 0% sure); KacstBook: ٧٧٠٧/٢٠١٨ as
        // "٢٠١٨ //./ا/ا". The digits model takes the first ٧ for ١ in both; the references
        // model reads them.
        #expect(try lines("fields/pages/12-court-kacstone.png").contains("الرقم: ٧٧٩١٠٧"))
        #expect(try lines("fields/pages/32-receipt-kacstbook.png").contains("رقم الملف: ٧٧٠٧/٢٠١٨"))
    }

    @Test("a date's day read as letters before a month name is read as digits; a word there stays")
    func daysBeforeMonths() throws {
        let lines = try self.lines("cases/dates-noto-kufi.png")
        // ara: "التاريخ: لاا تشرين الأول …"
        #expect(lines.contains { $0.hasPrefix("التاريخ: ١٧ تشرين الأول") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("تاريخ العقد: ٢ محرم") }, "\(lines)")
        #expect(lines.contains("تصرف المستحقات في أيار من كل عام"), "\(lines)")
    }

    @Test("the references model's more confident Arabic-Indic reading wins, however sure the digits model was")
    func referencesOpinionOnConfidentNumbers() throws {
        // DejaVu Sans: the digits model read the last ٢ of ١٢/٠٢/٢٠١٢ as ٣ at 80 or more (and
        // ٥٢٢١ as ٥٣٣١ at 87 on a held-out page); the references model reads them right.
        let lines = try self.lines("cases/numbers-dejavu.png")
        for line in ["وقد سجل لدينا تحت الرقم ٢٨٢٠ بتاريخ ١٢/٠٢/٢٠١٢", "بالإشارة إلى كتابكم الوارد برقم ٥٢٢١", "رقم الإضبارة: ٤٢٧٢٩"] {
            #expect(lines.contains(Substring(line)), "\(lines)")
        }
    }

    @Test("a field's value read with a slash and no digit is read by the references model")
    func slashedValueAfterLabel() throws {
        // DejaVu Sans 14: ara reads "الرقم: د/٦٦" as "د/<د" (confidence 2), with no digit for a numbers
        // pass to see (a held-out page: "الرقم: م/٦٨" as "م//+").
        let lines = try self.lines("cases/references-dejavu.png")
        #expect(lines.contains("الرقم: د/٦٦"), "\(lines)")
        #expect(lines.contains("الرقم: م/٦٨"), "\(lines)")
    }

    @Test("an unread word with a slash between two numbers is read with them as one reference")
    func referenceMiddleUnread() throws {
        // Noto Naskh Arabic UI, blurred and noisy: ara reads ٧٣٤٠/ص/٢٠٠٩ as "2٠", "؟/ا/رص/" (an
        // unread word with no digit) and "٠٠١٥١"; read apart, the numbers came out ٤٠ and ٢٠٠٩.
        let lines = try self.lines("cases/reference-naskh-ui.jpg")
        #expect(lines.contains("رقم الكتاب: ٧٣٤٠/ص/٢٠٠٩"), "\(lines)")
        func words(middleConfidence: Double) -> [RecognizedPage.Word] {
            ["2٠", "؟/ا/رص/", "٠٠١٥١", "ص/"].enumerated().map { i, text in
                .init(text: text, box: .init(left: 400 - 100 * i, top: 0, right: 480 - 100 * i, bottom: 40),
                      confidence: i == 1 ? middleConfidence : 80, symbols: [])
            }
        }
        #expect(TesseractEngine.referenceMiddles(between: [0, 2], in: words(middleConfidence: 0), unreadBelow: 40) == [1])
        // (a word read with some confidence is a word; a slash-word after the last number is no middle)
        #expect(TesseractEngine.referenceMiddles(between: [0, 2], in: words(middleConfidence: 70), unreadBelow: 40).isEmpty)
        #expect(TesseractEngine.referenceMiddles(between: [2], in: words(middleConfidence: 0), unreadBelow: 40).isEmpty)
    }

    @Test("a full stop after a number ends the sentence; it is not read as a zero")
    func fullStopAfterNumber() throws {
        // "… الرسوم المستحقة عن عام ١٩٩٩." on a G4 page with impulse noise: the digits model
        // read the full stop as ٠ ("٠١٩٩٩").
        let page = try #require(try FixtureFiles.degraded().first { $0.file.contains("g4-impulse-kacstone") })
        #expect(try read(page).text.contains("عن عام ١٩٩٩."))
    }

    @Test("a ruled form has its rules painted out; an uneven page is normalised")
    func rulesAndBackground() throws {
        let form = try read(try first("form"))
        #expect(form.cleaning.contains { $0.hasPrefix("rules ") })
        #expect((form.measurements?.horizontalRules ?? 0) >= 4)
        let uneven = try read(try first("uneven"))
        #expect(uneven.cleaning.contains { $0.hasPrefix("background ") })
        #expect((uneven.measurements?.backgroundSpread ?? 0) >= 40)
    }

    @Test("pages turned a quarter or half round are found by one orientation detection and read upright", arguments: [90, 180])
    func turned(degrees: Int) throws {
        let pages = try FixtureFiles.degraded().filter { $0.turned == degrees }
        try #require(!pages.isEmpty)
        for page in pages {
            let result = try read(page)
            // `turned` is how far the image is turned clockwise; reading it means turning it back.
            #expect(result.rotation == (360 - degrees) % 360, "\(page.file)")
            #expect(CharacterErrorRate.of(result.text, truth: try page.truth()) < 0.2, "\(page.file)")
        }
    }

    /// The fixture letter-77851.png thresholded and drawn in `ink` on `paper` (8 bpp), and how
    /// many of its pixels are ink.
    func faintLetter(ink: UInt8, paper: UInt8) throws -> (PageImage, Int) {
        let data = try Data(contentsOf: FixtureFiles.box("box-folder").appendingPathComponent("letter-77851.png"))
        let image = try #require(try ImageDecoder().decode(data, name: "letter-77851.png").first)
        var gray = pixConvertTo8(image.pix, 0)
        var binary = gray.flatMap { pixThresholdToBinary($0, 128) }
        defer {
            pixDestroy(&gray)
            pixDestroy(&binary)
        }
        var inkPixels: Int32 = 0
        pixCountPixels(try #require(binary), &inkPixels, nil)
        return (PageImage(owning: try #require(binary.flatMap { pixConvert1To8(nil, $0, paper, ink) })), Int(inkPixels))
    }

    /// `pix` (a made-up version of letter-77851.png, owned by the call) read at 300 dpi, and its
    /// CER against the letter's text.
    func readLetter(_ pix: UnsafeMutablePointer<PIX>) throws -> (OCRResult, Double) {
        pixSetResolution(pix, 300, 300)
        let truth = try FixtureFiles.groundTruth(box: "box-folder", path: "letter-77851.png")
        let result = try engine.recognize(PageImage(owning: pix), pageNumber: 1)
        return (result, CharacterErrorRate.of(result.text, truth: truth))
    }

    @Test("faint ink on noisy paper is thresholded below the paper's own noise (Otsu splits the paper there)")
    func noisyPaper() throws {
        // A clean fixture letter made faint and noisy: ink at 155, paper at 210, Gaussian noise
        // of 17 levels on every pixel (the held-out set's Scheherazade `noise` page: read as
        // nothing before, raw Tesseract 83% CER).
        let (faint, _) = try faintLetter(ink: 155, paper: 210)
        srand(7)
        let (result, cer) = try readLetter(try #require(pixAddGaussianNoise(faint.pix, 17)))
        #expect(result.cleaning.contains { $0.hasPrefix("noisy paper") }, "\(result.cleaning)")
        #expect(cer < 0.15)
    }

    @Test("a faint page with little ink is stretched from its ink, not from the paper's darkest pixels")
    func sparseFaintInk() throws {
        // A clean fixture letter made faint (ink at 164, paper at 210, noise of 3 levels) on a sheet
        // with wide blank margins, so that under 1.5% of its pixels are ink (the held-out
        // faded Scheherazade page): the darkest 1.5% of the page is then paper, and a stretch
        // from there blackened the paper's noise and blotted the letters.
        let (faint, inkPixels) = try faintLetter(ink: 164, paper: 210)
        let sheet = PageImage(owning: try #require(pixAddBorderGeneral(faint.pix, 600, 600, 300, 900, 210)))
        let share = Double(inkPixels) / Double(sheet.width * sheet.height)
        try #require(share < 0.015, "ink share \(share)")
        srand(11)
        let (result, cer) = try readLetter(try #require(pixAddGaussianNoise(sheet.pix, 3)))
        #expect(result.cleaning.contains { $0.hasPrefix("contrast") }, "\(result.cleaning)")
        #expect(cer < 0.05)
    }

    @Test("a line with an unread word among readable ones is read again alone, and the better reading kept")
    func brokenLine() throws {
        let page = try #require(try FixtureFiles.degraded().first { $0.file.hasSuffix("10-jpeg55-kacstone.jpg") })
        let result = try read(page)
        #expect(result.cleaning.contains { $0.hasSuffix("line(s) with unread words read again alone") }, "\(result.cleaning)")
        // 1.87% when the line's pieces were kept as the page's layout read them.
        #expect(CharacterErrorRate.of(result.text, truth: try page.truth()) < 0.015)
    }

    @Test("a page read sideways (orientation detection off or unsure) is turned the way the layout analysis saw its lines and read again")
    func sidewaysWithoutOSD() throws {
        var settings = OCRSettings()
        settings.orientation = "none"
        let engine = try TesseractEngine(settings: settings)
        let pages = try FixtureFiles.degraded().filter { $0.turned == 90 || $0.turned == 270 }
        try #require(!pages.isEmpty)
        for page in pages {
            let image = try #require(try ImageDecoder().decode(try Data(contentsOf: page.url), name: page.file).first)
            let result = try engine.recognize(image, pageNumber: 1)
            #expect(result.rotation == (360 - page.turned) % 360, "\(page.file)")
            #expect(result.cleaning.contains { $0.hasPrefix("orientation") && $0.contains("running down the page") }, "\(page.file)")
            #expect(CharacterErrorRate.of(result.text, truth: try page.truth()) < 0.2, "\(page.file)")
        }
    }

    @Test("the line profile never takes a turned page for an upright one nor a sideways one for lines across, and spares OSD on many upright pages")
    func lineProfile() throws {
        func profile(_ pix: UnsafeMutablePointer<PIX>, dpi: Int) -> LineProfile? {
            let out = Preprocessor.apply(pix, OCRSettings().preprocess, xDPI: dpi, yDPI: dpi)
            _ = PageImage(owning: out.pix)
            _ = out.sharp.map { PageImage(owning: $0) }
            return out.measurements?.lineProfile
        }
        var uprightPassed = 0, acrossPassed = 0, uprightPages = 0
        for page in try FixtureFiles.degraded() {
            let image = try #require(try ImageDecoder().decode(try Data(contentsOf: page.url), name: page.file).first)
            let dpi = image.resolution > 50 ? image.resolution : 300
            guard image.verticalResolution == image.resolution else { continue }  // fax: resampled first
            for quarterTurns in 0..<4 {
                let turned = PageImage(owning: try #require(pixRotateOrth(image.pix, Int32(quarterTurns))))
                let found = profile(turned.pix, dpi: dpi)
                if page.turned == 0 && quarterTurns == 0 {
                    uprightPages += 1
                    if found?.upright == true { uprightPassed += 1 }
                    if found?.runsAcross == true { acrossPassed += 1 }
                } else if (page.turned / 90 + quarterTurns) % 4 != 0 {
                    #expect(found?.upright != true, "\(page.file) turned \(quarterTurns * 90)° more: \(found?.summary ?? "-")")
                }
                // Sideways, the lines never run across (OSD decides those pages).
                if (page.turned / 90 + quarterTurns) % 2 != 0 {
                    #expect(found?.runsAcross != true, "\(page.file) turned \(quarterTurns * 90)° more: \(found?.summary ?? "-")")
                }
            }
        }
        // Measured: 22 of the 36 upright pages here (26 of 44 in the whole set) pass; the rest
        // go to OSD.
        #expect(uprightPages >= 30)
        #expect(Double(uprightPassed) >= 0.4 * Double(uprightPages), "\(uprightPassed) of \(uprightPages) upright pages passed")
        #expect(acrossPassed > uprightPassed, "\(acrossPassed) of \(uprightPages) upright pages ran across")
    }

    @Test("a clean 300 dpi scan is not resampled, normalised or stripped of rules")
    func cleanPage() throws {
        let path = "معاملة-90214/page-1.tif"
        let data = try Data(contentsOf: FixtureFiles.box("box-folder").appendingPathComponent(path))
        let image = try #require(try ImageDecoder().decode(data, name: path).first)
        let result = try engine.recognize(image, pageNumber: 1)
        let kinds = result.cleaning.compactMap { $0.split(separator: " ").first.map(String.init) }
        #expect(Set(kinds).isDisjoint(with: ["square-pixels", "upscale", "rules", "streaks", "background", "contrast", "orientation"]))
        #expect(result.measurements?.bilevel == true)
    }

    @Test("with adaptive cleaning off no cleaning runs and none is recorded as run")
    func off() throws {
        let engine = try TesseractEngine(settings: OCRSettings(preprocess: PreprocessSettings(adaptive: [])))
        let page = try first("fax")
        let image = try #require(try ImageDecoder().decode(try Data(contentsOf: page.url), name: page.file).first)
        let result = try engine.recognize(image, pageNumber: 1)
        // (the readings are still recorded: the uncleaned fax reads at 46, so the smaller
        // reading is tried)
        let cleaning = PreprocessSettings.AdaptiveStep.allCases.map(\.rawValue) + ["colour dropout", "smooth", "despeckle"]
        #expect(!result.cleaning.contains { step in cleaning.contains { step.hasPrefix($0) } }, "\(result.cleaning)")
        #expect(result.cleaning.allSatisfy { $0.hasPrefix("read ") || $0.contains("line(s)") }, "\(result.cleaning)")
        #expect(result.measurements == nil)
    }

    @Test("CER and exact numbers on the whole degraded set stay within bounds (bench/ocr-quality has the figures)")
    func degradedQuality() throws {
        var edits = 0.0, chars = 0.0, found = 0, total = 0
        for page in try FixtureFiles.degraded() {
            let result = try read(page)
            let truth = try page.truth()
            let length = Double(truth.split(whereSeparator: \.isWhitespace).joined(separator: " ").unicodeScalars.count)
            edits += CharacterErrorRate.of(result.text, truth: truth) * length
            chars += length
            let numbers = NumberRecall.of(result.text, truth: truth)
            found += numbers.found
            total += numbers.total
        }
        print("degraded quality: CER \(String(format: "%.4f", edits / chars)), numbers \(found)/\(total)")
        // Measured: CER 3.0%, numbers 95.2% (319/335).
        #expect(edits / chars < 0.04)
        #expect(Double(found) / Double(total) >= 0.93)
    }
}
