import Foundation
import HTTPTypes
import Hummingbird
import NIOCore


/// Receives an uploaded box without holding it in memory: the body is streamed to a file in the
/// data directory (at most `limit` bytes), then, for `multipart/form-data` (the web form), the
/// file part is cut out of it by scanning for the boundary in chunks.
struct BoxUpload {
    /// The uploaded box's file and name, and the form's other (small) fields.
    var file: URL
    var name: String?
    var fields: [String: String]

    static func receive(_ request: Request, into file: URL, limit: Int) async throws -> BoxUpload {
        guard FileManager.default.createFile(atPath: file.path, contents: nil),
            let handle = FileHandle(forWritingAtPath: file.path)
        else { throw APIError(.internalServerError, code: "internal", message: "cannot store the upload", arabic: "تعذّر حفظ الملف") }
        var written = 0
        do {
            defer { try? handle.close() }
            for try await buffer in request.body {
                written += buffer.readableBytes
                guard written <= limit else { throw tooLarge(limit) }
                try handle.write(contentsOf: buffer.readableBytesView)
            }
        } catch {
            try? FileManager.default.removeItem(at: file)
            throw error
        }
        guard written > 0 else {
            try? FileManager.default.removeItem(at: file)
            throw APIError.badRequest("empty-upload", "the request carried no box (send the archive as the body, or as a form's file field)")
        }
        let type = request.headers[.contentType] ?? ""
        guard type.lowercased().hasPrefix("multipart/form-data") else {
            return BoxUpload(file: file, name: Self.filename(fromDisposition: request.headers[.contentDisposition]), fields: [:])
        }
        guard let boundary = Self.parameter("boundary", of: type), !boundary.isEmpty, boundary.utf8.count <= 200 else {
            try? FileManager.default.removeItem(at: file)
            throw APIError.badRequest("bad-multipart", "multipart/form-data without a usable boundary")
        }
        do {
            return try extractFilePart(file, boundary: boundary)
        } catch {
            try? FileManager.default.removeItem(at: file)
            throw error
        }
    }

    static func tooLarge(_ limit: Int) -> APIError {
        APIError(
            .contentTooLarge, code: "upload-too-large",
            message: "the upload is larger than the limit of \(limit / 1_048_576) MiB; split the box or use `sijill ingest`",
            arabic: "الملف أكبر من الحد المسموح (\(limit / 1_048_576) ميغابايت)؛ قسّم الصندوق أو استخدم سطر الأوامر")
    }

    /// Parses the multipart body in `file`: small fields are read, the (first) file part is
    /// copied into a file of its own, which replaces the body.
    static func extractFilePart(_ body: URL, boundary: String) throws -> BoxUpload {
        let reader = try FileHandle(forReadingFrom: body)
        defer { try? reader.close() }
        let size = Int(try reader.seekToEnd())
        let delimiter = Array("\r\n--\(boundary)".utf8)
        // The body starts with "--boundary" (a preamble before it is allowed).
        guard var at = try find(Array("--\(boundary)".utf8), in: reader, from: 0, size: size) else { throw malformed }
        at += delimiter.count - 2
        var fields: [String: String] = [:]
        var file: (name: String, start: Int, end: Int)?
        while true {
            try reader.seek(toOffset: UInt64(at))
            let peek = Array(try reader.read(upToCount: 2) ?? Data())
            if peek == Array("--".utf8) { break }  // the closing delimiter
            guard peek == Array("\r\n".utf8) else { throw malformed }
            let headerStart = at + 2
            try reader.seek(toOffset: UInt64(headerStart))
            let head = Array(try reader.read(upToCount: 16 << 10) ?? Data())
            guard let headerEnd = search(Array("\r\n\r\n".utf8), in: head, from: 0) else { throw malformed }
            let headers = String(decoding: head[0..<headerEnd], as: UTF8.self)
            let dataStart = headerStart + headerEnd + 4
            guard let next = try find(delimiter, in: reader, from: dataStart, size: size) else { throw malformed }
            var disposition = ""
            for line in headers.components(separatedBy: "\r\n") where line.lowercased().hasPrefix("content-disposition:") {
                disposition = String(line.dropFirst("content-disposition:".count))
            }
            let field = parameter("name", of: disposition) ?? ""
            if let filename = parameter("filename", of: disposition), file == nil {
                file = (filename, dataStart, next)
            } else if next - dataStart <= 16 << 10 {
                try reader.seek(toOffset: UInt64(dataStart))
                fields[field] = String(decoding: try reader.read(upToCount: next - dataStart) ?? Data(), as: UTF8.self)
            }
            at = next + delimiter.count
        }
        guard let file, file.end > file.start else {
            throw APIError.badRequest("empty-upload", "the form carried no file (choose the box's zip or tar file)")
        }
        // Copy the file part out, then let it replace the body.
        let part = body.appendingPathExtension("part")
        FileManager.default.createFile(atPath: part.path, contents: nil)
        let writer = try FileHandle(forWritingTo: part)
        defer { try? writer.close() }
        try reader.seek(toOffset: UInt64(file.start))
        var left = file.end - file.start
        while left > 0 {
            let chunk = try reader.read(upToCount: min(left, 1 << 20)) ?? Data()
            guard !chunk.isEmpty else { throw malformed }
            try writer.write(contentsOf: chunk)
            left -= chunk.count
        }
        try FileManager.default.removeItem(at: body)
        try FileManager.default.moveItem(at: part, to: body)
        return BoxUpload(file: body, name: file.name, fields: fields)
    }

    static let malformed = APIError.badRequest("bad-multipart", "the multipart body is malformed or cut short")

    /// First offset of `needle` at or after `from`, read in 1 MiB chunks that overlap by the needle.
    static func find(_ needle: [UInt8], in reader: FileHandle, from: Int, size: Int) throws -> Int? {
        var offset = from
        while offset < size {
            try reader.seek(toOffset: UInt64(offset))
            let chunk = Array(try reader.read(upToCount: (1 << 20) + needle.count) ?? Data())
            if chunk.count < needle.count { return nil }
            if let hit = search(needle, in: chunk, from: 0) { return offset + hit }
            offset += chunk.count - needle.count + 1
        }
        return nil
    }

    static func search(_ needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
        guard let first = needle.first, haystack.count - from >= needle.count else { return nil }
        var i = from
        let last = haystack.count - needle.count
        while i <= last {
            guard let hit = haystack[i...last].firstIndex(of: first) else { return nil }
            if haystack[hit..<hit + needle.count].elementsEqual(needle) { return hit }
            i = hit + 1
        }
        return nil
    }

    /// `key=value` or `key="value"` out of a header value (`filename*=` is not needed by browsers
    /// for UTF-8 names in multipart: they send the UTF-8 bytes quoted).
    static func parameter(_ key: String, of header: String) -> String? {
        for part in header.split(separator: ";") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, pair[0].lowercased() == key else { continue }
            var value = pair[1]
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value
        }
        return nil
    }

    static func filename(fromDisposition header: String?) -> String? {
        header.flatMap { parameter("filename", of: $0) }
    }
}
