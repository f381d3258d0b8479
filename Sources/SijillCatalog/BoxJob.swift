import Foundation
import SijillCore

/// A box uploaded through the API or the web page, waiting for or going through ingest. Jobs
/// are rows so that they survive a restart: one found `running` at start is run again (ingest
/// is idempotent).
public struct BoxJob: SQLRecord, Hashable {
    public static let table = "box_job"
    public static let key = ["id"]

    public enum State: String, Codable, Sendable, CaseIterable {
        case queued, running, done, failed
    }

    /// What a running job is doing: its box being read and its pages stored (one worker, under
    /// a lease), its pages being recognised (tasks, any number of workers), or its records and
    /// report being written (one worker, under a lease).
    public enum Phase: String, Codable, Sendable, CaseIterable {
        case prepare, ocr, finish
    }

    public var id: String
    /// The uploaded file's name (the box's name in reports and records).
    public var name: String
    /// Where the upload waits, relative to the data directory.
    public var path: String
    public var bytes: Int
    public var state: State
    public var submittedBy: String
    public var submittedAt: String
    public var startedAt: String?
    public var finishedAt: String?
    /// Last progress seen (JSON): phase, done, total.
    public var progress: String?
    /// The stored reconciliation report, when finished.
    public var reportId: ContentID?
    /// Why the box could not be imported at all.
    public var error: String?
    /// The box's bytes in the object store, while the job waits or runs (nil: the box is the
    /// file at `path` in the data directory).
    public var boxId: ContentID?
    /// A manifest given apart from the box, in the object store.
    public var manifestId: ContentID?
    public var phase: Phase?
    /// The worker holding the job's prepare or finish step, and until when (Unix seconds).
    public var leaseOwner: String?
    public var leaseUntil: Double?

    public init(id: String, name: String, path: String, bytes: Int, submittedBy: String, submittedAt: String) {
        self.id = id
        self.name = name
        self.path = path
        self.bytes = bytes
        self.state = .queued
        self.submittedBy = submittedBy
        self.submittedAt = submittedAt
    }
}

extension Catalog {
    /// Records a new job.
    public func insertJob(_ job: BoxJob) throws {
        try database.write { db in
            try db.insert(job)
            // Submission order (submitted_at has whole seconds), for the queue's oldest-first.
            try db.execute("UPDATE box_job SET seq = (SELECT coalesce(max(seq), 0) + 1 FROM box_job) WHERE id = ?", [job.id])
        }
    }

    public func job(id: String) throws -> BoxJob? {
        try database.read { db in try db.find(BoxJob.self, key: [id]) }
    }

    /// The newest jobs first.
    public func jobs(limit: Int = 50) throws -> [BoxJob] {
        try database.read { db in
            try db.records(BoxJob.self, "SELECT * FROM box_job ORDER BY submitted_at DESC, id LIMIT ?", [limit])
        }
    }

    /// Saves a job's new state (and its audit entry when it finished).
    public func updateJob(_ job: BoxJob, at now: Date) throws {
        try database.write { db in
            try db.update(job)
            if job.state == .done || job.state == .failed {
                try appendAudit(
                    db, actor: job.submittedBy, action: "box.ingest", target: "box-job:\(job.id)",
                    detail: ["name": job.name, "state": job.state.rawValue, "report": job.reportId?.hex ?? ""], at: now)
            }
        }
    }
}
