import Foundation
import SijillCatalog
import SijillCore
import SijillStore

/// A record as a searchable PDF/A-2b (``ArchivalPDF``): its page images as stored under the
/// text of their hOCR, with the record's metadata. The same record and pages give the same
/// bytes (the creation date is the record's ingest time).
public struct RecordExport: Sendable {
    public let catalog: Catalog
    public let store: any BlobStore

    public init(catalog: Catalog, store: any BlobStore) {
        self.catalog = catalog
        self.store = store
    }

    public struct Exported: Sendable {
        public var pdf: Data
        public var record: StoredRecord
        public var pages: [Int]
        /// How each page image went in (`jpeg`, `g4`, `png` kept as stored; `flate` decoded).
        public var embeddings: [String]
    }

    /// The PDF of `record` (all pages, or the numbers in `selection`, in that order).
    public func pdf(record id: ContentID, pages selection: [Int]? = nil) throws -> Exported {
        let (record, all, wanted, pages) = try Self.selection(id, pages: selection, in: catalog)
        let input = try pages.map { page in
            ArchivalPDF.Page(
                image: try store.get(page.imageId), dpi: Double(page.dpi),
                hocr: String(decoding: try store.get(page.hocrId), as: UTF8.self), rotation: page.rotation)
        }
        var about: [String] = []
        if let reference = record.reference { about.append("الرقم المرجعي: \(reference)") }
        if let series = record.series { about.append("السلسلة: \(series)") }
        if let agency = record.agency { about.append("الجهة: \(agency)") }
        if let date = record.date { about.append("التاريخ: \(date)") }
        about.append("الصفحات: " + wanted.map(String.init).joined(separator: "، ") + " من \(all.count)")
        about.append("معرّف السجل: \(id.hex)")
        let metadata = ArchivalPDF.Metadata(
            title: record.title ?? record.reference ?? "سجل \(id.short)", identifier: "sha256:\(id.hex)",
            description: about.joined(separator: "؛ "), subjects: [record.series, record.reference].compactMap { $0 },
            date: record.date, created: Timestamp.date(record.ingestedAt) ?? Date(timeIntervalSince1970: 0))
        let (pdf, embeddings) = try ArchivalPDF.make(pages: input, metadata: metadata)
        return Exported(pdf: pdf, record: record, pages: wanted, embeddings: embeddings)
    }

    /// A record, all its pages, and the pages chosen (all when `selection` is nil), in order;
    /// a page it does not have is an error naming the record and its page count.
    static func selection(
        _ id: ContentID, pages selection: [Int]?, in catalog: Catalog
    ) throws -> (record: StoredRecord, all: [StoredPage], wanted: [Int], pages: [StoredPage]) {
        guard let (record, all) = try catalog.record(id), !all.isEmpty else {
            throw SijillInputError.notFound(id.hex, kind: "record with pages")
        }
        let wanted = selection ?? all.map(\.pageNo)
        let pages = try wanted.map { n -> StoredPage in
            guard let page = all.first(where: { $0.pageNo == n }) else {
                throw SijillInputError.badOption("--pages", reason: "record \(id.short) has no page \(n) (it has \(all.count))")
            }
            return page
        }
        return (record, all, wanted, pages)
    }

    /// A file name for the record's PDF: its reference (or title, or ID) made safe.
    public static func fileName(_ record: StoredRecord) -> String {
        let base = record.reference ?? record.title ?? record.id.short
        let safe = String(base.unicodeScalars.map { scalar -> Character in
            CharacterSet.alphanumerics.contains(scalar) || scalar == "-" || scalar == "_" ? Character(scalar) : "_"
        }).trimmingCharacters(in: CharacterSet(charactersIn: "_"))
        return (safe.isEmpty ? record.id.short : String(safe.prefix(80))) + "-" + record.id.short + ".pdf"
    }
}
