import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SijillCatalog
import SijillCertify
import SijillCore
import SijillRetention

/// Pages for auditors and administrators, so that no task needs the CLI:
/// - auditors (and admins): `/reports` (retention per series and per record with states and due
///   dates, CSV/JSON downloads, disposition batches and their certificates, the latest fixity
///   check) and `/audit-log` (filter by day, actor, action, target; CSV export; the chain
///   verified on every view);
/// - administrators: `/admin/tokens`, `/admin/access` (codes with a printable slip),
///   `/admin/holds` and `/admin/disposition` (archivists too, as in the CLI; approval by an
///   admin other than the preparer), `/admin/keys`.
/// Every state-changing form carries the session's form token; every action is audited by the
/// same catalog calls the CLI makes, with the signed-in token as the actor.
struct StaffRoutes {
    let services: ServerServices
    var catalog: Catalog { services.catalog }

    func register(on router: Router<SijillRequestContext>) {
        router.get("/static/access-qr.svg") { _, _ -> Response in
            let url = accessURL
            return Response(
                status: .ok, headers: [.contentType: "image/svg+xml", .cacheControl: "public, max-age=3600"],
                body: .init(byteBuffer: ByteBuffer(string: QRCode(url)?.svg(label: url) ?? "")))
        }
        registerAuditor(on: router)
        registerRescan(on: router)
        registerTokens(on: router)
        registerAccess(on: router)
        registerHolds(on: router)
        registerDisposition(on: router)
        registerKeys(on: router)
    }

    var accessURL: String {
        let base = services.configuration.publicURL ?? "http://\(services.configuration.host):\(services.configuration.port)"
        return (base.hasSuffix("/") ? String(base.dropLast()) : base) + "/access"
    }

    // MARK: - Auditors

