import ArgumentParser
import Foundation
import SijillCatalog
import SijillCore
import SijillIngest

struct AccessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "access",
        abstract: "Issue, list and revoke citizens' access codes (one record each).",
        subcommands: [Grant.self, List.self, Revoke.self])

    struct Grant: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue an access code for one record; it is printed once and stored only as a hash.")

        @Argument(help: "The record's ID or a prefix of at least 12 hex digits.")
        var record: String

        @Option(help: "How long the code works: 30d, 12h, 90m (at most 365d).")
        var expires = "30d"

        @Option(help: "A note kept with the grant (e.g. the request's reference).")
        var note: String?

        @Flag(help: "Print as JSON.")
        var json = false

        @OptionGroup var home: HomeOptions

        func validate() throws {
            guard AccessCommand.duration(expires) != nil else {
                throw ValidationError("--expires must be a number followed by d, h or m, at most 365d (e.g. 30d)")
            }
        }

        func run() async throws {
            let issued: (code: String, grant: AccessGrant)
            let user = ProcessInfo.processInfo.environment["USER"] ?? "cli"
            do {
                let archive = try home.archive(create: false)
                let id = try archive.catalog.resolveRecord(IDPrefix(record))
                let now = Date()
                issued = try archive.catalog.grantAccess(
                    to: id, expires: now.addingTimeInterval(AccessCommand.duration(expires)!), by: "cli:\(user)", note: note,
                    at: now)
            } catch {
                throw ExitStatus.fail(error)
            }
            if json {
                struct Output: Encodable {
                    var code: String
                    var grant: AccessGrant
                }
                try JSONOutput.print(Output(code: issued.code, grant: issued.grant))
            } else {
                print(issued.code)
                FileHandle.standardError.write(Data(
                    "grant \(issued.grant.id) for record \(issued.grant.recordId.short) until \(issued.grant.expiresAt); the code is shown only now\n".utf8))
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List grants (never their codes).")

        @Option(help: "Only grants for this record (ID or ≥12-hex prefix).")
        var record: String?

        @Flag(help: "Print as JSON.")
        var json = false

        @OptionGroup var home: HomeOptions

        func run() async throws {
            let grants: [AccessGrant]
            do {
                let catalog = try home.archive(create: false).catalog
                grants = try catalog.grants(record: record.map { try catalog.resolveRecord(IDPrefix($0)) })
            } catch {
                throw ExitStatus.fail(error)
            }
            if json { return try JSONOutput.print(grants) }
            for g in grants {
                print("\(g.id)\t\(g.recordId.short)\tuntil \(g.expiresAt)\t\(g.revokedAt.map { "revoked \($0)" } ?? "active")\t\(g.createdBy)")
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a grant by number.")

        @Argument(help: "The grant's number (from `access list`).")
        var grant: Int64

        @OptionGroup var home: HomeOptions

        func run() async throws {
            let revoked: Bool
            do {
                let user = ProcessInfo.processInfo.environment["USER"] ?? "cli"
                revoked = try home.archive(create: false).catalog
                    .revokeGrant(grant, by: "cli:\(user)", at: Date())
            } catch {
                throw ExitStatus.fail(error)
            }
            guard revoked else { throw ExitStatus.fail(SijillInputError.notFound(String(grant), kind: "active grant")) }
            print("revoked grant \(grant)")
        }
    }

    /// Seconds in "30d", "12h", "90m"; nil when malformed or over a year.
    static func duration(_ text: String) -> TimeInterval? {
        guard let unit = text.last, let n = Int(text.dropLast()), n > 0 else { return nil }
        let seconds: Int
        switch unit {
        case "d": seconds = n * 86_400
        case "h": seconds = n * 3_600
        case "m": seconds = n * 60
        default: return nil
        }
        return seconds <= 365 * 86_400 ? TimeInterval(seconds) : nil
    }
}
