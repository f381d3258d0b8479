import ArgumentParser
import Foundation
import SijillOCR

struct OCRCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ocr",
        abstract: "Recognise one image with the same engine and settings as ingest; no data directory needed.")

    @Argument(help: "An image file (PNG, JPEG, TIFF — every page of a multi-page TIFF).")
    var image: String

    @Flag(help: "Print hOCR instead of plain text.")
    var hocr = false

    @Option(help: "OCR settings JSON (see Ingest/ocr.json).")
    var ocrConfig: String?

    func run() async throws {
        do {
            let settings = try ocrConfig.map { try OCRSettings.load(from: URL(fileURLWithPath: $0)) } ?? OCRSettings()
            guard let data = FileManager.default.contents(atPath: image) else {
                throw OCRError.corrupt(image, "cannot read the file")
            }
            let frames = try ImageDecoder().decode(data, name: image)
            let engine = try TesseractEngine(settings: settings)
            for (i, frame) in frames.enumerated() {
                let result = try engine.recognize(frame, pageNumber: i + 1)
                if i > 0 { print("\u{0C}") }
                print(hocr ? result.hocr : result.text)
            }
        } catch {
            throw ExitStatus.fail(error)
        }
    }
}
