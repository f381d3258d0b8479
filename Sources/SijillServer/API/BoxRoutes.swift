import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SijillCatalog
import SijillCore
import SijillIngest

/// Boxes uploaded for ingest: `POST /v1/boxes` (the box as the body, or a form's file field),
/// `GET /v1/boxes`, `GET /v1/boxes/{id}` (state, progress, ETA, then the report), and the web
/// page `/boxes` for archivists who do not use a terminal. Archivists and admins only.
struct BoxRoutes {
    let services: ServerServices

    func register(on router: Router<SijillRequestContext>) {
        router.post("/v1/boxes") { request, context in
            let principal = try requireUploader(context)
            let job = try await receive(request, fields: QueryFields(request), principal: principal)
            var response = try JSONResponse(view(job), status: .accepted)
            response.headers[.location] = "/v1/boxes/\(job.id)"
            return response
        }
        router.get("/v1/boxes") { _, context in
            _ = try requireUploader(context)
            return try JSONResponse(JobList(jobs: try services.catalog.jobs().map { try view($0, withReport: false) }))
        }
        router.get("/v1/boxes/{id}") { _, context in
            _ = try requireUploader(context)
            guard let job = try services.catalog.job(id: context.parameters.require("id")) else { throw APIError.notFound("box upload") }
            return try JSONResponse(view(job))
        }
        router.get("/boxes") { _, context in
            guard let (principal, cookie) = webUploader(context, request: nil) else { return webDenied(context) }
            _ = principal
            let jobs = try services.catalog.jobs()
            let page = BoxesPage(
                chrome: services.chrome("استيراد الصناديق", context), csrf: Self.csrf(cookie ?? ""), jobs: jobs.map { row($0) },
                limitMiB: services.configuration.maxUploadBytes >> 20, error: nil)
            return html("boxes", page, refresh: jobs.contains { $0.state == .queued || $0.state == .running })
        }
        router.post("/boxes") { request, context in
            guard let (principal, cookie) = webUploader(context, request: request) else { return webDenied(context) }
            do {
                let job = try await receive(request, fields: QueryFields(raw: ""), principal: principal, csrf: Self.csrf(cookie ?? ""))
                return Response(status: .seeOther, headers: [.location: "/boxes/\(job.id)", .cacheControl: "no-store"])
            } catch let error as APIError {
                let page = BoxesPage(
                    chrome: services.chrome("استيراد الصناديق", context), csrf: Self.csrf(cookie ?? ""),
                    jobs: try services.catalog.jobs().map { row($0) }, limitMiB: services.configuration.maxUploadBytes >> 20,
                    error: error.messageArabic)
                return html("boxes", page, status: error.status)
            }
        }
        router.get("/boxes/{id}") { _, context in
            guard webUploader(context, request: nil) != nil else { return webDenied(context) }
            guard let job = try services.catalog.job(id: context.parameters.require("id")) else {
                return html("error", ErrorPage(chrome: services.chrome("غير موجود", context), message: "لا يوجد صندوق مرفوع بهذا المعرّف."), status: .notFound)
            }
            let page = BoxPage(chrome: services.chrome("الصندوق \(job.name)", context), job: row(job), report: try report(job).map(ReportModel.init))
            return html("box", page, refresh: job.state == .queued || job.state == .running)
        }
    }

    // MARK: - Receiving

    private func requireUploader(_ context: SijillRequestContext) throws -> Principal {
        let principal = try context.requirePrincipal()
        guard case .staff(let token) = principal, token.role == .archivist || token.role == .admin else { throw APIError.forbidden }
        return principal
    }

    /// Streams the upload to the data directory and queues a job; a web form must carry the
    /// session's CSRF token.
    private func receive(
        _ request: Request, fields: QueryFields, principal: Principal, csrf: String? = nil
    ) async throws -> BoxJob {
        if fields.has("name"), (fields["name"] ?? "").isEmpty || (fields["name"] ?? "").count > 200 {
            throw APIError.badRequest("bad-parameter", "name must be 1 to 200 characters")
        }
        if let type = request.headers[.contentType], !Self.acceptedTypes.contains(where: { type.lowercased().hasPrefix($0) }) {
            throw APIError(
                .unsupportedMediaType, code: "unsupported-media-type",
                message: "send the box as application/zip (or another archive type) or as a multipart/form-data file field",
                arabic: "أرسل الصندوق ملفًا مضغوطًا (zip أو tar) أو حقل ملف في نموذج")
        }
        let file = try services.jobs.temporaryUpload()
        let upload = try await BoxUpload.receive(request, into: file, limit: services.configuration.maxUploadBytes)
        if let csrf {
            guard let sent = upload.fields["csrf"], sent.utf8.elementsEqual(csrf.utf8) else {
                try? FileManager.default.removeItem(at: upload.file)
                throw APIError(
                    .forbidden, code: "csrf", message: "the form is out of date or was not sent from this archive's page",
                    arabic: "انتهت صلاحية النموذج أو لم يُرسل من صفحة الأرشيف؛ أعد تحميل الصفحة وحاول مجددًا")
            }
        }
        let name = fields["name"] ?? upload.name ?? "upload"
        return try services.jobs.submit(upload: upload.file, name: name, actor: principal.actor)
    }

