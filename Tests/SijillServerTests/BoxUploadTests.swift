import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SijillCatalog
import SijillCore
import SijillIngest
@testable import SijillServer
import SijillTestSupport
import Testing

/// `POST /v1/boxes` and `/boxes`: uploads streamed to disk, queued, run, reported.
@Suite struct BoxUploadTests {
    static let box = FixtureFiles.fixtures.appendingPathComponent("layouts/misplaced.zip")

    func makeServer(_ configure: (inout ServerConfiguration) -> Void = { _ in }) throws -> TestServer {
        let home = try FixtureFiles.temporaryDirectory("sijill-upload")
        let archive = try ArchiveHome(
            url: home, store: TestBackend.storeOption("upload"), catalog: TestBackend.catalogOption("upload"), create: true)
        return try TestServer(archive: archive, configure: configure)
    }

    func multipart(_ file: Data, name: String, fields: [String: String] = [:], boundary: String = "sijill-7MA4YWxk") -> ByteBuffer {
        var body = Data()
        for (key, value) in fields {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(key)\"\r\n\r\n\(value)\r\n".utf8))
        }
        body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"box\"; filename=\"\(name)\"\r\n".utf8))
        body.append(Data("Content-Type: application/zip\r\n\r\n".utf8))
        body.append(file)
        body.append(Data("\r\n--\(boundary)--\r\n".utf8))
        return ByteBuffer(bytes: body)
    }

    struct JobOut: Decodable {
        struct Report: Decodable {
            struct Item: Decodable { var name: String; var status: String; var code: String? }
            var items: [Item]
        }
        var id: String
        var name: String
        var state: String
        var bytes: Int
        var report: Report?
        var error: String?
    }

    @Test("an archivist uploads a box (raw or as a form): it is queued, run, and its report lists rejected entries first")
    func uploadAndReport() async throws {
        let t = try makeServer()
        let archivist = try t.token(.archivist)
        let bytes = try Data(contentsOf: Self.box)
        try await t.test { client in
            var ids: [String] = []
            try await client.execute(
                uri: "/v1/boxes?name=BOX-7.zip", method: .post,
                headers: [.authorization: "Bearer \(archivist)", .contentType: "application/zip"], body: ByteBuffer(bytes: bytes)
            ) { response in
                #expect(response.status == .accepted)
                let job = try JSONDecoder().decode(JobOut.self, from: Data(buffer: response.body))
                #expect(job.state == "queued" && job.name == "BOX-7.zip" && job.bytes == bytes.count)
                #expect(response.headers[.location] == "/v1/boxes/\(job.id)")
                ids.append(job.id)
            }
            try await client.execute(
                uri: "/v1/boxes", method: .post,
                headers: [.authorization: "Bearer \(archivist)", .contentType: "multipart/form-data; boundary=sijill-7MA4YWxk"],
                body: multipart(bytes, name: "صندوق-٨.zip", fields: ["note": "x"])
            ) { response in
                #expect(response.status == .accepted)
                let job = try JSONDecoder().decode(JobOut.self, from: Data(buffer: response.body))
                #expect(job.name == "صندوق-٨.zip" && job.bytes == bytes.count, "the file part, exactly")
                ids.append(job.id)
            }
            // The server's job thread is off in tests: run the queue here, oldest first.
            let runner = t.server.services.jobs
            #expect(try runner.runNext(), "both boxes: read, pages recognised, finished")
            #expect(try !runner.runNext())
            for id in ids {
                try await client.execute(uri: "/v1/boxes/\(id)", method: .get, headers: bearer(archivist)) { response in
                    let job = try JSONDecoder().decode(JobOut.self, from: Data(buffer: response.body))
                    #expect(job.state == "failed", "the box has a rejected row")
                    let items = try #require(job.report?.items)
                    #expect(items.prefix(2).allSatisfy { $0.status == "rejected" } && items.count == 4)
                    #expect(items.contains { $0.code == "missing-file" })
                }
            }
            #expect(try FileManager.default.contentsOfDirectory(atPath: runner.uploads.path).isEmpty, "uploads are not kept")
            #expect(try t.catalog.counts().records == 1)
        }
    }

    @Test("clerks, auditors and citizens may not upload; an empty or oversized upload is refused without a job")
    func refusals() async throws {
        let t = try makeServer { $0.maxUploadBytes = 10_000 }
        let bytes = try Data(contentsOf: Self.box)
        let archivist = try t.token(.archivist)
        try await t.test { client in
            for role in [Role.clerk, .auditor] {
                try await client.execute(
                    uri: "/v1/boxes", method: .post, headers: bearer(try t.token(role)), body: ByteBuffer(bytes: bytes)
                ) { #expect($0.status == .forbidden) }
            }
            try await client.execute(uri: "/v1/boxes", method: .post, body: ByteBuffer(bytes: bytes)) {
                #expect($0.status == .unauthorized)
            }
            try await client.execute(uri: "/v1/boxes", method: .post, headers: bearer(archivist), body: ByteBuffer(bytes: bytes)) {
                #expect($0.status == .contentTooLarge)
                #expect(errorCode($0.body) == "upload-too-large")
            }
            try await client.execute(uri: "/v1/boxes", method: .post, headers: bearer(archivist)) {
                #expect($0.status == .badRequest)
            }
            try await client.execute(
                uri: "/v1/boxes", method: .post,
                headers: [.authorization: "Bearer \(archivist)", .contentType: "multipart/form-data; boundary=zz"],
                body: ByteBuffer(string: "--zz\r\nContent-Disposition: form-data; name=\"box\"; filename=\"a.zip\"\r\n\r\ncut")
            ) { #expect($0.status == .badRequest && errorCode($0.body) == "bad-multipart") }
            #expect(try t.catalog.jobs().isEmpty)
            let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: t.server.services.jobs.uploads.path)) ?? []
            #expect(leftovers.isEmpty, "refused uploads leave nothing behind: \(leftovers)")
        }
    }

    @Test("a job interrupted by a stop is run again on the next start; nothing twice")
    func resumesAfterRestart() async throws {
        let t = try makeServer()
        let file = try t.server.services.jobs.temporaryUpload()
        try FileManager.default.copyItem(at: Self.box, to: file)
        var job = try t.server.services.jobs.submit(upload: file, name: "BOX-9.zip", actor: "token:test")
        job.state = .running  // the server stopped while it ran
        try t.catalog.updateJob(job, at: Date())
        // Another server process on the same archive.
        let again = try TestServer(archive: t.fixture.archive)
        #expect(try again.server.services.jobs.runNext())
        #expect(try t.catalog.job(id: job.id)?.state == .failed)
        #expect(try t.catalog.counts().records == 1)
        #expect(try !again.server.services.jobs.runNext())
    }

    @Test("the upload page: archivists see the form; a post without the session's form token is refused")
    func webPage() async throws {
        let t = try makeServer()
        let archivist = try t.token(.archivist)
        let bytes = try Data(contentsOf: Self.box)
        try await t.test { client in
            let cookie = try await client.execute(
                uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "token=\(archivist)")
            ) { response in
                try #require(response.headers[.setCookie]?.split(separator: ";").first.map(String.init))
            }
            let csrf = BoxRoutes.csrf(String(cookie.split(separator: "=", maxSplits: 1)[1]))
            try await client.execute(uri: "/boxes", method: .get, headers: [.cookie: cookie]) { response in
                #expect(response.status == .ok)
                let html = String(buffer: response.body)
                #expect(html.contains("enctype=\"multipart/form-data\"") && html.contains(csrf))
            }
            let form: HTTPFields = [.cookie: cookie, .contentType: "multipart/form-data; boundary=sijill-7MA4YWxk"]
            try await client.execute(
                uri: "/boxes", method: .post, headers: form, body: multipart(bytes, name: "a.zip", fields: ["csrf": "forged"])
            ) { #expect($0.status == .forbidden) }
            try await client.execute(
                uri: "/boxes", method: .post, headers: form, body: multipart(bytes, name: "a.zip", fields: ["csrf": csrf])
            ) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location]?.hasPrefix("/boxes/") == true)
            }
            #expect(try t.catalog.jobs().count == 1)
            let clerk = try t.token(.clerk)
            try await client.execute(uri: "/boxes", method: .get, headers: bearer(clerk)) { #expect($0.status == .forbidden) }
        }
    }
}
