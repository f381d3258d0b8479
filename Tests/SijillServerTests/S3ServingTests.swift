import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SijillCore
import SijillIngest
@testable import SijillServer
@testable import SijillStore
import SijillTestSupport
import Testing

/// `serve` over an archive whose objects are in S3 (a real SeaweedFS: script/s3-server):
/// small objects verified and cached, large ones verified once and streamed in ranged reads,
/// byte ranges, and altered bytes refused.
@Suite struct S3ServingTests {
    static func archive() throws -> ArchiveHome? {
        guard let url = try TestS3.store("serve") else { return nil }
        try S3BlobStore.open(url).createBucket()
        return try ArchiveHome(url: try FixtureFiles.temporaryDirectory("sijill-serve-s3"), store: url, create: true)
    }

    @Test("objects from S3: whole, ranged, large (streamed in pieces), and a corrupt one refused")
    func objects() async throws {
        guard let archive = try Self.archive() else { return }
        let t = try TestServer(archive: archive)
        let clerk = try t.token(.clerk)
        let small = Data("سجل صغير \(UUID())".utf8)
        let large = Data((0..<(3 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 9) })
        let (smallID, _) = try archive.store.put(small)
        let (largeID, _) = try archive.store.put(large)
        let (badID, _) = try archive.store.put(Data("الأصل \(UUID())".utf8))
        let s3 = try #require(archive.store as? S3BlobStore)
        try s3.putRaw(key: s3.key(for: badID), Data("altered".utf8))
        try await t.test { client in
            try await client.execute(uri: "/v1/objects/\(smallID.hex)", method: .get, headers: bearer(clerk)) { response in
                #expect(response.status == .ok)
                #expect(Data(buffer: response.body) == small)
            }
            try await client.execute(uri: "/v1/objects/\(largeID.hex)", method: .get, headers: bearer(clerk)) { response in
                #expect(response.status == .ok)
                #expect(ContentID.of(Data(buffer: response.body)) == largeID)
            }
            var headers = bearer(clerk)
            headers[.range] = "bytes=1048570-1048589"
            try await client.execute(uri: "/v1/objects/\(largeID.hex)", method: .get, headers: headers) { response in
                #expect(response.status == .partialContent)
                #expect(Data(buffer: response.body) == large.subdata(in: 1_048_570..<1_048_590))
                #expect(response.headers[.contentRange] == "bytes 1048570-1048589/\(large.count)")
            }
            try await client.execute(uri: "/v1/objects/\(badID.hex)", method: .get, headers: bearer(clerk)) { response in
                #expect(response.status.code >= 500)
                #expect(!Data(buffer: response.body).starts(with: Data("altered".utf8)))
            }
        }
    }
}
