import ArgumentParser
import Foundation
import SijillCatalog
import SijillCore
import SijillIngest

struct HoldCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hold",
        abstract: "Legal holds: a held record can never be destroyed or transferred.",
        subcommands: [Place.self, Release.self, List.self])

    struct Place: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Place a hold on one record, a whole series (including records ingested later) or a search's records.")

        @Option(help: "Why (the case, the request, the order).")
        var reason: String

        @Option(help: "A record ID or ≥12-hex prefix.")
        var record: String?

        @Option(help: "A series code.")
        var series: String?

        @Option(help: "A search query: every record it matches now.")
        var query: String?

        @OptionGroup var actor: ActorOptions
        @OptionGroup var home: HomeOptions

        func validate() throws {
            guard [record, series, query].compactMap({ $0 }).count == 1 else {
                throw ValidationError("give exactly one of --record, --series, --query")
            }
        }

        func run() async throws {
            do {
                let archive = try home.archive(create: false)
                let catalog = archive.catalog
                let token = try actor.require([.archivist, .admin], in: catalog)
                let (scope, value, ids): (String, String, [ContentID])
                if let record {
                    let id = try catalog.resolveRecord(IDPrefix(record))
                    (scope, value, ids) = ("record", id.hex, [id])
                } else if let series {
                    (scope, value, ids) = ("series", series, try catalog.records(series: series))
                } else {
                    let results = try catalog.searchRecords(SearchQuery(query!), limit: 1_000, ranking: .exact)
                    (scope, value, ids) = ("query", query!, results.map(\.record))
                }
                let hold = try catalog.placeHold(
                    reason: reason, scope: scope, value: value, records: ids, actor: "token:\(token.name)", at: Date())
                print("hold \(hold.id) placed on \(ids.count) record(s) (\(scope) \u{2068}\(value)\u{2069})")
            } catch {
                throw ExitStatus.fail(error)
            }
        }
    }

    struct Release: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Release a hold (someone other than who placed it).")

        @Argument(help: "The hold's number.")
        var hold: Int64

        @Option(help: "Why it is released.")
        var reason: String

        @OptionGroup var actor: ActorOptions
        @OptionGroup var home: HomeOptions

        func run() async throws {
            do {
                let archive = try home.archive(create: false)
                let token = try actor.require([.archivist, .admin], in: archive.catalog)
                _ = try archive.catalog.releaseHold(hold, reason: reason, actor: "token:\(token.name)", at: Date())
                print("hold \(hold) released")
            } catch {
                throw ExitStatus.fail(error)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List holds (active ones, or --all).")

        @Flag(help: "Include released holds.")
        var all = false

        @Flag(help: "Print as JSON.")
        var json = false

        @OptionGroup var home: HomeOptions

        func run() async throws {
            let holds: [Hold]
            do {
                holds = try home.archive(create: false).catalog.holds(all: all)
            } catch {
                throw ExitStatus.fail(error)
            }
            if json { return try JSONOutput.print(holds) }
            for h in holds {
                let status = h.releasedAt.map { "released \($0) by \(h.releasedBy ?? "?")" } ?? "active"
                print("\(h.id)\t\(h.scope) \u{2068}\(h.value)\u{2069}\tplaced \(h.placedAt) by \(h.placedBy)\t\(status)\t\u{2068}\(h.reason)\u{2069}")
            }
        }
    }
}
