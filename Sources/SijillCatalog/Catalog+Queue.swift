import Foundation
import SijillCore

/// One page image of a queued box to recognise, claimed by one worker at a time.
public struct OCRTask: Sendable, Hashable {
    public var jobId: String
    public var imageId: ContentID
    /// Claims so far, this one included (see ``Catalog/maxTaskClaims``).
    public var attempts: Int

    public init(jobId: String, imageId: ContentID, attempts: Int) {
        (self.jobId, self.imageId, self.attempts) = (jobId, imageId, attempts)
    }
}

/// Pages of a job by task state.
public struct TaskCounts: Sendable, Hashable, Codable {
    public var todo = 0
    public var done = 0
    public var failed = 0
    public var total: Int { todo + done + failed }

    public init(todo: Int = 0, done: Int = 0, failed: Int = 0) {
        (self.todo, self.done, self.failed) = (todo, done, failed)
    }
}

extension SQLConnection {
    /// On PostgreSQL, ` FOR UPDATE [OF table] SKIP LOCKED`: the rows a claim selects are locked
    /// until it commits, and rows another claim has locked are passed over (so concurrent claims
    /// never select the same work). SQLite runs one writer at a time and needs nothing.
    /// On PostgreSQL, ` FOR UPDATE`: a row read to decide a change stays locked until commit, so
    /// two processes cannot both decide on the same old state.
    func forUpdate() -> String { dialect == .postgres ? " FOR UPDATE" : "" }

    func skipLocked(_ table: String? = nil) -> String {
        dialect == .postgres ? " FOR UPDATE" + (table.map { " OF \($0)" } ?? "") + " SKIP LOCKED" : ""
    }
}

/// The ingest queue: jobs (``BoxJob``) and their page tasks, claimed under leases.
///
/// Every claim is one write transaction (SQLite's writer lock makes claims by several worker
/// processes take turns; no two workers get the same task). A lease is a time in Unix seconds
/// that the holder's heartbeat pushes forward; work whose lease has run out is anybody's again.
/// Finishing work twice is harmless (OCR results are keyed by image and settings, records by
/// their content ID), so a worker that was only slow, not dead, does no damage.
extension Catalog {
    /// Claims a job whose box is still to be read: a queued one, or one whose preparing worker
    /// stopped renewing its lease. The oldest first.
    public func claimPrepare(owner: String, until: Double, now: Double, at time: String) throws -> BoxJob? {
        try database.write { db in
            guard var job = try db.record(
                BoxJob.self,
                """
                    SELECT * FROM box_job
                    WHERE state = 'queued' OR (state = 'running' AND coalesce(phase, 'prepare') = 'prepare'
                        AND coalesce(lease_until, 0) < ?)
                    ORDER BY submitted_at, seq LIMIT 1\(db.skipLocked())
                    """,
                [now])
            else { return nil }
            job.state = .running
            job.phase = .prepare
            job.startedAt = job.startedAt ?? time
            job.leaseOwner = owner
            job.leaseUntil = until
            try db.update(job)
            return job
        }
    }

    /// Records the page images a prepared job needs recognised and hands it to the OCR phase.
    /// A job with none goes straight to finishing.
    public func enqueueTasks(job id: String, images: [ContentID], owner: String) throws {
        try database.write { db in
            for image in images {
                try db.execute("INSERT INTO ocr_task(job_id, image_id) VALUES (?, ?) ON CONFLICT DO NOTHING", [id, image])
            }
            try db.execute("""
                    UPDATE box_job SET phase = 'ocr', lease_owner = NULL, lease_until = NULL
                    WHERE id = ? AND state = 'running' AND lease_owner = ?
                    """,
                [id, owner])
        }
    }

    /// Claims of one page after which it is given up: each earlier claimant stopped (died)
    /// while holding it. A page that crashes the engine must not take down every worker in turn;
    /// workers killed for other reasons (a restart, the OOM killer) rarely die five times on the
    /// same page.
    public static let maxTaskClaims = 5

    /// Claims up to `limit` page tasks, oldest job first. A task already claimed
    /// ``maxTaskClaims`` times is marked failed instead.
    public func claimTasks(owner: String, until: Double, now: Double, limit: Int = 1) throws -> [OCRTask] {
        try database.write { db in
            try db.execute("""
                    UPDATE ocr_task SET state = 'failed', lease_owner = NULL,
                        error = 'given up: ' || attempts || ' workers stopped while recognising this page'
                    WHERE state = 'todo' AND attempts >= \(Self.maxTaskClaims) AND coalesce(lease_until, 0) < ?
                    """,
                [now])
            let rows = try db.rows(
                """
                    UPDATE ocr_task SET lease_owner = ?, lease_until = ?, attempts = attempts + 1
                    WHERE (job_id, image_id) IN (
                        SELECT t.job_id, t.image_id FROM ocr_task t JOIN box_job j ON j.id = t.job_id
                        WHERE t.state = 'todo' AND coalesce(t.lease_until, 0) < ? AND j.state = 'running' AND j.phase = 'ocr'
                        ORDER BY j.submitted_at, j.seq, t.image_id LIMIT ?\(db.skipLocked("t")))
                      AND state = 'todo' AND coalesce(lease_until, 0) < ?
                    RETURNING job_id, image_id, attempts
                    """,
                [owner, until, now, limit, now])
            return rows.map { OCRTask(jobId: $0["job_id"], imageId: $0["image_id"], attempts: $0["attempts"]) }
        }
    }