    private func registerAuditor(on router: Router<SijillRequestContext>) {
        router.get("/reports") { request, context -> Response in
            let (token, _) = try guardRole(context, [.auditor, .admin])
            let fields = QueryFields(request)
            var page = StaffPage(chrome: services.chrome("تقارير الحفظ والإتلاف", context))
            page.intro = "حالة كل معاملة في جدول الحفظ، وما استحق منها، ودفعات الإتلاف والنقل وشهاداتها، وآخر فحص لسلامة الملفات."
            var asOf = CivilDate(services.now())
            if let text = fields["as_of"], !text.isEmpty {
                guard let day = CivilDate(text), day.text == text else {
                    page.problem = "اكتب التاريخ بالشكل YYYY-MM-DD."
                    return services.templates.response("staff", page, status: .badRequest)
                }
                asOf = day
            }
            let series = fields["series"].flatMap { $0.isEmpty ? nil : $0 }
            var filter = StaffPage.Section(sectionID: "filter", sectionTitle: "التقرير في يوم")
            filter.forms = [StaffPage.Form(
                formMethod: "get", formAction: "/reports", formSubmit: "اعرض",
                fields: [
                    .init(fieldID: "as_of", fieldLabel: "في تاريخ", fieldName: "as_of", fieldType: "date", fieldValue: asOf.text, fieldLTR: true),
                    .init(fieldID: "series", fieldLabel: "السلسلة (اختياري)", fieldName: "series", fieldValue: series, fieldLTR: true),
                ])]
            page.sections.append(filter)
            guard let retention = services.retention else {
                page.problem = "الخادم يعمل دون جداول حفظ (Retention/)."
                return services.templates.response("staff", page)
            }
            let report = try retention.report(asOf: asOf, series: series)
            services.audit.record(AuditEvent(
                actor: "token:\(token.name)", action: "retention.report", detail: ["as_of": asOf.text, "series": series ?? "", "via": "web"],
                at: services.now()))
            let query = "as_of=\(asOf.text)" + (series.map { "&series=" + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "") } ?? "")
            let states = RetentionState.allCases
            var summary = StaffPage.Section(sectionID: "series", sectionTitle: "الخلاصة حسب السلسلة")
            summary.links = [
                .init(linkText: "تنزيل التقرير CSV (يفتح في Excel)", linkHref: "/v1/retention/report?format=csv&\(query)"),
                .init(linkText: "تنزيله JSON", linkHref: "/v1/retention/report?format=json&\(query)"),
            ]
            summary.table = StaffPage.Table(
                tableCaption: "عدد المعاملات في كل حالة، في \(asOf.text)", headers: ["السلسلة", "المعاملات"] + states.map(\.arabic),
                rows: report.summary.map { s in
                    StaffPage.Row(cells: [StaffPage.Cell(s.series, ltr: true), StaffPage.Cell(String(s.records), numeric: true)]
                        + states.map { StaffPage.Cell(String(s.states[$0.rawValue] ?? 0), numeric: true) })
                },
                tableEmpty: report.summary.isEmpty ? "لا معاملات." : nil)
            page.sections.append(summary)
            // Due first, then by due date: what needs a decision comes first.
            let order: [RetentionState: Int] = [.due: 0, .onHold: 1, .active: 2, .unscheduled: 3]
            let lines = report.lines.sorted {
                (order[$0.state] ?? 4, $0.dueDate ?? "9999", $0.record) < (order[$1.state] ?? 4, $1.dueDate ?? "9999", $1.record)
            }
            let shown = lines.prefix(300)
            var records = StaffPage.Section(
                sectionID: "records", sectionTitle: "المعاملات",
                sectionNote: lines.count > shown.count
                    ? "تُعرض أول \(shown.count) من \(lines.count) (المستحق أولًا)؛ التقرير كاملًا في ملف CSV." : nil)
            records.table = StaffPage.Table(
                tableCaption: "المعاملات وحالاتها وتواريخ استحقاقها",
                headers: ["المعاملة", "السلسلة", "الإجراء", "تاريخ الاستحقاق", "الحالة", "ملاحظة"],
                rows: shown.map { l in
                    StaffPage.Row(cells: [
                        StaffPage.Cell(RecordPage.heading(reference: l.reference, title: l.title, id: ContentID(hex: l.record)!),
                                       href: "/records/\(l.record)"),
                        StaffPage.Cell(l.series, ltr: true), StaffPage.Cell(l.action), StaffPage.Cell(l.dueDate, ltr: true, numeric: true),
                        StaffPage.Cell(l.state.arabic), StaffPage.Cell(Self.arabicNote(l.note, series: l.series)),
                    ])
                },
                tableEmpty: lines.isEmpty ? "لا معاملات." : nil)
            page.sections.append(records)
            page.sections.append(try batchesSection(context: context, token: token, csrf: nil))
            page.sections.append(try fixitySection())
            return services.templates.response("staff", page)
        }
        router.get("/reports/certificates/{batch}") { _, context -> Response in
            _ = try guardRole(context, [.auditor, .admin, .archivist])
            guard let id = Int64(try context.parameters.require("batch")), let (batch, _) = try catalog.batch(id),
                let certificate = batch.certificateId.flatMap(ContentID.init(hex:))
            else { return services.errorPage(context, "لا توجد شهادة لهذه الدفعة.", status: .notFound) }
            let bytes = try services.archive.store.get(certificate)
            return Response(
                status: .ok,
                headers: [
                    .contentType: "application/json; charset=utf-8", .cacheControl: "no-store",
                    .contentDisposition: "attachment; filename=\"disposition-\(id)-certificate.json\"",
                ],
                body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        router.get("/audit-log") { request, context -> Response in
            let (token, _) = try guardRole(context, [.auditor, .admin])
            let filter = AuditFilter(QueryFields(request))
            var page = StaffPage(chrome: services.chrome("سجل التدقيق", context))
            page.intro = "كل قراءة وبحث ودخول وتغيير في الأرشيف، بالترتيب، وكل قيد مربوط ببصمة ما قبله: أي تعديل أو حذف يكسر السلسلة."
            if let problem = filter.problem {
                page.problem = problem
                return services.templates.response("staff", page, status: .badRequest)
            }
            let verification = try catalog.verifyAudit()
            if let broken = verification.firstBroken {
                page.problem = "سلسلة السجل مكسورة عند القيد \(broken): \(verification.problem ?? "")"
            } else {
                page.notice = "السلسلة سليمة: \(verification.entries) قيدًا، آخرها \(verification.headSeq) (بصمته \(verification.headHash.prefix(16))…)."
            }
            let entries = try filter.apply(catalog)
            services.audit.record(AuditEvent(actor: "token:\(token.name)", action: "audit.read", detail: filter.detail, at: services.now()))
            var form = StaffPage.Section(sectionID: "filter", sectionTitle: "بحث في السجل")
            form.forms = [StaffPage.Form(
                formMethod: "get", formAction: "/audit-log", formSubmit: "اعرض",
                fields: [
                    .init(fieldID: "from", fieldLabel: "من يوم", fieldName: "from", fieldType: "date", fieldValue: filter.from, fieldLTR: true),
                    .init(fieldID: "to", fieldLabel: "إلى يوم", fieldName: "to", fieldType: "date", fieldValue: filter.to, fieldLTR: true),
                    .init(fieldID: "actor", fieldLabel: "الفاعل", fieldName: "actor", fieldValue: filter.actor,
                          fieldHelp: "مثل token:clerk-1 أو citizen:grant-4 أو جزء منه", fieldLTR: true),
                    .init(fieldID: "action", fieldLabel: "الفعل", fieldName: "action", fieldValue: filter.action,
                          fieldHelp: "مثل record.read أو hold.place أو copy.issue", fieldLTR: true),
                    .init(fieldID: "target", fieldLabel: "الهدف", fieldName: "target", fieldValue: filter.target, fieldLTR: true),
                ])]
            form.links = [.init(linkText: "تصدير النتائج كلها CSV", linkHref: "/audit-log.csv?" + filter.query)]
            page.sections.append(form)
            let newest = entries.reversed().prefix(200)
            var table = StaffPage.Section(
                sectionID: "entries", sectionTitle: "القيود",
                sectionNote: entries.count > newest.count ? "تُعرض أحدث \(newest.count) من \(entries.count)؛ الباقي في ملف CSV." : nil)
            table.table = StaffPage.Table(
                tableCaption: "قيود السجل، الأحدث أولًا", headers: ["الرقم", "الوقت", "الفاعل", "الفعل", "الهدف", "التفاصيل"],
                rows: newest.map { e in
                    StaffPage.Row(cells: [
                        StaffPage.Cell(String(e.seq), numeric: true), StaffPage.Cell(CopyRequestPage.time(e.at), ltr: true, numeric: true),
                        StaffPage.Cell(e.actor, ltr: true), StaffPage.Cell(e.action, ltr: true), StaffPage.Cell(e.target, ltr: true),
                        StaffPage.Cell(e.detail == "{}" ? nil : e.detail, ltr: true),
                    ])
                },
                tableEmpty: entries.isEmpty ? "لا قيود بهذه الشروط." : nil)
            page.sections.append(table)
            return services.templates.response("staff", page)
        }
        router.get("/audit-log.csv") { request, context -> Response in
            let (token, _) = try guardRole(context, [.auditor, .admin])
            let filter = AuditFilter(QueryFields(request))
            guard filter.problem == nil else { return services.errorPage(context, filter.problem!, status: .badRequest) }
            let entries = try filter.apply(catalog)
            services.audit.record(AuditEvent(
                actor: "token:\(token.name)", action: "audit.export", detail: filter.detail.merging(["entries": String(entries.count)]) { a, _ in a },
                at: services.now()))
            var out = "\u{FEFF}"
            func row(_ cells: [String?]) { out += cells.map { CSVCell.escape($0 ?? "") }.joined(separator: ",") + "\r\n" }
            row(["الرقم / seq", "الوقت / at", "الفاعل / actor", "الفعل / action", "الهدف / target", "التفاصيل / detail",
                 "البصمة السابقة / prev_hash", "البصمة / hash"])
            for e in entries { row([String(e.seq), e.at, e.actor, e.action, e.target, e.detail, e.prevHash, e.hash]) }
            return Response(
                status: .ok,
                headers: [
                    .contentType: "text/csv; charset=utf-8", .cacheControl: "no-store",
                    .contentDisposition: "attachment; filename=\"audit-log.csv\"",
                ],
                body: .init(byteBuffer: ByteBuffer(string: out)))
        }
    }

    private func fixitySection() throws -> StaffPage.Section {
        var section = StaffPage.Section(sectionID: "fixity", sectionTitle: "آخر فحص لسلامة الملفات (sijill fsck)")
        let last = try catalog.lastAuditEntry(action: "fsck")
        if let last {
            let detail = (try? JSONDecoder().decode([String: String].self, from: Data(last.detail.utf8))) ?? [:]
            section.sectionNote = "في \(CopyRequestPage.time(last.at)) بيد \(last.actor)."
            section.table = StaffPage.Table(
                tableCaption: "نتيجة آخر فحص", headers: ["البند", "القيمة"],
                rows: detail.sorted { $0.key < $1.key }.map { StaffPage.Row(cells: [StaffPage.Cell($0.key, ltr: true), StaffPage.Cell($0.value, ltr: true)]) })
        } else {
            section.sectionNote = "لم يُجرَ فحص بعد. شغّل sijill fsck (يوميًا بعينة، وأسبوعيًا كاملًا)."
        }
        return section
    }

    private func batchesSection(context: SijillRequestContext, token: APIToken, csrf: String?) throws -> StaffPage.Section {
        var section = StaffPage.Section(sectionID: "batches", sectionTitle: "دفعات الإتلاف والنقل")
        let batches = try catalog.batches()
        section.table = StaffPage.Table(
            tableCaption: "الدفعات، الأحدث أولًا", headers: ["الدفعة", "الإجراء", "في تاريخ", "المعاملات", "أعدّها", "وافق عليها", "نُفّذت", "الشهادة"],
            rows: try batches.sorted { $0.id > $1.id }.map { b in
                let count = try catalog.batch(b.id)?.records.count ?? 0
                var approve: StaffPage.Cell = StaffPage.Cell(b.approvedBy.map { "\($0) (\(CopyRequestPage.time(b.approvedAt ?? "")))" }, ltr: true)
                var execute = StaffPage.Cell(b.executedBy.map { "\($0) (\(CopyRequestPage.time(b.executedAt ?? "")))" }, ltr: true)
                if let csrf {
                    if b.approvedBy == nil, token.role == .admin {
                        approve = StaffPage.Cell(nil, action: .init(
                            actionURL: "/admin/disposition/approve", csrfValue: csrf, buttonText: "وافق",
                            extra: [.init(extraName: "batch", extraValue: String(b.id))]))
                    } else if b.approvedBy != nil, b.executedAt == nil {
                        execute = StaffPage.Cell(nil, action: .init(
                            actionURL: "/admin/disposition/execute", csrfValue: csrf, buttonText: "نفّذ",
                            extra: [.init(extraName: "batch", extraValue: String(b.id))]))
                    }
                }
                return StaffPage.Row(cells: [
                    StaffPage.Cell(String(b.id)), StaffPage.Cell(b.action == "destroy" ? "إتلاف" : b.action == "transfer" ? "نقل" : b.action),
                    StaffPage.Cell(b.asOf, ltr: true, numeric: true), StaffPage.Cell(String(count), numeric: true), StaffPage.Cell(b.preparedBy, ltr: true), approve, execute,
                    b.certificateId == nil ? StaffPage.Cell(nil)
                        : StaffPage.Cell("تنزيل الشهادة", href: "/reports/certificates/\(b.id)"),
                ])
            },
            tableEmpty: batches.isEmpty ? "لا دفعات بعد." : nil)
        return section
    }

    // MARK: - Re-scans

    private func registerRescan(on router: Router<SijillRequestContext>) {
        router.get("/rescan") { request, context -> Response in
            _ = try guardRole(context, [.archivist, .admin, .clerk])
            let box = QueryFields(request)["box"].flatMap { $0.isEmpty ? nil : String($0.prefix(200)) }
            let items = try catalog.rescanList(box: box)
            var page = RescanPage(
                chrome: services.chrome("صفحات تحتاج إعادة مسح", context), box: box,
                boxQuery: box?.addingPercentEncoding(withAllowedCharacters: .alphanumerics),
                summary: items.isEmpty ? "لا صفحات تحتاج إعادة مسح\(box == nil ? "" : " في هذا الصندوق")."
                    : "\(items.count) صفحة\(items.count > 50 ? "؛ تُعرض أول 50، والقائمة كاملة في الملف" : "").")
            var texts: [ContentID: [Int: StoredPage]] = [:]
            for (index, item) in items.prefix(50).enumerated() {
                if texts[item.record] == nil {
                    texts[item.record] = Dictionary(uniqueKeysWithValues: (try catalog.record(item.record)?.pages ?? []).map { ($0.pageNo, $0) })
                }
                let stored = texts[item.record]?[item.page]
                let text = try stored.map { String(decoding: try services.archive.store.get($0.textId), as: UTF8.self) } ?? ""
                page.items.append(.init(
                    itemIndex: index + 1, recordID: item.record.hex,
                    heading: RecordPage.heading(reference: item.reference, title: item.title, id: item.record), pageNumber: item.page,
                    boxName: item.box, sourceFile: item.source, confidenceText: String(format: "%.0f", item.confidence),
                    weakWords: item.lowConfidenceWords, wordCount: item.words, manifestRow: Self.manifestRow(item, index: index + 1),
                    imageURL: "/v1/objects/\(item.pageId.hex)", pageText: text))
            }
            return services.templates.response("rescan", page)
        }
        router.get("/rescan.csv") { request, context -> Response in
            _ = try guardRole(context, [.archivist, .admin, .clerk])
            let box = QueryFields(request)["box"].flatMap { $0.isEmpty ? nil : $0 }
            let items = try catalog.rescanList(box: box)
            // A manifest the scanning bureau fills in: the first three columns are what ingest reads
            // (file, record, page); the rest says which sheet to pull from which box.
            var out = "\u{FEFF}"
            func row(_ cells: [String]) { out += cells.map(CSVCell.escape).joined(separator: ",") + "\r\n" }
            row(["file", "record", "page", "box", "source", "confidence", "title"])
            for (index, item) in items.enumerated() {
                row([Self.rescanFile(index + 1), String(item.record.hex.prefix(16)), String(item.page), item.box, item.source,
                     String(format: "%.0f", item.confidence), item.reference ?? item.title ?? ""])
            }
            return Response(
                status: .ok,
                headers: [
                    .contentType: "text/csv; charset=utf-8", .cacheControl: "no-store",
                    .contentDisposition: "attachment; filename=\"manifest-rescan.csv\"",
                ],
                body: .init(byteBuffer: ByteBuffer(string: out)))
        }
    }

    static func rescanFile(_ n: Int) -> String { String(format: "rescan-%04d.png", n) }

    static func manifestRow(_ item: Catalog.RescanItem, index: Int) -> String {
        "\(rescanFile(index)),\(item.record.hex.prefix(16)),\(item.page)"
    }

    // MARK: - Tokens

    private func registerTokens(on router: Router<SijillRequestContext>) {
        router.get("/admin/tokens") { request, context -> Response in
            let (token, csrf) = try guardRole(context, [.admin])
            var page = try tokensPage(context, csrf: csrf, token: token)
            page.notice = notice(QueryFields(request)["done"])
            return services.templates.response("staff", page)
        }
        router.post("/admin/tokens") { request, context -> Response in
            let (token, csrf) = try guardRole(context, [.admin])
            let form = try await formFields(request, csrf: csrf)
            var page = try tokensPage(context, csrf: csrf, token: token)
            guard let role = Role(rawValue: form["role"] ?? "") else {
                page.problem = "اختر دورًا للرمز."
                return services.templates.response("staff", page, status: .badRequest)
            }
            do {
                let made = try catalog.createToken(name: form["name"] ?? "", role: role, actor: "token:\(token.name)", at: services.now())
                page = try tokensPage(context, csrf: csrf, token: token)
                page.secret = .init(
                    secretTitle: "الرمز الجديد «\(made.token.name)» (\(PageChrome.roleName(role)))", secretValue: made.secret,
                    secretHelp: "انسخه الآن وسلّمه لصاحبه بطريقة آمنة: لا يُعرض مرة أخرى، والأرشيف لا يحفظ إلا بصمته.")
                return services.templates.response("staff", page)
            } catch let error as SijillInputError {
                page.problem = Self.arabic(error)
                return services.templates.response("staff", page, status: .badRequest)
            }
        }
        router.post("/admin/tokens/revoke") { request, context -> Response in
            let (token, csrf) = try guardRole(context, [.admin])
            let form = try await formFields(request, csrf: csrf)
            guard let id = form["id"], Int64(id) != nil else { return services.errorPage(context, "رمز غير معروف.", status: .badRequest) }
            guard try catalog.revokeToken(id, actor: "token:\(token.name)", at: services.now()) else {
                return services.errorPage(context, "الرمز غير موجود أو أُلغي من قبل.", status: .notFound)
            }
            if let revoked = try catalog.token(id: Int64(id)!) { _ = try? services.sessions.closeAll(of: .token(revoked.id)) }
            return seeOther("/admin/tokens?done=token-revoked")
        }
    }

    private func tokensPage(_ context: SijillRequestContext, csrf: String, token: APIToken) throws -> StaffPage {
        var page = StaffPage(chrome: services.chrome("رموز الدخول", context))
        page.intro = "رمز لكل شخص أو نظام: أمين أرشيف، موظف، مدقق، مدير. يُعرض الرمز مرة واحدة عند إنشائه."
        var create = StaffPage.Section(sectionID: "create", sectionTitle: "رمز جديد")
        create.forms = [StaffPage.Form(
            formAction: "/admin/tokens", formCSRF: csrf, formSubmit: "أنشئ الرمز",
            fields: [
                .init(fieldID: "name", fieldLabel: "الاسم", fieldName: "name", fieldRequired: true, fieldHelp: "اسم صاحبه، يظهر في سجل التدقيق"),
                .init(fieldID: "role", fieldLabel: "الدور", fieldName: "role", fieldOptions: .init(choices: Role.allCases.map {
                    .init(optionValue: $0.rawValue, optionLabel: PageChrome.roleName($0), optionSelected: $0 == .clerk)
                })),
            ])]
        var list = StaffPage.Section(sectionID: "list", sectionTitle: "الرموز")
        let tokens = try catalog.tokens()
        list.table = StaffPage.Table(
            tableCaption: "الرموز وحالاتها", headers: ["الرقم", "الاسم", "الدور", "أُنشئ", "الحالة"],
            rows: tokens.map { t in
                StaffPage.Row(cells: [
                    StaffPage.Cell(String(t.id)), StaffPage.Cell(t.name, ltr: true), StaffPage.Cell(PageChrome.roleName(t.role)),
                    StaffPage.Cell(CopyRequestPage.time(t.createdAt), ltr: true, numeric: true),
                    t.revokedAt != nil ? StaffPage.Cell("أُلغي \(CopyRequestPage.time(t.revokedAt!))")
                        : t.id == token.id ? StaffPage.Cell("ساري (رمزك)")
                        : StaffPage.Cell(nil, action: .init(
                            actionURL: "/admin/tokens/revoke", csrfValue: csrf, buttonText: "ألغِ الرمز",
                            extra: [.init(extraName: "id", extraValue: String(t.id))])),
                ])
            })
        page.sections = [create, list]
        return page
    }

    // MARK: - Access codes

    private func registerAccess(on router: Router<SijillRequestContext>) {
        router.get("/admin/access") { request, context -> Response in
            let (_, csrf) = try guardRole(context, [.admin, .clerk])
            var page = try accessPage(context, csrf: csrf, record: QueryFields(request)["record"])
            page.notice = notice(QueryFields(request)["done"])
            return services.templates.response("staff", page)
        }
        router.post("/admin/access") { request, context -> Response in
            let (token, csrf) = try guardRole(context, [.admin, .clerk])
            let form = try await formFields(request, csrf: csrf)
            var page = try accessPage(context, csrf: csrf, record: form["record"])
            guard let days = Int(form["days"] ?? ""), (1...365).contains(days) else {
                page.problem = "مدة الصلاحية من يوم إلى 365 يومًا."
                return services.templates.response("staff", page, status: .badRequest)
            }
            let principal = Principal.staff(token)
            guard let record = try? APIRoutes(services: services).resolveRecord(form["record"] ?? "", for: principal),
                let stored = try catalog.record(record)?.record
            else {
                page.problem = "لا توجد معاملة بهذا المعرّف (اكتب المعرّف كاملًا أو أول 12 حرفًا منه)."
                return services.templates.response("staff", page, status: .badRequest)
            }
            let now = services.now()
            let expires = now.addingTimeInterval(Double(days) * 86_400)
            let note = (form["note"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            let issued = try catalog.grantAccess(
                to: record, expires: expires, by: "token:\(token.name)", note: note.isEmpty ? nil : String(note.prefix(200)), at: now)
            page = try accessPage(context, csrf: csrf, record: record.hex)
            page.secret = .init(
                secretTitle: "رمز اطلاع جديد", secretValue: issued.code,
                secretHelp: "سلّم الإيصال المطبوع لصاحب المعاملة. لا يُعرض الرمز مرة أخرى.",
                slip: .init(
                    slipArchive: services.configuration.archiveName, slipRecord: "المعاملة: " + RecordPage.heading(stored),
                    slipExpires: CopyRequestPage.time(Timestamp.string(expires)), slipURL: accessURL))
            return services.templates.response("staff", page)
        }
        router.post("/admin/access/revoke") { request, context -> Response in
            let (token, csrf) = try guardRole(context, [.admin, .clerk])
            let form = try await formFields(request, csrf: csrf)
            guard let id = Int64(form["id"] ?? ""), try catalog.revokeGrant(id, by: "token:\(token.name)", at: services.now()) else {
                return services.errorPage(context, "الرمز غير موجود أو أُلغي من قبل.", status: .notFound)
            }
            _ = try? services.sessions.closeAll(of: .grant(id))
            return seeOther("/admin/access?done=code-revoked")
        }
    }

    private func accessPage(_ context: SijillRequestContext, csrf: String, record: String?) throws -> StaffPage {
        var page = StaffPage(chrome: services.chrome("رموز الاطلاع للمواطنين", context))
        page.intro = "رمز الاطلاع يفتح لصاحب المعاملة معاملته وحدها، ويطلب بها نسخة مصدّقة، حتى تاريخ انتهائه."
        var grant = StaffPage.Section(sectionID: "grant", sectionTitle: "رمز جديد")
        grant.forms = [StaffPage.Form(
            formAction: "/admin/access", formCSRF: csrf, formSubmit: "أنشئ الرمز واطبع الإيصال",
            fields: [
                .init(fieldID: "record", fieldLabel: "معرّف المعاملة", fieldName: "record", fieldValue: record, fieldRequired: true,
                      fieldHelp: "من صفحة المعاملة (المعرّف، أو أول 12 حرفًا منه)", fieldLTR: true),
                .init(fieldID: "days", fieldLabel: "صالح لمدة (أيام)", fieldName: "days", fieldType: "number", fieldValue: "30", fieldRequired: true),
                .init(fieldID: "note", fieldLabel: "ملاحظة (اختياري)", fieldName: "note", fieldHelp: "مثل رقم الطلب أو اسم المراجع"),
            ])]
        var list = StaffPage.Section(sectionID: "codes", sectionTitle: "الرموز السارية والمنتهية")
        let now = Timestamp.string(services.now())
        let grants = try catalog.grants().sorted { $0.id > $1.id }.prefix(200)
        list.table = StaffPage.Table(
            tableCaption: "رموز الاطلاع، الأحدث أولًا", headers: ["الرقم", "المعاملة", "أنشأه", "ينتهي", "ملاحظة", "الحالة"],
            rows: grants.map { g in
                StaffPage.Row(cells: [
                    StaffPage.Cell(String(g.id)), StaffPage.Cell(g.recordId.short, href: "/records/\(g.recordId.hex)", ltr: true),
                    StaffPage.Cell(g.createdBy, ltr: true), StaffPage.Cell(CopyRequestPage.time(g.expiresAt), ltr: true, numeric: true), StaffPage.Cell(g.note),
                    g.revokedAt != nil ? StaffPage.Cell("أُلغي")
                        : g.expiresAt < now ? StaffPage.Cell("انتهى")
                        : StaffPage.Cell(nil, action: .init(
                            actionURL: "/admin/access/revoke", csrfValue: csrf, buttonText: "ألغِ الرمز",
                            extra: [.init(extraName: "id", extraValue: String(g.id))])),
                ])
            },
            tableEmpty: grants.isEmpty ? "لم يُنشأ رمز بعد." : nil)
        page.sections = [grant, list]
        return page
    }

    // MARK: - Holds

    private func registerHolds(on router: Router<SijillRequestContext>) {
        router.get("/admin/holds") { request, context -> Response in
            let (token, csrf) = try guardRole(context, [.admin, .archivist])
            var page = try holdsPage(context, csrf: csrf, token: token)
            page.notice = notice(QueryFields(request)["done"])
            return services.templates.response("staff", page)
        }
        router.post("/admin/holds") { request, context -> Response in
            let (token, csrf) = try guardRole(context, [.admin, .archivist])
            let form = try await formFields(request, csrf: csrf)
            var page = try holdsPage(context, csrf: csrf, token: token)
            let scope = form["scope"] ?? "", value = (form["value"] ?? "").trimmingCharacters(in: .whitespaces)
            do {
                let records: [ContentID]
                switch scope {
                case "record": records = [try catalog.resolveRecord(IDPrefix(value.lowercased()))]
                case "series": records = try catalog.records(series: value)
                default: throw SijillInputError.badOption("scope", reason: "choose record or series")
                }
                let hold = try catalog.placeHold(
                    reason: form["reason"] ?? "", scope: scope, value: scope == "record" ? records[0].hex : value, records: records,
                    actor: "token:\(token.name)", at: services.now())
                try services.retention?.apply(actor: "token:\(token.name)", at: services.now())
                _ = hold
                return seeOther("/admin/holds?done=hold-placed")
            } catch let error as SijillInputError {
                page.problem = Self.arabic(error)
                return services.templates.response("staff", page, status: error.isNotFound ? .notFound : .badRequest)
            }
        }
        router.post("/admin/holds/release") { request, context -> Response in
            let (token, csrf) = try guardRole(context, [.admin, .archivist])
            let form = try await formFields(request, csrf: csrf)
            var page = try holdsPage(context, csrf: csrf, token: token)
            do {
                guard let id = Int64(form["id"] ?? "") else { throw SijillInputError.notFound(form["id"] ?? "", kind: "hold") }
                let reason = (form["reason"] ?? "").trimmingCharacters(in: .whitespaces)
                guard !reason.isEmpty else { throw SijillInputError.badOption("--reason", reason: "a release needs a reason") }
                _ = try catalog.releaseHold(id, reason: reason, actor: "token:\(token.name)", at: services.now())
                try services.retention?.apply(actor: "token:\(token.name)", at: services.now())
                return seeOther("/admin/holds?done=hold-released")
            } catch let error as SijillInputError {
                page.problem = Self.arabic(error)
                return services.templates.response("staff", page, status: error.isNotFound ? .notFound : .conflict)
            }
        }
    }

    private func holdsPage(_ context: SijillRequestContext, csrf: String, token: APIToken) throws -> StaffPage {
        var page = StaffPage(chrome: services.chrome("الحجوزات القانونية", context))
        page.intro = "المعاملة المحجوزة لا تُتلف ولا تُنقل مهما استحقت. يرفع الحجز شخص غير الذي وضعه."
        var place = StaffPage.Section(sectionID: "place", sectionTitle: "حجز جديد")
        place.forms = [StaffPage.Form(
            formAction: "/admin/holds", formCSRF: csrf, formSubmit: "ضع الحجز",
            fields: [
                .init(fieldID: "scope", fieldLabel: "على", fieldName: "scope", fieldOptions: .init(choices: [
                    .init(optionValue: "record", optionLabel: "معاملة واحدة", optionSelected: true),
                    .init(optionValue: "series", optionLabel: "سلسلة كاملة (ومعاملاتها اللاحقة)"),
                ])),
                .init(fieldID: "value", fieldLabel: "معرّف المعاملة أو رمز السلسلة", fieldName: "value", fieldRequired: true, fieldLTR: true),
                .init(fieldID: "reason", fieldLabel: "السبب", fieldName: "reason", fieldRequired: true, fieldHelp: "مثل رقم الدعوى أو كتاب الجهة القضائية"),
            ])]
        var list = StaffPage.Section(sectionID: "holds", sectionTitle: "الحجوزات")
        let holds = try catalog.holds(all: true)
        let actor = "token:\(token.name)"
        list.table = StaffPage.Table(
            tableCaption: "الحجوزات، الأحدث أولًا", headers: ["الرقم", "على", "السبب", "وضعه", "الحالة"],
            rows: holds.map { h in
                StaffPage.Row(cells: [
                    StaffPage.Cell(String(h.id)), StaffPage.Cell("\(h.scope == "series" ? "سلسلة" : h.scope == "record" ? "معاملة" : h.scope) \(h.value)", ltr: false),
                    StaffPage.Cell(h.reason), StaffPage.Cell("\(h.placedBy) (\(CopyRequestPage.time(h.placedAt)))", ltr: true),
                    h.releasedAt != nil ? StaffPage.Cell("رُفع بيد \(h.releasedBy ?? "") (\(h.releaseReason ?? ""))")
                        : h.placedBy == actor ? StaffPage.Cell("ساري — يرفعه شخص آخر")
                        : StaffPage.Cell(nil, action: .init(
                            actionURL: "/admin/holds/release", csrfValue: csrf, buttonText: "ارفع الحجز",
                            extra: [.init(extraName: "id", extraValue: String(h.id))], reasonLabel: "سبب الرفع", reasonID: "release-\(h.id)")),
                ])
            },
            tableEmpty: holds.isEmpty ? "لا حجوزات." : nil)
        page.sections = [place, list]
        return page
    }

    // MARK: - Disposition

    private func registerDisposition(on router: Router<SijillRequestContext>) {
        router.get("/admin/disposition") { request, context -> Response in
            let (token, csrf) = try guardRole(context, [.admin, .archivist])
            var page = try dispositionPage(context, csrf: csrf, token: token)
            page.notice = notice(QueryFields(request)["done"])
            return services.templates.response("staff", page)
        }
        router.post("/admin/disposition/{step}") { request, context -> Response in
            let (token, csrf) = try guardRole(context, [.admin, .archivist])
            let form = try await formFields(request, csrf: csrf)
            var page = try dispositionPage(context, csrf: csrf, token: token)
            guard let retention = services.retention else {
                page.problem = "الخادم يعمل دون جداول حفظ."
                return services.templates.response("staff", page, status: .serviceUnavailable)
            }
            let service = DispositionService(retention: retention, store: services.archive.store)
            let actor = "token:\(token.name)", now = services.now()
            do {
                switch try context.parameters.require("step") {
                case "prepare":
                    let made = try service.prepare(asOf: CivilDate(now), actor: actor, at: now)
                    return seeOther("/admin/disposition?done=" + (made.isEmpty ? "nothing-due" : "prepared"))
                case "approve":
                    guard token.role == .admin else { throw SijillInputError.badOption("role", reason: "only an admin approves a batch") }
                    _ = try catalog.approveBatch(Int64(form["batch"] ?? "") ?? -1, actor: actor, at: now)
                    return seeOther("/admin/disposition?done=approved")
                case "execute":
                    let dir = services.archive.url.appendingPathComponent("transfers")
                    _ = try service.execute(Int64(form["batch"] ?? "") ?? -1, actor: actor, at: now, bags: dir)
                    try retention.apply(actor: actor, at: services.now())
                    return seeOther("/admin/disposition?done=executed")
                default:
                    return services.errorPage(context, "خطوة غير معروفة.", status: .notFound)
                }
            } catch let error as SijillInputError {
                page.problem = Self.arabic(error)
                return services.templates.response("staff", page, status: error.isNotFound ? .notFound : .conflict)
            }
        }
    }

    private func dispositionPage(_ context: SijillRequestContext, csrf: String, token: APIToken) throws -> StaffPage {
        var page = StaffPage(chrome: services.chrome("الإتلاف والنقل", context))
        page.intro = "تُجمع المعاملات المستحقة في دفعات، يوافق عليها مدير غير الذي أعدّها، ثم تُنفَّذ. عند التنفيذ يُعاد فحص كل معاملة: ما حُجز أو لم يعد مستحقًا يُستثنى."
        var prepare = StaffPage.Section(sectionID: "prepare", sectionTitle: "إعداد دفعات بما استحق اليوم")
        prepare.forms = [StaffPage.Form(formAction: "/admin/disposition/prepare", formCSRF: csrf, formSubmit: "أعدّ الدفعات")]
        page.sections = [prepare, try batchesSection(context: context, token: token, csrf: csrf)]
        return page
    }

    // MARK: - Signing keys

    private func registerKeys(on router: Router<SijillRequestContext>) {
        router.get("/admin/keys") { request, context -> Response in
            let (_, csrf) = try guardRole(context, [.admin])
            var page = try keysPage(context, csrf: csrf)
            page.notice = notice(QueryFields(request)["done"])
            return services.templates.response("staff", page)
        }
        router.post("/admin/keys/revoke") { request, context -> Response in
            let (token, csrf) = try guardRole(context, [.admin])
            let form = try await formFields(request, csrf: csrf)
            var page = try keysPage(context, csrf: csrf)
            do {
                let reason = (form["reason"] ?? "").trimmingCharacters(in: .whitespaces)
                guard !reason.isEmpty else { throw SijillInputError.badOption("--reason", reason: "a revocation needs a reason") }
                let entry = try services.copies.keys.revoke(form["id"] ?? "", reason: reason, at: services.now())
                try catalog.audit([AuditEvent(
                    actor: "token:\(token.name)", action: "keys.revoke", target: "key:\(entry.id)", detail: ["reason": reason], at: services.now())])
                return seeOther("/admin/keys?done=key-revoked")
            } catch let error as SijillInputError {
                page.problem = Self.arabic(error)
                return services.templates.response("staff", page, status: error.isNotFound ? .notFound : .badRequest)
            }
        }
    }

    private func keysPage(_ context: SijillRequestContext, csrf: String) throws -> StaffPage {
        var page = StaffPage(chrome: services.chrome("مفاتيح التوقيع", context))
        page.intro = "المفتاح الساري يوقّع النسخ المصدّقة. إلغاء مفتاح يجعل كل نسخة وُقّعت به «توقيع ملغى» عند التحقق. إنشاء مفتاح جديد أو استيراده من سطر الأوامر: sijill keys init | import."
        var list = StaffPage.Section(sectionID: "keys", sectionTitle: "المفاتيح")
        let entries = try services.copies.keys.entries()
        list.table = StaffPage.Table(
            tableCaption: "مفاتيح التوقيع", headers: ["المعرّف", "الجهة", "أُنشئ", "ينتهي", "الحالة"],
            rows: entries.map { e in
                StaffPage.Row(cells: [
                    StaffPage.Cell(String(e.id.prefix(16)) + "…", ltr: true), StaffPage.Cell(e.subject, ltr: true),
                    StaffPage.Cell(CopyRequestPage.time(e.createdAt), ltr: true, numeric: true), StaffPage.Cell(CopyRequestPage.time(e.notAfter), ltr: true, numeric: true),
                    e.revokedAt != nil ? StaffPage.Cell("أُلغي (\(e.revocationReason ?? ""))")
                        : StaffPage.Cell(e.active ? "ساري يوقّع" : "قديم (يتحقق به)", action: .init(
                            actionURL: "/admin/keys/revoke", csrfValue: csrf, buttonText: "ألغِ المفتاح",
                            extra: [.init(extraName: "id", extraValue: e.id)], reasonLabel: "سبب الإلغاء", reasonID: "revoke-\(e.id.prefix(12))")),
                ])
            },
            tableEmpty: entries.isEmpty ? "لا مفاتيح بعد: sijill keys init" : nil)
        page.sections = [list]
        return page
    }

    // MARK: - Helpers

    /// The signed-in staff member with one of `roles`, and their form token; otherwise the
    /// response to send (sign in, or 403).
    private func guardRole(_ context: SijillRequestContext, _ roles: Set<Role>) throws -> (APIToken, String) {
        guard case .staff(let token)? = context.principal else { throw StaffDenied.signIn }
        guard roles.contains(token.role) else { throw StaffDenied.role }
        // Pages with forms need a session (a bearer token alone has no form token).
        guard let cookie = context.sessionCookie else { throw StaffDenied.signIn }
        return (token, FormToken.value(for: cookie))
    }

    /// A posted form whose token matches the session's; otherwise 403 (nothing changes).
    private func formFields(_ request: Request, csrf: String) async throws -> QueryFields {
        let form = QueryFields(raw: String(buffer: try await request.body.collect(upTo: 16 << 10)))
        guard let sent = form["csrf"], sent.utf8.elementsEqual(csrf.utf8) else { throw StaffDenied.staleForm }
        return form
    }

    private func notice(_ done: String?) -> String? {
        switch done {
        case "token-revoked": "أُلغي الرمز، وأُنهيت جلساته."
        case "code-revoked": "أُلغي رمز الاطلاع، وأُنهيت جلساته."
        case "hold-placed": "وُضع الحجز، وأُعيد حساب حالات الحفظ."
        case "hold-released": "رُفع الحجز."
        case "prepared": "أُعدّت الدفعات؛ يوافق عليها مدير غير الذي أعدّها."
        case "nothing-due": "لا معاملات مستحقة للإتلاف أو النقل اليوم خارج الدفعات القائمة."
        case "approved": "وُوفق على الدفعة."
        case "executed": "نُفّذت الدفعة؛ الشهادة في الجدول."
        case "key-revoked": "أُلغي المفتاح."
        default: nil
        }
    }

    /// The retention report's notes (English in the CSV beside their Arabic columns) in Arabic.
    static func arabicNote(_ note: String?, series: String?) -> String? {
        guard let note else { return nil }
        switch note {
        case "no series in the manifest": return "لا سلسلة في البيان"
        case "no date in the manifest": return "لا تاريخ في البيان"
        case "no trigger date": return "لا تاريخ لبدء الاحتساب"
        case "waiting for its cut-off (sijill retention close)": return "بانتظار إقفال الملف (sijill retention close)"
        case _ where note.hasPrefix("no date in the manifest: trigger date read from the pages"):
            return "لا تاريخ في البيان: بدء الاحتساب من تاريخ المعاملة المقروء من الصفحات"
        case _ where note.hasSuffix("has no retention schedule"): return "لا جدول حفظ للسلسلة \(series ?? "")"
        default: return note
        }
    }

    /// An input error as a clerk should read it: the Arabic gist, the technical reason after it.
    static func arabic(_ error: SijillInputError) -> String {
        let text = error.description
        if error.isNotFound { return "غير موجود: \(text)" }
        if text.contains("another person must release") { return "وضعتَ هذا الحجز بنفسك؛ يرفعه شخص آخر (مبدأ العينين الأربع)." }
        if text.contains("preparer") || text.contains("other than") { return "يوافق على الدفعة مدير غير الذي أعدّها. (\(text))" }
        if text.contains("already exists") { return "يوجد رمز بهذا الاسم؛ اختر اسمًا آخر." }
        if text.contains("reason") { return "اكتب السبب. (\(text))" }
        return "تعذّر التنفيذ: \(text)"
    }
}

/// Why a staff page was not shown; turned into a page by ``StaffDeniedMiddleware``.
enum StaffDenied: Error {
    case signIn, role, staleForm
}

/// Filters of the audit-log page and its CSV export.
struct AuditFilter {
    var from: String?
    var to: String?
    var actor: String?
    var action: String?
    var target: String?
    var problem: String?

    init(_ fields: QueryFields) {
        func value(_ key: String) -> String? {
            let v = (fields[key] ?? "").trimmingCharacters(in: .whitespaces)
            return v.isEmpty ? nil : String(v.prefix(200))
        }
        from = value("from")
        to = value("to")
        actor = value("actor")
        action = value("action")
        target = value("target")
        for day in [from, to].compactMap({ $0 }) where CivilDate(day)?.text != day {
            problem = "اكتب الأيام بالشكل YYYY-MM-DD."
        }
    }

    var detail: [String: String] {
        ["from": from ?? "", "to": to ?? "", "actor": actor ?? "", "action": action ?? "", "target": target ?? "", "via": "web"]
    }

    var query: String {
        [("from", from), ("to", to), ("actor", actor), ("action", action), ("target", target)]
            .compactMap { k, v in v.map { "\(k)=\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" } }
            .joined(separator: "&")
    }

    /// Entries in the days given (whole days, UTC), then those whose actor, action and target
    /// contain the words given.
    func apply(_ catalog: Catalog) throws -> [AuditEntry] {
        let entries = try catalog.auditEntries(from: from.map { $0 + "T00:00:00Z" }, to: to.map { $0 + "T23:59:59Z" })
        return entries.filter { e in
            (actor.map { e.actor.localizedCaseInsensitiveContains($0) } ?? true)
                && (action.map { e.action.localizedCaseInsensitiveContains($0) } ?? true)
                && (target.map { (e.target ?? "").localizedCaseInsensitiveContains($0) } ?? true)
        }
    }
}

/// Turns ``StaffDenied`` into what a browser should get: the sign-in page, a 403 page saying
/// who may use the page, or a 403 for a form without its token (nothing was changed).
struct StaffDeniedMiddleware: RouterMiddleware {
    typealias Context = SijillRequestContext
    let services: ServerServices

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let denied as StaffDenied {
            let chrome = services.chrome("غير مسموح", context)
            switch denied {
            case .signIn:
                return Response(status: .seeOther, headers: [.location: "/login", .cacheControl: "no-store"])
            case .role:
                return services.templates.response(
                    "error", ErrorPage(chrome: chrome, message: "هذه الصفحة لأدوار أخرى (المدققين أو المديرين أو أمناء الأرشيف)."),
                    status: .forbidden)
            case .staleForm:
                return services.templates.response("error", ErrorPage(chrome: chrome, message: Texts.staleForm), status: .forbidden)
            }
        }
    }
}

/// The re-scan list page.
struct RescanPage {
    var chrome: PageChrome
    var box: String?
    var boxQuery: String?
    var summary: String
    var items: [Item] = []

    struct Item {
        var itemIndex: Int
        var recordID: String
        var heading: String
        var pageNumber: Int
        var boxName: String
        var sourceFile: String
        var confidenceText: String
        var weakWords: Int
        var wordCount: Int
        var manifestRow: String
        var imageURL: String
        var pageText: String
    }
}
