import Foundation
import SijillCore

/// A certified copy as catalogued.
public struct CopyRow: Sendable, Hashable, Codable {
    public var id: String
    public var recordId: ContentID
    /// Page numbers, e.g. "1,2,3".
    public var pages: String
    public var pdfId: ContentID
    public var p7sId: ContentID
    public var manifestId: ContentID
    public var keyId: String
    public var issuedAt: String
    public var issuer: String
    public var requester: String?

    public init(
        id: String, recordId: ContentID, pages: String, pdfId: ContentID, p7sId: ContentID, manifestId: ContentID,
        keyId: String, issuedAt: String, issuer: String, requester: String?
    ) {
        self.id = id
        self.recordId = recordId
        self.pages = pages
        self.pdfId = pdfId
        self.p7sId = p7sId
        self.manifestId = manifestId
        self.keyId = keyId
        self.issuedAt = issuedAt
        self.issuer = issuer
        self.requester = requester
    }

    enum CodingKeys: String, CodingKey {
        case id, pages, issuer, requester
        case recordId = "record_id"
        case pdfId = "pdf_id"
        case p7sId = "p7s_id"
        case manifestId = "manifest_id"
        case keyId = "key_id"
        case issuedAt = "issued_at"
    }
}

extension Catalog {
    public func saveCopy(_ copy: CopyRow, at now: Date) throws {
        try database.write { db in
            try db.execute("""
                    INSERT INTO certified_copy(id, record_id, pages, pdf_id, p7s_id, manifest_id, key_id, issued_at, issuer, requester)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, [copy.id, copy.recordId, copy.pages, copy.pdfId, copy.p7sId, copy.manifestId, copy.keyId,
                            copy.issuedAt, copy.issuer, copy.requester])
            try appendAudit(
                db, actor: copy.issuer, action: "copy.issue", target: "record:\(copy.recordId.hex)",
                detail: ["copy": copy.id, "pages": copy.pages, "pdf": copy.pdfId.hex, "key": copy.keyId], at: now)
        }
    }

    public func copy(id: String) throws -> CopyRow? {
        try database.read { db in try db.record(CopyRow.self, "SELECT * FROM certified_copy WHERE id = ?", [id.lowercased()]) }
    }

    public func copy(pdf: ContentID) throws -> CopyRow? {
        try database.read { db in try db.record(CopyRow.self, "SELECT * FROM certified_copy WHERE pdf_id = ?", [pdf]) }
    }
}
