import ArgumentParser
import Foundation
import SijillIngest

struct ReindexCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reindex",
        abstract: "Rebuild the search index from the stored OCR text, atomically (after a tokenizer change or damage).")

    @OptionGroup var home: HomeOptions

    func run() async throws {
        do {
            let archive = try home.archive(create: false)
            let start = Date()
            let store = archive.store
            let pages = try archive.catalog.rebuildIndex { id in String(decoding: try store.get(id), as: UTF8.self) }
            let seconds = Date().timeIntervalSince(start)
            print(String(format: "reindexed %d pages in %.2f s (%.0f pages/s)", pages, seconds, Double(pages) / max(seconds, 0.001)))
        } catch {
            throw ExitStatus.fail(error)
        }
    }
}
