import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SijillCatalog
import SijillCore
import SijillIngest
import SijillServer
import SijillTestSupport
import Synchronization
import Testing

@Suite struct WebTests {
    /// The session cookie a redirect set.
    func sessionCookie(_ response: TestResponse) -> String? {
        guard let header = response.headers[.setCookie], let pair = header.split(separator: ";").first else { return nil }
        return String(pair)
    }

    func form(_ fields: [String: String]) -> ByteBuffer {
        let body = fields.map { key, value in
            key + "=" + (value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
        }.joined(separator: "&")
        return ByteBuffer(string: body)
    }

    @Test("a clerk signs in, searches in Arabic and opens a record: RTL pages, marked snippets, escaped input")
    func clerkFlow() async throws {
        let t = try TestServer()
        let clerk = try t.token(.clerk)
        let name = try #require(try FixtureFiles.expected("box-folder").records.first).name_plain
        try await t.test { client in
            try await client.execute(uri: "/login", method: .get) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("<html lang=\"ar\" dir=\"rtl\">"))
                #expect(html.contains("<label for=\"token\">"))
            }
            let formHeaders: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
            try await client.execute(uri: "/login", method: .post, headers: formHeaders, body: form(["token": "sjt_nope"])) {
                #expect($0.status == .unauthorized)
            }
            let cookie = try await client.execute(
                uri: "/login", method: .post, headers: formHeaders, body: form(["token": clerk])
            ) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.setCookie]?.contains("HttpOnly") == true)
                return sessionCookie(response)
            }
            let session: HTTPFields = [.cookie: try #require(cookie)]
            let q = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let recordURL = try await client.execute(uri: "/search?q=\(q)", method: .get, headers: session) { response in
                #expect(response.status == .ok)
                let html = String(buffer: response.body)
                #expect(html.contains("<mark>"))
                let link = html.range(of: "href=\"/records/").map { html[$0.upperBound...].prefix(64) }
                return link.map { "/records/" + $0 }
            }
            // The form sends spaces as "+": the query box shows the words as typed.
            let plus = name.split(separator: " ").map { String($0).addingPercentEncoding(withAllowedCharacters: .alphanumerics)! }
                .joined(separator: "+")
            try await client.execute(uri: "/search?q=\(plus)", method: .get, headers: session) { response in
                #expect(String(buffer: response.body).contains("value=\"\(name)\""))
            }
            let url = try #require(recordURL)
            try await client.execute(uri: url, method: .get, headers: session) { response in
                #expect(response.status == .ok)
                let html = String(buffer: response.body)
                #expect(html.contains("<img src=\"/v1/objects/"))
                #expect(html.contains("<pre>"))
            }
            // What a person types is shown as text, never as markup.
            let hostile = "<script>alert(1)</script>".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            try await client.execute(uri: "/search?q=\(hostile)", method: .get, headers: session) { response in
                let html = String(buffer: response.body)
                #expect(!html.contains("<script>"))
                #expect(html.contains("&lt;script&gt;"))
            }
            // The session cookie also opens page images.
            try await client.execute(uri: "/search", method: .get) { #expect($0.status == .seeOther) }
        }
    }

    @Test("a citizen's code opens its own record page, and nothing else")
    func citizenFlow() async throws {
        let t = try TestServer()
        let mine = t.fixture.records[0].id, other = t.fixture.records[1].id
        let code = try t.code(for: mine)
        let (_, otherPages) = try #require(try t.catalog.record(other))
        try await t.test { client in
            let formHeaders: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
            try await client.execute(uri: "/access", method: .post, headers: formHeaders, body: form(["code": "AAAAA-BBBBB"])) {
                #expect($0.status == .unauthorized)
            }
            // Typed in lower case with spaces: still the code.
            let typed = code.lowercased().replacingOccurrences(of: "-", with: " ")
            let cookie = try await client.execute(uri: "/access", method: .post, headers: formHeaders, body: form(["code": typed])) {
                #expect($0.status == .seeOther)
                return sessionCookie($0)
            }
            let session: HTTPFields = [.cookie: try #require(cookie)]
            try await client.execute(uri: "/access/record", method: .get, headers: session) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains(mine.hex))
            }
            try await client.execute(uri: "/v1/objects/\(otherPages[0].imageId.hex)", method: .get, headers: session) {
                #expect($0.status == .notFound)
            }
            try await client.execute(uri: "/records/\(other.hex)", method: .get, headers: session) {
                #expect($0.status == .seeOther)
            }
            try await client.execute(uri: "/search?q=x", method: .get, headers: session) { #expect($0.status == .seeOther) }
        }
    }
}

/// Web sessions are kept in the catalog.
@Suite struct WebSessionTests {
    final class Found: @unchecked Sendable { var cookie: String? }

