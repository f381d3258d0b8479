import Foundation
import SijillCatalog
import SijillCore
import SijillTestSupport
import Testing

/// The cluster back end from the command line: the catalog in PostgreSQL, the objects in S3, a
/// scanning station that submits, and workers on two "hosts" (data directories of their own).
@Suite struct ClusterTests {
    @Test("PostgreSQL + S3: a station submits, two hosts' workers share the queue; search, show, jobs, fsck and audit verify agree")
    func cluster() throws {
        guard let base = try TestPG.url(), let store = try TestS3.store("cluster") else { return }
        let name = TestPG.databaseName("cli")
        try PostgresDatabase(url: base).administer("CREATE DATABASE \(name)")
        let catalog = TestPG.url(base, database: name)
        let station = try FixtureFiles.temporaryDirectory("sijill-station")
        let hosts = try (0..<2).map { _ in try FixtureFiles.temporaryDirectory("sijill-host") }
        let cluster = ["--catalog", catalog, "--store", store]
        for box in ["box-zip.zip", "box-folder"] {
            let submit = try CLIRunner.run(["submit", FixtureFiles.box(box).path] + cluster, home: station)
            #expect(submit.status == 0, "\(submit.stderr)")
        }
        // Two workers at once, one per host.
        let outputs = ConcurrentOutputs()
        DispatchQueue.concurrentPerform(iterations: hosts.count) { n in
            let run = try? CLIRunner.run(["worker", "--until-idle", "--jobs", "1"] + cluster, home: hosts[n])
            outputs.set(n, run)
        }
        for n in hosts.indices {
            let run = try #require(outputs.get(n))
            #expect(run.status == 0, "worker \(n): \(run.stderr)")
        }
        let jobs = try CLIRunner.run(["jobs", "--json"], home: station)
        let list = try #require(try JSONSerialization.jsonObject(with: jobs.stdout) as? [[String: Any]])
        #expect(list.map { $0["state"] as? String } == ["done", "done"], "\(jobs.text)")
        // Any host reads the same archive (the data directory recorded the catalog and the store).
        let search = try CLIRunner.run(["search", "مصطفي حسن البغدادي", "--json"], home: hosts[1])
        let hits = try #require((try JSONSerialization.jsonObject(with: search.stdout) as? [String: Any])?["hits"] as? [[String: Any]])
        let zipSearch = try CLIRunner.run(["search", "احمد ابراهيم السيوفي", "--json"], home: station)
        #expect(zipSearch.status == 0 && search.status == 0, "\(search.stderr) \(zipSearch.stderr)")
        let zipHits = (try JSONSerialization.jsonObject(with: zipSearch.stdout) as? [String: Any])?["hits"] as? [[String: Any]]
        #expect(zipHits?.isEmpty == false, "\(zipSearch.text)")
        let record = try #require(hits.first?["record"] as? String, "\(search.text)")
        #expect(try CLIRunner.run(["show", record], home: hosts[0]).status == 0)
        let fsck = try CLIRunner.run(["fsck", "--json"], home: station)
        #expect(fsck.status == 0, "\(fsck.stderr) \(fsck.text)")
        let report = try #require(try JSONSerialization.jsonObject(with: fsck.stdout) as? [String: Any])
        #expect((report["orphaned"] as? [Any])?.isEmpty == true, "the packed folder box is removed: \(report)")
        #expect(try CLIRunner.run(["audit", "verify"], home: hosts[0]).status == 0)
        // Another catalog than the one recorded is refused, naming both.
        let other = try CLIRunner.run(["show", record, "--catalog", TestPG.url(base, database: "elsewhere")], home: station)
        #expect(other.status != 0 && other.stderr.contains("keeps its catalog in"), "\(other.stderr)")
    }
}

final class ConcurrentOutputs: @unchecked Sendable {
    private var outputs: [Int: CLIRunner.Output] = [:]
    private let lock = NSLock()
    func set(_ n: Int, _ output: CLIRunner.Output?) { lock.withLock { outputs[n] = output } }
    func get(_ n: Int) -> CLIRunner.Output? { lock.withLock { outputs[n] } }
}

extension ClusterTests {
    @Test("migrate --to-catalog --to-store moves an embedded archive into the cluster, verified, resumable; it then reads from there")
    func migrateToCluster() throws {
        guard let base = try TestPG.url(), let store = try TestS3.store("move") else { return }
        let name = TestPG.databaseName("move")
        try PostgresDatabase(url: base).administer("CREATE DATABASE \(name)")
        let catalog = TestPG.url(base, database: name)
        let home = try FixtureFiles.temporaryDirectory("sijill-move")
        #expect(try CLIRunner.run(["ingest", FixtureFiles.box("box-targz.tar.gz").path], home: home).status == 0)
        #expect(try CLIRunner.run(["token", "create", "--role", "clerk", "--name", "امل"], home: home).status == 0)
        let before = try CLIRunner.run(["search", "امنه عبد الكريم الحداد", "--json"], home: home)
        // A catalog named for an archive that has its own is refused without migrate.
        let refused = try CLIRunner.run(["fsck", "--catalog", catalog], home: home)
        #expect(refused.status != 0 && refused.stderr.contains("migrate --to-catalog"), "\(refused.stderr)")
        let moved = try CLIRunner.run(["migrate", "--to-store", store, "--to-catalog", catalog, "--json"], home: home)
        #expect(moved.status == 0, "\(moved.stderr)")
        // Run again: nothing left to copy, the same verification passes.
        let again = try CLIRunner.run(["migrate", "--to-catalog", catalog, "--json"], home: home)
        #expect(again.status != 0 && again.stderr.contains("already"), "the archive now uses the new catalog: \(again.stderr)")
        #expect(try String(contentsOf: home.appendingPathComponent("catalog.url"), encoding: .utf8).hasPrefix("postgres://"))
        let after = try CLIRunner.run(["search", "امنه عبد الكريم الحداد", "--json"], home: home)
        #expect(after.status == 0, "\(after.stderr)")
        let hits = { (data: Data) in ((try? JSONSerialization.jsonObject(with: data) as? [String: Any])?["hits"] as? [[String: Any]])?.map { $0["record"] as? String } }
        #expect(hits(after.stdout) == hits(before.stdout) && hits(after.stdout)?.isEmpty == false)
        #expect(try CLIRunner.run(["token", "list"], home: home).text.contains("امل"))
        let fsck = try CLIRunner.run(["fsck", "--json"], home: home)
        #expect(fsck.status == 0, "\(fsck.text) \(fsck.stderr)")
        let verify = try CLIRunner.run(["audit", "verify"], home: home)
        #expect(verify.status == 0, "\(verify.text) \(verify.stderr)")
        // More work lands in the new catalog.
        #expect(try CLIRunner.run(["ingest", FixtureFiles.box("box-folder").path], home: home).status == 0)
        let direct = try PostgresDatabase(url: catalog)
        #expect(try direct.read { db in try db.scalar(Int.self, "SELECT count(*) FROM record") } == 5)
    }
}
