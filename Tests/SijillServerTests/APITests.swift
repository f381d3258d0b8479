import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SijillCatalog
import SijillCore
import SijillStore
@testable import SijillServer
import SijillTestSupport
import Testing

@Suite struct APITests {
    @Test("health and metrics answer without a token; metrics count requests and the catalog")
    func healthAndMetrics() async throws {
        let t = try TestServer()
        try await t.test { client in
            try await client.execute(uri: "/health", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/metrics", method: .get) { response in
                let text = String(buffer: response.body)
                #expect(text.contains("sijill_records "))
                #expect(text.contains("sijill_http_requests_total{method=\"GET\",route=\"/health\",status=\"200\"} 1"))
            }
        }
    }

    @Test("no token, a wrong token, a revoked token: 401 with a JSON error; repeated failures: 429")
    func unauthorized() async throws {
        let t = try TestServer()
        let record = t.fixture.records[0].id.hex
        let revokedName = "revoked-\(UUID().uuidString)"
        let revoked = try t.catalog.createToken(name: revokedName, role: .clerk, at: t.clock.now).secret
        try await t.test { client in
            try await client.execute(uri: "/v1/records/\(record)", method: .get) { response in
                #expect(response.status == .unauthorized)
                #expect(errorCode(response.body) == "unauthorized")
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
            }
            #expect(try t.catalog.revokeToken(revokedName, at: t.clock.now))
            try await client.execute(uri: "/v1/records/\(record)", method: .get, headers: bearer(revoked)) {
                #expect($0.status == .unauthorized)
            }
            for _ in 0..<9 {
                try await client.execute(uri: "/v1/records/\(record)", method: .get, headers: bearer("sjt_wrong")) {
                    #expect($0.status == .unauthorized)
                }
            }
            // Ten failures from this address: even a good token waits.
            let good = try t.token(.clerk)
            try await client.execute(uri: "/v1/records/\(record)", method: .get, headers: bearer(good)) { response in
                #expect(response.status == .tooManyRequests)
                #expect(errorCode(response.body) == "too-many-failures")
            }
            t.clock.advance(16 * 60)
            try await client.execute(uri: "/v1/records/\(record)", method: .get, headers: bearer(good)) {
                #expect($0.status == .ok)
            }
        }
    }

