import CLeptonica
import Foundation
import SijillCore
import SijillTestSupport
import Testing
@testable import SijillOCR

@Suite struct OCRTests {
    static let pages: [(box: String, path: String)] = [
        ("box-folder", "letter-77851.png"), ("box-folder", "file-57231/scan-01.jpg"), ("box-folder", "معاملة-90214/page-1.tif"),
    ]

    @Test("OCR of fixture pages is close to the ground truth", arguments: pages)
    func characterErrorRate(box: String, path: String) throws {
        let data = try Data(contentsOf: FixtureFiles.box(box).appendingPathComponent(path))
        let engine = try TesseractEngine(settings: OCRSettings())
        let frames = try ImageDecoder().decode(data, name: path)
        let frame = try #require(frames.first)
        let result = try engine.recognize(frame, pageNumber: 1)
        let truth = try FixtureFiles.groundTruth(box: box, path: path)
        let cer = CharacterErrorRate.of(result.text, truth: truth)
        print("CER \(box)/\(path): \(String(format: "%.3f", cer)), confidence \(result.meanConfidence)")
        #expect(cer < 0.20, "CER \(cer) for \(path)")
        #expect(!result.text.unicodeScalars.contains { $0.value == 0x200E || $0.value == 0x200F })
        #expect(result.hocr.contains("ocrx_word"))
        #expect(result.wordCount > 20 && result.meanConfidence > 50)
        #expect(result.engine.hasPrefix("tesseract 5"))
    }

    @Test("a page without resolution metadata gets the default DPI, recorded as assumed")
    func assumedDPI() throws {
        let data = try Data(contentsOf: FixtureFiles.fixtures.appendingPathComponent("boxes/box-folder/letter-77851.png"))
        let frames = try ImageDecoder().decode(data, name: "x")
        let page = try #require(frames.first)
        let engine = try TesseractEngine(settings: OCRSettings(defaultDPI: 300))
        let result = try engine.recognize(page, pageNumber: 1)
        #expect(result.dpiAssumed == (page.resolution < 50))
        #expect(result.dpi == (page.resolution < 50 ? 300 : page.resolution))
    }

    @Test("a resolution no paper page can have (a 300 dpi scan tagged 72 dpi) is ignored, not upscaled to")
    func implausibleResolution() throws {
        let url = FixtureFiles.fixtures.appendingPathComponent("boxes/box-folder/file-57231/scan-01.jpg")
        let engine = try TesseractEngine(settings: OCRSettings())
        let page = try #require(try ImageDecoder().decode(try Data(contentsOf: url), name: "scan-01.jpg").first)
        let stated = try engine.recognize(page, pageNumber: 1)
        pixSetResolution(page.pix, 72, 72)
        #expect(TesseractEngine.implausibleSize(width: page.width, height: page.height, xDPI: 72, yDPI: 72) != nil)
        let tagged72 = try engine.recognize(page, pageNumber: 1)
        #expect(tagged72.dpi == 300 && tagged72.dpiAssumed)
        #expect(tagged72.cleaning.first?.hasPrefix("resolution 72 dpi ignored") == true, "\(tagged72.cleaning)")
        // (one step: steps are stored joined by "; ")
        #expect(tagged72.cleaning.first.map { !$0.contains(";") && $0.hasSuffix("read as 300 dpi") } == true)
        // A 300 dpi letter tagged 96 dpi: 18.2 in wide, larger than an A3 sheet.
        #expect(TesseractEngine.implausibleSize(width: 1748, height: 1243, xDPI: 96, yDPI: 96) != nil)
        #expect(!tagged72.cleaning.contains { $0.hasPrefix("upscale") })
        #expect(tagged72.text == stated.text)
        // A real low resolution on a page-sized image is believed: a 150 dpi A4 capture.
        #expect(TesseractEngine.implausibleSize(width: 1240, height: 1754, xDPI: 150, yDPI: 150) == nil)
        #expect(TesseractEngine.implausibleSize(width: 1165, height: 358, xDPI: 200, yDPI: 100) == nil)
        #expect(TesseractEngine.implausibleSize(width: 1240, height: 1754, xDPI: 0, yDPI: 0) == nil)
    }

    @Test("non-images, empty, truncated and oversized images are refused with the reason")
    func decoderRefusals() throws {
        let decoder = ImageDecoder(maxPixels: 1_000_000)
        let png = try Data(contentsOf: FixtureFiles.box("box-folder").appendingPathComponent("letter-77851.png"))
        #expect { try decoder.decode(Data("hello, not an image".utf8), name: "a.txt") } throws: {
            ($0 as? OCRError)?.code == "not-an-image"
        }
        #expect { try decoder.decode(Data(), name: "e.png") } throws: { ($0 as? OCRError)?.code == "empty-file" }
        #expect { try ImageDecoder().decode(png.prefix(png.count / 2), name: "t.png") } throws: {
            ($0 as? OCRError)?.code == "corrupt-image"
        }
        #expect { try decoder.decode(png, name: "big.png") } throws: { ($0 as? OCRError)?.code == "image-too-large" }
    }

    @Test("a PNG header claiming 50,000 × 50,000 pixels is refused before decoding")
    func decompressionBomb() throws {
        var ihdr = Data("IHDR".utf8)
        for v in [UInt32(50_000), UInt32(50_000)] { withUnsafeBytes(of: v.bigEndian) { ihdr.append(contentsOf: $0) } }
        ihdr.append(contentsOf: [8, 0, 0, 0, 0])  // 8-bit gray, deflate, no filter, no interlace
        var png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13])
        png.append(ihdr)
        withUnsafeBytes(of: crc32(ihdr).bigEndian) { png.append(contentsOf: $0) }
        png.append(contentsOf: [0, 0, 0, 0] + Array("IEND".utf8) + [0xAE, 0x42, 0x60, 0x82])
        #expect { try ImageDecoder().decode(png, name: "bomb.png") } throws: {
            ($0 as? OCRError)?.code == "image-too-large" && "\($0)".contains("50000×50000")
        }
    }

    func crc32(_ data: Data) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}
