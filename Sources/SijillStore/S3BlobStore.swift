import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import SijillCore

/// Where an S3 store is: `s3://bucket?endpoint=http://host:port&region=us-east-1[&prefix=p]`,
/// with credentials from `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY`. Requests use path-style
/// addressing (`endpoint/bucket/key`), which AWS, MinIO, Ceph RGW and SeaweedFS all accept.
public struct S3Location: Sendable, Hashable, CustomStringConvertible {
    public var bucket: String
    public var endpoint: URL
    public var region: String
    /// Keys start with this (an archive sharing a bucket); empty by default.
    public var keyPrefix: String

    /// Parses `url`; throws ``SijillInputError`` naming what is wrong.
    public init(_ url: String) throws {
        guard let parts = URLComponents(string: url), parts.scheme == "s3",
            let bucket = parts.host, !bucket.isEmpty
        else {
            throw SijillInputError.badOption(
                "--store", reason: "'\(url)' is not an S3 store URL: expected s3://BUCKET?endpoint=http://HOST:PORT&region=REGION")
        }
        let items = parts.queryItems ?? []
        func item(_ name: String) -> String? { items.first { $0.name == name }?.value }
        guard let raw = item("endpoint") ?? ProcessInfo.processInfo.environment["AWS_ENDPOINT_URL"],
            let endpoint = URL(string: raw), ["http", "https"].contains(endpoint.scheme ?? ""), endpoint.host != nil
        else {
            throw SijillInputError.badOption("--store", reason: "'\(url)' needs endpoint=http(s)://HOST[:PORT] (or AWS_ENDPOINT_URL)")
        }
        self.bucket = bucket
        self.endpoint = endpoint
        self.region = item("region") ?? ProcessInfo.processInfo.environment["AWS_REGION"] ?? "us-east-1"
        var prefix = item("prefix") ?? ""
        if !prefix.isEmpty, !prefix.hasSuffix("/") { prefix += "/" }
        self.keyPrefix = prefix
    }

    public var description: String { "s3://\(bucket)/\(keyPrefix) at \(endpoint.absoluteString)" }
}

/// A blob store in an S3 bucket, under the same keys as the directory store:
/// `objects/ab/cd/<sha256>`.
///
/// Writes are idempotent: an object already stored is not sent again (HEAD first), and the
/// upload's `x-amz-content-sha256` is the object's own ID, so the server rejects bytes damaged
/// on the way. Reads are verified against the ID, as in every store.
public struct S3BlobStore: BlobStore {
    public let bucket: S3Location
    let signer: SigV4Signer
    let timeout: TimeAmount
    /// Tries per request (transient failures: connection errors, 500/502/503/504).
    let attempts = 3
    /// Objects larger than this go up in parts of this size (S3 refuses a single PUT over 5 GB;
    /// parts are at least 5 MiB, at most 10,000 of them).
    public var partSize = 64 << 20

    public init(_ location: S3Location, accessKey: String, secretKey: String, timeout: TimeAmount = .seconds(60)) {
        self.bucket = location
        signer = SigV4Signer(accessKey: accessKey, secretKey: secretKey, region: bucket.region)
        self.timeout = timeout
    }