    @Test("behind a trusted proxy, failures count per X-Forwarded-For client; from anyone else the header is ignored")
    func trustedProxy() async throws {
        let record = try TestServer().fixture.records[0].id.hex
        @Sendable func fail(_ client: any TestClientProtocol, from address: String) async throws {
            try await client.execute(
                uri: "/v1/records/\(record)", method: .get,
                headers: [.authorization: "Bearer sjt_wrong", ClientAddress.forwardedFor: address]) { _ in }
        }
        let proxied = try TestServer { $0.trustedProxies = ["127.0.0.1", "::1"] }
        let good = try proxied.token(.clerk)
        try await proxied.test(.live) { client in
            for _ in 0..<10 { try await fail(client, from: "203.0.113.9") }
            try await client.execute(
                uri: "/v1/records/\(record)", method: .get,
                headers: [.authorization: "Bearer \(good)", ClientAddress.forwardedFor: "198.51.100.7"]) { #expect($0.status == .ok) }
            // A client cannot pick its address: only the last hop (added by the proxy) counts.
            try await client.execute(
                uri: "/v1/records/\(record)", method: .get,
                headers: [.authorization: "Bearer \(good)", ClientAddress.forwardedFor: "198.51.100.7, 203.0.113.9"]) {
                    #expect($0.status == .tooManyRequests)
                }
        }
        let direct = try TestServer()
        let token = try direct.token(.clerk)
        try await direct.test(.live) { client in
            for i in 0..<10 { try await fail(client, from: "203.0.113.\(i)") }
            try await client.execute(
                uri: "/v1/records/\(record)", method: .get,
                headers: [.authorization: "Bearer \(token)", ClientAddress.forwardedFor: "198.51.100.7"]) {
                    #expect($0.status == .tooManyRequests)
                }
        }
    }

    @Test("objects: verified bytes, ETag, 304, one byte range, 416, prefixes, 404 and 400")
    func objects() async throws {
        let t = try TestServer()
        let clerk = try t.token(.clerk)
        let (_, pages) = try #require(try t.catalog.record(t.fixture.records[0].id))
        let image = pages[0].imageId
        let bytes = try t.fixture.archive.store.get(image)
        try await t.test { client in
            try await client.execute(uri: "/v1/objects/\(image.hex)", method: .get, headers: bearer(clerk)) { response in
                #expect(response.status == .ok)
                #expect(Data(buffer: response.body) == bytes)
                #expect(response.headers[.eTag] == "\"\(image.hex)\"")
                #expect(response.headers[.contentType]?.hasPrefix("image/") == true)
                #expect(response.headers[.cacheControl]?.contains("immutable") == true)
            }
            var headers = bearer(clerk)
            headers[.ifNoneMatch] = "\"\(image.hex)\""
            try await client.execute(uri: "/v1/objects/\(image.hex)", method: .get, headers: headers) {
                #expect($0.status == .notModified)
            }
            headers = bearer(clerk)
            headers[.range] = "bytes=2-11"
            try await client.execute(uri: "/v1/objects/\(image.hex)", method: .get, headers: headers) { response in
                #expect(response.status == .partialContent)
                #expect(Data(buffer: response.body) == bytes[2...11])
                #expect(response.headers[.contentRange] == "bytes 2-11/\(bytes.count)")
            }
            headers[.range] = "bytes=\(bytes.count + 5)-"
            try await client.execute(uri: "/v1/objects/\(image.hex)", method: .get, headers: headers) { response in
                #expect(response.status == .rangeNotSatisfiable)
                #expect(response.headers[.contentRange] == "bytes */\(bytes.count)")
            }
            try await client.execute(uri: "/v1/objects/\(image.hex.prefix(12))", method: .get, headers: bearer(clerk)) {
                #expect($0.status == .ok)
            }
            try await client.execute(uri: "/v1/objects/abc", method: .get, headers: bearer(clerk)) { response in
                #expect(response.status == .badRequest)
                #expect(errorCode(response.body) == "bad-id")
            }
            try await client.execute(uri: "/v1/objects/\(String(repeating: "0", count: 64))", method: .get, headers: bearer(clerk)) {
                #expect($0.status == .notFound)
            }
        }
    }

    @Test("an object that fails verification is a 500, never served, and audited", .enabled(if: TestBackend.isEmbedded))
    func corruptObject() async throws {
        let t = try TestServer()
        let clerk = try t.token(.clerk)
        let (id, _) = try t.fixture.archive.store.put(Data("تجربة \(UUID())".utf8))
        try Data("tampered".utf8).write(to: (t.fixture.archive.store as! FileSystemBlobStore).path(for: id))
        try await t.test { client in
            try await client.execute(uri: "/v1/objects/\(id.hex)", method: .get, headers: bearer(clerk)) { response in
                #expect(response.status == .internalServerError)
                #expect(errorCode(response.body) == "integrity")
                #expect(!String(buffer: response.body).contains("tampered"))
                #expect(!String(buffer: response.body).contains("/objects/"))
            }
        }
        t.server.flushAudit()
        let entries = try t.catalog.auditEntries(limit: 100_000)
        #expect(entries.contains { $0.action == "object.corrupt" && $0.target == "object:\(id.hex)" })
    }

    @Test("roles: auditors read metadata but not content or search")
    func auditorRole() async throws {
        let t = try TestServer()
        let auditor = try t.token(.auditor)
        let record = t.fixture.records[0].id
        let (_, pages) = try #require(try t.catalog.record(record))
        try await t.test { client in
            try await client.execute(uri: "/v1/records/\(record.hex)", method: .get, headers: bearer(auditor)) {
                #expect($0.status == .ok)
            }
            for uri in ["/v1/objects/\(pages[0].imageId.hex)", "/v1/records/\(record.hex)/pages/1/text", "/v1/search?q=x"] {
                try await client.execute(uri: uri, method: .get, headers: bearer(auditor)) { response in
                    #expect(response.status == .forbidden, "\(uri)")
                }
            }
        }
    }

    @Test("a citizen's code opens only its record: other records and objects are 404, search 403, expiry 401")
    func citizenCode() async throws {
        let t = try TestServer()
        let mine = t.fixture.records[0].id, other = t.fixture.records[1].id
        let code = try t.code(for: mine, days: 1)
        let (_, myPages) = try #require(try t.catalog.record(mine))
        let (_, otherPages) = try #require(try t.catalog.record(other))
        try await t.test { client in
            try await client.execute(uri: "/v1/records/\(mine.hex)", method: .get, headers: bearer(code)) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains(mine.hex))
            }
            try await client.execute(uri: "/v1/records/\(mine.hex)/pages/1/text", method: .get, headers: bearer(code.lowercased())) {
                #expect($0.status == .ok)
            }
            try await client.execute(uri: "/v1/objects/\(myPages[0].imageId.hex)", method: .get, headers: bearer(code)) {
                #expect($0.status == .ok)
            }
            // The record as a searchable PDF: theirs, all pages or some; bad page lists are 400.
            try await client.execute(uri: "/v1/records/\(mine.hex)/pdf", method: .get, headers: bearer(code)) { response in
                #expect(response.status == .ok && response.headers[.contentType] == "application/pdf")
                #expect(String(buffer: response.body).hasPrefix("%PDF-1.7"))
            }
            try await client.execute(uri: "/v1/records/\(mine.hex)/pdf?pages=1", method: .get, headers: bearer(code)) { #expect($0.status == .ok) }
            for (pages, status) in [("x", HTTPResponse.Status.badRequest), ("1-", .badRequest), ("0", .notFound), ("\(myPages.count + 1)", .notFound), ("1-99999999999999999999", .notFound)] {
                try await client.execute(uri: "/v1/records/\(mine.hex)/pdf?pages=\(pages)", method: .get, headers: bearer(code)) {
                    #expect($0.status == status, "pages=\(pages)")
                }
            }
            for uri in ["/v1/records/\(other.hex)", "/v1/objects/\(otherPages[0].imageId.hex)", "/v1/records/\(other.hex)/pages/1/text", "/v1/records/\(other.hex)/pdf"] {
                try await client.execute(uri: uri, method: .get, headers: bearer(code)) { #expect($0.status == .notFound, "\(uri)") }
            }
            try await client.execute(uri: "/v1/search?q=احمد", method: .get, headers: bearer(code)) { #expect($0.status == .forbidden) }
            t.clock.advance(2 * 86_400)
            try await client.execute(uri: "/v1/records/\(mine.hex)", method: .get, headers: bearer(code)) {
                #expect($0.status == .unauthorized)
            }
        }
    }

    @Test("search: the CLI's fields, cursor pagination bound to its query, clear 400s")
    func search() async throws {
        let t = try TestServer()
        let clerk = try t.token(.clerk)
        let expected = try FixtureFiles.expected("box-folder")
        let name = try #require(expected.records.first).name_plain
        struct Page: Decodable {
            struct Result: Decodable { var record: String; var pages: [Hit] }
            struct Hit: Decodable { var record: String; var page: Int; var page_id: String; var snippet: String; var score: Double }
            var count: Int
            var results: [Result]
            var hits: [Hit]
            var next_cursor: String?
        }
        let q = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        try await t.test { client in
            let first = try await client.execute(uri: "/v1/search?q=\(q)&limit=1", method: .get, headers: bearer(clerk)) { response in
                #expect(response.status == .ok)
                return try JSONDecoder().decode(Page.self, from: Data(buffer: response.body))
            }
            #expect(first.count == 1)
            // As an HTML form sends it: spaces as "+", so "name OR zzzz" still means OR.
            let words = name.split(separator: " ").map { String($0).addingPercentEncoding(withAllowedCharacters: .alphanumerics)! }
            let plus = words.joined(separator: "+") + "+OR+zzzz"
            try await client.execute(uri: "/v1/search?q=\(plus)&limit=1", method: .get, headers: bearer(clerk)) { response in
                let page = try JSONDecoder().decode(Page.self, from: Data(buffer: response.body))
                #expect(page.count == 1)
            }
            #expect(first.hits.first?.snippet.contains("[") == true)
            // The word "طلب" (request) is on every fixture page: several pages of results.
            let common = "طلب".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let p1 = try await client.execute(uri: "/v1/search?q=\(common)&limit=1", method: .get, headers: bearer(clerk)) {
                try JSONDecoder().decode(Page.self, from: Data(buffer: $0.body))
            }
            let cursor = try #require(p1.next_cursor)
            let p2 = try await client.execute(uri: "/v1/search?q=\(common)&limit=1&cursor=\(cursor)", method: .get, headers: bearer(clerk)) {
                try JSONDecoder().decode(Page.self, from: Data(buffer: $0.body))
            }
            #expect(p2.results.first?.record != nil && p2.results.first?.record != p1.results.first?.record)
            for uri in [
                "/v1/search?q=\(q)&limit=1&cursor=\(cursor)", "/v1/search?q=\(common)&limit=1&cursor=garbage", "/v1/search",
                "/v1/search?q=-x", "/v1/search?q=\(common)&limit=0", "/v1/search?q=\(common)&from=2020-13-01",
            ] {
                try await client.execute(uri: uri, method: .get, headers: bearer(clerk)) { response in
                    #expect(response.status == .badRequest, "\(uri)")
                    #expect(errorCode(response.body) != nil)
                }
            }
        }
    }

    @Test("every content read is in the audit log, and the log is a hash chain")
    func auditTrail() async throws {
        let t = try TestServer()
        let name = "clerk-audit-\(UUID().uuidString)"
        let clerk = try t.catalog.createToken(name: name, role: .clerk, at: t.clock.now).secret
        let record = t.fixture.records[0].id
        try await t.test { client in
            for _ in 0..<2 {
                try await client.execute(uri: "/v1/records/\(record.hex)/pages/1/text", method: .get, headers: bearer(clerk)) {
                    #expect($0.status == .ok)
                }
            }
            try await client.execute(uri: "/v1/search?q=x", method: .get, headers: bearer(clerk)) { _ in }
        }
        t.server.flushAudit()
        let entries = try t.catalog.auditEntries(limit: 100_000)
        // The same read twice within one flush interval: one entry that counts them.
        let reads = entries.filter { $0.actor == "token:\(name)" && $0.action == "page.text.read" && $0.target == "page:\(record.hex)/1" }
        #expect(reads.count == 1 && reads.first?.detail.contains("\"count\":\"2\"") == true)
        let search = try #require(entries.first { $0.actor == "token:\(name)" && $0.action == "search" })
        #expect(search.detail.contains(Secret.hash("x")) && !search.detail.contains("\"x\""))
        for (previous, entry) in zip(entries, entries.dropFirst()) {
            #expect(entry.prevHash == previous.hash && entry.seq == previous.seq + 1)
        }
        // Append-only: the database refuses to edit or delete an entry.
        #expect(throws: (any Error).self) {
            try t.catalog.database.write { db in try db.execute("UPDATE audit_entry SET actor = 'x' WHERE seq = 1") }
        }
    }

    @Test("the OpenAPI file is served as committed")
    func openAPI() async throws {
        let t = try TestServer()
        let committed = try Data(contentsOf: FixtureFiles.root.appendingPathComponent("API/openapi.yaml"))
        try await t.test { client in
            try await client.execute(uri: "/v1/openapi.yaml", method: .get) { response in
                #expect(response.status == .ok)
                #expect(Data(buffer: response.body) == committed)
            }
        }
    }

    @Test("the retention report: auditors and admins get JSON or Excel-ready CSV; records show their state")
    func retentionReport() async throws {
        let t = try TestServer()
        let auditor = try t.token(.auditor), clerk = try t.token(.clerk)
        let record = t.fixture.records[0].id
        try await t.test { client in
            try await client.execute(uri: "/v1/retention/report?as_of=2030-01-01", method: .get, headers: bearer(auditor)) { response in
                #expect(response.status == .ok)
                let body = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as! [String: Any]
                let lines = body["lines"] as! [[String: Any]]
                #expect(lines.count == t.fixture.records.count)
                // The folder box has no manifest, so no series: reported, not silently kept.
                #expect(lines.allSatisfy { $0["state"] as? String == "unscheduled" })
            }
            try await client.execute(uri: "/v1/retention/report?format=csv", method: .get, headers: bearer(auditor)) { response in
                #expect(response.status == .ok)
                #expect(Array(Data(buffer: response.body).prefix(3)) == [0xEF, 0xBB, 0xBF])
            }
            try await client.execute(uri: "/v1/retention/report?as_of=2030-13-01", method: .get, headers: bearer(auditor)) {
                #expect($0.status == .badRequest)
            }
            try await client.execute(uri: "/v1/retention/report", method: .get, headers: bearer(clerk)) {
                #expect($0.status == .forbidden)
            }
            try await client.execute(uri: "/v1/records/\(record.hex)", method: .get, headers: bearer(auditor)) { response in
                let body = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as! [String: Any]
                #expect((body["retention"] as? [String: Any])?["state"] as? String == "unscheduled")
            }
        }
    }
}
