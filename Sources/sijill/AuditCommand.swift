import ArgumentParser
import Foundation
import SijillCatalog
import SijillCore
import SijillIngest
import SijillRetention

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "The hash-chained audit log: verify it, export it, export its head as an anchor.",
        subcommands: [Verify.self, Export.self, Anchor.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check every entry's hash and link; name the first broken entry (exit 6 if any).")

        @Option(help: "An anchor file from `audit anchor`: also check that entry is unchanged.")
        var anchor: String?

        @Flag(help: "Print as JSON.")
        var json = false

        @OptionGroup var home: HomeOptions

        func run() async throws {
            let result: AuditVerification
            do {
                let catalog = try home.archive(create: false).catalog
                var pinned: (Int64, String)?
                if let anchor {
                    struct File: Decodable { var seq: Int64; var hash: String }
                    guard let data = FileManager.default.contents(atPath: anchor),
                        let file = try? JSONDecoder().decode(File.self, from: data)
                    else { throw SijillInputError.badOption("--anchor", reason: "\(anchor) is not an anchor file from `sijill audit anchor`") }
                    pinned = (file.seq, file.hash)
                }
                result = try catalog.verifyAudit(anchor: pinned)
            } catch {
                throw ExitStatus.fail(error)
            }
            if json {
                try JSONOutput.print(result)
            } else if let seq = result.firstBroken {
                print("BROKEN: entry \(seq): \(result.problem ?? "")")
                print("\(result.broken) problem(s) in \(result.entries) entries")
            } else {
                print("ok: \(result.entries) entries, chain intact; head \(result.headSeq) \(result.headHash)")
            }
            if result.firstBroken != nil { throw ExitCode(ExitStatus.corrupt) }
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Export entries (JSON lines or CSV).")

        @Option(help: "From this time or day (ISO 8601, e.g. 2026-01-01).")
        var from: String?

        @Option(help: "Up to this time or day (a day includes all of it).")
        var to: String?

        @Option(help: "jsonl or csv.")
        var format = "jsonl"

        @Option(help: "Write to this file instead of stdout.")
        var out: String?

        @OptionGroup var home: HomeOptions

        func validate() throws {
            guard ["jsonl", "csv"].contains(format) else { throw ValidationError("--format must be jsonl or csv") }
        }

        func run() async throws {
            do {
                let catalog = try home.archive(create: false).catalog
                let upper = to.map { $0.count == 10 ? $0 + "T23:59:59Z" : $0 }
                let entries = try catalog.auditEntries(from: from, to: upper)
                var text = ""
                if format == "csv" {
                    text = "\u{FEFF}seq,at,actor,action,target,detail,prev_hash,hash\r\n"
                    for e in entries {
                        text += [String(e.seq), e.at, e.actor, e.action, e.target ?? "", e.detail, e.prevHash, e.hash]
                            .map(CSVCell.escape).joined(separator: ",") + "\r\n"
                    }
                } else {
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                    for e in entries { text += String(decoding: try encoder.encode(e), as: UTF8.self) + "\n" }
                }
                if try ExportOutput.write(text, to: out) { print("wrote \(entries.count) entries to \(out!)") }
            } catch {
                throw ExitStatus.fail(error)
            }
        }
    }

    struct Anchor: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the chain's head (seq, hash, time) as JSON, for an outside party to keep; `verify --anchor` checks it later.")

        @OptionGroup var home: HomeOptions

        func run() async throws {
            do {
                let catalog = try home.archive(create: false).catalog
                let now = Date()
                try catalog.audit([AuditEvent(actor: "cli", action: "audit.anchor", at: now)])
                let head = try catalog.verifyAudit()
                struct AnchorFile: Encodable { var seq: Int64; var hash: String; var exported_at: String; var intact: Bool }
                try JSONOutput.print(AnchorFile(
                    seq: head.headSeq, hash: head.headHash, exported_at: Timestamp.string(now), intact: head.firstBroken == nil))
            } catch {
                throw ExitStatus.fail(error)
            }
        }
    }
}
