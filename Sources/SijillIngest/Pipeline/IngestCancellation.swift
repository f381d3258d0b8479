import Synchronization

/// Asks a running ingest to stop at the next page boundary (SIGTERM to `sijill watch`): pages
/// being read or recognised are finished and saved, nothing further is started, and the run
/// ends with ``IngestCancelled``. What was saved is reused when the box is ingested again.
public final class IngestCancellation: Sendable {
    private let flag = Atomic<Bool>(false)

    public init() {}

    public func cancel() { flag.store(true, ordering: .relaxed) }

    public var isCancelled: Bool { flag.load(ordering: .relaxed) }
}

/// The ingest stopped because it was asked to; run it again to finish it.
public struct IngestCancelled: Error, Sendable, CustomStringConvertible {
    public var description: String { "the ingest was stopped before it finished; run it again to finish it" }
}
