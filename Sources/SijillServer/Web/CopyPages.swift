import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SijillCatalog
import SijillCertify
import SijillCore

/// The web side of certified copies, for people who never open a terminal (no script needed):
/// - a citizen (access code) or a clerk at the counter asks for a copy from the record page
///   (`POST /copies`, the session's form token required), follows it on `/copies/{request}`
///   (reloads itself while the copy is made) and downloads the signed PDF and its `.p7s`;
/// - a receiving office opens `/verify/{copy}` from the QR code, or uploads the PDF it was
///   handed on `/verify` (multipart, streamed to disk, size-limited, never stored).
struct CopyPages {
    let services: ServerServices
    /// The largest PDF `/verify` takes.
    static let verifyLimit = 64 << 20

    func register(on router: Router<SijillRequestContext>) {
        router.post("/copies") { request, context -> Response in
            guard let principal = context.principal else { return seeOther("/access") }
            // A form needs the session it came from (a bearer token alone carries no form token).
            guard let cookie = context.sessionCookie else { return services.errorPage(context, Texts.staleForm, status: .forbidden) }
            let form = QueryFields(raw: String(buffer: try await request.body.collect(upTo: 16 << 10)))
            guard let sent = form["csrf"], sent.utf8.elementsEqual(FormToken.value(for: cookie).utf8) else {
                return services.errorPage(context, Texts.staleForm, status: .forbidden)
            }
            let record: ContentID
            switch principal {
            case .citizen(let grant):
                record = grant.recordId
            case .staff(let token):
                guard token.role.readsContent else { return services.errorPage(context, Texts.noCopies, status: .forbidden) }
                guard let id = try? APIRoutes(services: services).resolveRecord(form["record"] ?? "", for: principal) else {
                    return services.errorPage(context, Texts.noRecord, status: .notFound)
                }
                record = id
            }
            var pages: [Int]?
            if form["scope"] == "range" {
                guard let from = Int(form["from"] ?? ""), let to = Int(form["to"] ?? ""), from >= 1, to >= from, to - from < 10_000
                else { return services.errorPage(context, Texts.badRange, status: .badRequest) }
                pages = Array(from...to)
            }
            let requester = (form["for"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            do {
                let queued = try CopyRoutes(services: services).submitCopy(
                    record: record, pages: pages, requester: requester.isEmpty ? nil : String(requester.prefix(200)),
                    principal: principal)
                return seeOther("/copies/\(queued.id)")
            } catch let failure as APIError {
                return services.errorPage(context, failure.messageArabic, status: failure.status)
            }
        }
        router.get("/copies/{id}") { _, context -> Response in
            guard let principal = context.principal else { return seeOther("/access") }
            guard let request = try services.catalog.copyRequest(id: context.parameters.require("id")),
                CopyRoutes.mayFollow(request, principal)
            else { return services.errorPage(context, Texts.noCopyRequest, status: .notFound) }
            let view = try CopyRoutes(services: services).requestView(request)
            let record = try services.catalog.record(request.recordId)?.record
            let back: String
            if case .citizen = principal { back = "/access/record" } else { back = "/records/\(request.recordId.hex)" }
            let page = CopyRequestPage(
                chrome: services.chrome("نسخة طبق الأصل", context), view: view, record: record, backURL: back,
                verifyPath: view.copy_id.map { "/verify/\($0)" } ?? "/verify")
            return services.templates.response("copyrequest", page, refresh: page.waiting, every: 2)
        }
        router.get("/verify") { _, context -> Response in
            services.templates.response("verify", CopyPage(chrome: services.chrome(Texts.verifyTitle, context), limitMiB: Self.verifyLimit >> 20))
        }
        router.get("/verify/{copy}") { _, context -> Response in
            let verdict = try await CopyRoutes(services: services).verdict(copyID: context.parameters.require("copy"))
            return services.templates.response(
                "verify", CopyPage(verdict: verdict, chrome: services.chrome(Texts.verifyTitle, context), limitMiB: Self.verifyLimit >> 20))
        }
        router.post("/verify") { request, context -> Response in
            let file = try services.jobs.temporaryUpload()
            let upload: BoxUpload
            do {
                upload = try await BoxUpload.receive(request, into: file, limit: Self.verifyLimit)
            } catch let failure as APIError {
                let message = failure.status == .contentTooLarge ? Texts.verifyTooLarge : Texts.verifyNoFile
                return services.templates.response(
                    "verify", CopyPage(chrome: services.chrome(Texts.verifyTitle, context), limitMiB: Self.verifyLimit >> 20, error: message),
                    status: failure.status)
            }
            defer { try? FileManager.default.removeItem(at: upload.file) }
            let pdf = try Data(contentsOf: upload.file)
            let result = await services.copies.verify(pdf: pdf, at: services.now())
            let record = try result.copy.flatMap { try services.catalog.record($0.recordId)?.record }
            services.audit.record(AuditEvent(
                actor: context.principal?.actor ?? "public", action: "copy.verify",
                target: result.copy.map { "copy:\($0.id)" } ?? "upload", detail: ["status": result.status.rawValue],
                at: services.now()))
            return services.templates.response(
                "verify",
                CopyPage(
                    verdict: Verdict(result: result, record: record), chrome: services.chrome(Texts.verifyTitle, context),
                    limitMiB: Self.verifyLimit >> 20, uploaded: true))
        }
    }
}

/// The copy form on a record page.
struct CopyForm {
    var csrf: String
    /// The record's ID, for staff (a citizen's session names its record).
    var record: String?
    var pageCount: Int
}

/// A copy request's progress page.
struct CopyRequestPage {
    struct Field {
        var label: String
        var value: String
        var numeric = false
    }

    var chrome: PageChrome
    var state: String
    var stateText: String
    var waiting: Bool
    var waitingText: String
    var failed: Bool
    var failureText: String
    var done: Bool
    var pdfURL: String
    var p7sURL: String
    var pdfName: String
    var p7sName: String
    var verifyPath: String
    var selfURL: String
    var backURL: String
    var fields: [Field]

    init(chrome: PageChrome, view: CopyRoutes.RequestView, record: StoredRecord?, backURL: String, verifyPath: String) {
        self.chrome = chrome
        state = view.state
        waiting = view.state == "queued" || view.state == "running"
        done = view.state == "done" && view.copy_id != nil
        failed = view.state == "failed"
        switch view.state {
        case "queued": stateText = "طلبك في الانتظار"
        case "running": stateText = "تُجهَّز النسخة وتُوقَّع الآن"
        case "done": stateText = "النسخة جاهزة"
        default: stateText = "تعذّر إصدار النسخة"
        }
        waitingText = view.queue_position.map { $0 > 1 ? "قبله \($0 - 1) من الطلبات." : "هو التالي." } ?? "لحظات وتكون جاهزة."
        failureText = "لم يُصدر الأرشيف النسخة. أعد الطلب بعد قليل؛ وإن تكرر ذلك فراجع موظف الأرشيف ومعك رقم الطلب."
        pdfURL = view.pdf_url ?? ""
        p7sURL = view.p7s_url ?? ""
        pdfName = "copy-\(view.copy_id ?? "").pdf"
        p7sName = "copy-\(view.copy_id ?? "").p7s"
        self.verifyPath = verifyPath
        selfURL = "/copies/\(view.request_id)"
        self.backURL = backURL
        var fields: [Field] = []
        if let record { fields.append(Field(label: "المعاملة", value: RecordPage.heading(record))) }
        fields.append(Field(label: "الصفحات", value: view.pages.map { $0.replacingOccurrences(of: ",", with: "، ") } ?? "كل الصفحات", numeric: true))
        fields.append(Field(label: "رقم الطلب", value: view.request_id))
        fields.append(Field(label: "وقت الطلب", value: Self.time(view.requested_at), numeric: true))
        if let copy = view.copy_id { fields.append(Field(label: "معرّف النسخة", value: copy)) }
        if let issued = view.issued_at { fields.append(Field(label: "وقت الإصدار", value: Self.time(issued), numeric: true)) }
        self.fields = fields
    }

    static func time(_ stamp: String) -> String {
        stamp.replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: " UTC")
    }
}

/// Form tokens: a hash of the session cookie, which another site can neither read nor guess.
/// Every state-changing form of a signed-in page carries it.
enum FormToken {
    static func value(for cookie: String) -> String { BoxRoutes.csrf(cookie) }
}
