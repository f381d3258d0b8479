import ArgumentParser
import Foundation
import SijillCatalog
import SijillCore
import SijillIngest
import SijillRetention

struct DispositionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disposition",
        abstract: "What is due, in batches: prepared, approved by another admin, executed (with a certificate or a BagIt bag).",
        subcommands: [List.self, Approve.self, Execute.self])

    static func service(home: HomeOptions, retention: RetentionOptions) throws -> (ArchiveHome, DispositionService) {
        let (archive, schedules) = try retention.service(home: home)
        try schedules.apply(actor: "cli", at: Date())
        return (archive, DispositionService(retention: schedules, store: archive.store))
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Records due on a day, by action, and the batches; --prepare puts due records into new batches.")

        @Option(name: .customLong("as-of"), help: "The day (YYYY-MM-DD; default today).")
        var asOf: String?

        @Flag(help: "Create batches (one per action: destroy, transfer) of due records not already in one.")
        var prepare = false

        @OptionGroup var actor: ActorOptions
        @OptionGroup var retention: RetentionOptions
        @OptionGroup var home: HomeOptions

        func validate() throws {
            if let asOf, CivilDate(asOf)?.text != asOf { throw ValidationError("--as-of must be a date written YYYY-MM-DD") }
        }

        func run() async throws {
            do {
                let (archive, service) = try DispositionCommand.service(home: home, retention: retention)
                let day = asOf.flatMap(CivilDate.init) ?? CivilDate(Date())
                let due = try service.due(asOf: day)
                print("due on \(day.text):")
                for action in due.keys.sorted() {
                    print("  \(action): \(due[action]!.count)")
                    for line in due[action]! {
                        print("    \(line.record.prefix(12))  \(line.series ?? "")  due \(line.dueDate ?? "")  \u{2068}\(line.reference ?? line.title ?? "")\u{2069}")
                    }
                }
                if due.isEmpty { print("  nothing") }
                if prepare {
                    let token = try actor.require([.archivist, .admin], in: archive.catalog)
                    let made = try service.prepare(asOf: day, actor: "token:\(token.name)", at: Date())
                    for batch in made {
                        print("prepared batch \(batch.id): \(batch.action), \(try archive.catalog.batch(batch.id)?.records.count ?? 0) record(s); an admin other than \(token.name) approves it")
                    }
                    if made.isEmpty { print("no new batch: nothing due outside existing batches") }
                }
                let batches = try archive.catalog.batches()
                if !batches.isEmpty { print("batches:") }
                for b in batches {
                    let state = b.executedAt.map { "executed \($0) by \(b.executedBy ?? "?")" }
                        ?? b.approvedAt.map { "approved \($0) by \(b.approvedBy ?? "?")" } ?? "awaiting approval"
                    print("  \(b.id)\t\(b.action)\tas of \(b.asOf)\tprepared by \(b.preparedBy)\t\(state)")
                }
            } catch {
                throw ExitStatus.fail(error)
            }
        }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Approve a batch (an admin token other than the preparer's).")

        @Argument(help: "The batch number.")
        var batch: Int64

        @OptionGroup var actor: ActorOptions
        @OptionGroup var home: HomeOptions

        func run() async throws {
            do {
                let archive = try home.archive(create: false)
                let token = try actor.require([.admin], in: archive.catalog)
                _ = try archive.catalog.approveBatch(batch, actor: "token:\(token.name)", at: Date())
                print("batch \(batch) approved by \(token.name)")
            } catch {
                throw ExitStatus.fail(error)
            }
        }
    }

    struct Execute: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Execute an approved batch: destroy (certificate stored as a record) or transfer (BagIt bag).")

        @Argument(help: "The batch number.")
        var batch: Int64

        @Option(help: "Where transfer bags are written (default <data dir>/transfers).")
        var bags: String?

        @OptionGroup var actor: ActorOptions
        @OptionGroup var retention: RetentionOptions
        @OptionGroup var home: HomeOptions

        func run() async throws {
            do {
                let (archive, service) = try DispositionCommand.service(home: home, retention: retention)
                let token = try actor.require([.archivist, .admin], in: archive.catalog)
                let dir = bags.map { URL(fileURLWithPath: $0) } ?? archive.url.appendingPathComponent("transfers")
                let outcome = try service.execute(batch, actor: "token:\(token.name)", at: Date(), bags: dir)
                try service.retention.apply(actor: "token:\(token.name)", at: Date())
                print("batch \(batch) executed: \(outcome.done.count) \(outcome.batch.action == "destroy" ? "destroyed" : "transferred"), \(outcome.skipped.count) skipped")
                for s in outcome.skipped { print("  skipped \(s.record.short): \(s.reason)") }
                print("certificate \(outcome.certificate.hex) (JSON)\(outcome.certificateCSV.map { ", \($0.hex) (CSV)" } ?? "")")
                if let bag = outcome.bag { print("bag \(bag.path)") }
            } catch {
                throw ExitStatus.fail(error)
            }
        }
    }
}
