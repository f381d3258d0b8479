import Foundation
import SijillCore
import SijillTestSupport
import Testing

/// End to end through the `sijill` executable: exit codes, JSON shapes, error lines.
@Suite(.serialized) struct CLITests {
    /// One home with box-targz ingested, shared by the read-only tests.
    static let home: Result<URL, any Error> = Result {
        let home = try FixtureFiles.temporaryDirectory("sijill-cli")
        let out = try CLIRunner.run(["ingest", FixtureFiles.box("box-targz.tar.gz").path, "--json"], home: home)
        guard out.status == 0 else { throw CLIError(message: "ingest failed: \(out.status) \(out.stderr)") }
        return home
    }

    struct CLIError: Error { var message: String }

    @Test("ingest --json prints the reconciliation report; a second run adds nothing and exits 0")
    func ingestJSON() throws {
        let home = try FixtureFiles.temporaryDirectory("sijill-cli")
        let first = try CLIRunner.run(["ingest", FixtureFiles.box("box-targz.tar.gz").path, "--json", "--jobs", "2"], home: home)
        #expect(first.status == 0, "\(first.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: first.stdout) as? [String: Any])
        let summary = try #require(json["summary"] as? [String: Any])
        #expect(summary["records_added"] as? Int == 2)
        #expect(summary["pages_added"] as? Int == 3)
        #expect((json["items"] as? [[String: Any]])?.count == 4)
        let second = try CLIRunner.run(["ingest", FixtureFiles.box("box-targz.tar.gz").path], home: home)
        #expect(second.status == 0)
        #expect(second.text.contains("nothing new"))
    }

