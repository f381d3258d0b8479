import ArgumentParser
import Foundation
import SijillIngest

struct FsckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fsck",
        abstract: "Fixity: re-hash stored objects; check catalog, store, index and audit chain agree (exit 6 if not).",
        discussion: """
            Lists corrupt, missing and stray objects, pages missing from the search index and index \
            entries without a page, and orphaned objects (stored but referred to by nothing: reported, \
            not an error). The run is recorded in the audit log. For a daily cron job: \
            `sijill fsck --sample 1000` (re-hashes 1000 random objects; existence and consistency are \
            always checked in full), and a full `sijill fsck` weekly.
            """)

    @Option(help: "Re-hash only this many objects, chosen at random.")
    var sample: Int?

    @Flag(help: "Print as JSON.")
    var json = false

    @OptionGroup var home: HomeOptions

    func validate() throws {
        if let sample, sample < 0 { throw ValidationError("--sample must be 0 or more") }
    }

    func run() async throws {
        let result: FixityCheck.Result
        do {
            let archive = try home.archive(create: false)
            result = try FixityCheck(archive: archive).run(sample: sample, actor: "cli", at: Date())
        } catch {
            throw ExitStatus.fail(error)
        }
        if json {
            try JSONOutput.print(result)
        } else {
            print("objects \(result.objects), re-hashed \(result.verified): corrupt \(result.corrupt.count), missing \(result.missing.count), stray \(result.strays.count), orphaned \(result.orphaned.count)")
            print("index: \(result.unindexedPages.count) page(s) not indexed, \(result.strayIndexEntries.count) entr(ies) without a page; audit chain \(result.auditIntact ? "intact" : "BROKEN: \(result.auditProblem ?? "")")")
            for c in result.corrupt { print("  corrupt  \(c)") }
            for m in result.missing { print("  missing  \(m)") }
            for s in result.strays { print("  stray    \(s)") }
            if result.abandonedWritesRemoved > 0 {
                print("removed \(result.abandonedWritesRemoved) temporary file(s) of writes interrupted over an hour ago")
            }
            if let advice = result.indexAdvice { print("note: \(advice)") }
            print(result.isClean ? "clean" : "NOT CLEAN")
        }
        if !result.isClean { throw ExitCode(ExitStatus.corrupt) }
    }
}
