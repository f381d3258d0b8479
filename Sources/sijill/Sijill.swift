import ArgumentParser
import Foundation
import Logging
import SijillIngest
import SijillOCR

@main
struct Sijill: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sijill",
        abstract: "سِجِلّ — a searchable, verifiable archive of scanned Arabic paper files.",
        discussion: """
            Exit codes: 0 success; 2 bad input (ID, query, options); 3 ingest finished but rejected \
            some entries; 4 could not run; 5 not found; 6 a stored object failed verification.
            """,
        subcommands: [
            IngestCommand.self, SearchCommand.self, ShowCommand.self, CatCommand.self, OCRCommand.self,
            RescanListCommand.self, ReOCRCommand.self, ReindexCommand.self, ServeCommand.self, TokenCommand.self,
            AccessCommand.self, RetentionCommand.self, HoldCommand.self, DispositionCommand.self, AuditCommand.self,
            KeysCommand.self, CopyCommand.self, VerifyCommand.self, FsckCommand.self, WatchCommand.self, SubmitCommand.self, WorkerCommand.self, JobsCommand.self,
            MigrateCommand.self, ExportCommand.self, FieldsCommand.self, ReextractCommand.self,
        ])

    /// One OpenMP thread per Tesseract handle (see `OpenMPLimit`): the process re-executes itself
    /// with `OMP_THREAD_LIMIT=1` before anything else when the variable is unset.
    static func main() async {
        OpenMPLimit.ensureSingleThreaded()
        await main(nil)
    }

    static func makeLogger(verbose: Bool) -> Logger {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = verbose ? .debug : .notice
            return handler
        }
        return Logger(label: "sijill")
    }
}

/// Options every command that touches the archive shares.
struct HomeOptions: ParsableArguments {
    @Option(name: .long, help: "Data directory (default: $SIJILL_HOME, else ./sijill-data).")
    var home: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Object store (default: $SIJILL_STORE, else what the archive recorded, else the data directory).",
            discussion: "s3://BUCKET?endpoint=http://HOST:PORT&region=REGION[&prefix=P]; credentials from "
                + "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY."))
    var store: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Catalog (default: $SIJILL_CATALOG, else what the archive recorded, else catalog.sqlite in the data directory).",
            discussion: "postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=require]; the password may come from "
                + "$PGPASSWORD instead (it is never written to the data directory)."))
    var catalog: String?

    @Flag(name: .long, help: "Log debug details to stderr.")
    var verbose = false

    /// The archive these options name.
    func archive(create: Bool) throws -> ArchiveHome {
        try ArchiveHome(url: ArchiveHome.resolve(home), store: store, catalog: catalog, create: create)
    }
}
