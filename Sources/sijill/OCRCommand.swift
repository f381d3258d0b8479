import ArgumentParser
import Foundation
import SijillOCR

struct OCRCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ocr",
        abstract: "Recognise images with the same engine and settings as ingest; no data directory needed.")

    @Argument(help: "Image files (PNG, JPEG, TIFF — every page of a multi-page TIFF). Pages are separated by a form feed.")
    var images: [String]

    @Flag(help: "Print hOCR instead of plain text.")
    var hocr = false

    @Option(help: "OCR settings JSON (see Ingest/ocr.json).")
    var ocrConfig: String?

    func validate() throws {
        guard !images.isEmpty else { throw ValidationError("give at least one image") }
    }

    func run() async throws {
        do {
            let settings = try ocrConfig.map { try OCRSettings.load(from: URL(fileURLWithPath: $0)) } ?? OCRSettings()
            let engine = try TesseractEngine(settings: settings)
            var first = true
            for image in images {
                guard let data = FileManager.default.contents(atPath: image) else {
                    throw OCRError.corrupt(image, "cannot read the file")
                }
                var pageNumber = 0
                try ImageDecoder().forEachPage(data, name: image) { frame, _ in
                    pageNumber += 1
                    let result = try engine.recognize(frame, pageNumber: pageNumber)
                    if !first { print("\u{0C}") }
                    first = false
                    print(hocr ? result.hocr : result.text)
                }
            }
        } catch {
            throw ExitStatus.fail(error)
        }
    }
}
