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
            let queued = try submitCopy(
                record: id, pages: body.pages, requester: body.for.map { String($0.prefix(200)) }, principal: principal)
            var response = try JSONResponse(requestView(queued), status: .accepted)
            response.headers[.location] = "/v1/copy-requests/\(queued.id)"
            return response
        }
        router.get("/v1/copy-requests/{id}") { _, context in
            let principal = try context.requirePrincipal()
            guard let request = try services.catalog.copyRequest(id: context.parameters.require("id")),
                Self.mayFollow(request, principal)
            else { throw APIError.notFound("copy request") }
            return try JSONResponse(requestView(request))
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
            let page = CopyPage(
                verdict: verdict, chrome: services.chrome("التحقق من نسخة طبق الأصل", context), limitMiB: CopyPages.verifyLimit >> 20)
            return services.templates.response("verify", page)
        }
        router.post("/v1/verify") { request, context in
            let buffer = try await request.body.collect(upTo: context.maxUploadSize)
            guard buffer.readableBytes > 0 else { throw APIError.badRequest("bad-body", "send the PDF's bytes as the request body") }
            let result = await services.copies.verify(pdf: Data(buffer: buffer), at: services.now())
            return try JSONResponse(Verdict(result: result, record: nil).json)
        }
    }

    /// Queues a copy for `principal` (checked: record, pages, signing key) and wakes the worker.
    func submitCopy(record id: ContentID, pages: [Int]?, requester: String?, principal: Principal) throws -> CopyRequest {
        do {
            let queued = try services.copyQueue.submit(
                record: id, pages: pages, requester: requester, issuer: principal.actor, at: services.now())
            services.copyWake.signal()
            return queued
        } catch let error as SijillInputError {
            if error.isNotFound { throw APIError.notFound("record") }
            throw APIError(
                error.code == "bad-parameter" && error.description.contains("signing key") ? .serviceUnavailable : .badRequest,
                code: error.code, message: error.description, arabic: error.description.contains("signing key")
                    ? "لا يمكن إصدار نسخ مصدّقة الآن: لم يُعدّ مفتاح التوقيع بعد. راجع إدارة الأرشيف."
                    : "الصفحات المطلوبة غير موجودة في هذه المعاملة.")
        }
    }

    /// Who may follow a request: whoever asked for it, and staff who may read the record.
    static func mayFollow(_ request: CopyRequest, _ principal: Principal) -> Bool {
        if request.issuer == principal.actor { return true }
        if case .staff = principal { return principal.mayReadContent(of: request.recordId) }
        return false
    }

    struct RequestView: Encodable {
        var request_id: String, state: String, record: String, pages: String?, requested_at: String
        var finished_at: String?, queue_position: Int?, status_url: String
        var copy_id: String?, issued_at: String?, verify_url: String?, pdf_url: String?, p7s_url: String?, error: String?
    }

    func requestView(_ request: CopyRequest) throws -> RequestView {
        var view = RequestView(
            request_id: request.id, state: request.state.rawValue, record: request.recordId.hex, pages: request.pages,
            requested_at: request.requestedAt, finished_at: request.finishedAt, queue_position: nil,
            status_url: "/v1/copy-requests/\(request.id)")
        switch request.state {
        case .queued:
            view.queue_position = (try services.catalog.openCopyRequests().firstIndex { $0.id == request.id }).map { $0 + 1 }
        case .done:
            if let id = request.copyId, let copy = try services.catalog.copy(id: id) {
                view.copy_id = copy.id
                view.pages = copy.pages
                view.issued_at = copy.issuedAt
                view.verify_url = services.copies.verifyURL(copy.id)
                view.pdf_url = "/v1/copies/\(copy.id)/pdf"
                view.p7s_url = "/v1/copies/\(copy.id)/p7s"
            }
        case .failed:
            view.error = request.error
        case .running:
            break
        }
        return view
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
    var hasVerdict = true
    var status: String
    var verdict: String
    var explanation: String
    var next: String
    var known: Bool
    var fields: [Field]
    var error: String?
    var limitMiB: Int

    /// The upload form alone (`GET /verify`), or with an error about the upload.
    init(chrome: PageChrome, limitMiB: Int, error: String? = nil) {
        self.chrome = chrome
        hasVerdict = false
        status = ""
        verdict = ""
        explanation = ""
        next = ""
        known = false
        fields = []
        self.error = error
        self.limitMiB = limitMiB
    }

    /// `uploaded`: the verdict is on a file someone uploaded, not on a copy ID.
    init(verdict: Verdict, chrome: PageChrome, limitMiB: Int, uploaded: Bool = false) {
        self.chrome = chrome
        self.limitMiB = limitMiB
        status = verdict.result.status.rawValue
        switch verdict.result.status {
        case .valid:
            self.verdict = "نسخة صحيحة"
            explanation = uploaded
                ? "هذا الملف نسخة صدرت عن الأرشيف، وتوقيعه سليم، ولم يُعدَّل منه شيء بعد إصداره."
                : "صدرت هذه النسخة عن الأرشيف وتوقيعها سليم، ولم يُعدَّل ملفها المحفوظ."
            next = uploaded
                ? "يمكن الاعتماد عليها. طابِق معرّف النسخة والصفحات أدناه مع ما في صفحة التصديق."
                : "طابِق المعرّف والصفحات أدناه مع صفحة التصديق في النسخة التي بين يديك، أو ارفع ملفها أدناه للتحقق منه بعينه."
        case .modified:
            self.verdict = "نسخة معدَّلة"
            explanation = "لا يطابق الملف توقيعه: عُدِّل بعد إصداره، أو تلف."
            next = "لا تعتمد هذا الملف. اطلب من صاحب المعاملة نسخة جديدة من الأرشيف، أو ملف PDF كما استلمه دون إعادة حفظ."
        case .revoked:
            self.verdict = "توقيع ملغى"
            explanation = "وُقّعت النسخة بمفتاح ألغاه الأرشيف بعد ذلك (\(verdict.result.detail))."
            next = "لا تعتمدها؛ يطلب صاحب المعاملة نسخة جديدة تُوقَّع بمفتاح ساري."
        case .unknown:
            self.verdict = "نسخة غير معروفة"
            explanation = uploaded
                ? "ليس هذا الملف نسخة موقّعة من هذا الأرشيف (أو ليس ملف PDF)."
                : "لم يصدر الأرشيف نسخة بهذا المعرّف."
            next = uploaded
                ? "تأكد أنك رفعت ملف PDF كما استلمته، لا صورة ممسوحة منه ولا ملفًا أُعيد حفظه. وإلا فاطلب نسخة من الأرشيف."
                : "تأكد من الرابط أو الرمز الممسوح؛ أو ارفع ملف PDF الذي استلمته أدناه."
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