    /// Content types a box may come as (none at all is read as raw bytes too).
    static let acceptedTypes = [
        "application/octet-stream", "application/zip", "application/x-zip-compressed", "application/x-tar", "application/gzip",
        "application/x-gzip", "application/x-gtar", "application/x-bzip2", "application/x-xz", "application/zstd",
        "application/x-7z-compressed", "multipart/form-data",
    ]

    /// The form token for a web session: a hash of the session cookie, which another site can
    /// neither read nor guess.
    static func csrf(_ cookie: String) -> String {
        SHA256.hash(data: Data("sijill-csrf:\(cookie)".utf8)).map { String(format: "%02x", $0) }.joined()
    }

    private func webUploader(_ context: SijillRequestContext, request: Request?) -> (Principal, String?)? {
        guard case .staff(let token)? = context.principal, token.role == .archivist || token.role == .admin else { return nil }
        return (context.principal!, context.sessionCookie)
    }

    private func webDenied(_ context: SijillRequestContext) -> Response {
        guard context.principal != nil else {
            return Response(status: .seeOther, headers: [.location: "/login", .cacheControl: "no-store"])
        }
        return html(
            "error", ErrorPage(chrome: services.chrome("غير مسموح", context), message: "استيراد الصناديق لأمناء الأرشيف والمديرين."),
            status: .forbidden)
    }

    // MARK: - Views

    struct JobList: Encodable { var jobs: [JobView] }

    struct JobView: Encodable {
        var id: String, name: String, bytes: Int, state: String, submitted_by: String, submitted_at: String
        var started_at: String?, finished_at: String?, progress: BoxJobRunner.Progress?, report_id: String?, error: String?
        var report: ReportView?
    }

    /// The reconciliation report with rejected entries first.
    struct ReportView: Encodable {
        var summary: ReconciliationReport.Summary
        var boxes: [String]?
        var items: [ReconciliationReport.Item]
        var records: [ReconciliationReport.RecordOutcome]
    }

    private func report(_ job: BoxJob) throws -> ReconciliationReport? {
        guard let id = job.reportId else { return nil }
        return try JSONDecoder().decode(ReconciliationReport.self, from: services.archive.store.get(id))
    }

    private func progress(_ job: BoxJob) -> BoxJobRunner.Progress? {
        services.jobs.progress(of: job.id)
            ?? job.progress.flatMap { try? JSONDecoder().decode(BoxJobRunner.Progress.self, from: Data($0.utf8)) }
    }

    private func view(_ job: BoxJob, withReport: Bool = true) throws -> JobView {
        let report = withReport ? try report(job) : nil
        return JobView(
            id: job.id, name: job.name, bytes: job.bytes, state: job.state.rawValue, submitted_by: job.submittedBy,
            submitted_at: job.submittedAt, started_at: job.startedAt, finished_at: job.finishedAt, progress: progress(job),
            report_id: job.reportId?.hex, error: job.error,
            report: report.map {
                ReportView(summary: $0.summary, boxes: $0.boxes, items: Self.rejectedFirst($0.items), records: $0.records)
            })
    }

    static func rejectedFirst(_ items: [ReconciliationReport.Item]) -> [ReconciliationReport.Item] {
        items.filter { $0.status == .rejected } + items.filter { $0.status != .rejected }
    }

    private func row(_ job: BoxJob) -> JobRow { JobRow(job, progress: progress(job)) }


    private func html(_ template: String, _ model: Any, status: HTTPResponse.Status = .ok, refresh: Bool = false) -> Response {
        services.templates.response(template, model, status: status, refresh: refresh)
    }
}
