import ArgumentParser
import Foundation
import SijillCatalog
import SijillCore
import SijillIngest

struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Create, list and revoke API tokens for staff.",
        subcommands: [Create.self, List.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a token; it is printed once and stored only as a hash.")

        @Option(help: "archivist, clerk, auditor or admin.")
        var role: String

        @Option(help: "Who or what the token is for (unique).")
        var name: String

        @Flag(help: "Print as JSON.")
        var json = false

        @OptionGroup var home: HomeOptions

        func validate() throws {
            guard Role(rawValue: role) != nil else {
                throw ValidationError("--role must be one of: \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }

        func run() async throws {
            let created: (secret: String, token: APIToken)
            do {
                let archive = try home.archive(create: false)
                created = try archive.catalog.createToken(name: name, role: Role(rawValue: role)!, at: Date())
            } catch {
                throw ExitStatus.fail(error)
            }
            if json {
                struct Output: Encodable {
                    var token: String
                    var id: Int64
                    var name: String
                    var role: String
                }
                try JSONOutput.print(Output(token: created.secret, id: created.token.id, name: created.token.name, role: role))
            } else {
                print(created.secret)
                FileHandle.standardError.write(Data(
                    "token \(created.token.id) (\(created.token.name), \(role)) created; it is shown only now\n".utf8))
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tokens (never their secrets).")

        @Flag(help: "Print as JSON.")
        var json = false

        @OptionGroup var home: HomeOptions

        func run() async throws {
            let tokens: [APIToken]
            do {
                tokens = try home.archive(create: false).catalog.tokens()
            } catch {
                throw ExitStatus.fail(error)
            }
            if json { return try JSONOutput.print(tokens) }
            for t in tokens {
                print("\(t.id)\t\(t.role.rawValue)\t\(t.createdAt)\t\(t.revokedAt.map { "revoked \($0)" } ?? "active")\t\(t.name)")
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token by name or number.")

        @Argument(help: "The token's name or number.")
        var token: String

        @OptionGroup var home: HomeOptions

        func run() async throws {
            let revoked: Bool
            do {
                revoked = try home.archive(create: false).catalog.revokeToken(token, at: Date())
            } catch {
                throw ExitStatus.fail(error)
            }
            guard revoked else { throw ExitStatus.fail(SijillInputError.notFound(token, kind: "active token")) }
            print("revoked \(token)")
        }
    }
}