    /// Marks a task done (or failed, with why). Whoever holds its lease now, the work is done.
    public func completeTask(_ task: OCRTask, error: String?) throws {
        try database.write { db in
            try db.execute("""
                    UPDATE ocr_task SET state = ?, error = ?, lease_owner = NULL, lease_until = NULL
                    WHERE job_id = ? AND image_id = ? AND state = 'todo'
                    """,
                [error == nil ? "done" : "failed", error, task.jobId, task.imageId])
        }
    }

    /// Claims a job ready to finish: in the OCR phase with no page left to do, or finishing
    /// under a lease that ran out. `job` limits the claim to one job.
    public func claimFinish(owner: String, until: Double, now: Double, job: String? = nil) throws -> BoxJob? {
        try database.write { db in
            guard var claimed = try db.record(
                BoxJob.self,
                """
                    SELECT * FROM box_job j
                    WHERE j.state = 'running' AND (CAST(? AS TEXT) IS NULL OR j.id = ?)
                      AND ((j.phase = 'ocr' AND NOT EXISTS (
                                SELECT 1 FROM ocr_task t WHERE t.job_id = j.id AND t.state = 'todo'))
                           OR (j.phase = 'finish' AND coalesce(j.lease_until, 0) < ?))
                    ORDER BY j.submitted_at, j.seq LIMIT 1\(db.skipLocked("j"))
                    """,
                [job, job, now])
            else { return nil }
            claimed.phase = .finish
            claimed.leaseOwner = owner
            claimed.leaseUntil = until
            try db.update(claimed)
            return claimed
        }
    }

    /// Pushes forward every lease `owner` holds (its heartbeat); returns how many it holds.
    @discardableResult
    public func renewLeases(owner: String, until: Double) throws -> Int {
        try database.write { db in
            let tasks = try db.execute(
                "UPDATE ocr_task SET lease_until = ? WHERE lease_owner = ? AND state = 'todo'", [until, owner])
            return tasks + (try db.execute(
                "UPDATE box_job SET lease_until = ? WHERE lease_owner = ? AND state = 'running'", [until, owner]))
        }
    }

    /// Gives back every lease `owner` holds at once (a worker stopping cleanly), so that
    /// another worker need not wait for it to run out.
    public func releaseLeases(owner: String) throws {
        try database.write { db in
            try db.execute("UPDATE ocr_task SET lease_until = 0 WHERE lease_owner = ? AND state = 'todo'", [owner])
            try db.execute("UPDATE box_job SET lease_until = 0 WHERE lease_owner = ? AND state = 'running'", [owner])
        }
    }

    /// A job's pages by task state.
    public func taskCounts(job id: String) throws -> TaskCounts {
        try database.read { db in
            var counts = TaskCounts()
            for row in try db.rows("SELECT state, count(*) AS n FROM ocr_task WHERE job_id = ? GROUP BY state", [id])
            {
                let n: Int = row["n"]
                switch row["state"] as String {
                case "todo": counts.todo = n
                case "done": counts.done = n
                default: counts.failed = n
                }
            }
            return counts
        }
    }

    /// Why each failed page of a job failed.
    public func failedTasks(job id: String) throws -> [ContentID: String] {
        try database.read { db in
            var failed: [ContentID: String] = [:]
            for row in try db.rows("SELECT image_id, error FROM ocr_task WHERE job_id = ? AND state = 'failed'", [id])
            {
                failed[row["image_id"]] = row["error"] ?? "failed"
            }
            return failed
        }
    }

    /// Jobs waiting or running.
    public func unfinishedJobCount() throws -> Int {
        try database.read { db in
            try db.scalar(Int.self, "SELECT count(*) FROM box_job WHERE state IN ('queued', 'running')") ?? 0
        }
    }

    /// Whether a job not yet finished, other than `job`, still needs the box object `box`.
    public func boxStillNeeded(_ box: ContentID, except job: String) throws -> Bool {
        try database.read { db in
            try db.scalar(
                Bool.self,
                "SELECT EXISTS (SELECT 1 FROM box_job WHERE box_id = ? AND id <> ? AND state IN ('queued', 'running'))",
                [box, job]) ?? false
        }
    }
}

extension Catalog {
    /// Saves a finished job (done or failed) if `owner` still holds it, with its audit entry.
    /// False when another worker took it over (its lease ran out): that worker's result stands.
    @discardableResult
    public func finishJob(_ job: BoxJob, owner: String, at now: Date) throws -> Bool {
        var job = job
        job.phase = nil
        job.leaseOwner = nil
        job.leaseUntil = nil
        return try database.write { db in
            guard try db.scalar(
                Bool.self, "SELECT EXISTS (SELECT 1 FROM box_job WHERE id = ? AND lease_owner = ? AND state = 'running')",
                [job.id, owner]) == true
            else { return false }
            try db.update(job)
            try appendAudit(
                db, actor: job.submittedBy, action: "box.ingest", target: "box-job:\(job.id)",
                detail: ["name": job.name, "state": job.state.rawValue, "report": job.reportId?.hex ?? ""], at: now)
            return true
        }
    }
}
