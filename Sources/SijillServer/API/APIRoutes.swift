import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SijillCatalog
import SijillCertify
import SijillCore
import SijillRetention
import SijillStore

/// The JSON API under `/v1` (described in `API/openapi.yaml`, served at `/v1/openapi.yaml`).
struct APIRoutes {
    let services: ServerServices
    var catalog: Catalog { services.catalog }

    /// An export as a CSV download (UTF-8; the caller's text carries its BOM).
    static func csv(_ text: String, fileName: String) -> Response {
        Response(
            status: .ok,
            headers: [
                .contentType: "text/csv; charset=utf-8", .cacheControl: "no-store",
                .contentDisposition: "attachment; filename=\"\(fileName)\"",
            ],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    func register(on router: Router<SijillRequestContext>) {
        let objects = ObjectResponder(services: services)
        router.get("/v1/openapi.yaml") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: Assets.bytes("openapi.yaml"))))
        }
        router.get("/v1/objects/{id}") { request, context in
            let id = try await authorizeObject(context.parameters.require("id"), context)
            return try await objects.respond(id, request: request, context: context)
        }
        router.head("/v1/objects/{id}") { request, context in
            let id = try await authorizeObject(context.parameters.require("id"), context)
            return try await objects.respond(id, request: request, context: context)
        }
        router.get("/v1/records/{id}") { _, context in
            let principal = try context.requirePrincipal()
            let id = try resolveRecord(context.parameters.require("id"), for: principal)
            guard principal.mayReadMetadata(of: id), let found = try catalog.record(id) else {
                throw APIError.notFound("record")
            }
            services.audit.record(AuditEvent(actor: principal.actor, action: "record.metadata.read", target: "record:\(id.hex)", at: services.now()))
            var view = RecordView(found.record, pages: found.pages, origins: try catalog.imageOrigins(found.pages.map(\.imageId)))
            view.fields = try catalog.fields(of: id)
            if let retention = services.retention,
                let line = try retention.report(asOf: CivilDate(services.now()), record: id).lines.first
            {
                view.setRetention(line)
            }
            return try JSONResponse(view)
        }
        for kind in ["text", "hocr"] {
            router.get("/v1/records/{id}/pages/{n}/\(kind)") { request, context in
                let principal = try context.requirePrincipal()
                let id = try resolveRecord(context.parameters.require("id"), for: principal)
                guard principal.mayReadContent(of: id) else {
                    throw principal.mayReadMetadata(of: id) ? APIError.forbidden : APIError.notFound("record")
                }
                guard let n = Int(try context.parameters.require("n")), let page = try catalog.record(id)?.pages.first(where: { $0.pageNo == n })
                else { throw APIError.notFound("page") }
                let object = kind == "text" ? page.textId : page.hocrId
                services.audit.record(AuditEvent(
                    actor: principal.actor, action: "page.\(kind).read", target: "page:\(id.hex)/\(n)", at: services.now()))
                // hOCR is HTML from the OCR engine: served sandboxed, like every stored object.
                return try await objects.respond(
                    object, request: request, context: context,
                    contentType: kind == "text" ? "text/plain; charset=utf-8" : "text/html; charset=utf-8")
            }
        }
        // The record as a searchable PDF/A-2b (page images as stored, the OCR text as an
        // invisible layer): same roles as page content; `?pages=1-3` for some pages.
        router.get("/v1/records/{id}/pdf") { request, context in
            let principal = try context.requirePrincipal()
            let id = try resolveRecord(context.parameters.require("id"), for: principal)
            guard principal.mayReadContent(of: id) else {
                throw principal.mayReadMetadata(of: id) ? APIError.forbidden : APIError.notFound("record")
            }
            // `pages` is written as in the CLI (1-3, 2, 1,4; a range may run backwards); a list
            // that is not so written is 400, a page the record does not have 404 (as for
            // /pages/{n}/text).
            var pages: [Int]?
            if let text = QueryFields(request)["pages"] {
                guard text.count <= 200, text.range(of: #"^[0-9]+(-[0-9]+)?(,[0-9]+(-[0-9]+)?)*$"#, options: .regularExpression) != nil else {
                    throw APIError.badRequest("bad-parameter", "pages: write pages as 1-3, 2 or 1,4")
                }
                let count = try catalog.record(id)?.pages.count ?? 0
                var list: [Int] = []
                for part in text.split(separator: ",") {
                    let bounds = part.split(separator: "-").map { Int($0) }
                    guard bounds.allSatisfy({ ($0 ?? 0) >= 1 && ($0 ?? 0) <= count }), let low = bounds.first!, let high = bounds.last!
                    else { throw APIError.notFound("page") }
                    list += low <= high ? Array(low...high) : Array((high...low).reversed())
                    guard list.count <= 10_000 else { throw APIError.badRequest("bad-parameter", "pages: at most 10,000 pages") }
                }
                pages = list
            }
            let exported = try RecordExport(catalog: catalog, store: services.archive.store).pdf(record: id, pages: pages)
            services.audit.record(AuditEvent(
                actor: principal.actor, action: "record.pdf.read",
                target: "record:\(id.hex)" + (pages == nil ? "" : "/pages:" + exported.pages.map(String.init).joined(separator: ",")),
                at: services.now()))
            // Shown in the browser's PDF viewer (read, find-in-page, then save): inline, with the
            // file name as ASCII and, for the Arabic reference, as RFC 6266 UTF-8.
            let fileName = RecordExport.fileName(exported.record)
            let ascii = fileName.unicodeScalars.map { $0.isASCII && $0 != "\"" && $0 != "\\" ? String($0) : "_" }.joined()
            let utf8 = fileName.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._"))) ?? ascii
            return Response(
                status: .ok,
                headers: [
                    .contentType: "application/pdf", .contentDisposition: "inline; filename=\"\(ascii)\"; filename*=UTF-8''\(utf8)",
                    .cacheControl: "private, no-store",
                ],
                body: .init(byteBuffer: ByteBuffer(bytes: exported.pdf)))
        }
        router.get("/v1/fields") { request, context in
            // Extracted fields per series: auditors' checks and data entry (staff, not citizens).
            let principal = try context.requirePrincipal()
            guard case .staff = principal else { throw APIError.forbidden }
            let fields = QueryFields(request)
            let format = fields["format"] ?? "json"
            guard ["json", "csv"].contains(format) else { throw APIError.badRequest("bad-parameter", "format must be json or csv") }
            let rows = try catalog.fieldRows(series: fields["series"])
            services.audit.record(AuditEvent(
                actor: principal.actor, action: "fields.export", detail: ["series": fields["series"] ?? "", "fields": String(rows.count)],
                at: services.now()))
            if format == "csv" { return Self.csv(FieldsExport.csv(rows), fileName: "fields.csv") }
            struct Out: Encodable { var count: Int, fields: [FieldsExport.Row] }
            return try JSONResponse(Out(count: rows.count, fields: rows.map(FieldsExport.Row.init)))
        }
        router.get("/v1/retention/report") { request, context in
            let principal = try context.requirePrincipal()
            guard case .staff(let token) = principal, token.role == .auditor || token.role == .admin else {
                throw APIError.forbidden
            }
            guard let retention = services.retention else {
                throw APIError(
                    .serviceUnavailable, code: "no-schedules", message: "the server runs without retention schedules",
                    arabic: "الخادم يعمل دون جداول حفظ")
            }
            let fields = QueryFields(request)
            var asOf = CivilDate(services.now())
            if let text = fields["as_of"] {
                guard let day = CivilDate(text), day.text == text else {
                    throw APIError.badRequest("bad-parameter", "as_of must be a date written YYYY-MM-DD")
                }
                asOf = day
            }
            let format = fields["format"] ?? "json"
            guard ["json", "csv"].contains(format) else { throw APIError.badRequest("bad-parameter", "format must be json or csv") }
            let report = try retention.report(asOf: asOf, series: fields["series"])
            services.audit.record(AuditEvent(
                actor: principal.actor, action: "retention.report", detail: ["as_of": asOf.text, "series": fields["series"] ?? ""],
                at: services.now()))
            if format == "csv" { return Self.csv(report.csv(), fileName: "retention-\(asOf.text).csv") }
            return try JSONResponse(report)
        }
        router.get("/v1/search") { request, context in
            let principal = try context.requireContentStaff()
            return try JSONResponse(try search(QueryFields(request), principal: principal))
        }
    }

    /// Resolves an object ID or prefix and checks the caller may read it. Citizens see only
    /// their record's objects and get 404 (not 403 or 409) for anything else, so a code cannot
    /// probe what exists.
    func authorizeObject(_ text: String, _ context: SijillRequestContext) async throws -> ContentID {
        let principal = try context.requirePrincipal()
        let id: ContentID
        do {
            id = try resolveObject(text)
        } catch let error as APIError where error.status == .conflict || error.status == .notFound {
            if case .citizen = principal { throw APIError.notFound("object") }
            throw error
        }
        switch principal {
        case .staff(let token) where token.role.readsContent: break
        case .staff:
            guard try catalog.isReport(id) else { throw APIError.forbidden }
        case .citizen(let grant):
            guard try catalog.object(id, belongsTo: grant.recordId) else { throw APIError.notFound("object") }
        }
        services.audit.record(AuditEvent(actor: principal.actor, action: "object.read", target: "object:\(id.hex)", at: services.now()))
        return id
    }

    func resolveObject(_ text: String) throws -> ContentID {
        let text = text.lowercased()
        if let id = ContentID(hex: text) { return id }
        let prefix: IDPrefix
        do { prefix = try IDPrefix(text) } catch let error as SijillInputError {
            throw APIError.badRequest(error.code, error.description)
        }
        let matches = try services.archive.store.resolve(prefix, limit: 10_000)
        switch matches.count {
        case 0: throw APIError.notFound("object")
        case 1: return matches[0]
        default:
            throw APIError(
                .conflict, code: "ambiguous-id",
                message: "ID prefix \(prefix.hex) matches \(matches.count) objects; give more digits",
                arabic: "بادئة المعرّف تطابق \(matches.count) ملفات؛ أدخل أرقامًا أكثر")
        }
    }

    func resolveRecord(_ text: String, for principal: Principal) throws -> ContentID {
        do {
            let prefix = try IDPrefix(text.lowercased())
            if case .citizen(let grant) = principal {
                guard prefix.matches(grant.recordId) else { throw APIError.notFound("record") }
                return grant.recordId
            }
            return try catalog.resolveRecord(prefix)
        } catch let error as SijillInputError {
            if error.isNotFound { throw APIError.notFound("record") }
            if error.code == "ambiguous-id" {
                throw APIError(.conflict, code: error.code, message: error.description, arabic: "بادئة المعرّف تطابق أكثر من سجل")
            }
            throw APIError.badRequest(error.code, error.description)
        }
    }

    /// `GET /v1/search?q=&series=&agency=&box=&from=&to=&limit=&cursor=&exact=`
    func search(_ fields: QueryFields, principal: Principal) throws -> SearchView {
        func value(_ name: String) -> String? { fields[name] }
        guard let q = value("q") else { throw APIError.badRequest("bad-query", "q (the query) is required") }
        let limit: Int
        if let text = value("limit") {
            guard let n = Int(text), (1...100).contains(n) else {
                throw APIError.badRequest("bad-parameter", "limit must be a whole number from 1 to 100")
            }
            limit = n
        } else {
            limit = 20
        }
        let exact: Bool
        switch value("exact") {
        case nil, "false", "0": exact = false
        case "true", "1": exact = true
        default: throw APIError.badRequest("bad-parameter", "exact must be true or false")
        }
        let fingerprint = SearchCursor.fingerprint(
            [q, value("series"), value("agency"), value("box"), value("from"), value("to"), value("state"), String(limit), String(exact)])
        var offset = 0
        if let text = value("cursor") {
            guard let cursor = SearchCursor(encoded: text, expecting: fingerprint) else {
                throw APIError.badRequest("bad-cursor", "cursor is not one this query returned")
            }
            offset = cursor.offset
        }
        guard offset + limit <= 1_000 else {
            throw APIError.badRequest("bad-cursor", "results are paged up to the first 1000 records; refine the query")
        }
        let page: Catalog.RecordPage
        do {
            let query = try SearchQuery(q)
            let filters = try SearchFilters(
                series: value("series"), agency: value("agency"), box: value("box"), from: value("from"), to: value("to"),
                retentionState: value("state"))
            page = try catalog.searchRecordPage(
                query, filters: filters, limit: limit, offset: offset, ranking: exact ? .exact : .default)
        } catch let error as SijillInputError {
            throw APIError.badRequest(error.code, error.description)
        }
        services.audit.record(AuditEvent(
            actor: principal.actor, action: "search", detail: ["query_sha256": Secret.hash(q), "offset": String(offset)],
            at: services.now()))
        let next = page.hasMore && offset + limit < 1_000
            ? SearchCursor(offset: offset + limit, fingerprint: fingerprint).encoded : nil
        return SearchView(
            query: q, count: page.results.count, results: page.results, hits: page.results.flatMap(\.pages), next_cursor: next)
    }
}

/// A JSON body with sorted keys, not cached (answers depend on the caller).
func JSONResponse(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let data = try encoder.encode(value)
    return Response(
        status: status,
        headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
        body: .init(byteBuffer: ByteBuffer(bytes: data)))
}
