/// An ingest that could not run at all (as opposed to one that rejected some entries).
public struct IngestError: Error, Sendable, CustomStringConvertible {
    public let description: String

    init(_ description: String) { self.description = description }

    static func wrap(_ error: any Error) -> IngestError {
        (error as? IngestError) ?? IngestError("\(error)")
    }
}
