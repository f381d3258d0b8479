import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SijillCatalog
import SijillCore
import SijillServer
import Testing

@Suite struct CopyAPITests {
    @Test("issue a copy over the API, download it, verify it by ID and by bytes; a flipped byte is modified")
    func issueAndVerify() async throws {
        let t = try TestServer()
        let clerk = try t.token(.clerk), auditor = try t.token(.auditor)
        let record = t.fixture.records[0].id, other = t.fixture.records[1].id
        let code = try t.code(for: record)
        struct Queued: Decodable { var request_id: String; var state: String; var status_url: String; var queue_position: Int? }
        struct Issued: Decodable {
            var state: String; var copy_id: String; var verify_url: String; var pdf_url: String; var p7s_url: String; var pages: String
        }
        try await t.test { client in
            // Issuing is queued: 202 and where to follow it; nothing is rendered on the request.
            let queued = try await client.execute(
                uri: "/v1/records/\(record.hex)/copies", method: .post, headers: bearer(clerk),
                body: ByteBuffer(string: #"{"pages": [1], "for": "طلب 17"}"#)
            ) { response in
                #expect(response.status == .accepted, "\(String(buffer: response.body))")
                let queued = try JSONDecoder().decode(Queued.self, from: Data(buffer: response.body))
                #expect(response.headers[.location] == queued.status_url)
                return queued
            }
            #expect(queued.state == "queued" && queued.queue_position != nil)
            // Nobody else follows it: not the auditor (no content), not a citizen of another record.
            let otherCode = try t.code(for: other)
            try await client.execute(uri: queued.status_url, method: .get, headers: bearer(otherCode)) { #expect($0.status == .notFound) }
            try await client.execute(uri: queued.status_url, method: .get, headers: bearer(auditor)) { #expect($0.status == .notFound) }
            try await t.finishCopy(queued.request_id)
            let issued = try await client.execute(uri: queued.status_url, method: .get, headers: bearer(clerk)) { response in
                #expect(response.status == .ok)
                return try JSONDecoder().decode(Issued.self, from: Data(buffer: response.body))
            }
            #expect(issued.state == "done" && issued.pages == "1")
            #expect(issued.verify_url.hasSuffix("/verify/\(issued.copy_id)"))
            let pdf = try await client.execute(uri: issued.pdf_url, method: .get, headers: bearer(clerk)) { response in
                #expect(response.status == .ok && response.headers[.contentType] == "application/pdf")
                return Data(buffer: response.body)
            }
            #expect(pdf.starts(with: Data("%PDF".utf8)))
            // Public: the verification page (no credential) and the JSON answer.
            try await client.execute(uri: "/v1/copies/\(issued.copy_id)", method: .get) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("نسخة صحيحة") && html.contains("dir=\"rtl\""))
            }
            try await client.execute(uri: "/v1/copies/\(issued.copy_id)?format=json", method: .get) { response in
                let json = try JSONDecoder().decode([String: String].self, from: Data(buffer: response.body))
                #expect(json["status"] == "valid" && json["record"] == record.hex)
            }
            try await client.execute(uri: "/v1/copies/0123456789abcdef0123456789abcdef?format=json", method: .get) { response in
                let json = try JSONDecoder().decode([String: String].self, from: Data(buffer: response.body))
                #expect(json["status"] == "unknown")
            }
            try await client.execute(uri: "/v1/verify", method: .post, body: ByteBuffer(bytes: pdf)) { response in
                let json = try JSONDecoder().decode([String: String].self, from: Data(buffer: response.body))
                #expect(json["status"] == "valid" && json["copy_id"] == issued.copy_id)
            }
            var flipped = pdf
            flipped[pdf.count / 2] ^= 0x08
            try await client.execute(uri: "/v1/verify", method: .post, body: ByteBuffer(bytes: flipped)) { response in
                let json = try JSONDecoder().decode([String: String].self, from: Data(buffer: response.body))
                #expect(json["status"] == "modified")
            }
            // A citizen's code issues copies of its own record only; auditors issue none.
            try await client.execute(uri: "/v1/records/\(record.hex)/copies", method: .post, headers: bearer(code)) {
                #expect($0.status == .accepted)
            }
            try await client.execute(uri: "/v1/records/\(other.hex)/copies", method: .post, headers: bearer(code)) {
                #expect($0.status == .notFound)
            }
            try await client.execute(uri: issued.pdf_url, method: .get, headers: bearer(auditor)) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/v1/records/\(record.hex)/copies", method: .post, headers: bearer(auditor)) {
                #expect($0.status == .forbidden)
            }
            try await client.execute(
                uri: "/v1/records/\(record.hex)/copies", method: .post, headers: bearer(clerk), body: ByteBuffer(string: #"{"pages": [99]}"#)
            ) { response in
                #expect(response.status == .badRequest)
            }
        }
    }
}
