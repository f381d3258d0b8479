import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SijillCatalog
import SijillCore
import SijillIngest
import Logging
import SijillServer
import SijillTestSupport
import Testing

/// Auditor and administrator pages: every task the CLI has, in forms with the session's token.
@Suite struct StaffPagesTests {
    static let formType: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    func encode(_ fields: [(String, String)]) -> ByteBuffer { formBody(fields) }

    func csrf(in html: String) -> String? { formToken(in: html) }

    struct Session {
        var cookie: String
        var csrf: String
    }

    func signIn(_ client: any TestClientProtocol, _ token: String) async throws -> Session {
        let cookie = try await client.execute(uri: "/login", method: .post, headers: Self.formType, body: encode([("token", token)])) {
            try #require($0.headers[.setCookie]?.split(separator: ";").first.map(String.init))
        }
        let html = try await client.execute(uri: "/login", method: .get, headers: [.cookie: cookie]) { response -> String in
            String(buffer: response.body)
        }
        let csrf = try #require(self.csrf(in: html))
        return Session(cookie: cookie, csrf: csrf)
    }

    func post(
        _ client: any TestClientProtocol, _ uri: String, _ session: Session, _ fields: [(String, String)], withToken: Bool = true
    ) async throws -> (HTTPResponse.Status, String, String?) {
        var headers = Self.formType
        headers[.cookie] = session.cookie
        let body = encode((withToken ? [("csrf", session.csrf)] : []) + fields)
        return try await client.execute(uri: uri, method: .post, headers: headers, body: body) { response in
            (response.status, String(buffer: response.body), response.headers[.location])
        }
    }

    func get(_ client: any TestClientProtocol, _ uri: String, _ session: Session) async throws -> (HTTPResponse.Status, String) {
        try await client.execute(uri: uri, method: .get, headers: [.cookie: session.cookie]) { ($0.status, String(buffer: $0.body)) }
    }

    @Test("admin: a token made in the form is shown once and can sign in; revoked, it cannot; a post without the form token changes nothing")
    func tokens() async throws {
        let t = try TestServer()
        let admin = try t.token(.admin)
        let name = "web-\(UUID().uuidString.prefix(8))"
        try await t.test { client in
            let session = try await signIn(client, admin)
            let (refused, _, _) = try await post(client, "/admin/tokens", session, [("name", name), ("role", "clerk")], withToken: false)
            #expect(refused == .forbidden)
            #expect(try t.catalog.tokens().allSatisfy { $0.name != name })
            let (status, html, _) = try await post(client, "/admin/tokens", session, [("name", name), ("role", "clerk")])
            #expect(status == .ok)
            let secret = try #require(html.firstMatch(of: #/sjt_[A-Za-z0-9_-]{20,}/#).map { String($0.0) })
            let made = try #require(try t.catalog.token(secret: secret))
            #expect(made.name == name && made.role == .clerk)
            let entry = try #require(try t.catalog.auditEntries(from: nil, to: nil).last { $0.action == "token.create" && $0.target == "token:\(made.id)" })
            #expect(entry.actor.hasPrefix("token:admin-"), "the web admin is the actor, not the CLI")
            // Shown once: the list page does not carry it.
            let (_, list) = try await get(client, "/admin/tokens", session)
            #expect(list.contains(name) && !list.contains(secret))
            let (revoked, _, location) = try await post(client, "/admin/tokens/revoke", session, [("id", String(made.id))])
            #expect(revoked == .seeOther && location == "/admin/tokens?done=token-revoked")
            #expect(try t.catalog.token(secret: secret) == nil)
        }
    }

