import ArgumentParser
import Foundation
import SijillIngest
import SijillStore

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Move an archive's objects to another store (S3), verified, then use it.",
        discussion: """
            Copies every object not already there (run it again to finish an interrupted copy), \
            reads each back and re-hashes it, checks the audit chain, then records the new store in \
            the data directory: later commands use it without --store. The old objects are kept; \
            remove them once the new store is backed up. Credentials: AWS_ACCESS_KEY_ID, \
            AWS_SECRET_ACCESS_KEY.
            """)

    @Option(name: .customLong("to-store"), help: "Target store: s3://BUCKET?endpoint=http://HOST:PORT&region=REGION[&prefix=P].")
    var toStore: String

    @Flag(help: "Print the result as JSON.")
    var json = false

    @OptionGroup var home: HomeOptions

    func run() async throws {
        let result: StoreMigration.Result
        do {
            let archive = try home.archive(create: false)
            let target = try BlobStores.open(toStore)
            if let s3 = target as? S3BlobStore { try s3.createBucket() }
            result = try StoreMigration(archive: archive).run(
                to: target, targetURL: toStore, actor: "cli", at: Date(),
                progress: { done, total in
                    if done % 500 == 0 || done == total {
                        FileHandle.standardError.write(Data("migrate: \(done)/\(total) steps (copy, then re-hash)\n".utf8))
                    }
                })
        } catch {
            throw ExitStatus.fail(error)
        }
        if json {
            try JSONOutput.print(result)
        } else {
            print("\(result.objects) object(s): \(result.copied) copied (\(result.bytes) bytes), \(result.alreadyThere) already there, \(result.verified) re-hashed in \(result.target)")
            print("the archive now keeps its objects in \(result.target)")
        }
    }
}
