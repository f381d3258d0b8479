import Foundation
import SijillCore
import SijillTestSupport
import Testing
@testable import SijillStore

/// One test body for every blob store: the data directory, and S3 on a real server
/// (SeaweedFS, started by script/s3-server; `SIJILL_TEST_S3` names it). On CI the S3 cases fail
/// when no server is configured rather than pass unseen.
@Suite struct BlobStoreTests {
    enum Kind: String, CaseIterable, Sendable { case directory, s3 }

    /// A fresh, empty store of `kind` (its own directory, or its own key prefix in the bucket);
    /// nil when S3 is not configured outside CI.
    static func fresh(_ kind: Kind) throws -> (any BlobStore)? {
        switch kind {
        case .directory:
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sijill-store-\(UUID().uuidString)")
            return try FileSystemBlobStore(root: dir)
        case .s3:
            guard let url = try TestS3.store("test") else { return nil }
            let store = try S3BlobStore.open(url)
            try store.createBucket()
            return store
        }
    }

    static func corrupt(_ store: any BlobStore, _ id: ContentID, with bytes: Data) throws {
        switch store {
        case let s as FileSystemBlobStore: try bytes.write(to: s.path(for: id))
        case let s as S3BlobStore: try s.putRaw(key: s.key(for: id), bytes)
        default: Issue.record("unknown store")
        }
    }

    @Test("put, get, put again, contains, resolve by prefix", arguments: Kind.allCases)
    func roundTrip(_ kind: Kind) throws {
        guard let store = try Self.fresh(kind) else { return }
        let bytes = Data("سجل \(UUID())".utf8)
        let first = try store.put(bytes)
        #expect(first.created)
        #expect(first.id == ContentID.of(bytes))
        let again = try store.put(bytes)
        #expect(!again.created)
        #expect(again.id == first.id)
        #expect(try store.get(first.id) == bytes)
        #expect(store.contains(first.id))
        let other = ContentID.of(Data("other \(UUID())".utf8))
        #expect(!store.contains(other))
        #expect(throws: StoreError.self) { try store.get(other) }
        let prefix = try IDPrefix(String(first.id.hex.prefix(12)))
        #expect(try store.resolve(prefix, limit: 5) == [first.id])
        #expect(try store.resolveUnique(prefix) == first.id)
    }

    @Test("bytes altered in the store are refused on read, never served", arguments: Kind.allCases)
    func corruption(_ kind: Kind) throws {
        guard let store = try Self.fresh(kind) else { return }
        let (id, _) = try store.put(Data("الأصل \(UUID())".utf8))
        try Self.corrupt(store, id, with: Data("altered".utf8))
        do {
            _ = try store.get(id)
            Issue.record("a corrupt object was returned")
        } catch let error as StoreError {
            #expect(error.isCorrupt)
        }
    }

    @Test("S3: ranged reads, sizes, inventory and removal")
    func s3Extras() throws {
        guard let store = try Self.fresh(.s3) as? S3BlobStore else { return }
        let bytes = Data((0..<5000).map { UInt8($0 % 251) })
        let (id, _) = try store.put(bytes)
        #expect(try store.read(id, offset: 100, length: 10) == bytes.subdata(in: 100..<110))
        #expect(try store.size(id) == 5000)
        #expect(try store.verify(id) == 5000)
        // Larger than one verification read (8 MiB): hashed piece by piece, same answer.
        let large = Data((0..<(9 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 13) })
        let (largeID, _) = try store.put(large)
        #expect(try store.verify(largeID) == large.count)
        try store.putRaw(key: store.key(for: largeID), large.prefix(large.count - 1) + Data([large.last! ^ 1]))
        #expect(throws: StoreError.self) { try store.verify(largeID) }
        _ = try store.remove(largeID)
        let (second, _) = try store.put(Data("second".utf8))
        try store.putRaw(key: "\(store.bucket.keyPrefix)objects/zz/stray.txt", Data("stray".utf8))
        let inventory = try store.inventory()
        #expect(Set(inventory.objects) == [id, second])  // the large one was removed
        #expect(inventory.strays.count == 1)
        #expect(try store.remove(second))
        #expect(try !store.remove(second))
        #expect(!store.contains(second))
        #expect(try store.read(second, offset: 0, length: 4) == nil)
    }

    @Test("S3: an object larger than one part goes up in parts and reads back whole, ranged across parts")
    func s3Multipart() throws {
        guard var store = try Self.fresh(.s3) as? S3BlobStore else { return }
        store.partSize = 5 << 20  // S3's smallest part
        let bytes = Data((0..<(11 << 20 + 12_345)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 11) })
        let (id, created) = try store.put(bytes)
        #expect(created && id == ContentID.of(bytes))
        #expect(try store.size(id) == bytes.count)
        #expect(try store.get(id) == bytes)
        let across = (5 << 20) - 100
        #expect(try store.read(id, offset: across, length: 300) == bytes.subdata(in: across..<(across + 300)))
        #expect(try store.put(bytes).created == false, "stored once")
        #expect(try store.inventory().objects == [id])
    }

    @Test("S3: a wrong secret key is refused by the server, named in the error")
    func s3WrongKey() throws {
        guard let store = try Self.fresh(.s3) as? S3BlobStore else { return }
        let wrong = S3BlobStore(store.bucket, accessKey: store.signer.accessKey, secretKey: "not-the-secret")
        do {
            _ = try wrong.put(Data("x \(UUID())".utf8))
            Issue.record("an upload signed with the wrong secret was accepted")
        } catch let error as StoreError {
            #expect("\(error)".contains("403"))
        }
    }

    @Test("S3: a store that cannot be reached fails after three tries, naming the store")
    func s3Unreachable() throws {
        // A port nothing listens on (bound, then closed).
        let store = S3BlobStore(
            try S3Location("s3://nowhere?endpoint=http://127.0.0.1:9&region=us-east-1"), accessKey: "k", secretKey: "s",
            timeout: .seconds(2))
        let started = Date()
        do {
            _ = try store.get(ContentID.of(Data("x".utf8)))
            Issue.record("a read from an unreachable store succeeded")
        } catch let error as StoreError {
            #expect("\(error)".contains("s3://nowhere"))
            #expect("\(error)".contains("after 3 attempts"))
        }
        #expect(Date().timeIntervalSince(started) >= 0.9)  // 0.2 s + 0.8 s between the tries
    }

    @Test("S3: store URLs are checked and explained")
    func locations() throws {
        let ok = try S3Location("s3://archive?endpoint=http://127.0.0.1:8333&region=me-south-1&prefix=office-7")
        #expect(ok.bucket == "archive")
        #expect(ok.region == "me-south-1")
        #expect(ok.keyPrefix == "office-7/")
        #expect(throws: SijillInputError.self) { try S3Location("http://archive") }
        #expect(throws: SijillInputError.self) { try S3Location("s3://archive?endpoint=ftp://x") }
        #expect(throws: SijillInputError.self) { try S3BlobStore.open("s3://a?endpoint=http://h:1", environment: [:]) }
    }
}
