import ArgumentParser
import Foundation
import SijillCatalog
import SijillCore
import SijillIngest

struct SearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search page text. Words must all match; \"phrases\", OR, -exclude and prefix* work.",
        discussion: """
            Hamza forms, harakat, tatweel, ة/ه, ى/ي, Arabic-Indic digits and common prefixes and \
            suffixes (ال، و، ات، ون…) are folded: احمد finds أَحمد, 81559 finds ٨١٥٥٩, وزارات finds الوزارة. \
            Results are grouped by record, best pages first, ranked by bm25. A query made only of             words found in thousands of pages is ranked among the pages that use one of its words             most (impact tiers), which answers in milliseconds; --exact ranks every matching page.
            """)

    @Argument(help: "The query.")
    var query: String

    @Option(help: "At most this many records (1-1000).")
    var limit = 20

    @Option(help: "Only records of this series.")
    var series: String?

    @Option(help: "Only records of this agency.")
    var agency: String?

    @Option(help: "Only records from this box.")
    var box: String?

    @Option(help: "Only records dated on or after (YYYY-MM-DD, YYYY-MM or YYYY).")
    var from: String?

    @Option(help: "Only records dated on or before.")
    var to: String?

    @Option(help: "Only records in this retention state today: active, due, on-hold, destroyed, transferred, permanent, unscheduled.")
    var state: String?

    @Flag(help: "Rank every matching page (slow for common words in a large archive).")
    var exact = false

    @Flag(help: "Print as JSON: `results` grouped by record, and the flat page `hits`.")
    var json = false

    @OptionGroup var home: HomeOptions

    func validate() throws {
        guard (1...1_000).contains(limit) else { throw ValidationError("--limit must be between 1 and 1000") }
    }

    func run() async throws {
        let results: [RecordResult]
        do {
            let parsed = try SearchQuery(query)
            let filters = try SearchFilters(
                series: series, agency: agency, box: box, from: from, to: to, retentionState: state)
            let archive = try home.archive(create: false)
            results = try archive.catalog.searchRecords(
                parsed, filters: filters, limit: limit, ranking: exact ? .exact : .default)
        } catch {
            throw ExitStatus.fail(error)
        }
        if json {
            struct Output: Encodable {
                var query: String
                var count: Int
                var results: [RecordResult]
                var hits: [SearchHit]
            }
            try JSONOutput.print(
                Output(query: query, count: results.count, results: results, hits: results.flatMap(\.pages)))
            return
        }
        if results.isEmpty {
            print("no records match \u{2068}\(query)\u{2069}")
            return
        }
        for result in results {
            let label = [result.reference, result.title, result.date].compactMap { $0 }.joined(separator: " · ")
            print("\(result.record.short)  score \(String(format: "%.3g", result.score))  \(result.box)  \u{2068}\(label)\u{2069}")
            for hit in result.pages {
                print("    page \(hit.page) (\u{2068}\(hit.source)\u{2069}): \u{2067}\(hit.snippet)\u{2069}")
            }
        }
    }
}