    @Test("ocr reads a PDF through the ingest path: a born-digital page prints its own text in reading order")
    func ocrPDF() throws {
        let out = try CLIRunner.run(["ocr", FixtureFiles.box("box-pdf/circular-2719.pdf").path], home: nil)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.text.contains("المدير العام: سامر يوسف الحلبي"))
        #expect(out.text.contains("تعميم رقم 2719/2025"))
    }

    @Test("watch --once takes a dropped box with its marker, ingests it, and moves it to done/ with its reports")
    func watchOnce() throws {
        let home = try FixtureFiles.temporaryDirectory("sijill-cli")
        let drop = try FixtureFiles.temporaryDirectory("sijill-drop")
        let box = FixtureFiles.fixtures.appendingPathComponent("layouts/BOX-0001.zip")
        try FileManager.default.copyItem(at: box, to: drop.appendingPathComponent("BOX-0001.zip"))
        try Data().write(to: drop.appendingPathComponent("BOX-0001.zip.READY"))
        let out = try CLIRunner.run(["watch", drop.path, "--once", "--jobs", "1"], home: home)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.text.contains("BOX-0001.zip: done"))
        let done = try FileManager.default.contentsOfDirectory(atPath: drop.appendingPathComponent("done").path).sorted()
        #expect(done == ["BOX-0001.zip", "BOX-0001.zip.report.json", "BOX-0001.zip.report.txt"])
        let bad = try CLIRunner.run(["watch", drop.appendingPathComponent("nowhere").path, "--once"], home: home)
        #expect(bad.status == 4 && bad.stderr.contains("nowhere"))
    }

    @Test("without OMP_THREAD_LIMIT the process runs with it set to 1 (re-executed before libgomp could read it); SIGTERM stops watch cleanly")
    func openMPLimitAndSigterm() throws {
        let home = try FixtureFiles.temporaryDirectory("sijill-cli")
        let drop = try FixtureFiles.temporaryDirectory("sijill-drop")
        let process = Process()
        process.executableURL = CLIRunner.executable
        process.arguments = ["watch", drop.path, "--interval", "0.2", "--home", home.path]
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "OMP_THREAD_LIMIT")
        environment.removeValue(forKey: "SIJILL_HOME")
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The work folder appears once the (re-executed) watcher runs.
        let work = drop.appendingPathComponent(".sijill-watch").path
        for _ in 0..<100 where !FileManager.default.fileExists(atPath: work) { Thread.sleep(forTimeInterval: 0.1) }
        let environ = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(process.processIdentifier)/environ"))) ?? Data()
        let variables = environ.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        #expect(variables.contains("OMP_THREAD_LIMIT=1"), "the running watcher's environment")
        process.terminate()  // SIGTERM
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 0)
    }

    @Test("exit 3 when some entries were rejected, 4 when the box cannot be imported")
    func ingestExitCodes() throws {
        let home = try FixtureFiles.temporaryDirectory("sijill-cli")
        let mixed = try CLIRunner.run(["ingest", FixtureFiles.bad("mixed.zip").path], home: home)
        #expect(mixed.status == 3)
        #expect(mixed.text.contains("unsafe-path"))
        let garbage = try CLIRunner.run(["ingest", FixtureFiles.bad("garbage.zip").path], home: home)
        #expect(garbage.status == 4)
        #expect(garbage.stderr.contains("garbage.zip"))
        #expect(!garbage.stderr.contains("Fatal error"))
        let manifest = try CLIRunner.run(["ingest", FixtureFiles.bad("bad-manifest.zip").path], home: home)
        #expect(manifest.status == 4)
        #expect(manifest.stderr.contains("'file' column"))
    }

    @Test("search --json gives record, page, page_id, source, box, snippet and score")
    func searchJSON() throws {
        let home = try Self.home.get()
        let out = try CLIRunner.run(["search", "ابراهيم موسي الدباغ", "--json"], home: home)
        #expect(out.status == 0, "\(out.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: out.stdout) as? [String: Any])
        let hits = try #require(json["hits"] as? [[String: Any]])
        #expect(!hits.isEmpty)
        for key in ["record", "page", "page_id", "source", "box", "snippet", "score"] {
            #expect(hits[0][key] != nil, "missing \(key)")
        }
        #expect((hits[0]["snippet"] as? String)?.contains("[") == true)
        #expect(hits[0]["box"] as? String == "box-targz.tar.gz")
    }

    @Test("bad input gets one clear line and a documented exit code", arguments: [
        (["search", "!!! ..."], Int32(2), "no words"),
        (["show", "abc"], Int32(2), "at least 12"),
        (["show", "0123456789ab"], Int32(5), "no record"),
        (["cat", "zzzzzzzzzzzzzzzz"], Int32(2), "hex digits"),
        (["cat", "0123456789abcdef"], Int32(5), "no stored object"),
    ])
    func badInput(arguments: [String], status: Int32, message: String) throws {
        let home = try Self.home.get()
        let out = try CLIRunner.run(arguments, home: home)
        #expect(out.status == status, "\(out.stderr)")
        #expect(out.stderr.contains(message), "\(out.stderr)")
        #expect(out.stderr.split(separator: "\n").count == 1)
    }

    @Test("a fax page ingested alone: show --json lists the cleaning steps that ran and why; show prints them")
    func cleaningRecorded() throws {
        let home = try FixtureFiles.temporaryDirectory("sijill-cli")
        let fax = try #require(try FixtureFiles.degraded().first { $0.kind == "fax" })
        let ingest = try CLIRunner.run(["ingest", fax.url.path, "--json"], home: home)
        #expect(ingest.status == 0, "\(ingest.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: ingest.stdout) as? [String: Any])
        let record = try #require((report["records"] as? [[String: Any]])?.first?["record"] as? String)
        let show = try CLIRunner.run(["show", record, "--json"], home: home)
        #expect(show.status == 0, "\(show.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: show.stdout) as? [String: Any])
        let page = try #require((json["pages"] as? [[String: Any]])?.first)
        let cleaning = try #require(page["cleaning"] as? [String])
        #expect(cleaning.contains { $0.hasPrefix("square-pixels 200x100") }, "\(cleaning)")
        #expect(cleaning.contains { $0.hasPrefix("smooth") }, "\(cleaning)")
        let text = try CLIRunner.run(["show", record], home: home)
        #expect(text.text.contains("cleaned: square-pixels"))
    }

    @Test("show and cat accept a 12-digit prefix; cat returns the identical bytes")
    func showAndCat() throws {
        let home = try Self.home.get()
        let search = try CLIRunner.run(["search", "امنه عبد الكريم الحداد", "--json"], home: home)
        let json = try #require(try JSONSerialization.jsonObject(with: search.stdout) as? [String: Any])
        let hit = try #require((json["hits"] as? [[String: Any]])?.first)
        let record = try #require(hit["record"] as? String)
        let pageID = try #require(hit["page_id"] as? String)
        let show = try CLIRunner.run(["show", String(record.prefix(12))], home: home)
        #expect(show.status == 0)
        #expect(show.text.contains(record))
        #expect(show.text.contains("TAX-RECEIPT"))
        let cat = try CLIRunner.run(["cat", String(pageID.prefix(14))], home: home)
        #expect(cat.status == 0)
        #expect(ContentID.of(cat.stdout).hex == pageID)
        #expect(cat.stdout.starts(with: [0xFF, 0xD8]))  // the JPEG as it was in the box
    }

    @Test("an archive with its objects in S3 (--store): ingest, search, show, cat and fsck work; the data directory keeps no objects; another store is refused")
    func s3Store() throws {
        guard let store = try TestS3.store("cli") else { return }
        let home = try FixtureFiles.temporaryDirectory("sijill-cli-s3")
        let ingest = try CLIRunner.run(["ingest", FixtureFiles.box("box-targz.tar.gz").path, "--json", "--store", store], home: home)
        #expect(ingest.status == 0, "\(ingest.stderr)")
        let local = try FileManager.default.subpathsOfDirectory(atPath: home.appendingPathComponent("objects").path)
        #expect(local.allSatisfy { !$0.hasSuffix(".tmp") && $0.split(separator: "/").count < 3 }, "objects in the data directory: \(local)")
        // Later commands find the store from the archive's record, without --store.
        let search = try CLIRunner.run(["search", "امنه عبد الكريم الحداد", "--json"], home: home)
        #expect(search.status == 0, "\(search.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: search.stdout) as? [String: Any])
        let hit = try #require((json["hits"] as? [[String: Any]])?.first)
        let pageID = try #require(hit["page_id"] as? String)
        let record = try #require(hit["record"] as? String)
        let cat = try CLIRunner.run(["cat", pageID], home: home)
        #expect(cat.status == 0, "\(cat.stderr)")
        #expect(ContentID.of(cat.stdout).hex == pageID)
        #expect(try CLIRunner.run(["show", record], home: home).text.contains("TAX-RECEIPT"))
        let fsck = try CLIRunner.run(["fsck", "--json"], home: home)
        #expect(fsck.status == 0, "\(fsck.stderr) \(fsck.text)")
        let report = try #require(try JSONSerialization.jsonObject(with: fsck.stdout) as? [String: Any])
        #expect((report["objects"] as? Int ?? 0) >= 4)
        #expect((report["missing"] as? [Any])?.isEmpty == true)
        let other = try CLIRunner.run(["show", record, "--store", try #require(try TestS3.store("elsewhere"))], home: home)
        #expect(other.status != 0)
        #expect(other.stderr.contains("keeps its objects in"))
    }

    @Test("migrate --to-store copies an embedded archive's objects to S3, verified, resumable; the archive then reads from S3")
    func migrateToS3() throws {
        guard let store = try TestS3.store("migrate") else { return }
        let home = try FixtureFiles.temporaryDirectory("sijill-cli-migrate")
        #expect(try CLIRunner.run(["ingest", FixtureFiles.box("box-targz.tar.gz").path], home: home).status == 0)
        // Without migrate, naming a store for an archive that has local objects is refused.
        let refused = try CLIRunner.run(["fsck", "--store", store], home: home)
        #expect(refused.status != 0 && refused.stderr.contains("sijill migrate"), "\(refused.stderr)")
        // Part of the objects are in the target already (as after an interrupted run: here the
        // same box ingested by another archive straight into that store): they are not sent again.
        let other = try FixtureFiles.temporaryDirectory("sijill-cli-migrate")
        #expect(try CLIRunner.run(["ingest", FixtureFiles.box("box-targz.tar.gz").path, "--store", store], home: other).status == 0)
        let first = try CLIRunner.run(["migrate", "--to-store", store, "--json"], home: home)
        #expect(first.status == 0, "\(first.stderr)")
        let result = try #require(try JSONSerialization.jsonObject(with: first.stdout) as? [String: Any])
        let objects = try #require(result["objects"] as? Int)
        let copied = try #require(result["copied"] as? Int), there = try #require(result["already_there"] as? Int)
        #expect(objects > 0 && copied + there == objects && there >= 3 && result["verified"] as? Int == objects, "\(result)")
        // The local copies go away: every read now comes from S3.
        try FileManager.default.removeItem(at: home.appendingPathComponent("objects"))
        let fsck = try CLIRunner.run(["fsck", "--json"], home: home)
        #expect(fsck.status == 0, "\(fsck.stderr) \(fsck.text)")
        let audit = try CLIRunner.run(["audit", "export"], home: home)
        #expect(audit.text.contains("store.migrate"))
        // Once moved, migrating to the same store again is refused with the reason.
        let again = try CLIRunner.run(["migrate", "--to-store", store, "--json"], home: home)
        #expect(again.status != 0 && again.stderr.contains("already in"), "\(again.stderr)")
    }

    @Test("cat refuses a blob whose bytes no longer match its ID, and prints none of it")
    func catCorrupt() throws {
        let home = try FixtureFiles.temporaryDirectory("sijill-cli")
        let ingest = try CLIRunner.run(["ingest", FixtureFiles.bad("mixed.zip").path, "--json"], home: home)
        let json = try #require(try JSONSerialization.jsonObject(with: ingest.stdout) as? [String: Any])
        let items = try #require(json["items"] as? [[String: Any]])
        let id = try #require(items.first { $0["name"] as? String == "good-2.png" }?["content_id"] as? String)
        let blob = home.appendingPathComponent("objects/\(id.prefix(2))/\(id.dropFirst(2).prefix(2))/\(id)")
        var bytes = try Data(contentsOf: blob)
        bytes[bytes.count / 2] ^= 0xFF
        try bytes.write(to: blob)
        let cat = try CLIRunner.run(["cat", id], home: home)
        #expect(cat.status == 6)
        #expect(cat.stdout.isEmpty)
        #expect(cat.stderr.contains("corrupt"))
    }

    @Test("ocr prints the text of one image without a data directory")
    func ocrOneImage() throws {
        let out = try CLIRunner.run(["ocr", FixtureFiles.box("box-folder").appendingPathComponent("letter-77851.png").path])
        #expect(out.status == 0)
        #expect(out.text.contains("القاسم"))
        let hocr = try CLIRunner.run(["ocr", "--hocr", FixtureFiles.box("box-folder").appendingPathComponent("letter-77851.png").path])
        #expect(hocr.text.contains("ocrx_word"))
    }

    @Test("commands that read the archive say so when there is none")
    func noArchive() throws {
        let out = try CLIRunner.run(["search", "محمد"], home: URL(fileURLWithPath: "/nonexistent/sijill-home"))
        #expect(out.status == 4)
        #expect(out.stderr.contains("no archive at"))
        #expect(!FileManager.default.fileExists(atPath: "/nonexistent/sijill-home"))
    }

    @Test("retention: check names file and line; ingest applies the schedules; holds need a second person; the audit chain verifies")
    func retentionAndAudit() throws {
        let home = try FixtureFiles.temporaryDirectory("sijill-cli")
        let schedules = FixtureFiles.root.appendingPathComponent("Retention").path
        let bad = try FixtureFiles.temporaryDirectory("sijill-schedules")
        try Data("set: x\nschedules:\n  TAX:\n    title: { ar: ا }\n    authority: ق\n    retain: 10q\n    trigger: date\n    action: destroy\n".utf8)
            .write(to: bad.appendingPathComponent("bad.yaml"))
        let check = try CLIRunner.run(["retention", "check", "--retention", bad.path], home: home)
        #expect(check.status == 2)
        #expect(check.stderr.contains("bad.yaml:6:"), "\(check.stderr)")
        #expect(try CLIRunner.run(["retention", "check", "--retention", schedules], home: home).status == 0)

        let ingest = try CLIRunner.run(["ingest", FixtureFiles.box("box-targz.tar.gz").path, "--retention", schedules], home: home)
        #expect(ingest.status == 0, "\(ingest.stderr)")
        let report = try CLIRunner.run(
            ["retention", "report", "--as-of", "2100-01-01", "--format", "json", "--retention", schedules], home: home)
        let json = try #require(try JSONSerialization.jsonObject(with: report.stdout) as? [String: Any])
        let states = (json["lines"] as? [[String: Any]] ?? []).compactMap { $0["state"] as? String }
        #expect(states.count == 2 && !states.contains("unscheduled"), "\(states)")

        let a = try CLIRunner.run(["token", "create", "--role", "archivist", "--name", "a"], home: home).text
            .split(separator: "\n").first.map(String.init) ?? ""
        let b = try CLIRunner.run(["token", "create", "--role", "archivist", "--name", "b"], home: home).text
            .split(separator: "\n").first.map(String.init) ?? ""
        #expect(try CLIRunner.run(["hold", "place", "--series", "TAX-RECEIPT", "--reason", "تدقيق", "--token", a], home: home).status == 0)
        let same = try CLIRunner.run(["hold", "release", "1", "--reason", "x", "--token", a], home: home)
        #expect(same.status == 2 && same.stderr.contains("another person"))
        #expect(try CLIRunner.run(["hold", "release", "1", "--reason", "x", "--token", b], home: home).status == 0)
        let verify = try CLIRunner.run(["audit", "verify"], home: home)
        #expect(verify.status == 0 && verify.text.contains("chain intact"), "\(verify.text)")
        let export = try CLIRunner.run(["audit", "export", "--format", "jsonl"], home: home)
        let actions = String(decoding: export.stdout, as: UTF8.self).split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["action"] as? String
        }
        for action in ["record.add", "ingest.run", "retention.schedule.change", "token.create", "hold.place", "hold.release"] {
            #expect(actions.contains(action), "no \(action) in the audit export")
        }
    }

    @Test("keys init, copy issue and verify: exit 0 for a valid copy, 6 for a changed byte, 5 for another archive's copy")
    func certifiedCopy() throws {
        let home = try FixtureFiles.temporaryDirectory("sijill-cli")
        #expect(try CLIRunner.run(["ingest", FixtureFiles.box("box-targz.tar.gz").path], home: home).status == 0)
        #expect(try CLIRunner.run(["keys", "init", "--name", "أرشيف الاختبار"], home: home).status == 0)
        let clerk = try CLIRunner.run(["token", "create", "--role", "clerk", "--name", "c"], home: home).text
            .split(separator: "\n").first.map(String.init) ?? ""
        let search = try CLIRunner.run(["search", "طلب", "--json", "--limit", "1"], home: home)
        let results = (try JSONSerialization.jsonObject(with: search.stdout) as? [String: Any])?["results"] as? [[String: Any]]
        let record = try #require(results?.first?["record"] as? String)
        let pdf = home.appendingPathComponent("copy.pdf").path
        let issue = try CLIRunner.run(["copy", "issue", record, "--pages", "1", "--for", "طلب 5", "--out", pdf, "--token", clerk], home: home)
        #expect(issue.status == 0, "\(issue.stderr)")
        #expect(FileManager.default.fileExists(atPath: pdf + ".p7s"))
        let verify = try CLIRunner.run(["verify", pdf], home: home)
        #expect(verify.status == 0 && verify.text.hasPrefix("valid"), "\(verify.text) \(verify.stderr)")
        var bytes = try Data(contentsOf: URL(fileURLWithPath: pdf))
        bytes[bytes.count / 2] ^= 0x10
        try bytes.write(to: URL(fileURLWithPath: pdf))
        #expect(try CLIRunner.run(["verify", pdf], home: home).status == 6)
        let elsewhere = try FixtureFiles.temporaryDirectory("sijill-cli")
        #expect(try CLIRunner.run(["ingest", FixtureFiles.box("box-targz.tar.gz").path], home: elsewhere).status == 0)
        #expect(try CLIRunner.run(["keys", "init"], home: elsewhere).status == 0)
        bytes[bytes.count / 2] ^= 0x10  // restore
        try bytes.write(to: URL(fileURLWithPath: pdf))
        #expect(try CLIRunner.run(["verify", pdf], home: elsewhere).status == 5)
    }
}
