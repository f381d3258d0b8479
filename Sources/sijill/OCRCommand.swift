import ArgumentParser
import Foundation
import SijillOCR

struct OCRCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ocr",
        abstract: "Recognise images with the same engine and settings as ingest; no data directory needed.")

    @Argument(
        help: "Image or PDF files (PNG, JPEG, TIFF, PDF — every page of a multi-page file). Pages are separated by a form feed.")
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
                let decoder = ImageDecoder()
                try PageDocumentReader().forEachPage(data, name: image) { page in
                    let result = try page.recognize(file: data, name: image, engine: engine, decoder: decoder)
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
