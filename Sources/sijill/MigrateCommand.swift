import ArgumentParser
import Foundation
import SijillIngest
import SijillStore

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Move an archive's objects to S3 and/or its catalog to PostgreSQL, verified, then use them.",
        discussion: """
            --to-store: copies every object not already there (run it again to finish an interrupted \
            copy), reads each back and re-hashes it, checks the audit chain, then records the new store. \
            --to-catalog: copies every catalog table (rows already there are kept: run it again to \
            finish), checks the row counts and that the audit chain ends at the same entry, rebuilds the \
            search index there, then records the new catalog. Later commands use them without --store or \
            --catalog. The old objects and catalog.sqlite are kept; remove them once the new ones are \
            backed up. Credentials: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, PGPASSWORD.
            """)

    @Option(name: .customLong("to-store"), help: "Target store: s3://BUCKET?endpoint=http://HOST:PORT&region=REGION[&prefix=P].")
    var toStore: String?

    @Option(name: .customLong("to-catalog"), help: "Target catalog: postgres://USER@HOST:PORT/DATABASE.")
    var toCatalog: String?

    func validate() throws {
        guard toStore != nil || toCatalog != nil else { throw ValidationError("give --to-store, --to-catalog or both") }
    }

    @Flag(help: "Print the result as JSON.")
    var json = false

    @OptionGroup var home: HomeOptions

    func run() async throws {
        if let toStore { try migrateStore(toStore) }
        if let toCatalog { try migrateCatalog(toCatalog) }
    }

    func migrateCatalog(_ url: String) throws {
        let result: CatalogMigration.Result
        do {
            let archive = try home.archive(create: false)
            let withPassword = ArchiveHome.withPassword(url, option: url, ProcessInfo.processInfo.environment)
            result = try CatalogMigration(archive: archive).run(to: withPassword, actor: "cli", at: Date()) { table, rows in
                if rows % 20_000 == 0 { FileHandle.standardError.write(Data("migrate: \(table) \(rows) rows\n".utf8)) }
            }
        } catch {
            throw ExitStatus.fail(error)
        }
        if json {
            try JSONOutput.print(result)
        } else {
            print("\(result.rows["record"] ?? 0) record(s), \(result.rows["page"] ?? 0) page(s), audit log to entry \(result.auditHead): \(result.copied) row(s) copied, \(result.indexedPages) page(s) indexed in \(result.target)")
            print("the archive now keeps its catalog in \(result.target)")
        }
    }

    func migrateStore(_ toStore: String) throws {
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
