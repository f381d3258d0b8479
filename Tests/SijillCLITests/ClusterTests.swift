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
