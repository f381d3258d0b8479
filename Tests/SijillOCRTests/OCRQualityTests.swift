import Foundation
import SijillCore
import SijillTestSupport
import Testing
@testable import SijillOCR

/// Regression bounds on OCR quality, measured on fixture pages with ground truth. The bounds
/// sit a margin below what the current settings achieve (see bench/ocr-quality for the figures),
/// so a change that makes recognition worse fails here.
@Suite struct OCRQualityTests {
    static let pages: [(box: String, path: String)] = [
        ("box-folder", "file-57231/scan-02.png"),   // KacstOne, Arabic-Indic digits: the hard case
        ("box-folder", "letter-77851.png"),         // Arabic-Indic digits
        ("box-folder", "file-57231/scan-01.jpg"),   // JPEG, Western digits
        ("box-folder", "معاملة-90214/page-1.tif"),  // G4 TIFF
    ]

    @Test("CER and exact numbers on fixture pages stay within bounds")
    func qualityBounds() throws {
        let engine = try TesseractEngine(settings: OCRSettings())
        var edits = 0.0, chars = 0.0, found = 0, total = 0
        for (box, path) in Self.pages {
            let data = try Data(contentsOf: FixtureFiles.box(box).appendingPathComponent(path))
            let frames = try ImageDecoder().decode(data, name: path)
            let result = try engine.recognize(try #require(frames.first), pageNumber: 1)
            let truth = try FixtureFiles.groundTruth(box: box, path: path)
            let cer = CharacterErrorRate.of(result.text, truth: truth)
            let numbers = NumberRecall.of(result.text, truth: truth)
            print("quality \(path): CER \(String(format: "%.3f", cer)), numbers \(numbers.found)/\(numbers.total)")
            let length = Double(truth.split(whereSeparator: \.isWhitespace).joined(separator: " ").unicodeScalars.count)
            edits += cer * length
            chars += length
            found += numbers.found
            total += numbers.total
        }
        let cer = edits / chars
        let recall = Double(found) / Double(total)
        print("quality total: CER \(String(format: "%.4f", cer)), numbers \(found)/\(total)")
        #expect(cer < OCRQualityTests.maxCER, "CER \(cer)")
        #expect(recall >= OCRQualityTests.minNumberRecall, "numbers \(found)/\(total)")
    }

    static let maxCER = 0.02
    static let minNumberRecall = 0.89
}
