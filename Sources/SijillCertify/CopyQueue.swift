import Foundation
import SijillCatalog
import SijillCore

/// Certified copies asked for over the API or the web pages: a request is checked and queued at
/// once (a bad page number or a missing signing key is refused then, not later), and a worker
/// renders and signs it apart from the request threads (`serve` runs one at low priority, so a
/// burst of requests does not slow search). The asker follows the request by its ID.
public struct CopyQueue: Sendable {
    public let copies: CopyService
    public var catalog: Catalog { copies.catalog }
    /// How long a worker holds a request before another may take it (a copy takes seconds).
    public var lease: TimeInterval = 600

    public init(copies: CopyService) {
        self.copies = copies
    }

    /// Checks and queues a request: the record has the pages asked for and a signing key is
    /// ready. Throws `SijillInputError` (not found, bad pages, no key).
    public func submit(record: ContentID, pages: [Int]?, requester: String?, issuer: String, at now: Date) throws -> CopyRequest {
        let (_, _, wanted, _) = try RecordExport.selection(record, pages: pages, in: catalog)
        _ = try copies.keys.active()
        let request = CopyRequest(
            id: Secret.randomHex(16), recordId: record, pages: pages == nil ? nil : wanted, requester: requester,
            issuer: issuer, requestedAt: Timestamp.string(now))
        try catalog.insertCopyRequest(request)
        return request
    }

    /// Claims one waiting request and issues its copy. Returns false when none was waiting.
    /// A copy that cannot be made (the record's pages went, the key was revoked meanwhile) ends
    /// the request as failed with the reason; the queue goes on.
    @discardableResult
    public func workOne(owner: String, now: () -> Date) throws -> Bool {
        let start = now()
        guard let request = try catalog.claimCopyRequest(
            owner: owner, until: start.timeIntervalSince1970 + lease, now: start.timeIntervalSince1970)
        else { return false }
        do {
            let issued = try copies.issue(
                record: request.recordId, pages: request.pageNumbers, requester: request.requester, issuer: request.issuer, at: now())
            try catalog.finishCopyRequest(request.id, copy: issued.copy.id, error: nil, at: now())
        } catch {
            try catalog.finishCopyRequest(request.id, copy: nil, error: "\(error)", at: now())
        }
        return true
    }

    /// Works until nothing is waiting; returns how many requests were worked.
    @discardableResult
    public func drain(owner: String, now: () -> Date) throws -> Int {
        var n = 0
        while try workOne(owner: owner, now: now) { n += 1 }
        return n
    }
}