    @Test("access codes: granted with an expiry, a printable slip with a QR code to /access, revocable; clerks may, auditors may not")
    func accessCodes() async throws {
        let t = try TestServer()
        let clerk = try t.token(.clerk), auditor = try t.token(.auditor)
        let record = t.fixture.records[0].id
        try await t.test { client in
            let session = try await signIn(client, clerk)
            let (status, html, _) = try await post(client, "/admin/access", session, [("record", record.hex), ("days", "7"), ("note", "طلب 9")])
            #expect(status == .ok)
            #expect(html.contains("class=\"slip\"") && html.contains("/static/access-qr.svg"))
            let code = try #require(html.firstMatch(of: #/class="code">([A-Z0-9-]{20,})</#).map { String($0.1) })
            let grant = try #require(try t.catalog.grant(code: code, at: t.clock.now))
            #expect(grant.recordId == record && grant.note == "طلب 9")
            let svg = try await client.execute(uri: "/static/access-qr.svg", method: .get) { String(buffer: $0.body) }
            #expect(svg.hasPrefix("<svg") && svg.contains("/access"))
            let (bad, badHTML, _) = try await post(client, "/admin/access", session, [("record", "0000000000000000"), ("days", "7")])
            #expect(bad == .badRequest && badHTML.contains("لا توجد معاملة"))
            let (revoked, _, _) = try await post(client, "/admin/access/revoke", session, [("id", String(grant.id))])
            #expect(revoked == .seeOther)
            #expect(try t.catalog.grant(code: code, at: t.clock.now) == nil)
            let auditorSession = try await signIn(client, auditor)
            let (denied, _) = try await get(client, "/admin/access", auditorSession)
            #expect(denied == .forbidden)
        }
    }

    @Test("holds: placed in the form, not released by the one who placed it, released by another admin with a reason")
    func holds() async throws {
        let t = try TestServer()
        let first = try t.token(.admin), second = try t.token(.archivist)
        let record = t.fixture.records[2].id
        try await t.test { client in
            let placer = try await signIn(client, first)
            let (placed, _, _) = try await post(client, "/admin/holds", placer, [("scope", "record"), ("value", record.hex), ("reason", "الدعوى 12/2026")])
            #expect(placed == .seeOther)
            let hold = try #require(try t.catalog.holds().first { $0.value == record.hex && $0.reason == "الدعوى 12/2026" })
            let (own, ownHTML, _) = try await post(client, "/admin/holds/release", placer, [("id", String(hold.id)), ("reason", "انتهت")])
            #expect(own == .conflict && ownHTML.contains("شخص آخر"))
            let other = try await signIn(client, second)
            let (released, _, _) = try await post(client, "/admin/holds/release", other, [("id", String(hold.id)), ("reason", "انتهت الدعوى")])
            #expect(released == .seeOther)
            #expect(try t.catalog.holds().contains { $0.id == hold.id } == false)
        }
    }

