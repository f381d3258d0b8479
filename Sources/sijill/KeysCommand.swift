import ArgumentParser
import Foundation
import SijillCatalog
import SijillCertify
import SijillCore
import SijillIngest

struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "The archive's signing keys for certified copies (ECDSA P-256, X.509).",
        subcommands: [Init.self, Import.self, List.self, Revoke.self, Sign.self])

    static func keys(_ home: HomeOptions) throws -> (ArchiveHome, SigningKeys) {
        let archive = try home.archive(create: false)
        return (archive, SigningKeys(home: archive.url))
    }

    struct Init: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a signing key and a self-signed certificate naming the archive; it becomes the active key.")

        @Option(help: "The archive's name in the certificate.")
        var name = "سجلّ — الأرشيف الرقمي"

        @Option(help: "Years the certificate is valid.")
        var years = 10

        @OptionGroup var home: HomeOptions

        func run() async throws {
            do {
                let (archive, keys) = try KeysCommand.keys(home)
                let now = Date()
                let entry = try keys.create(archiveName: name, years: years, at: now)
                try archive.catalog.audit([AuditEvent(actor: "cli", action: "keys.create", target: "key:\(entry.id)", at: now)])
                print(entry.id)
                FileHandle.standardError.write(Data("active signing key \(entry.id.prefix(12)) (\(entry.subject)); certificate: \(keys.directory.path)/\(entry.id).cert.pem\n".utf8))
            } catch {
                throw ExitStatus.fail(error)
            }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Import a key and certificate (PEM) issued by a CA; it becomes the active key.")

        @Option(help: "The private key (PEM, P-256).")
        var key: String

        @Option(help: "The certificate (PEM).")
        var cert: String

        @OptionGroup var home: HomeOptions

        func run() async throws {
            do {
                let (archive, keys) = try KeysCommand.keys(home)
                let now = Date()
                let entry = try keys.importPEM(
                    key: String(contentsOfFile: key, encoding: .utf8), certificate: String(contentsOfFile: cert, encoding: .utf8), at: now)
                try archive.catalog.audit([AuditEvent(actor: "cli", action: "keys.import", target: "key:\(entry.id)", at: now)])
                print(entry.id)
            } catch {
                throw ExitStatus.fail(error)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List signing keys.")

        @Flag(help: "Print as JSON.")
        var json = false

        @OptionGroup var home: HomeOptions

        func run() async throws {
            let entries: [SigningKeys.Entry]
            do {
                entries = try KeysCommand.keys(home).1.entries()
            } catch {
                throw ExitStatus.fail(error)
            }
            if json { return try JSONOutput.print(entries) }
            for e in entries {
                let state = e.revokedAt.map { "revoked \($0)" } ?? (e.active ? "active" : "kept for verification")
                print("\(e.id)\t\(state)\tuntil \(e.notAfter)\t\(e.subject)")
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key: copies it signed verify as revoked.")

        @Argument(help: "The key ID or a unique prefix.")
        var key: String

        @Option(help: "Why.")
        var reason: String

        @OptionGroup var actor: ActorOptions
        @OptionGroup var home: HomeOptions

        func run() async throws {
            do {
                let (archive, keys) = try KeysCommand.keys(home)
                let token = try actor.require([.admin], in: archive.catalog)
                let now = Date()
                let entry = try keys.revoke(key, reason: reason, at: now)
                try archive.catalog.audit([AuditEvent(
                    actor: "token:\(token.name)", action: "keys.revoke", target: "key:\(entry.id)", detail: ["reason": reason], at: now)])
                print("revoked \(entry.id)")
            } catch {
                throw ExitStatus.fail(error)
            }
        }
    }

    struct Sign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a detached CMS signature (.p7s, DER) of a file with the active key.")

        @Argument(help: "The file to sign.")
        var file: String

        @Option(help: "Where to write the signature (default <file>.p7s).")
        var out: String?

        @OptionGroup var home: HomeOptions

        func run() async throws {
            do {
                let (_, keys) = try KeysCommand.keys(home)
                guard let bytes = FileManager.default.contents(atPath: file) else {
                    throw SijillInputError.badOption(file, reason: "cannot read the file")
                }
                let (signature, keyID) = try keys.signDetached(bytes, at: Date())
                let target = out ?? file + ".p7s"
                try Data(signature).write(to: URL(fileURLWithPath: target), options: .atomic)
                print("\(target) (key \(keyID.prefix(12)))")
            } catch {
                throw ExitStatus.fail(error)
            }
        }
    }
}
