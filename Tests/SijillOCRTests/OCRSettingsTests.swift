import Foundation
import SijillTestSupport
import Testing
@testable import SijillOCR

@Suite struct OCRSettingsTests {
    @Test("Ingest/ocr.json and the built-in defaults are the same settings")
    func committedSettingsMatchDefaults() throws {
        let loaded = try OCRSettings.load(from: FixtureFiles.root.appendingPathComponent("Ingest/ocr.json"))
        #expect(loaded == OCRSettings())
    }

    @Test("a broken settings file is an error naming the file")
    func brokenSettings() throws {
        let dir = try FixtureFiles.temporaryDirectory()
        let file = dir.appendingPathComponent("ocr.json")
        try Data("{\"pageSegmentationMode\": \"three\"}".utf8).write(to: file)
        #expect { try OCRSettings.load(from: file) } throws: { "\($0)".contains("ocr.json") }
    }

    @Test("an unknown language is a clear engine error, not a crash")
    func unknownLanguage() {
        #expect { try TesseractEngine(settings: OCRSettings(language: "xx_nonexistent")) } throws: {
            "\($0)".contains("xx_nonexistent")
        }
    }
}