    @Test("auditor: retention report per series with CSV and JSON links, the audit log filtered and verified, its CSV export; no admin pages")
    func auditor() async throws {
        let t = try TestServer()
        let auditor = try t.token(.auditor)
        try await t.test { client in
            let session = try await signIn(client, auditor)
            let (status, report) = try await get(client, "/reports", session)
            #expect(status == .ok && report.contains("الخلاصة حسب السلسلة") && report.contains("/v1/retention/report?format=csv"))
            #expect(report.contains("دفعات الإتلاف والنقل") && report.contains("آخر فحص لسلامة الملفات"))
            // The last fixity check is read from its audit entry.
            try t.catalog.audit([AuditEvent(
                actor: "cli", action: "fsck", target: "store", detail: ["objects_checked": "4242"], at: t.clock.now)])
            let (_, withFsck) = try await get(client, "/reports", session)
            #expect(withFsck.contains("objects_checked") && withFsck.contains("4242"))
            let (badDay, _) = try await get(client, "/reports?as_of=2026-13-40", session)
            #expect(badDay == .badRequest)
            t.server.flushAudit()
            let (logStatus, log) = try await get(client, "/audit-log?action=web.signin", session)
            #expect(logStatus == .ok && log.contains("السلسلة سليمة") && log.contains("<td dir=\"ltr\">web.signin</td>"))
            let csv = try await client.execute(uri: "/audit-log.csv?action=web.signin", method: .get, headers: [.cookie: session.cookie]) {
                ($0.headers[.contentType], String(buffer: $0.body))
            }
            #expect(csv.0?.hasPrefix("text/csv") == true && csv.1.hasPrefix("\u{FEFF}") && csv.1.contains("web.signin"))
            let (admin, _) = try await get(client, "/admin/tokens", session)
            #expect(admin == .forbidden)
            // Not signed in: sent to sign in.
            try await client.execute(uri: "/audit-log", method: .get) { #expect($0.status == .seeOther) }
        }
    }

    @Test("signing keys and disposition pages for an admin")
    func keysAndDisposition() async throws {
        let t = try TestServer()
        let admin = try t.token(.admin)
        try await t.test { client in
            let session = try await signIn(client, admin)
            let (keys, keysHTML) = try await get(client, "/admin/keys", session)
            #expect(keys == .ok && keysHTML.contains("مفاتيح التوقيع"))
            let (noReason, _, _) = try await post(client, "/admin/keys/revoke", session, [("id", "ffff"), ("reason", "")])
            #expect(noReason == .badRequest)
            let (disposition, html) = try await get(client, "/admin/disposition", session)
            #expect(disposition == .ok && html.contains("أعدّ الدفعات"))
            let (prepared, _, location) = try await post(client, "/admin/disposition/prepare", session, [])
            #expect(prepared == .seeOther && location?.hasPrefix("/admin/disposition?done=") == true)
        }
    }

    @Test("archivist: the re-scan list shows each flagged page's image beside its text, and a manifest for the re-scans")
    func rescanList() async throws {
        // An archive of its own: a dossier of a good page and a sheet scanned blank.
        let archive = try ArchiveHome(
            url: try FixtureFiles.temporaryDirectory("sijill-rescan"), store: TestBackend.storeOption("rescan"),
            catalog: TestBackend.catalogOption("rescan"), create: true)
        let box = try FixtureFiles.temporaryDirectory("sijill-rescan-box")
        let dossier = box.appendingPathComponent("dossier")
        try FileManager.default.createDirectory(at: dossier, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: FixtureFiles.box("box-folder").appendingPathComponent("letter-77851.png"), to: dossier.appendingPathComponent("page-1.png"))
        try FileManager.default.copyItem(
            at: FixtureFiles.fixtures.appendingPathComponent("rescan/blank-page.png"), to: dossier.appendingPathComponent("page-2.png"))
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        _ = try IngestPipeline(store: archive.store, catalog: archive.catalog, options: IngestOptions(jobs: 1), logger: logger).run(box: box)
        let t = try TestServer(archive: archive)
        let archivist = try t.token(.archivist), auditor = try t.token(.auditor)
        let flagged = try t.catalog.rescanList()
        #expect(flagged.map(\.page) == [2])
        try await t.test { client in
            let session = try await signIn(client, archivist)
            let (status, html) = try await get(client, "/rescan", session)
            #expect(status == .ok && html.contains("صفحات تحتاج إعادة مسح"))
            if let first = flagged.first {
                #expect(html.contains("/v1/objects/\(first.pageId.hex)") && html.contains("rescan-0001.png,\(first.record.hex.prefix(16)),\(first.page)"))
                #expect(html.contains("<pre>"))
            }
            let csv = try await client.execute(uri: "/rescan.csv", method: .get, headers: [.cookie: session.cookie]) { String(buffer: $0.body) }
            #expect(csv.hasPrefix("\u{FEFF}file,record,page,box,source,confidence,title\r\n"))
            #expect(csv.components(separatedBy: "\r\n").count == flagged.count + 2)
            let other = try await signIn(client, auditor)
            let (denied, _) = try await get(client, "/rescan", other)
            #expect(denied == .forbidden)
        }
    }

    @Test("an office that reads Arabic-Indic digits sees counts, page numbers and dates in them; IDs and the pages' text keep theirs")
    func officeDigits() async throws {
        let t = try TestServer { $0.digits = .arabicIndic }
        let clerk = try t.token(.clerk)
        let record = t.fixture.records[0]
        try await t.test { client in
            let session = try await signIn(client, clerk)
            let (status, html) = try await get(client, "/records/\(record.id.hex)", session)
            #expect(status == .ok)
            let pages = try #require(try t.catalog.record(record.id)?.pages.count)
            let indic = String(String(pages).map { Character(UnicodeScalar(0x0660 + $0.wholeNumberValue!)!) })
            #expect(html.contains("<bdi class=\"n\">\(indic)</bdi>"), "the page count in Arabic-Indic digits")
            #expect(html.contains("صفحة <span class=\"n\">١</span>"))
            #expect(html.contains(record.id.hex), "the record's ID keeps its digits")
            #expect(html.contains("href=\"/v1/objects/"), "links keep theirs")
        }
        let western = try TestServer()
        try await western.test { client in
            let session = try await signIn(client, try western.token(.clerk))
            let (_, html) = try await get(client, "/records/\(record.id.hex)", session)
            #expect(html.contains("صفحة <span class=\"n\">1</span>"))
        }
    }

    @Test("disposition from the web: prepared by one admin, refused to approve by the same, approved by another, executed; the certificate downloads")
    func dispositionEndToEnd() async throws {
        // An archive of its own (its content is destroyed): a tax receipt of 2001, due for
        // destruction after 10 years under Retention/.
        let archive = try ArchiveHome(
            url: try FixtureFiles.temporaryDirectory("sijill-web-disposition"), store: TestBackend.storeOption("web-disposition"),
            catalog: TestBackend.catalogOption("web-disposition"), create: true)
        let box = try FixtureFiles.temporaryDirectory("sijill-web-disposition-box")
        try FileManager.default.copyItem(
            at: FixtureFiles.box("box-folder").appendingPathComponent("letter-77851.png"), to: box.appendingPathComponent("receipt.png"))
        try Data("file,series,date,title\nreceipt.png,TAX-RECEIPT,2001-06-30,إيصال ضريبة\n".utf8)
            .write(to: box.appendingPathComponent("manifest.csv"))
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let report = try IngestPipeline(store: archive.store, catalog: archive.catalog, options: IngestOptions(jobs: 1), logger: logger).run(box: box)
        let record = try #require(report.records.first?.record)
        let t = try TestServer(archive: archive)
        let first = try t.token(.admin), second = try t.token(.admin)
        try await t.test { client in
            let preparer = try await signIn(client, first)
            let (prepared, _, location) = try await post(client, "/admin/disposition/prepare", preparer, [])
            #expect(prepared == .seeOther && location == "/admin/disposition?done=prepared")
            let batch = try #require(try t.catalog.batches().first { $0.action == "destroy" && $0.executedAt == nil })
            #expect(try t.catalog.batch(batch.id)?.records == [record])
            let (own, ownHTML, _) = try await post(client, "/admin/disposition/approve", preparer, [("batch", String(batch.id))])
            #expect(own == .conflict && ownHTML.contains("غير الذي أعدّها"))
            let approver = try await signIn(client, second)
            let (approved, _, _) = try await post(client, "/admin/disposition/approve", approver, [("batch", String(batch.id))])
            #expect(approved == .seeOther)
            let (executed, _, _) = try await post(client, "/admin/disposition/execute", approver, [("batch", String(batch.id))])
            #expect(executed == .seeOther)
            let done = try #require(try t.catalog.batch(batch.id)?.batch)
            #expect(done.executedAt != nil && done.certificateId != nil)
            let (page, html) = try await get(client, "/admin/disposition", approver)
            #expect(page == .ok && html.contains("/reports/certificates/\(batch.id)"))
            let certificate = try await client.execute(
                uri: "/reports/certificates/\(batch.id)", method: .get, headers: [.cookie: approver.cookie]
            ) { ($0.status, String(buffer: $0.body)) }
            #expect(certificate.0 == .ok && certificate.1.contains(record.hex))
        }
    }
}
