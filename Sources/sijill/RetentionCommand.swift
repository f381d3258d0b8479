import ArgumentParser
import Foundation
import SijillCatalog
import SijillCore
import SijillIngest
import SijillRetention

struct RetentionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retention",
        abstract: "Retention schedules: lint them, apply them, record cut-offs, report where records stand.",
        subcommands: [Check.self, Apply.self, Close.self, Report.self])

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Validate the schedule files (every problem with its file and line).")

        @OptionGroup var retention: RetentionOptions
        @OptionGroup var home: HomeOptions

        func run() async throws {
            let set: ScheduleSet
            do {
                set = try retention.load(home: ArchiveHome.resolve(home.home))
            } catch {
                throw ExitStatus.fail(error)
            }
            print("ok: \(set.schedules.count) series in \(set.files.joined(separator: ", ")) (fingerprint \(set.fingerprint.prefix(12)))")
            for s in set.schedules.values.sorted(by: { $0.series < $1.series }) {
                print("  \(s.series)\t\(s.period) from \(s.trigger.rawValue) → \(s.action.rawValue)\t\u{2068}\(s.titleArabic)\u{2069}")
            }
        }
    }

    struct Apply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Give every record its schedule and due date (after a schedule change; ingest does it too).")

        @OptionGroup var retention: RetentionOptions
        @OptionGroup var home: HomeOptions

        func run() async throws {
            do {
                let (_, service) = try retention.service(home: home)
                let changed = try service.apply(actor: "cli", at: Date())
                print("retention applied: \(changed) record(s) changed")
            } catch {
                throw ExitStatus.fail(error)
            }
        }
    }

    struct Close: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record the cut-off (e.g. case closed) that starts a `closed` schedule's clock.")

        @Argument(help: "Record IDs or ≥12-hex prefixes.")
        var records: [String]

        @Option(help: "The cut-off date (YYYY-MM-DD; default today).")
        var date: String?

        @OptionGroup var actor: ActorOptions
        @OptionGroup var retention: RetentionOptions
        @OptionGroup var home: HomeOptions

        func run() async throws {
            do {
                let (archive, service) = try retention.service(home: home)
                let token = try actor.require([.archivist, .admin], in: archive.catalog)
                let now = Date()
                let day = date ?? CivilDate(now).text
                guard let parsed = CivilDate(day), parsed.text == day else {
                    throw SijillInputError.badOption("--date", reason: "write the date as YYYY-MM-DD")
                }
                let ids = try records.map { try archive.catalog.resolveRecord(IDPrefix($0)) }
                try archive.catalog.closeRecords(ids, on: day, actor: "token:\(token.name)", at: now)
                try service.apply(actor: "token:\(token.name)", at: now)
                print("closed \(ids.count) record(s) on \(day)")
            } catch {
                throw ExitStatus.fail(error)
            }
        }
    }

    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Per record: series, schedule, due date, state, holds; and a summary per series.")

        @Option(name: .customLong("as-of"), help: "The day to report on (YYYY-MM-DD; default today).")
        var asOf: String?

        @Option(help: "Only this series.")
        var series: String?

        @Option(help: "csv (UTF-8 with BOM, for Excel) or json.")
        var format = "csv"

        @Option(help: "Write to this file instead of stdout.")
        var out: String?

        @OptionGroup var retention: RetentionOptions
        @OptionGroup var home: HomeOptions

        func validate() throws {
            guard ["csv", "json"].contains(format) else { throw ValidationError("--format must be csv or json") }
            if let asOf, CivilDate(asOf)?.text != asOf { throw ValidationError("--as-of must be a date written YYYY-MM-DD") }
        }

        func run() async throws {
            do {
                let (_, service) = try retention.service(home: home)
                try service.apply(actor: "cli", at: Date())
                let report = try service.report(asOf: asOf.flatMap(CivilDate.init) ?? CivilDate(Date()), series: series)
                let text = format == "csv" ? report.csv() : try JSONOutput.text(report)
                if try ExportOutput.write(text, to: out) {
                    let unscheduled = report.lines.filter { $0.state == .unscheduled }.count
                    print("wrote \(report.lines.count) record(s) to \(out!)\(unscheduled > 0 ? "; \(unscheduled) unscheduled" : "")")
                }
            } catch {
                throw ExitStatus.fail(error)
            }
        }
    }
}
