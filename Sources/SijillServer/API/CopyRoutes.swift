import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SijillCatalog
import SijillCertify
import SijillCore

/// Certified copies: issue (clerks, or a citizen for their own record), download, and public
/// verification (a page by copy ID, and `POST /v1/verify` for the exact bytes of a PDF).
struct CopyRoutes {
    let services: ServerServices

    func register(on router: Router<SijillRequestContext>) {
        router.post("/v1/records/{id}/copies") { request, context in
            let principal = try context.requirePrincipal()
            let id = try APIRoutes(services: services).resolveRecord(context.parameters.require("id"), for: principal)
            guard principal.mayReadContent(of: id) else {
                throw principal.mayReadMetadata(of: id) ? APIError.forbidden : APIError.notFound("record")
            }
            struct Body: Decodable { var pages: [Int]?; var `for`: String? }
            let buffer = try await request.body.collect(upTo: 64 << 10)
            var body = Body()
            if buffer.readableBytes > 0 {
                guard let decoded = try? JSONDecoder().decode(Body.self, from: Data(buffer: buffer)) else {
                    throw APIError.badRequest("bad-body", "the body must be JSON: {\"pages\": [1, 2], \"for\": \"reference\"}")
                }
                body = decoded
            }
            if let pages = body.pages, pages.isEmpty || pages.count > 10_000 || pages.contains(where: { $0 < 1 }) {
                throw APIError.badRequest("bad-parameter", "pages must list page numbers from 1")
            }
            // Each page once: a list repeating one page thousands of times would make the server
            // render and sign a PDF of thousands of pages.
            if let pages = body.pages, Set(pages).count != pages.count {
                throw APIError.badRequest("bad-parameter", "pages must list each page once")
            }
            let issued: CopyService.Issued
            do {
                issued = try services.copies.issue(
                    record: id, pages: body.pages, requester: body.for.map { String($0.prefix(200)) }, issuer: principal.actor,
                    at: services.now())
            } catch let error as SijillInputError {
                if error.isNotFound { throw APIError.notFound("record") }
                throw APIError(
                    error.code == "bad-parameter" && error.description.contains("signing key") ? .serviceUnavailable : .badRequest,
                    code: error.code, message: error.description, arabic: "تعذّر إصدار النسخة")
            }
            struct Output: Encodable {
                var copy_id: String, record: String, pages: String, issued_at: String, key_id: String
                var verify_url: String, pdf_url: String, p7s_url: String
            }
            return try JSONResponse(
                Output(
                    copy_id: issued.copy.id, record: id.hex, pages: issued.copy.pages, issued_at: issued.copy.issuedAt,
                    key_id: issued.copy.keyId, verify_url: issued.verifyURL, pdf_url: "/v1/copies/\(issued.copy.id)/pdf",
                    p7s_url: "/v1/copies/\(issued.copy.id)/p7s"),
                status: .created)
        }
        for (suffix, type) in [("pdf", "application/pdf"), ("p7s", "application/pkcs7-signature")] {
            router.get("/v1/copies/{id}/\(suffix)") { request, context in
                let principal = try context.requirePrincipal()
                guard let copy = try services.catalog.copy(id: context.parameters.require("id")),
                    principal.mayReadContent(of: copy.recordId)
                else { throw APIError.notFound("copy") }
                services.audit.record(AuditEvent(actor: principal.actor, action: "copy.read", target: "copy:\(copy.id)", at: services.now()))
                var response = try await ObjectResponder(services: services).respond(
                    suffix == "pdf" ? copy.pdfId : copy.p7sId, request: request, context: context, contentType: type)
                response.headers[.contentDisposition] = "attachment; filename=\"copy-\(copy.id).\(suffix)\""
                return response
            }
        }
        router.get("/v1/copies/{id}") { request, context -> Response in
            let id = try context.parameters.require("id")
            let verdict = try await verdict(copyID: id)
            let fields = QueryFields(request)
            let format = fields["format"]
            guard format == nil || format == "json" || format == "html" else {
                throw APIError.badRequest("bad-parameter", "format must be json or html")
            }
            if format == "json" || format == nil && (request.headers[.accept] ?? "").hasPrefix("application/json") {
                return try JSONResponse(verdict.json)
            }
            let page = CopyPage(verdict: verdict, chrome: PageChrome(
                title: "التحقق من نسخة طبق الأصل", archiveName: services.configuration.archiveName, principal: context.principal))
            return Response(
                status: .ok,
                headers: [
                    .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                    .contentSecurityPolicy: "default-src 'none'; style-src 'self'; frame-ancestors 'none'",
                ],
                body: .init(byteBuffer: ByteBuffer(string: services.templates.render("copy", page))))
        }
        router.post("/v1/verify") { request, context in
            let buffer = try await request.body.collect(upTo: context.maxUploadSize)
            guard buffer.readableBytes > 0 else { throw APIError.badRequest("bad-body", "send the PDF's bytes as the request body") }
            let result = await services.copies.verify(pdf: Data(buffer: buffer), at: services.now())
            return try JSONResponse(Verdict(result: result, record: nil).json)
        }
    }

