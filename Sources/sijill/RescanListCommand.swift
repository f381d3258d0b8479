import ArgumentParser
import Foundation
import SijillCatalog
import SijillIngest

struct RescanListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rescan-list",
        abstract: "List pages flagged \"needs re-scan\" (OCR confidence under the threshold), by box and file.")

    @Option(help: "Only pages from this box (its file or folder name).")
    var box: String?

    @Flag(help: "Print as JSON.")
    var json = false

    @OptionGroup var home: HomeOptions

    func run() async throws {
        let items: [Catalog.RescanItem]
        do {
            let archive = try home.archive(create: false)
            items = try archive.catalog.rescanList(box: box)
        } catch {
            throw ExitStatus.fail(error)
        }
        if json {
            try JSONOutput.print(items)
            return
        }
        if items.isEmpty {
            print("no pages need re-scanning" + (box.map { " in box \($0)" } ?? ""))
            return
        }
        print("BOX / FILE                                   PAGE  CONF  LOW/WORDS  RECORD")
        for item in items {
            let file = "\(item.box): \(item.source)\(item.frame > 0 ? " #\(item.frame + 1)" : "")"
            print(
                "\u{2068}\(file)\u{2069}".padding(toLength: 46, withPad: " ", startingAt: 0)
                    + String(format: "%4d  %4.0f  %4d/%-5d  ", item.page, item.confidence, item.lowConfidenceWords, item.words)
                    + item.record.short)
        }
        print("\(items.count) page(s) need re-scanning")
    }
}
