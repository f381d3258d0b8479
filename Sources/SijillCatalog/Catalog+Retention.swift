import Foundation
import SijillCore

/// What retention needs to know about a record.
public struct RetentionInput: Sendable, Hashable {
    public var record: ContentID
    public var series: String?
    public var date: String?
    public var ingestedAt: String
    public var closedAt: String?
    /// The last day the main date read from the pages covers (a partial date's last day: a
    /// trigger never earlier than the paper allows), for records whose manifest has no date.
    public var extractedDate: String?
}

/// The schedule a record got and when it falls due (nil fields: unscheduled or not yet triggered).
public struct RetentionRow: Sendable, Hashable, Codable {
    public var recordId: ContentID
    public var series: String?
    public var scheduled: Bool
    public var action: String?
    public var trigger: String?
    public var period: String?
    public var authority: String?
    public var scheduleSource: String?
    public var triggerDate: String?
    public var dueDate: String?
    /// `pages` when the trigger date was read from the pages (extracted main date) because the
    /// manifest had none; nil otherwise.
    public var triggerSource: String?

    public init(
        recordId: ContentID, series: String?, scheduled: Bool, action: String?, trigger: String?, period: String?,
        authority: String?, scheduleSource: String?, triggerDate: String?, dueDate: String?, triggerSource: String? = nil
    ) {
        self.triggerSource = triggerSource
        self.recordId = recordId
        self.series = series
        self.scheduled = scheduled
        self.action = action
        self.trigger = trigger
        self.period = period
        self.authority = authority
        self.scheduleSource = scheduleSource
        self.triggerDate = triggerDate
        self.dueDate = dueDate
    }

    enum CodingKeys: String, CodingKey {
        case series, scheduled, action, trigger, period, authority
        case recordId = "record_id"
        case scheduleSource = "schedule_source"
        case triggerDate = "trigger_date"
        case dueDate = "due_date"
        case triggerSource = "trigger_source"
    }
}

/// A legal hold.
public struct Hold: Sendable, Hashable, Codable {
    public var id: Int64
    public var reason: String
    /// `record`, `series` (also covers records of the series ingested later) or `query`.
    public var scope: String
    public var value: String
    public var placedBy: String
    public var placedAt: String
    public var releasedBy: String?
    public var releasedAt: String?
    public var releaseReason: String?

    enum CodingKeys: String, CodingKey {
        case id, reason, scope, value
        case placedBy = "placed_by"
        case placedAt = "placed_at"
        case releasedBy = "released_by"
        case releasedAt = "released_at"
        case releaseReason = "release_reason"
    }
}

/// One record's line in a retention report.
public struct RetentionRecordFacts: Sendable, Hashable {
    public var retention: RetentionRow
    public var title: String?
    public var reference: String?
    public var date: String?
    public var ingestedAt: String
    public var closedAt: String?
    public var holds: [Int64]
    /// The retention state on the report's day (see ``Catalog/retentionStateSQL(day:)``).
    public var state: String
}

extension Catalog {
    /// Every record's retention inputs.
    public func retentionInputs() throws -> [RetentionInput] {
        try database.read { db in
            try db.rows(
                """
                SELECT id, series, date, ingested_at, closed_at,
                    (SELECT day_to FROM record_field WHERE record_id = record.id AND kind = 'date' AND main = 1) AS extracted_date
                FROM record ORDER BY id
                """
            ).map {
                RetentionInput(
                    record: $0["id"], series: $0["series"], date: $0["date"], ingestedAt: $0["ingested_at"],
                    closedAt: $0["closed_at"], extractedDate: $0["extracted_date"])
            }
        }
    }