    func signIn(_ t: TestServer, token: String) async throws -> String {
        let found = Found()
        try await t.test { client in
            try await client.execute(
                uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "token=\(token)")
            ) { response in
                #expect(response.status == .seeOther)
                found.cookie = response.headers[.setCookie]?.split(separator: ";").first.map(String.init)
            }
        }
        return try #require(found.cookie)
    }

    /// The form token a signed-in page carries (the sign-out form's hidden field).
    func formToken(_ t: TestServer, cookie: String) async throws -> String {
        let found = Found()
        try await t.test { client in
            try await client.execute(uri: "/search", method: .get, headers: [.cookie: cookie]) { response in
                let html = String(buffer: response.body)
                if let range = html.range(of: #"name="csrf" value="[0-9a-f]{64}""#, options: .regularExpression) {
                    found.cookie = String(html[range].dropLast().suffix(64))
                }
            }
        }
        return try #require(found.cookie)
    }

    func searchStatus(_ t: TestServer, cookie: String) async throws -> HTTPResponse.Status {
        let status = Mutex<HTTPResponse.Status>(.init(code: 599))
        try await t.test { client in
            try await client.execute(uri: "/search?q=x", method: .get, headers: [.cookie: cookie]) { response in
                status.withLock { $0 = response.status }
            }
        }
        return status.withLock { $0 }
    }

    @Test("a session opened on one server is known to another on the same archive (a restart, or a second process); sign-out and idle time end it everywhere")
    func sharedAndEnded() async throws {
        let a = try TestServer(), b = try TestServer()
        let clerk = try a.token(.clerk)
        let cookie = try await signIn(a, token: clerk)
        let onB = try await searchStatus(b, cookie: cookie)
        #expect(onB == .ok)
        let stored = try a.catalog.database.read { db in try db.column(String.self, "SELECT hash FROM web_session") }
        #expect(!stored.contains { cookie.contains($0) }, "the cookie value itself is not stored")
        // Signing out is a form like any other: without the page's token it is refused.
        try await b.test { client in
            try await client.execute(uri: "/logout", method: .post, headers: [.cookie: cookie]) { #expect($0.status == .forbidden) }
        }
        #expect(try await searchStatus(a, cookie: cookie) == .ok)
        let token = try await formToken(b, cookie: cookie)
        try await b.test { client in
            try await client.execute(
                uri: "/logout", method: .post, headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "csrf=\(token)")
            ) { #expect($0.status == .seeOther) }
        }
        let afterSignOut = try await searchStatus(a, cookie: cookie)
        #expect(afterSignOut != .ok)
        // Sign-out everywhere ends the clerk's other sessions too (another browser, another server).
        let first = try await signIn(a, token: clerk), other = try await signIn(b, token: clerk)
        let firstToken = try await formToken(a, cookie: first)
        try await a.test { client in
            try await client.execute(
                uri: "/logout", method: .post, headers: [.cookie: first, .contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "csrf=\(firstToken)&everywhere=1")
            ) { #expect($0.status == .seeOther) }
        }
        #expect(try await searchStatus(b, cookie: other) != .ok)
        #expect(try await searchStatus(a, cookie: first) != .ok)
        // Each use keeps a session alive for the idle limit (2 h); unused for longer, it is over.
        let second = try await signIn(a, token: clerk)
        var seen: [HTTPResponse.Status] = []
        for step: TimeInterval in [3600, 3600, 2 * 3600 + 60] {
            b.clock.advance(step)
            seen.append(try await searchStatus(b, cookie: second))
        }
        #expect(seen == [.ok, .ok, seen[2]] && seen[2] != .ok, "\(seen)")
    }

    @Test("failed attempts count across servers on one archive: ten on one, and the next on another is refused")
    func sharedFailureLimit() async throws {
        let archive = try ArchiveHome(
            url: try FixtureFiles.temporaryDirectory("sijill-limits"), store: TestBackend.storeOption("limits"),
            catalog: TestBackend.catalogOption("limits"), create: true)
        let a = try TestServer(archive: archive) { $0.sharedFailureLimits = true }
        let b = try TestServer(archive: archive) { $0.sharedFailureLimits = true }
        let good = try b.token(.clerk)
        let statuses = Mutex<[HTTPResponse.Status]>([])
        try await a.test { client in
            for _ in 0..<10 {
                try await client.execute(uri: "/v1/records", method: .get, headers: bearer("sjt_wrong")) { _ in }
            }
        }
        try await b.test { client in
            try await client.execute(uri: "/v1/tokens/self", method: .get, headers: bearer(good)) { response in
                statuses.withLock { $0.append(response.status) }
            }
        }
        b.clock.advance(16 * 60)
        try await b.test { client in
            try await client.execute(uri: "/v1/tokens/self", method: .get, headers: bearer(good)) { response in
                statuses.withLock { $0.append(response.status) }
            }
        }
        let seen = statuses.withLock { $0 }
        #expect(seen.first == .tooManyRequests, "\(seen)")
        #expect(seen.last != .tooManyRequests && seen.last != .unauthorized, "\(seen)")
    }
}
