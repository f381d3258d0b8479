import Foundation

/// The canonical description of a record: its pages in order and its capture metadata.
///
/// Like a git tree, its bytes are hashed to give the record's ID, so the same pages with the same
/// metadata always form the same record, wherever they were imported from. Mutable state
/// (retention, holds, OCR revisions) is never part of it.
public struct RecordManifest: Hashable, Sendable, Codable {
    /// One page of the record.
    public struct Page: Hashable, Sendable, Codable {
        /// The page image's content ID.
        public var image: ContentID

        public init(image: ContentID) { self.image = image }
    }

    /// Format tag, so the canonical form can evolve without colliding with old IDs.
    public var format: String
    /// Pages in reading order.
    public var pages: [Page]
    /// Capture metadata from the manifest.
    public var metadata: RecordMetadata

    public init(pages: [Page], metadata: RecordMetadata) {
        self.format = "sijill-record/1"
        self.pages = pages
        self.metadata = metadata
    }

    /// Deterministic JSON bytes: sorted keys, no insignificant whitespace.
    public func canonicalBytes() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings and arrays cannot fail.
        return try! encoder.encode(self)
    }

    /// The record's ID: the content ID of its canonical bytes.
    public var recordID: ContentID { ContentID.of(canonicalBytes()) }
}