    /// Opens the store at `url` with credentials from the environment; throws when they are
    /// missing.
    public static func open(_ url: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> S3BlobStore {
        let location = try S3Location(url)
        guard let key = environment["AWS_ACCESS_KEY_ID"], let secret = environment["AWS_SECRET_ACCESS_KEY"], !key.isEmpty else {
            throw SijillInputError.badOption("--store", reason: "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY for the S3 store \(location)")
        }
        return S3BlobStore(location, accessKey: key, secretKey: secret)
    }

    public var location: String { bucket.description }

    /// The object key of `id`.
    public func key(for id: ContentID) -> String {
        let hex = id.hex
        return "\(bucket.keyPrefix)objects/\(hex.prefix(2))/\(hex.dropFirst(2).prefix(2))/\(hex)"
    }

    // MARK: BlobStore

    @discardableResult
    public func put(_ bytes: Data) throws -> (id: ContentID, created: Bool) {
        let id = ContentID.of(bytes)
        if contains(id) { return (id, false) }
        if bytes.count > partSize {
            try putInParts(bytes, id: id)
            return (id, true)
        }
        let response = try send("PUT", key: key(for: id), body: bytes, payloadHash: id.hex)
        guard response.status == .ok else { throw failure(response, "cannot store \(id.short)…") }
        return (id, true)
    }

    public func get(_ id: ContentID) throws -> Data {
        let response = try send("GET", key: key(for: id))
        if response.status == .notFound { throw StoreError.missing(id) }
        guard response.status == .ok else { throw failure(response, "cannot read \(id.short)…") }
        let data = response.body.map { Data($0.readableBytesView) } ?? Data()
        let actual = ContentID.of(data)
        guard actual == id else { throw StoreError.corrupt(id, actual: actual) }
        return data
    }

    public func contains(_ id: ContentID) -> Bool {
        (try? send("HEAD", key: key(for: id)).status) == .ok
    }

    public func resolve(_ prefix: IDPrefix, limit: Int) throws -> [ContentID] {
        if let full = prefix.fullID { return contains(full) ? [full] : [] }
        let hex = prefix.hex
        var keyPrefix = "\(bucket.keyPrefix)objects/\(hex.prefix(2))"
        if hex.count >= 2 { keyPrefix += "/\(hex.dropFirst(2).prefix(2))" }
        if hex.count >= 4 { keyPrefix += "/\(hex)" }
        return try list(prefix: keyPrefix, limit: limit).filter(prefix.matches).sorted().prefix(limit).map { $0 }
    }

    // MARK: Beyond the protocol

    /// `length` bytes of `id` from `offset` (a ranged GET), unverified: a range cannot be
    /// checked against the whole object's hash. Nil when the object is missing.
    public func read(_ id: ContentID, offset: Int, length: Int) throws -> Data? {
        guard length > 0 else { return Data() }
        let response = try send("GET", key: key(for: id), headers: [("Range", "bytes=\(offset)-\(offset + length - 1)")])
        if response.status == .notFound { return nil }
        guard response.status == .partialContent || response.status == .ok else {
            throw failure(response, "cannot read a range of \(id.short)…")
        }
        let data = response.body.map { Data($0.readableBytesView) } ?? Data()
        // A server that ignores Range sends the whole object.
        if response.status == .ok { return data.count > offset ? data.subdata(in: offset..<min(data.count, offset + length)) : Data() }
        return data
    }

    /// The stored size of `id`, nil when missing.
    public func size(_ id: ContentID) throws -> Int? {
        let response = try send("HEAD", key: key(for: id))
        if response.status == .notFound { return nil }
        guard response.status == .ok else { throw failure(response, "cannot look up \(id.short)…") }
        return response.headers.first(name: "content-length").flatMap(Int.init)
    }

    /// Re-hashes `id` in 8 MiB ranged reads (constant memory for any size); returns its size.
    @discardableResult
    public func verify(_ id: ContentID) throws -> Int {
        guard let size = try size(id) else { throw StoreError.missing(id) }
        var hasher = SHA256()
        var offset = 0
        while offset < size {
            guard let chunk = try read(id, offset: offset, length: min(S3BlobStore.verifyChunk, size - offset)), !chunk.isEmpty else {
                throw StoreError.missing(id)
            }
            hasher.update(data: chunk)
            offset += chunk.count
        }
        let actual = ContentID(digest: hasher.finalize())
        guard actual == id else { throw StoreError.corrupt(id, actual: actual) }
        return size
    }

    static let verifyChunk = 8 << 20

    /// Deletes `id` (disposition); true when it existed.
    @discardableResult
    public func remove(_ id: ContentID) throws -> Bool {
        guard contains(id) else { return false }
        let response = try send("DELETE", key: key(for: id))
        guard response.status == .noContent || response.status == .ok else { throw failure(response, "cannot remove \(id.short)…") }
        return true
    }

    /// Every object under `objects/`: the IDs of well-named ones and the keys of anything else.
    public func inventory() throws -> (objects: [ContentID], strays: [String]) {
        var objects: [ContentID] = [], strays: [String] = []
        try listKeys(prefix: "\(bucket.keyPrefix)objects/", limit: .max) { key in
            let name = String(key.split(separator: "/").last ?? "")
            if let id = ContentID(hex: name), key == self.key(for: id) { objects.append(id) } else { strays.append(key) }
        }
        return (objects, strays)
    }

    /// Creates the bucket if it does not exist (first use of a store, `migrate`, tests). A
    /// bucket that exists is left alone (no CreateBucket permission is needed then).
    public func createBucket() throws {
        let head = try send("HEAD", key: nil)
        if head.status == .ok { return }
        guard head.status == .notFound else { throw failure(head, "cannot reach bucket \(bucket.bucket)") }
        let response = try send("PUT", key: nil)
        // 409: it exists already (BucketAlreadyOwnedByYou).
        guard response.status == .ok || response.status == .conflict else { throw failure(response, "cannot create bucket") }
    }

    /// A multipart upload: initiated, each part sent with its own SHA-256 (the server checks
    /// it), completed with the parts' ETags; aborted on failure, so no parts are left billed.
    private func putInParts(_ bytes: Data, id: ContentID) throws {
        let key = key(for: id)
        let parts = (bytes.count + partSize - 1) / partSize
        guard parts <= 10_000 else {
            throw StoreError.io(location, "cannot store \(id.short)…: \(bytes.count) bytes need more than 10,000 parts of \(partSize)")
        }
        let started = try send("POST", key: key, query: [("uploads", "")])
        let xml = started.body.map { String(buffer: $0) } ?? ""
        guard started.status == .ok, let upload = S3BlobStore.elements("UploadId", in: xml).first else {
            throw failure(started, "cannot start the upload of \(id.short)…")
        }
        do {
            var etags: [String] = []
            for n in 0..<parts {
                let slice = bytes.subdata(in: (n * partSize)..<min(bytes.count, (n + 1) * partSize))
                let response = try send(
                    "PUT", key: key, query: [("partNumber", String(n + 1)), ("uploadId", upload)], body: slice)
                guard response.status == .ok, let etag = response.headers.first(name: "etag") else {
                    throw failure(response, "cannot store part \(n + 1) of \(parts) of \(id.short)…")
                }
                etags.append(etag)
            }
            let list = etags.enumerated().map { n, etag in
                "<Part><PartNumber>\(n + 1)</PartNumber><ETag>\(etag.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;"))</ETag></Part>"
            }.joined()
            let done = try send(
                "POST", key: key, query: [("uploadId", upload)],
                body: Data("<CompleteMultipartUpload>\(list)</CompleteMultipartUpload>".utf8))
            // A completion can fail inside a 200 answer; a retried one whose first try succeeded
            // answers NoSuchUpload: the object is there either way or it is not.
            let answer = done.body.map { String(buffer: $0) } ?? ""
            guard (done.status == .ok && !answer.contains("<Error>")) || contains(id) else {
                throw failure(done, "cannot complete the upload of \(id.short)…")
            }
        } catch {
            _ = try? send("DELETE", key: key, query: [("uploadId", upload)])
            throw error
        }
    }

    /// Writes `bytes` under `key` as they are, unchecked (tests: a damaged or stray object).
    func putRaw(key: String, _ bytes: Data) throws {
        let response = try send("PUT", key: key, body: bytes)
        guard response.status == .ok else { throw failure(response, "cannot write \(key)") }
    }

    // MARK: HTTP

    private func list(prefix: String, limit: Int) throws -> [ContentID] {
        var found: [ContentID] = []
        try listKeys(prefix: prefix, limit: limit) { key in
            if let id = ContentID(hex: String(key.split(separator: "/").last ?? "")) { found.append(id) }
        }
        return found
    }

    /// ListObjectsV2 over `prefix`, page by page, until `limit` keys or the end.
    private func listKeys(prefix: String, limit: Int, _ each: (String) -> Void) throws {
        var token: String?
        var seen = 0
        repeat {
            var query = [("list-type", "2"), ("prefix", prefix), ("max-keys", String(min(1000, max(1, limit - seen))))]
            if let token { query.append(("continuation-token", token)) }
            let response = try send("GET", key: nil, query: query)
            guard response.status == .ok else { throw failure(response, "cannot list \(prefix)") }
            let xml = response.body.map { String(buffer: $0) } ?? ""
            for key in S3BlobStore.elements("Key", in: xml) {
                each(key)
                seen += 1
            }
            token = S3BlobStore.elements("IsTruncated", in: xml).first == "true"
                ? S3BlobStore.elements("NextContinuationToken", in: xml).first : nil
        } while token != nil && seen < limit
    }

    /// The texts of `<name>…</name>` in a ListObjectsV2 answer (keys are hex: no entities
    /// other than the five XML ones to undo).
    static func elements(_ name: String, in xml: String) -> [String] {
        var out: [String] = []
        var rest = xml[...]
        while let open = rest.range(of: "<\(name)>"), let close = rest.range(of: "</\(name)>", range: open.upperBound..<rest.endIndex) {
            out.append(
                String(rest[open.upperBound..<close.lowerBound])
                    .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
                    .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
                    .replacingOccurrences(of: "&amp;", with: "&"))
            rest = rest[close.upperBound...]
        }
        return out
    }

    private func failure(_ response: HTTPClient.Response, _ what: String) -> StoreError {
        let body = response.body.map { String(buffer: $0) } ?? ""
        let code = S3BlobStore.elements("Code", in: body).first.map { " (\($0))" } ?? ""
        return StoreError.io(location, "\(what): HTTP \(response.status.code)\(code)")
    }

    /// One signed request, waited for (the store's callers are synchronous; never called on an
    /// event loop).
    private func send(
        _ method: String, key: String?, query: [(String, String)] = [], headers extra: [(String, String)] = [],
        body: Data? = nil, payloadHash: String? = nil
    ) throws -> HTTPClient.Response {
        let base = bucket.endpoint.path.hasSuffix("/") ? String(bucket.endpoint.path.dropLast()) : bucket.endpoint.path
        let path = base + "/" + bucket.bucket + (key.map { "/" + $0 } ?? "")
        var host = bucket.endpoint.host ?? ""
        if let port = bucket.endpoint.port { host += ":\(port)" }
        let hash = payloadHash ?? (body.map { SHA256.hash(data: $0).map { String(format: "%02x", $0) }.joined() } ?? SigV4Signer.emptyPayloadHash)
        let queryString = query.map { "\(SigV4Signer.encode($0.0, keepSlash: false))=\(SigV4Signer.encode($0.1, keepSlash: false))" }
            .joined(separator: "&")
        let url = "\(bucket.endpoint.scheme!)://\(host)\(SigV4Signer.encode(path, keepSlash: true))" + (queryString.isEmpty ? "" : "?\(queryString)")
        // Every request here is idempotent (content-addressed PUTs included): a dropped
        // connection or a 500/502/503/504 (S3's "slow down") is tried again, after 0.2 s, then 0.8 s.
        var attempt = 0
        while true {
            attempt += 1
            var request: HTTPClient.Request
            do {
                request = try HTTPClient.Request(url: url, method: HTTPMethod(rawValue: method))
            } catch {
                throw StoreError.io(location, "bad request URL \(url): \(error)")
            }
            let signed = signer.sign(
                SigV4Signer.Request(method: method, path: path, query: query, headers: [("host", host)] + extra, payloadHash: hash))
            for (name, value) in signed where name != "host" { request.headers.add(name: name, value: value) }
            if let body { request.body = .byteBuffer(ByteBuffer(bytes: body)) }
            do {
                let response = try HTTPClient.shared.execute(request: request, deadline: .now() + timeout).wait()
                if [500, 502, 503, 504].contains(response.status.code), attempt < attempts {
                    Thread.sleep(forTimeInterval: backoff(attempt))
                    continue
                }
                return response
            } catch {
                if attempt < attempts {
                    Thread.sleep(forTimeInterval: backoff(attempt))
                    continue
                }
                throw StoreError.io(location, "\(method) \(key ?? "bucket") failed after \(attempt) attempts: \(error)")
            }
        }
    }

    private func backoff(_ attempt: Int) -> TimeInterval { 0.2 * pow(4, Double(attempt - 1)) }
}
