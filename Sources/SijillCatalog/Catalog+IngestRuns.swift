import Foundation
import SijillCore

extension Catalog {
    /// Records the start of an ingest run and returns its number.
    public func startRun(box: String, path: String, at time: String) throws -> Int64 {
        try database.write { db in
            try db.scalar(
                Int64.self, "INSERT INTO ingest_run(box, box_path, started_at) VALUES (?, ?, ?) RETURNING id", [box, path, time]
            ) ?? 0
        }
    }

    /// Records how a run ended and where its reconciliation report is stored.
    public func finishRun(
        _ id: Int64, at time: String, report: ContentID, stored: Int, duplicate: Int, rejected: Int, recordsAdded: Int
    ) throws {
        try database.write { db in
            try db.execute("""
                    UPDATE ingest_run SET finished_at = ?, report_id = ?, stored = ?, duplicate = ?,
                        rejected = ?, records_added = ? WHERE id = ?
                    """, [time, report, stored, duplicate, rejected, recordsAdded, id])
            let box = try db.scalar(String.self, "SELECT box FROM ingest_run WHERE id = ?", [id]) ?? ""
            try appendAudit(
                db, actor: "ingest", action: "ingest.run", target: "run:\(id)",
                detail: ["box": box, "report": report.hex, "stored": String(stored), "duplicate": String(duplicate),
                         "rejected": String(rejected), "records_added": String(recordsAdded)],
                at: Timestamp.date(time) ?? Date())
        }
    }
}

/// Totals over all ingest runs and OCR results (for `/metrics`).
public struct IngestTotals: Sendable {
    public var runs: Int
    public var stored: Int
    public var rejected: Int
    public var ocrResults: Int
    public var needsRescan: Int
}

extension Catalog {
    public func ingestTotals() throws -> IngestTotals {
        try database.read { db in
            let row = try db.row("""
                    SELECT (SELECT count(*) FROM ingest_run) AS runs,
                           (SELECT coalesce(sum(stored), 0) FROM ingest_run) AS stored,
                           (SELECT coalesce(sum(rejected), 0) FROM ingest_run) AS rejected,
                           (SELECT count(*) FROM ocr_result) AS ocr,
                           (SELECT count(*) FROM page WHERE needs_rescan <> 0) AS rescan
                    """)!
            return IngestTotals(
                runs: row["runs"], stored: row["stored"], rejected: row["rejected"], ocrResults: row["ocr"],
                needsRescan: row["rescan"])
        }
    }
}
