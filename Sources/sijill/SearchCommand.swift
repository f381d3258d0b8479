import ArgumentParser
import Foundation
import SijillCatalog
import SijillCore
import SijillIngest

struct SearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search page text. Words must all match; \"phrases\", OR, -exclude and prefix* work.",
        discussion: "Hamza forms, harakat, tatweel, ة/ه, ى/ي and Arabic-Indic digits are folded: احمد finds أَحمد, 81559 finds ٨١٥٥٩.")

    @Argument(help: "The query.")
    var query: String

    @Option(help: "At most this many hits (1-1000).")
    var limit = 20

    @Flag(help: "Print hits as JSON.")
    var json = false

    @OptionGroup var home: HomeOptions

    func validate() throws {
        guard (1...1_000).contains(limit) else { throw ValidationError("--limit must be between 1 and 1000") }
    }

    func run() async throws {
        let hits: [SearchHit]
        let parsed: SearchQuery
        do {
            parsed = try SearchQuery(query)
            let archive = try ArchiveHome(url: ArchiveHome.resolve(home.home), create: false)
            hits = try archive.catalog.search(parsed, limit: limit)
        } catch {
            throw ExitStatus.fail(error)
        }
        if json {
            struct Output: Encodable {
                var query: String
                var count: Int
                var hits: [SearchHit]
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            FileHandle.standardOutput.write(try encoder.encode(Output(query: query, count: hits.count, hits: hits)))
            print()
            return
        }
        if hits.isEmpty {
            print("no pages match \u{2068}\(query)\u{2069}")
            return
        }
        for hit in hits {
            print("\(hit.record.short)  page \(hit.page)  score \(String(format: "%.2f", hit.score))  \(hit.box): \u{2068}\(hit.source)\u{2069}")
            print("    \u{2067}\(hit.snippet)\u{2069}")
        }
    }
}
