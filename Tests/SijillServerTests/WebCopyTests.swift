import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SijillCatalog
import SijillCore
import SijillServer
import Synchronization
import Testing

/// Certified copies from the web pages: asked for by a citizen or a clerk, made off the request
/// path, downloaded; and checked by a receiving office on `/verify`.
@Suite struct WebCopyTests {
    final class Box: @unchecked Sendable { var value: String? ; var data = Data() }

    static let formType: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    func encode(_ fields: [(String, String)]) -> ByteBuffer { formBody(fields) }

    func csrf(in html: String) -> String? { formToken(in: html) }

    /// A multipart/form-data body with one file field.
    func multipart(_ data: Data, field: String = "pdf", filename: String = "copy.pdf") -> (HTTPFields, ByteBuffer) {
        let boundary = "----sijill\(UUID().uuidString)"
        var body = Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(field)\"; filename=\"\(filename)\"\r\n".utf8)
        body += Data("Content-Type: application/pdf\r\n\r\n".utf8) + data + Data("\r\n--\(boundary)--\r\n".utf8)
        return ([.contentType: "multipart/form-data; boundary=\(boundary)"], ByteBuffer(bytes: body))
    }

    @Test("a citizen asks for a copy of one page on the record page, watches it being made, downloads PDF and .p7s; an office verifies the upload")
    func citizenCopy() async throws {
        let t = try TestServer()
        let record = t.fixture.records[0].id, other = t.fixture.records[1].id
        let code = try t.code(for: record), otherCode = try t.code(for: other)
        let found = Box(), pdf = Box()
        try await t.test { client in
            let cookie = try await client.execute(uri: "/access", method: .post, headers: Self.formType, body: encode([("code", code)])) {
                try #require($0.headers[.setCookie]?.split(separator: ";").first.map(String.init))
            }
            let token = try await client.execute(uri: "/access/record", method: .get, headers: [.cookie: cookie]) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("طلب نسخة طبق الأصل مصدّقة") && html.contains("action=\"/copies\""))
                #expect(!html.contains("name=\"record\""), "a citizen's form names no record: the code does")
                return try #require(csrf(in: html))
            }
            var headers = Self.formType
            headers[.cookie] = cookie
            // Without the form token (another site posting the form): refused, nothing queued.
            let grant = try #require(try t.catalog.grant(code: code, at: t.clock.now))
            func asked() throws -> Int {
                try t.catalog.database.read { db in
                    try db.scalar(Int.self, "SELECT count(*) FROM copy_request WHERE issuer = ?", ["citizen:grant-\(grant.id)"]) ?? 0
                }
            }
            try await client.execute(uri: "/copies", method: .post, headers: headers, body: encode([("scope", "all")])) {
                #expect($0.status == .forbidden)
            }
            #expect(try asked() == 0)
            // A page range that the record does not have: a clear Arabic error.
            try await client.execute(
                uri: "/copies", method: .post, headers: headers,
                body: encode([("csrf", token), ("scope", "range"), ("from", "5"), ("to", "3")])
            ) { response in
                #expect(response.status == .badRequest && String(buffer: response.body).contains("اختر صفحات صحيحة"))
            }
            let location = try await client.execute(
                uri: "/copies", method: .post, headers: headers,
                body: encode([("csrf", token), ("scope", "range"), ("from", "1"), ("to", "1"), ("for", "مديرية المالية")])
            ) { response in
                #expect(response.status == .seeOther)
                return try #require(response.headers[.location])
            }
            #expect(location.hasPrefix("/copies/"))
            try await client.execute(uri: location, method: .get, headers: [.cookie: cookie]) { response in
                // Waiting and reloading itself (unless another test's drain of the shared queue
                // has made it already).
                let html = String(buffer: response.body)
                let refresh = response.headers[HTTPField.Name("Refresh")!]
                #expect(html.contains("طلبك في الانتظار") && refresh == "2" || html.contains("النسخة جاهزة") && refresh == nil)
            }
            // Another citizen's code does not see it.
            let otherCookie = try await client.execute(
                uri: "/access", method: .post, headers: Self.formType, body: encode([("code", otherCode)])
            ) { try #require($0.headers[.setCookie]?.split(separator: ";").first.map(String.init)) }
            try await client.execute(uri: location, method: .get, headers: [.cookie: otherCookie]) { #expect($0.status == .notFound) }

            try await t.finishCopy(String(location.dropFirst("/copies/".count)))
            try await client.execute(uri: location, method: .get, headers: [.cookie: cookie]) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("النسخة جاهزة") && response.headers[HTTPField.Name("Refresh")!] == nil)
                #expect(html.contains("رمز QR") && html.contains("href=\"/verify\""))
                let links = html.matches(of: #/href="(/v1/copies/[0-9a-f]+/(pdf|p7s))"/#).map { String($0.1) }
                #expect(links.count == 2, "\(links)")
                found.value = links.first
            }
            let pdfURL = try #require(found.value)
            try await client.execute(uri: pdfURL, method: .get, headers: [.cookie: cookie]) { response in
                #expect(response.status == .ok && response.headers[.contentType] == "application/pdf")
                pdf.data = Data(buffer: response.body)
            }
            try await client.execute(uri: pdfURL, method: .get, headers: [.cookie: otherCookie]) { #expect($0.status == .notFound) }
            #expect(pdf.data.starts(with: Data("%PDF".utf8)))

            // The receiving office: upload the file it was handed.
            try await client.execute(uri: "/verify", method: .get) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("enctype=\"multipart/form-data\"") && html.contains("type=\"file\""))
            }
            let (uploadHeaders, body) = multipart(pdf.data)
            try await client.execute(uri: "/verify", method: .post, headers: uploadHeaders, body: body) { response in
                let html = String(buffer: response.body)
                #expect(response.status == .ok && html.contains("نسخة صحيحة") && html.contains("ما العمل الآن"))
                #expect(html.contains("1") && html.contains("معرّف النسخة"))
            }
            var flipped = pdf.data
            flipped[flipped.count / 2] ^= 0x08
            let (flippedHeaders, flippedBody) = multipart(flipped)
            try await client.execute(uri: "/verify", method: .post, headers: flippedHeaders, body: flippedBody) { response in
                #expect(String(buffer: response.body).contains("نسخة معدَّلة"))
            }
            let (textHeaders, textBody) = multipart(Data("not a pdf".utf8), filename: "note.txt")
            try await client.execute(uri: "/verify", method: .post, headers: textHeaders, body: textBody) { response in
                #expect(String(buffer: response.body).contains("نسخة غير معروفة"))
            }
            try await client.execute(uri: "/verify", method: .post, headers: [.contentType: "multipart/form-data; boundary=x"]) { response in
                #expect(response.status == .badRequest && String(buffer: response.body).contains("لم يصل ملف"))
            }
        }
    }

    @Test("a clerk at the counter asks for a copy of all pages from the record page; an auditor gets no form")
    func clerkCopy() async throws {
        let t = try TestServer()
        let clerk = try t.token(.clerk), auditor = try t.token(.auditor)
        let record = t.fixture.records[0].id
        try await t.test { client in
            func signIn(_ token: String) async throws -> String {
                try await client.execute(uri: "/login", method: .post, headers: Self.formType, body: encode([("token", token)])) {
                    try #require($0.headers[.setCookie]?.split(separator: ";").first.map(String.init))
                }
            }
            let cookie = try await signIn(clerk)
            let token = try await client.execute(uri: "/records/\(record.hex)", method: .get, headers: [.cookie: cookie]) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("name=\"record\" value=\"\(record.hex)\""))
                return try #require(csrf(in: html))
            }
            var headers = Self.formType
            headers[.cookie] = cookie
            let location = try await client.execute(
                uri: "/copies", method: .post, headers: headers,
                body: encode([("csrf", token), ("record", record.hex), ("scope", "all")])
            ) { try #require($0.headers[.location]) }
            try await t.finishCopy(String(location.dropFirst("/copies/".count)))
            try await client.execute(uri: location, method: .get, headers: [.cookie: cookie]) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("النسخة جاهزة") && html.contains("/records/\(record.hex)"))
            }
            let auditorCookie = try await signIn(auditor)
            try await client.execute(uri: "/records/\(record.hex)", method: .get, headers: [.cookie: auditorCookie]) { response in
                #expect(!String(buffer: response.body).contains("action=\"/copies\""))
            }
        }
    }
}
