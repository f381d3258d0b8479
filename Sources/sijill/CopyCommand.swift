import ArgumentParser
import Foundation
import SijillCatalog
import SijillCertify
import SijillCore
import SijillIngest
@_spi(CMS) import X509

struct CopyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Issue certified true copies (نسخة طبق الأصل): signed PDF + detached .p7s.",
        subcommands: [Issue.self])

    struct Issue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Issue a certified copy of a record.")

        @Argument(help: "The record's ID or a ≥12-hex prefix.")
        var record: String

        @Option(help: "Pages: 1-3, 2, 1,4 (default all).")
        var pages: String?

        @Option(name: .customLong("for"), help: "The requester's reference (shown on the copy).")
        var requester: String?

        @Option(help: "Where to write the PDF (default copy-<id>.pdf); the signature goes beside it (.p7s).")
        var out: String?

        @Option(help: "The public address of this archive's server (for the verification URL and QR code).")
        var baseURL = ProcessInfo.processInfo.environment["SIJILL_BASE_URL"] ?? "http://127.0.0.1:8080"

        @Option(help: "The archive's name on the certification page.")
        var archiveName = "سجلّ — الأرشيف الرقمي"

        @OptionGroup var actor: ActorOptions
        @OptionGroup var home: HomeOptions

        func run() async throws {
            do {
                let archive = try home.archive(create: false)
                let token = try actor.require([.clerk, .archivist, .admin], in: archive.catalog)
                let id = try archive.catalog.resolveRecord(IDPrefix(record))
                let service = CopyService(
                    catalog: archive.catalog, store: archive.store, keys: SigningKeys(home: archive.url), baseURL: baseURL,
                    archiveName: archiveName)
                let issued = try service.issue(
                    record: id, pages: try pages.map(CopyCommand.pageList), requester: requester, issuer: "token:\(token.name)",
                    at: Date())
                let target = out ?? "copy-\(issued.copy.id).pdf"
                try issued.pdf.write(to: URL(fileURLWithPath: target), options: .atomic)
                try issued.p7s.write(to: URL(fileURLWithPath: target + ".p7s"), options: .atomic)
                print(target)
                FileHandle.standardError.write(Data(
                    "copy \(issued.copy.id) of record \(id.short), pages \(issued.copy.pages); verify at \(issued.verifyURL)\n".utf8))
            } catch {
                throw ExitStatus.fail(error)
            }
        }
    }

    /// "1-3", "2", "1,4,6-7" → page numbers.
    static func pageList(_ text: String) throws -> [Int] { try PageList.parse(text) }
}

struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check a certified copy PDF: valid, modified, revoked or unknown (offline with --cert).",
        discussion: "Exit 0 valid; 6 modified or revoked; 5 unknown (not signed by this archive).")

    @Argument(help: "The PDF.")
    var file: String

    @Option(help: "The archive's certificate (PEM); without it, the keys of the data dir.")
    var cert: [String] = []

    @Flag(help: "Print as JSON.")
    var json = false

    @OptionGroup var home: HomeOptions

    func run() async throws {
        let verdict: CopyVerification
        do {
            guard let pdf = FileManager.default.contents(atPath: file) else {
                throw SijillInputError.badOption(file, reason: "cannot read the file")
            }
            if cert.isEmpty {
                let archive = try home.archive(create: false)
                let service = CopyService(
                    catalog: archive.catalog, store: archive.store, keys: SigningKeys(home: archive.url), baseURL: "", archiveName: "")
                verdict = await service.verify(pdf: pdf, at: Date())
            } else {
                let certificates = try cert.map { try Certificate(pemEncoded: String(contentsOfFile: $0, encoding: .utf8)) }
                verdict = await CopyVerification.check(pdf: pdf, certificates: certificates, revoked: [:], at: Date())
            }
        } catch {
            throw ExitStatus.fail(error)
        }
        if json {
            struct Output: Encodable { var status: String; var key_id: String?; var detail: String; var copy: CopyRow? }
            try JSONOutput.print(Output(status: verdict.status.rawValue, key_id: verdict.keyID, detail: verdict.detail, copy: verdict.copy))
        } else {
            print("\(verdict.status.rawValue): \(verdict.detail)")
            if let copy = verdict.copy { print("copy \(copy.id) of record \(copy.recordId.hex), pages \(copy.pages), issued \(copy.issuedAt)") }
        }
        switch verdict.status {
        case .valid: return
        case .unknown: throw ExitCode(ExitStatus.notFound)
        case .modified, .revoked: throw ExitCode(ExitStatus.corrupt)
        }
    }
}