    /// Stores computed retention rows, keeping unchanged ones; records the schedule set's
    /// fingerprint and audits a change of schedules (with how many due dates moved).
    /// Returns how many rows changed.
    @discardableResult
    public func saveRetention(_ rows: [RetentionRow], fingerprint: String, actor: String, at now: Date) throws -> Int {
        try database.write { db in
            let previous = try db.scalar(String.self, "SELECT value FROM catalog_setting WHERE key = 'retention_fingerprint'")
            var changed = 0, dueMoved = 0
            let stamp = Timestamp.string(now)
            for row in rows {
                let old = try db.record(RetentionRow.self, "SELECT * FROM record_retention WHERE record_id = ?", [row.recordId])
                guard old != row else { continue }
                if let old, old.dueDate != row.dueDate { dueMoved += 1 }
                changed += 1
                try db.execute(
                    """
                    INSERT INTO record_retention(record_id, series, scheduled, action, trigger, period, authority,
                        schedule_source, trigger_date, due_date, computed_at, trigger_source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (record_id) DO UPDATE SET series = excluded.series, scheduled = excluded.scheduled,
                        action = excluded.action, trigger = excluded.trigger, period = excluded.period,
                        authority = excluded.authority, schedule_source = excluded.schedule_source,
                        trigger_date = excluded.trigger_date, due_date = excluded.due_date, computed_at = excluded.computed_at,
                        trigger_source = excluded.trigger_source
                    """,
                    [
                        row.recordId, row.series, row.scheduled, row.action, row.trigger, row.period, row.authority,
                        row.scheduleSource, row.triggerDate, row.dueDate, stamp, row.triggerSource,
                    ])
            }
            if previous != fingerprint {
                try db.execute("INSERT INTO catalog_setting(key, value) VALUES ('retention_fingerprint', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", [fingerprint])
                try appendAudit(
                    db, actor: actor, action: "retention.schedule.change", target: "schedules",
                    detail: ["from": previous ?? "none", "to": fingerprint, "records_changed": String(changed),
                             "due_dates_moved": String(dueMoved)], at: now)
            } else if changed > 0 {
                try appendAudit(
                    db, actor: actor, action: "retention.apply", target: "schedules",
                    detail: ["records_changed": String(changed), "schedules": fingerprint], at: now)
            }
            return changed
        }
    }

    /// Records a cut-off (for `closed` triggers) on `records`.
    public func closeRecords(_ records: [ContentID], on date: String, actor: String, at now: Date) throws {
        try database.write { db in
            for id in records {
                guard try db.execute("UPDATE record SET closed_at = ? WHERE id = ?", [date, id]) > 0 else { throw SijillInputError.notFound(id.hex, kind: "record") }
                try appendAudit(db, actor: actor, action: "record.close", target: "record:\(id.hex)", detail: ["closed": date], at: now)
            }
        }
    }

    /// Everything a retention report shows on `day` (YYYY-MM-DD), per record (optionally one
    /// series or one record).
    public func retentionFacts(day: String, series: String? = nil, record: ContentID? = nil) throws -> [RetentionRecordFacts] {
        try database.read { db in
            let holds = try db.rows("""
                    SELECT hr.record_id AS record_id, h.id AS hold_id FROM hold h JOIN hold_record hr ON hr.hold_id = h.id
                    WHERE h.released_at IS NULL
                    UNION
                    SELECT r.id, h.id FROM hold h JOIN record r ON h.scope = 'series' AND r.series = h.value
                    WHERE h.released_at IS NULL
                    """
            ).reduce(into: [String: [Int64]]()) { $0[$1["record_id"], default: []].append($1["hold_id"]) }
            let rows = try db.rows("""
                    SELECT rr.*, record.title, record.reference, record.date AS record_date, record.ingested_at,
                           record.closed_at, (\(Catalog.retentionStateSQL(day: day))) AS state
                    FROM record_retention rr JOIN record ON record.id = rr.record_id
                    WHERE (CAST(?1 AS TEXT) IS NULL OR rr.series = ?1) AND (CAST(?2 AS TEXT) IS NULL OR rr.record_id = ?2)
                    ORDER BY rr.series, rr.due_date, rr.record_id
                    """, [series, record])
            return try rows.map { row in
                let retention = try row.decode(RetentionRow.self)
                return RetentionRecordFacts(
                    retention: retention, title: row["title"], reference: row["reference"], date: row["record_date"],
                    ingestedAt: row["ingested_at"], closedAt: row["closed_at"],
                    holds: (holds[retention.recordId.hex] ?? []).sorted(), state: row["state"])
            }
        }
    }

    // MARK: Holds

