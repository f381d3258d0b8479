/// Progress of a running ingest, reported to whoever shows it (progress bar, log lines).
public struct IngestProgress: Sendable {
    public enum Phase: String, Sendable { case reading, ocr, done }
    public var phase: Phase
    /// Pages (or entries while reading) finished so far.
    public var done: Int
    public var total: Int
    /// The entry or page just finished.
    public var item: String
}
