/// Capture metadata of a record (one paper file / dossier), as the manifest gave it.
public struct RecordMetadata: Hashable, Sendable, Codable {
    /// Record series code, e.g. `LAND-TRANSFER`; it decides the retention schedule.
    public var series: String?
    /// The agency or ministry that produced the file.
    public var agency: String?
    /// The file's date as written in the manifest (ISO `YYYY-MM-DD` preferred).
    public var date: String?
    /// A human title.
    public var title: String?
    /// The office's own reference (transaction or file number).
    public var reference: String?
    /// Any other manifest columns, kept verbatim.
    public var extra: [String: String]

    public init(
        series: String? = nil, agency: String? = nil, date: String? = nil, title: String? = nil,
        reference: String? = nil, extra: [String: String] = [:]
    ) {
        self.series = series
        self.agency = agency
        self.date = date
        self.title = title
        self.reference = reference
        self.extra = extra
    }
}