    /// The verdict on a stored copy: its PDF re-verified now (a revoked key shows revoked).
    func verdict(copyID: String) async throws -> Verdict {
        guard copyID.count <= 64, let copy = try services.catalog.copy(id: copyID) else {
            return Verdict(result: CopyVerification(status: .unknown, detail: "no copy with this ID was issued here"), record: nil)
        }
        let record = try services.catalog.record(copy.recordId)?.record
        guard let pdf = try? services.archive.store.get(copy.pdfId) else {
            return Verdict(result: CopyVerification(status: .modified, detail: "the stored copy failed verification", copy: copy), record: record)
        }
        var result = await services.copies.verify(pdf: pdf, at: services.now())
        result.copy = copy
        return Verdict(result: result, record: record)
    }
}

/// A verification answer, as JSON and as a page.
struct Verdict {
    var result: CopyVerification
    var record: StoredRecord?

    var json: [String: String] {
        var out = ["status": result.status.rawValue, "detail": result.detail]
        if let key = result.keyID { out["key_id"] = key }
        if let copy = result.copy {
            out["copy_id"] = copy.id
            out["record"] = copy.recordId.hex
            out["pages"] = copy.pages
            out["issued_at"] = copy.issuedAt
        }
        if let reference = record?.reference { out["reference"] = reference }
        return out
    }
}

struct CopyPage {
    struct Field {
        var label: String
        var value: String
    }

    var chrome: PageChrome
    var status: String
    var verdict: String
    var explanation: String
    var known: Bool
    var fields: [Field]

    init(verdict: Verdict, chrome: PageChrome) {
        self.chrome = chrome
        status = verdict.result.status.rawValue
        switch verdict.result.status {
        case .valid:
            self.verdict = "نسخة صحيحة"
            explanation = "صدرت هذه النسخة عن الأرشيف وتوقيعها سليم، ولم يُعدَّل ملفها المحفوظ."
        case .modified:
            self.verdict = "نسخة معدَّلة"
            explanation = "لا يطابق الملف توقيعه: لا يُعتمد عليه."
        case .revoked:
            self.verdict = "توقيع ملغى"
            explanation = "وُقّعت النسخة بمفتاح أُلغي بعد ذلك (\(verdict.result.detail)). اطلب نسخة جديدة."
        case .unknown:
            self.verdict = "نسخة غير معروفة"
            explanation = "لم يصدر الأرشيف نسخة بهذا المعرّف."
        }
        known = verdict.result.copy != nil
        var fields: [Field] = []
        if let copy = verdict.result.copy {
            fields.append(Field(label: "معرّف النسخة", value: copy.id))
            if let reference = verdict.record?.reference { fields.append(Field(label: "الرقم المرجعي", value: reference)) }
            fields.append(Field(label: "الصفحات", value: copy.pages))
            fields.append(Field(label: "تاريخ الإصدار", value: copy.issuedAt))
            fields.append(Field(label: "معرّف السجل", value: copy.recordId.hex))
        }
        self.fields = fields
    }
}
