import Foundation
import SijillCatalog
import SijillCore
import SijillStore

/// A BagIt bag (RFC 8493) of transferred records: `data/<record id>/record.json` and each
/// page's image, source file, text and hOCR, with `bagit.txt`, `bag-info.txt`,
/// `manifest-sha256.txt` and `tagmanifest-sha256.txt`.
final class BagWriter {
    let directory: URL
    private var manifest: [(path: String, sha256: String)] = []
    private var bytes = 0

    init(directory: URL) throws {
        self.directory = directory
        if FileManager.default.fileExists(atPath: directory.path) { try FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("data"), withIntermediateDirectories: true)
    }

    private func write(_ data: Data, to relative: String) throws {
        let url = directory.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url, options: .atomic)
        manifest.append((relative, ContentID.of(data).hex))
        bytes += data.count
    }

    /// Adds a record's metadata and every page object (each verified as it is read).
    func add(record: ContentID, catalog: Catalog, store: any BlobStore) throws {
        guard let (stored, pages) = try catalog.record(record) else { throw SijillInputError.notFound(record.hex, kind: "record") }
        struct Meta: Encodable {
            var id: String
            var metadata: RecordMetadata
            var box: String
            var source: String
            var ingested_at: String
            var pages: [[String: String]]
        }
        let meta = Meta(
            id: record.hex, metadata: stored.metadata, box: stored.box, source: stored.source, ingested_at: stored.ingestedAt,
            pages: pages.map { ["page": String($0.pageNo), "image": $0.imageId.hex, "source": $0.source, "text": $0.textId.hex] })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try write(try encoder.encode(meta), to: "data/\(record.hex)/record.json")
        for page in pages {
            let base = "data/\(record.hex)/page-\(page.pageNo)"
            let ext = (page.source as NSString).pathExtension.lowercased()
            try write(try store.get(page.imageId), to: base + (ext.isEmpty ? ".img" : "." + ext))
            try write(try store.get(page.textId), to: base + ".txt")
            try write(try store.get(page.hocrId), to: base + ".hocr")
        }
    }

    /// Writes the tag files.
    func finish(batch: DispositionBatch, approver: String, executor: String, at now: Date) throws {
        func tag(_ name: String, _ text: String) throws -> (String, String) {
            let data = Data(text.utf8)
            try data.write(to: directory.appendingPathComponent(name), options: .atomic)
            return (name, ContentID.of(data).hex)
        }
        var tags: [(String, String)] = []
        tags.append(try tag("bagit.txt", "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"))
        let day = CivilDate(now).text
        let info = [
            "Source-Organization: Sijill archive",
            "Bagging-Date: \(day)",
            "External-Identifier: sijill-disposition-batch-\(batch.id)",
            "External-Description: Records transferred under their retention schedules (batch \(batch.id), prepared by \(batch.preparedBy), approved by \(approver), executed by \(executor))",
            "Payload-Oxum: \(bytes).\(manifest.count)",
        ].joined(separator: "\n") + "\n"
        tags.append(try tag("bag-info.txt", info))
        let lines = manifest.sorted { $0.path < $1.path }.map { "\($0.sha256)  \($0.path)" }.joined(separator: "\n") + "\n"
        tags.append(try tag("manifest-sha256.txt", lines))
        let tagLines = tags.map { "\($0.1)  \($0.0)" }.joined(separator: "\n") + "\n"
        try Data(tagLines.utf8).write(to: directory.appendingPathComponent("tagmanifest-sha256.txt"), options: .atomic)
    }
}
