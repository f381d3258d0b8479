import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SijillCatalog
import SijillCore

/// Server-rendered Arabic pages (RTL, no script): clerk sign-in, search and record pages;
/// the citizen's access-code page and record page. Images load from `/v1/objects`, which
/// accepts the session cookie.
struct WebRoutes {
    let services: ServerServices
    var catalog: Catalog { services.catalog }

    func register(on router: Router<SijillRequestContext>) {
        router.get("/static/sijill.css") { (_, _) -> Response in
            Response(
                status: .ok,
                headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=3600"],
                body: .init(byteBuffer: ByteBuffer(bytes: Assets.bytes("sijill.css"))))
        }
        for weight in ["regular", "bold"] {
            router.get("/static/fonts/naskh-\(weight).woff2") { (_, _) -> Response in
                Response(
                    status: .ok,
                    headers: [.contentType: "font/woff2", .cacheControl: "public, max-age=604800, immutable"],
                    body: .init(byteBuffer: ByteBuffer(bytes: Assets.bytes("naskh-\(weight).woff2"))))
            }
        }
        router.get("/") { (_, context) -> Response in
            switch context.principal {
            case .staff: return redirect("/search")
            case .citizen: return redirect("/access/record")
            case nil: return redirect("/login")
            }
        }
        router.get("/login") { (_, context) -> Response in
            html("login", LoginPage(chrome: services.chrome("دخول الموظفين", context), error: nil))
        }
        router.post("/login") { (request, context) -> Response in
            let form = try await formFields(request, context)
            let now = services.now()
            let client = services.clientAddress(request, context)
            if services.isBlocked(client, at: now) {
                return html("login", LoginPage(chrome: services.chrome("دخول الموظفين", context), error: Texts.tooMany), status: .tooManyRequests)
            }
            guard let secret = form["token"]?.trimmingCharacters(in: .whitespaces), secret.hasPrefix("sjt_"),
                let token = try services.token(secret: secret)
            else {
                services.recordAuthFailure(client, target: "/login", at: now)
                return html("login", LoginPage(chrome: services.chrome("دخول الموظفين", context), error: Texts.badToken), status: .unauthorized)
            }
            services.audit.record(AuditEvent(actor: "token:\(token.name)", action: "web.signin", at: now))
            return redirect("/search", cookie: try services.sessions.open(.token(token.id), at: now))
        }
        router.post("/logout") { (request, context) -> Response in
            // Signing out needs the page's form token too: another site must not sign people out.
            let form = try await formFields(request, context)
            if let cookie = context.sessionCookie {
                guard let sent = form["csrf"], sent.utf8.elementsEqual(FormToken.value(for: cookie).utf8) else {
                    return html("error", ErrorPage(chrome: services.chrome("تعذّر الطلب", context), message: Texts.staleForm), status: .forbidden)
                }
                if form["everywhere"] == "1", let subject = try services.sessions.subject(cookie, at: services.now()) {
                    let closed = try services.sessions.closeAll(of: subject)
                    services.audit.record(AuditEvent(
                        actor: context.principal?.actor ?? "unknown", action: "web.signout-everywhere",
                        detail: ["sessions": String(closed)], at: services.now()))
                } else {
                    try services.sessions.close(cookie)
                }
            } else if let cookie = request.cookies[WebSession.cookieName]?.value {
                try services.sessions.close(cookie)
            }
            let destination: String
            if case .citizen? = context.principal { destination = "/access" } else { destination = "/login" }
            return redirect(destination, cookie: "")
        }
        router.get("/search") { (request, context) -> Response in
            guard case .staff(let token)? = context.principal else { return redirect("/login") }
            guard token.role.readsContent else {
                return html("error", ErrorPage(chrome: services.chrome("غير مسموح", context), message: Texts.auditorNoSearch), status: .forbidden)
            }
            return try searchPage(request, context, principal: .staff(token))
        }
        router.get("/records/{id}") { (_, context) -> Response in
            guard case .staff(let token)? = context.principal else { return redirect("/login") }
            let id = try? APIRoutes(services: services).resolveRecord(context.parameters.require("id"), for: .staff(token))
            guard let id, let found = try catalog.record(id) else {
                return html("error", ErrorPage(chrome: services.chrome("غير موجود", context), message: Texts.noRecord), status: .notFound)
            }
            let (record, pages) = found
            if token.role.readsContent {
                services.audit.record(AuditEvent(actor: "token:\(token.name)", action: "record.read", target: "record:\(id.hex)", at: services.now()))
            }
            let text: ((StoredPage) throws -> String)? = token.role.readsContent ? { try pageText($0) } : nil
            let page = try RecordPage(
                chrome: services.chrome(RecordPage.heading(record), context), record: record, pages: pages,
                showContent: token.role.readsContent, text: text, read: try catalog.fields(of: id))
            var shown = page
            if token.role.readsContent, let cookie = context.sessionCookie {
                shown.copyForm = CopyForm(csrf: FormToken.value(for: cookie), record: id.hex, pageCount: pages.count)
            }
            return html("record", shown)
        }
        router.get("/access") { (_, context) -> Response in
            html("access", AccessPage(chrome: services.chrome("الاطلاع على معاملتك", context), error: nil))
        }
        router.post("/access") { (request, context) -> Response in
            let form = try await formFields(request, context)
            let now = services.now()
            let title = "الاطلاع على معاملتك"
            let client = services.clientAddress(request, context)
            if services.isBlocked(client, at: now) {
                return html("access", AccessPage(chrome: services.chrome(title, context), error: Texts.tooMany), status: .tooManyRequests)
            }
            guard let code = form["code"], let grant = try catalog.grant(code: code, at: now) else {
                services.recordAuthFailure(client, target: "/access", at: now)
                return html("access", AccessPage(chrome: services.chrome(title, context), error: Texts.badCode), status: .unauthorized)
            }
            services.audit.record(AuditEvent(actor: "citizen:grant-\(grant.id)", action: "access.open", target: "record:\(grant.recordId.hex)", at: now))
            return redirect("/access/record", cookie: try services.sessions.open(.grant(grant.id), at: now))
        }
        router.get("/access/record") { (_, context) -> Response in
            guard case .citizen(let grant)? = context.principal, let found = try catalog.record(grant.recordId) else {
                return redirect("/access")
            }
            let (record, pages) = found
            services.audit.record(AuditEvent(
                actor: "citizen:grant-\(grant.id)", action: "record.read", target: "record:\(record.id.hex)", at: services.now()))
            let page = try RecordPage(
                chrome: services.chrome(RecordPage.heading(record), context), record: record, pages: pages, showContent: true,
                text: { try pageText($0) }, expires: grant.expiresAt.replacingOccurrences(of: "T", with: " ")
                    .replacingOccurrences(of: "Z", with: " UTC"), read: try catalog.fields(of: record.id))
            var shown = page
            if let cookie = context.sessionCookie {
                shown.copyForm = CopyForm(csrf: FormToken.value(for: cookie), record: nil, pageCount: pages.count)
            }
            return html("citizen", shown)
        }
    }

