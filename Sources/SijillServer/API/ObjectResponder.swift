import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SijillCore
import SijillStore

/// Serves a stored object's bytes: streamed from disk or the object store (constant memory),
/// verified against its ID first, `ETag` = the ID, immutable caching, single byte ranges and `If-None-Match`.
struct ObjectResponder {
    let services: ServerServices
    let fileIO = FileIO()

    func respond(
        _ id: ContentID, request: Request, context: SijillRequestContext, contentType: String? = nil
    ) async throws -> Response {
        let small: ObjectCache.Entry?
        let size: Int
        do {
            switch try services.verifiedObject(id) {
            case .small(let entry): (small, size) = (entry, entry.bytes.count)
            case .large(let bytes): (small, size) = (nil, bytes)
            }
        } catch let error as StoreError where error.isCorrupt {
            throw APIError.integrity
        } catch {
            throw APIError.notFound("object")
        }
        let etag = "\"\(id.hex)\""
        var headers: HTTPFields = [
            .eTag: etag,
            .cacheControl: "private, max-age=31536000, immutable",
            .acceptRanges: "bytes",
            .contentType: try contentType ?? small?.contentType ?? sniff(id),
            // Stored bytes are never run as a page of this site.
            .xContentTypeOptions: "nosniff",
            .contentSecurityPolicy: "default-src 'none'; sandbox",
        ]
        if let match = request.headers[.ifNoneMatch],
            match.split(separator: ",").contains(where: {
                let tag = $0.trimmingCharacters(in: .whitespaces)
                return tag == "*" || tag == etag || tag == "W/" + etag
            })
        {
            return Response(status: .notModified, headers: headers)
        }
        var range: ClosedRange<Int>? = nil
        if let header = request.headers[.range], request.method == .get {
            switch ByteRange.parse(header, size: size) {
            case .whole: break
            case .part(let r): range = r
            case .unsatisfiable:
                headers[.contentRange] = "bytes */\(size)"
                headers[.contentType] = "application/json; charset=utf-8"
                var error = APIError(
                    .rangeNotSatisfiable, code: "bad-range", message: "the requested range is outside the object",
                    arabic: "النطاق المطلوب خارج حدود الملف")
                error.headers = headers
                throw error
            }
        }
        let status: HTTPResponse.Status = range == nil ? .ok : .partialContent
        if let range { headers[.contentRange] = "bytes \(range.lowerBound)-\(range.upperBound)/\(size)" }
        headers[.contentLength] = String(range?.count ?? size)
        if request.method == .head || size == 0 { return Response(status: status, headers: headers, body: .init()) }
        if let small {
            let bytes = range.map { small.bytes[$0] } ?? small.bytes[...]
            return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        let body: ResponseBody
        if let local = services.archive.store as? FileSystemBlobStore {
            let path = local.path(for: id).path
            if let range {
                body = try await fileIO.loadFile(path: path, range: range, context: context)
            } else {
                body = try await fileIO.loadFile(path: path, context: context)
            }
        } else {
            // A remote store (S3): ranged reads of 1 MiB, one at a time (constant memory).
            let store = services.archive.store
            let span = range ?? 0...(size - 1)
            body = ResponseBody(contentLength: span.count) { writer in
                var offset = span.lowerBound
                while offset <= span.upperBound {
                    let length = min(1 << 20, span.upperBound - offset + 1)
                    guard let chunk = try store.read(id, offset: offset, length: length), !chunk.isEmpty else {
                        throw StoreError.missing(id)
                    }
                    try await writer.write(ByteBuffer(bytes: chunk))
                    offset += chunk.count
                }
                try await writer.finish(nil)
            }
        }
        return Response(status: status, headers: headers, body: body)
    }

    /// The content type from the first bytes; text that is not a known format is plain text.
    func sniff(_ id: ContentID) throws -> String {
        guard let head = try? services.archive.store.read(id, offset: 0, length: 512) else {
            return "application/octet-stream"
        }
        return MediaType.sniff([UInt8](head))
    }
}

/// A `Range: bytes=…` header against an object of `size` bytes (one range; several are
/// answered with the whole object, as RFC 9110 allows).
enum ByteRange: Equatable {
    case whole
    case part(ClosedRange<Int>)
    case unsatisfiable

    static func parse(_ header: String, size: Int) -> ByteRange {
        let value = header.trimmingCharacters(in: .whitespaces)
        guard value.lowercased().hasPrefix("bytes="), !value.contains(",") else { return .whole }
        let spec = value.dropFirst(6).trimmingCharacters(in: .whitespaces)
        let bounds = spec.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard bounds.count == 2 else { return .whole }
        if bounds[0].isEmpty {
            guard let suffix = Int(bounds[1]), suffix > 0 else { return bounds[1].isEmpty ? .whole : .unsatisfiable }
            guard size > 0 else { return .unsatisfiable }
            return .part(max(0, size - suffix)...(size - 1))
        }
        guard let start = Int(bounds[0]), start >= 0 else { return .whole }
        guard start < size else { return .unsatisfiable }
        let end = bounds[1].isEmpty ? size - 1 : (Int(bounds[1]).map { min($0, size - 1) } ?? -1)
        guard end >= start else { return bounds[1].isEmpty || Int(bounds[1]) != nil ? .unsatisfiable : .whole }
        return .part(start...end)
    }
}

/// Content types recognised from magic bytes.
enum MediaType {
    static func sniff(_ head: [UInt8]) -> String {
        func starts(_ magic: [UInt8]) -> Bool { head.starts(with: magic) }
        if starts([0x89, 0x50, 0x4E, 0x47]) { return "image/png" }
        if starts([0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if starts([0x49, 0x49, 0x2A, 0x00]) || starts([0x4D, 0x4D, 0x00, 0x2A]) { return "image/tiff" }
        if starts(Array("%PDF-".utf8)) { return "application/pdf" }
        if starts(Array("GIF8".utf8)) { return "image/gif" }
        if head.count >= 12, starts(Array("RIFF".utf8)), Array(head[8..<12]) == Array("WEBP".utf8) { return "image/webp" }
        if starts([0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20]) { return "image/jp2" }
        // Text: JSON (manifests, reports) or plain (OCR text, hOCR) — never served as HTML.
        if !head.contains(0), String(validating: head, as: UTF8.self) != nil || head.count == 512 && isMostlyText(head) {
            let first = head.first { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 || $0 == 0xEF || $0 == 0xBB || $0 == 0xBF) }
            return first == UInt8(ascii: "{") || first == UInt8(ascii: "[") ? "application/json; charset=utf-8" : "text/plain; charset=utf-8"
        }
        return "application/octet-stream"
    }

    /// A 512-byte head cut inside a multi-byte character still counts as UTF-8 text.
    private static func isMostlyText(_ head: [UInt8]) -> Bool {
        for cut in 1...3 where String(validating: head.dropLast(cut), as: UTF8.self) != nil { return true }
        return false
    }
}
