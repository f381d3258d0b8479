import ArgumentParser
import Foundation
import SijillCatalog
import SijillCertify
import SijillCore

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export records as searchable PDF/A-2b (page images as stored, invisible Arabic text in logical order).",
        discussion: """
            sijill export RECORD [--pages 1-3] [--out F]     one record (default file: <reference>-<id>.pdf)
            sijill export --series S --out DIR               every record of a series, one PDF each
            sijill export --box B --out DIR                  every record of an ingested box (its name as in `show`)
            """)

    @Argument(help: "The record's ID or a ≥12-hex prefix.")
    var record: String?

    @Option(help: "Pages: 1-3, 2, 1,4 (default all).")
    var pages: String?

    @Option(help: "Export every record of this series (with --out DIR).")
    var series: String?

    @Option(help: "Export every record of this ingested box (with --out DIR).")
    var box: String?

    @Option(help: "Output format (only pdf).")
    var format = "pdf"

    @Option(help: "The PDF file (one record; - for standard output) or the folder (--series).")
    var out: String?

    @OptionGroup var home: HomeOptions

    func run() async throws {
        do {
            guard format == "pdf" else { throw SijillInputError.badOption("--format", reason: "only pdf is supported") }
            let archive = try home.archive(create: false)
            let export = RecordExport(catalog: archive.catalog, store: archive.store)
            switch (record, series, box) {
            case (let record?, nil, nil):
                let id = try archive.catalog.resolveRecord(IDPrefix(record))
                let exported = try export.pdf(record: id, pages: try pages.map(CopyCommand.pageList))
                if out == "-" {
                    FileHandle.standardOutput.write(exported.pdf)
                    return
                }
                let target = out ?? RecordExport.fileName(exported.record)
                try exported.pdf.write(to: URL(fileURLWithPath: target), options: .atomic)
                print(target)
                FileHandle.standardError.write(Data(
                    "record \(id.short): \(exported.pages.count) pages, \(exported.pdf.count) bytes (images: \(summary(exported.embeddings)))\n".utf8))
            case (nil, let series?, nil), (nil, nil, let series?):
                let option = box == nil ? "--series" : "--box"
                guard pages == nil else { throw SijillInputError.badOption("--pages", reason: "pages are chosen per record, not with \(option)") }
                guard let out, out != "-" else { throw SijillInputError.badOption("--out", reason: "\(option) needs --out DIR") }
                let ids = box == nil ? try archive.catalog.records(series: series) : try archive.catalog.records(box: series)
                guard !ids.isEmpty else { throw SijillInputError.notFound(series, kind: box == nil ? "series with records" : "box with records") }
                let folder = URL(fileURLWithPath: out, isDirectory: true)
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                var bytes = 0
                for id in ids {
                    let exported = try export.pdf(record: id)
                    let target = folder.appendingPathComponent(RecordExport.fileName(exported.record))
                    try exported.pdf.write(to: target, options: .atomic)
                    bytes += exported.pdf.count
                    print(target.path)
                }
                FileHandle.standardError.write(Data("\(option.dropFirst(2)) \(series): \(ids.count) records, \(bytes) bytes in \(folder.path)\n".utf8))
            default:
                throw SijillInputError.badOption("record", reason: "give one record ID, --series S or --box B")
            }
        } catch {
            throw ExitStatus.fail(error)
        }
    }

    private func summary(_ embeddings: [String]) -> String {
        Dictionary(grouping: embeddings, by: { $0 }).sorted { $0.key < $1.key }.map { "\($0.value.count) \($0.key)" }
            .joined(separator: ", ")
    }
}
