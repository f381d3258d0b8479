import Foundation
import GRDB
import SijillCatalog
import SijillCore
import SijillIngest
import SijillStore
import SijillTestSupport
import Testing

/// The data directory's own files (object files damaged in place, the SQLite index): the
/// cluster's fsck is tested in ClusterTests.
@Suite(.enabled(if: TestBackend.isEmbedded)) struct FixityTests {
    @Test("fsck finds every flipped byte, truncation, deletion, stray file and stray index entry; a clean archive is clean")
    func damage() throws {
        let t = try TestArchive()
        _ = try t.ingest(FixtureFiles.box("box-targz.tar.gz"))
        let check = FixityCheck(archive: t.archive)
        let clean = try check.run(actor: "test", at: Date())
        #expect(clean.isClean && clean.corrupt.isEmpty && clean.missing.isEmpty, "\(clean)")
        // A page row removed behind the catalog's back leaves its index entry stray.
        let pageID = try t.archive.catalog.writer.write { db -> Int64 in
            let id = try Int64.fetchOne(db, sql: "SELECT max(id) FROM page")!
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            try db.execute(sql: "DELETE FROM page WHERE id = ?", arguments: [id])
            return id
        }
        let referenced = try t.archive.catalog.referencedObjects().keys.sorted { $0.hex < $1.hex }
        #expect(referenced.count >= 8)

        // Flip one random byte in each of several objects; truncate one; delete one.
        var rng = SystemRandomNumberGenerator()
        let flipped = Array(referenced.prefix(5)), truncated = referenced[5], deleted = referenced[6]
        for id in flipped {
            let url = (t.archive.store as! FileSystemBlobStore).path(for: id)
            var bytes = try Data(contentsOf: url)
            bytes[Int.random(in: 0..<bytes.count, using: &rng)] ^= UInt8.random(in: 1...255, using: &rng)
            try bytes.write(to: url)
        }
        let cut = (t.archive.store as! FileSystemBlobStore).path(for: truncated)
        try Data(try Data(contentsOf: cut).prefix(7)).write(to: cut)
        try FileManager.default.removeItem(at: (t.archive.store as! FileSystemBlobStore).path(for: deleted))
        let strayDir = (t.archive.store as! FileSystemBlobStore).path(for: referenced[7]).deletingLastPathComponent()
        try Data("x".utf8).write(to: strayDir.appendingPathComponent("not-a-hash.tmp"))
        let result = try check.run(actor: "test", at: Date())
        #expect(!result.isClean)
        for id in flipped + [truncated] { #expect(result.corrupt.contains { $0.hasPrefix(id.hex) }, "\(id.hex) not reported corrupt") }
        #expect(result.missing.contains { $0.hasPrefix(deleted.hex) })
        #expect(result.strays.contains { $0.hasSuffix("not-a-hash.tmp") })
        #expect(result.strayIndexEntries == [pageID])
        #expect(try t.archive.catalog.auditEntries(limit: 10_000).filter { $0.action == "fsck" }.count == 2)
        // A sample re-hashes only that many objects.
        #expect(try check.run(sample: 2, actor: "test", at: Date()).verified == 2)
    }

    @Test("fsck removes temporary files of writes a killed process left over an hour ago, not a live one's")
    func abandonedWrites() throws {
        let t = try TestArchive()
        let tmp = t.home.appendingPathComponent("tmp")
        let old = tmp.appendingPathComponent("ab.old.tmp"), fresh = tmp.appendingPathComponent("cd.fresh.tmp")
        try Data("partial".utf8).write(to: old)
        try Data("partial".utf8).write(to: fresh)
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -7200)], ofItemAtPath: old.path)
        let result = try FixityCheck(archive: t.archive).run(actor: "test", at: Date())
        #expect(result.abandonedWritesRemoved == 1 && result.isClean)
        #expect(!FileManager.default.fileExists(atPath: old.path))
        #expect(FileManager.default.fileExists(atPath: fresh.path))
    }
}