    /// Places a hold on `records` (already chosen by record, series or query).
    public func placeHold(
        reason: String, scope: String, value: String, records: [ContentID], actor: String, at now: Date
    ) throws -> Hold {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw SijillInputError.badOption("--reason", reason: "a hold needs a reason") }
        return try database.write { db in
            let id = try db.scalar(
                Int64.self, "INSERT INTO hold(reason, scope, value, placed_by, placed_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
                [reason, scope, value, actor, Timestamp.string(now)]) ?? 0
            for record in Set(records) {
                try db.execute("INSERT INTO hold_record(hold_id, record_id) VALUES (?, ?)", [id, record])
            }
            try appendAudit(
                db, actor: actor, action: "hold.place", target: "hold:\(id)",
                detail: ["scope": scope, "value": value, "records": String(Set(records).count), "reason": reason], at: now)
            return try db.record(Hold.self, "SELECT * FROM hold WHERE id = ?", [id])!
        }
    }

    /// Releases hold `id`; the releaser must not be the one who placed it.
    public func releaseHold(_ id: Int64, reason: String, actor: String, at now: Date) throws -> Hold {
        try database.write { db in
            guard let hold = try db.record(Hold.self, "SELECT * FROM hold WHERE id = ?\(db.forUpdate())", [id]) else {
                throw SijillInputError.notFound(String(id), kind: "hold")
            }
            guard hold.releasedAt == nil else {
                throw SijillInputError.badOption("hold \(id)", reason: "already released by \(hold.releasedBy ?? "?") at \(hold.releasedAt!)")
            }
            guard hold.placedBy != actor else {
                throw SijillInputError.badOption(
                    "hold \(id)", reason: "it was placed by \(actor); another person must release it (four eyes)")
            }
            try db.execute("UPDATE hold SET released_by = ?, released_at = ?, release_reason = ? WHERE id = ?", [actor, Timestamp.string(now), reason, id])
            try appendAudit(db, actor: actor, action: "hold.release", target: "hold:\(id)", detail: ["reason": reason], at: now)
            return try db.record(Hold.self, "SELECT * FROM hold WHERE id = ?", [id])!
        }
    }

    /// Holds, newest first (active ones only unless `all`).
    public func holds(all: Bool = false) throws -> [Hold] {
        try database.read { db in
            try db.records(Hold.self, "SELECT * FROM hold WHERE ? <> 0 OR released_at IS NULL ORDER BY id DESC", [all])
        }
    }

    /// Records of a series (for a series hold).
    public func records(series: String) throws -> [ContentID] {
        try database.read { db in try db.column(ContentID.self, "SELECT id FROM record WHERE series = ?", [series]) }
    }

    /// The records ingested from the box named `box`, in the order of their files in it.
    public func records(box: String) throws -> [ContentID] {
        try database.read { db in try db.column(ContentID.self, "SELECT id FROM record WHERE box = ? ORDER BY source, id", [box]) }
    }
}

extension Catalog {
    /// SQL for the retention state of `record` (the table's alias) on `day` (YYYY-MM-DD,
    /// default today), the one definition reports and search filters share: disposition
    /// (destroyed, transferred) first, then holds, no schedule, permanent, due, active. The day
    /// is checked and inlined.
    static func retentionStateSQL(day: String?) -> String {
        var literal = String(Timestamp.string(Date()).prefix(10))
        if let day, day.count == 10, day.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "-") }) { literal = day }
        return """
            CASE
              WHEN EXISTS(SELECT 1 FROM record_disposition d WHERE d.record_id = record.id)
                THEN (SELECT d.state FROM record_disposition d WHERE d.record_id = record.id)
              WHEN EXISTS(SELECT 1 FROM hold_record hr JOIN hold h ON h.id = hr.hold_id
                          WHERE hr.record_id = record.id AND h.released_at IS NULL)
                OR EXISTS(SELECT 1 FROM hold h WHERE h.scope = 'series' AND h.value = record.series AND h.released_at IS NULL)
                THEN 'on-hold'
              WHEN coalesce((SELECT rr.scheduled FROM record_retention rr WHERE rr.record_id = record.id), 0) = 0 THEN 'unscheduled'
              WHEN (SELECT rr.action FROM record_retention rr WHERE rr.record_id = record.id) = 'permanent' THEN 'permanent'
              WHEN (SELECT rr.due_date FROM record_retention rr WHERE rr.record_id = record.id) <= '\(literal)' THEN 'due'
              ELSE 'active'
            END
            """
    }
}
