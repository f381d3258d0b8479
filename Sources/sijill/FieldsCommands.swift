import ArgumentParser
import Foundation
import SijillCatalog
import SijillCore
import SijillIngest
import SijillRetention

struct FieldsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fields",
        abstract: "List the transaction fields read from records' pages (references, dates, parties, amounts), as CSV for auditors.")

    @Option(help: "Only records of this series.")
    var series: String?

    @Flag(help: "Print as JSON instead of CSV.")
    var json = false

    @Option(help: "Write to this file instead of standard output.")
    var out: String?

    @Option(name: .customLong("text"), help: "Read the fields of this text file (one record, pages split by form feeds) instead of the archive; prints JSON. Repeatable.")
    var texts: [String] = []

    @OptionGroup var home: HomeOptions

    func run() async throws {
        if !texts.isEmpty {
            do {
                struct Out: Encodable { var file: String, fields: TransactionFields }
                let out = try texts.map { path in
                    guard let data = FileManager.default.contents(atPath: path) else {
                        throw SijillInputError.notFound(path, kind: "text file")
                    }
                    let pages = String(decoding: data, as: UTF8.self).split(separator: "\u{0C}", omittingEmptySubsequences: false)
                    return Out(file: path, fields: FieldExtractor.extract(pages: pages.enumerated().map { ($0.offset + 1, String($0.element)) }))
                }
                _ = try ExportOutput.write(try JSONOutput.text(out), to: self.out)
            } catch {
                throw ExitStatus.fail(error)
            }
            return
        }
        do {
            let archive = try home.archive(create: false)
            let rows = try archive.catalog.fieldRows(series: series)
            if json {
                let text = try JSONOutput.text(rows.map(FieldsExport.Row.init))
                _ = try ExportOutput.write(text, to: out)
            } else if try ExportOutput.write(FieldsExport.csv(rows), to: out) {
                FileHandle.standardError.write(Data("\(rows.count) field(s) written to \(out ?? "")\n".utf8))
            }
        } catch {
            throw ExitStatus.fail(error)
        }
    }
}

struct ReextractCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reextract",
        abstract: "Read transaction fields again from the stored page text, for records extracted by older rules (or never).",
        discussion: "Rules version \(FieldExtractor.version). Nothing is recognised again: the stored OCR text is read.")

    @Flag(help: "Every record, not only those extracted by older rules.")
    var all = false

    @Option(help: "Only records of this series.")
    var series: String?

    @Flag(help: "Print a JSON summary.")
    var json = false

    @OptionGroup var home: HomeOptions

    func run() async throws {
        do {
            let archive = try home.archive(create: false)
            let records = try archive.catalog.recordsNeedingExtraction(all: all, series: series)
            var counts: [String: Int] = [:]
            for record in records {
                let fields = try archive.catalog.reextract(record)
                for field in fields.all { counts[field.kind.rawValue, default: 0] += 1 }
            }
            if json {
                struct Out: Encodable { var records: Int, version: Int, fields: [String: Int] }
                try JSONOutput.print(Out(records: records.count, version: FieldExtractor.version, fields: counts))
            } else {
                let kinds = TransactionFields.Kind.allCases.map { "\(counts[$0.rawValue] ?? 0) \($0.rawValue)" }.joined(separator: ", ")
                print("\(records.count) record(s) extracted with rules v\(FieldExtractor.version): \(kinds)")
            }
        } catch {
            throw ExitStatus.fail(error)
        }
    }
}