    private func pageText(_ page: StoredPage) throws -> String {
        try String(decoding: services.archive.store.get(page.textId), as: UTF8.self)
    }

    private func searchPage(_ request: Request, _ context: SijillRequestContext, principal: Principal) throws -> Response {
        let fields = QueryFields(request)
        var page = SearchPage(chrome: services.chrome("البحث في الأرشيف", context), fields: fields)
        guard !page.q.isEmpty else { return html("search", page) }
        do {
            let view = try APIRoutes(services: services).search(fields, principal: principal)
            page.show(view)
        } catch let error as APIError {
            page.error = error.messageArabic
            return html("search", page, status: error.status)
        }
        return html("search", page)
    }


    private func html(_ template: String, _ model: Any, status: HTTPResponse.Status = .ok) -> Response {
        services.templates.response(template, model, status: status)
    }

    /// 303 to `location`; with `cookie`, sets (or, when empty, clears) the session cookie.
    private func redirect(_ location: String, cookie: String? = nil) -> Response {
        var headers: HTTPFields = [.location: location, .cacheControl: "no-store"]
        if let cookie {
            let secure = services.configuration.secureCookies ? "; Secure" : ""
            let age = cookie.isEmpty ? 0 : Int(services.sessions.lifetime)
            headers[.setCookie] = "\(WebSession.cookieName)=\(cookie); Path=/; HttpOnly; SameSite=Strict; Max-Age=\(age)\(secure)"
        }
        return Response(status: .seeOther, headers: headers)
    }

    /// An `application/x-www-form-urlencoded` body (at most 16 KiB): the same encoding as a query string.
    private func formFields(_ request: Request, _ context: SijillRequestContext) async throws -> QueryFields {
        QueryFields(raw: String(buffer: try await request.body.collect(upTo: 16 << 10)))
    }
}

/// Messages shown on the web pages.
enum Texts {
    static let badToken = "رمز الدخول غير صحيح أو ملغى."
    static let badCode = "رمز الاطلاع غير صحيح أو منتهي الصلاحية. تأكد من كتابته كما سُلّم إليك."
    static let tooMany = "محاولات فاشلة كثيرة من هذا الجهاز. انتظر ربع ساعة ثم حاول مجددًا."
    static let noRecord = "لا يوجد سجل بهذا المعرّف."
    static let staleForm = "انتهت صلاحية النموذج أو لم يُرسل من صفحة الأرشيف. أعد تحميل الصفحة وحاول مجددًا."
    static let noCopies = "صلاحيتك لا تشمل إصدار نسخ مصدّقة من محتوى المعاملات."
    static let badRange = "اختر صفحات صحيحة: رقم «من صفحة» واحد أو أكثر، و«إلى صفحة» لا يقل عنه."
    static let noCopyRequest = "لا يوجد طلب نسخة بهذا الرقم، أو أنه لم يُقدَّم من حسابك."
    static let verifyTitle = "التحقق من نسخة طبق الأصل"
    static let verifyTooLarge = "الملف أكبر من الحد المسموح. النسخ المصدّقة أصغر من ذلك بكثير: تأكد أنك اخترت الملف الصحيح."
    static let verifyNoFile = "لم يصل ملف. اختر ملف PDF النسخة ثم اضغط «تحقق»."
    static let auditorNoSearch = "صلاحية المدقق تشمل البيانات الوصفية والتقارير، لا البحث في نصوص الصفحات."
}
