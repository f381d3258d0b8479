import Foundation
import GRDB
import SijillCore

/// A record (one paper file / dossier) as the catalog holds it.
public struct StoredRecord: SQLRecord, Hashable, FetchableRecord, PersistableRecord {
    public static let table = "record"
    public static let key = ["id"]
    public static let databaseTableName = "record"
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    /// The record ID: content ID of its canonical manifest.
    public var id: ContentID
    /// Same as `id`: the stored manifest object.
    public var manifestId: ContentID
    /// The box (archive or folder name) it was first imported from.
    public var box: String
    /// Its path inside the box (manifest `file`, folder or image name).
    public var source: String
    public var series: String?
    public var agency: String?
    public var date: String?
    public var title: String?
    public var reference: String?
    /// Other manifest columns, as JSON.
    public var extra: String
    public var pageCount: Int
    /// ISO 8601 time of import.
    public var ingestedAt: String
    public var runId: Int64?

    public init(
        id: ContentID, box: String, source: String, metadata: RecordMetadata, pageCount: Int,
        ingestedAt: String, runId: Int64?
    ) {
        self.id = id
        self.manifestId = id
        self.box = box
        self.source = source
        self.series = metadata.series
        self.agency = metadata.agency
        self.date = metadata.date
        self.title = metadata.title
        self.reference = metadata.reference
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        self.extra = String(decoding: (try? encoder.encode(metadata.extra)) ?? Data("{}".utf8), as: UTF8.self)
        self.pageCount = pageCount
        self.ingestedAt = ingestedAt
        self.runId = runId
    }

    /// The capture metadata, reassembled.
    public var metadata: RecordMetadata {
        let extraFields = (try? JSONDecoder().decode([String: String].self, from: Data(extra.utf8))) ?? [:]
        return RecordMetadata(
            series: series, agency: agency, date: date, title: title, reference: reference, extra: extraFields)
    }
}
