import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// An API failure as the client sees it: `{"error": {"code", "message", "message_ar"}}` with
/// the right status. Never carries a stack trace, SQL or a file path.
public struct APIError: Error, HTTPResponseError, Sendable {
    public let status: HTTPResponse.Status
    public let code: String
    public let message: String
    /// The same in Arabic, for clerks' and citizens' screens.
    public let messageArabic: String
    public var headers: HTTPFields = [:]

    public init(_ status: HTTPResponse.Status, code: String, message: String, arabic: String) {
        self.status = status
        self.code = code
        self.message = message
        self.messageArabic = arabic
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(ErrorBody(error: .init(code: code, message: message, message_ar: messageArabic)))
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        fields[.cacheControl] = "no-store"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// 401, with the `WWW-Authenticate` challenge RFC 9110 requires of it.
    public static let unauthorized: APIError = {
        var error = APIError(
            .unauthorized, code: "unauthorized", message: "a valid API token or access code is required",
            arabic: "يلزم رمز دخول أو رمز اطلاع صالح")
        error.headers[.wwwAuthenticate] = #"Bearer realm="sijill""#
        return error
    }()
    public static let forbidden = APIError(
        .forbidden, code: "forbidden", message: "your role may not do this", arabic: "صلاحيتك لا تسمح بهذا")
    public static func notFound(_ what: String) -> APIError {
        APIError(.notFound, code: "not-found", message: "no \(what) with this ID", arabic: "لا يوجد ما يطابق هذا المعرّف")
    }
    public static func badRequest(_ code: String, _ message: String) -> APIError {
        APIError(.badRequest, code: code, message: message, arabic: "الطلب غير صالح: \(message)")
    }
    /// 405 for a method the path does not have; `allow` lists the ones it has.
    public static func methodNotAllowed(_ allow: String) -> APIError {
        var error = APIError(
            .methodNotAllowed, code: "method-not-allowed", message: "this path answers only \(allow)",
            arabic: "هذا المسار لا يقبل هذه الطريقة")
        error.headers[.allow] = allow
        return error
    }
    public static let tooManyFailures = APIError(
        .tooManyRequests, code: "too-many-failures",
        message: "too many failed attempts from this address; wait and try again",
        arabic: "محاولات فاشلة كثيرة من هذا العنوان؛ انتظر ثم حاول مجددًا")
    public static let integrity = APIError(
        .internalServerError, code: "integrity",
        message: "the stored object failed verification and is not served; the archive has been alerted",
        arabic: "فشل التحقق من سلامة الملف المحفوظ فلم يُعرض، وأُبلغت إدارة الأرشيف")
    public static let internalError = APIError(
        .internalServerError, code: "internal", message: "the server could not answer", arabic: "تعذّر على الخادم الإجابة")
}

/// The JSON shape of an error.
private struct ErrorBody: Encodable {
    struct Inner: Encodable {
        var code: String
        var message: String
        var message_ar: String
    }
    var error: Inner
}
