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

    @Test("an unknown cleaning step, orientation mode or Tesseract variable is refused by name")
    func unknownNames() throws {
        let dir = try FixtureFiles.temporaryDirectory()
        let file = dir.appendingPathComponent("ocr.json")
        try Data(#"{"preprocess": {"adaptive": ["deskew", "sharpen"]}}"#.utf8).write(to: file)
        #expect { try OCRSettings.load(from: file) } throws: { "\($0)".contains("sharpen") }
        try Data(#"{"orientation": "guess"}"#.utf8).write(to: file)
        #expect { try OCRSettings.load(from: file) } throws: { "\($0)".contains("guess") }
        try Data(#"{"smallerReadingScale": 0}"#.utf8).write(to: file)
        #expect { try OCRSettings.load(from: file) } throws: { "\($0)".contains("smallerReadingScale") }
        #expect { try TesseractEngine(settings: OCRSettings(tesseractVariables: ["no_such_variable": "1"])) } throws: {
            "\($0)".contains("no_such_variable")
        }
    }

    @Test("the cleaning steps allowed, the orientation mode and the smaller reading are part of the stored fingerprint")
    func fingerprint() {
        let all = OCRSettings()
        #expect(all.fingerprint.contains("adaptive=v1:"))
        #expect(all.fingerprint.contains("orient=osd"))
        #expect(OCRSettings(preprocess: PreprocessSettings(adaptive: [])).fingerprint != all.fingerprint)
        #expect(OCRSettings(orientation: "retry").fingerprint != all.fingerprint)
        #expect(OCRSettings(smallerReadingBelow: 0).fingerprint != all.fingerprint)
        #expect(OCRSettings(smallerReadingScale: 0.6).fingerprint != all.fingerprint)
        #expect(all.fingerprint.contains("/refs=refs"))
        var noReferences = all
        noReferences.numbers.referencesLanguage = ""
        #expect(noReferences.fingerprint != all.fingerprint)
    }
}
