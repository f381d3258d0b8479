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

extension ClusterTests {
    @Test("every command an archivist, clerk, auditor or admin runs works on a PostgreSQL catalog")
    func everyCommandOnPostgres() throws {
        guard let base = try TestPG.url() else { return }
        let name = TestPG.databaseName("every")
        try PostgresDatabase(url: base).administer("CREATE DATABASE \(name)")
        let home = try FixtureFiles.temporaryDirectory("sijill-pg-every")
        let schedules = FixtureFiles.root.appendingPathComponent("Retention").path
        func ok(_ arguments: [String], _ allowed: Set<Int32> = [0]) throws -> CLIRunner.Output {
            let out = try CLIRunner.run(arguments, home: home)
            #expect(allowed.contains(out.status), "sijill \(arguments.joined(separator: " ")) exited \(out.status): \(out.stderr)")
            return out
        }
        _ = try ok(["ingest", FixtureFiles.box("box-targz.tar.gz").path, "--catalog", TestPG.url(base, database: name)])
        func token(_ role: String, _ name: String) throws -> String {
            let out = try ok(["token", "create", "--role", role, "--name", name, "--json"])
            return ((try JSONSerialization.jsonObject(with: out.stdout) as? [String: Any])?["token"] as? String) ?? ""
        }
        let (admin1, admin2, clerk) = (try token("admin", "a1"), try token("admin", "a2"), try token("clerk", "c"))
        let search = try ok(["search", "طلب", "--json", "--limit", "1"])
        let results = (try JSONSerialization.jsonObject(with: search.stdout) as? [String: Any])?["results"] as? [[String: Any]]
        let record = try #require(results?.first?["record"] as? String, "\(search.text)")
        _ = try ok(["show", record, "--json"])
        _ = try ok(["retention", "apply", "--retention", schedules])
        _ = try ok(["retention", "report", "--format", "json", "--retention", schedules])
        _ = try ok(["retention", "report", "--format", "csv", "--series", "TAX-RECEIPT", "--retention", schedules])
        _ = try ok(["hold", "place", "--reason", "دعوى قضائية", "--record", record, "--token", admin1])
        #expect(try ok(["hold", "list"]).text.contains("دعوى"))
        _ = try ok(["hold", "release", "1", "--reason", "انتهت الدعوى", "--token", admin2])
        _ = try ok(["access", "grant", record, "--expires", "30d", "--json"])
        _ = try ok(["access", "list"])
        _ = try ok(["access", "revoke", "1"])
        _ = try ok(["token", "list"])
        _ = try ok(["token", "revoke", "c"])
        _ = try ok(["keys", "init", "--name", "أرشيف"])
        let pdf = home.appendingPathComponent("copy.pdf").path
        _ = try ok(["copy", "issue", record, "--pages", "1", "--out", pdf, "--token", admin1])
        #expect(try ok(["verify", pdf]).text.hasPrefix("valid"))
        _ = try ok(["rescan-list", "--json"])
        _ = try ok(["reocr", "--record", record, "--force"])
        _ = try ok(["reindex"])
        _ = try ok(["disposition", "list", "--retention", schedules], [0, 5])
        _ = try ok(["audit", "export", "--format", "csv"])
        _ = try ok(["audit", "export", "--from", "2020-01-01", "--format", "jsonl"])
        _ = try ok(["audit", "verify"])
        let fsck = try ok(["fsck", "--json"])
        #expect((try JSONSerialization.jsonObject(with: fsck.stdout) as? [String: Any])?["clean"] as? Bool == true)
        _ = clerk
    }
}
