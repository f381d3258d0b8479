import Foundation
import SijillCatalog
import SijillCore

/// Applies a schedule set to the catalog and reports where every record stands.
///
/// ```swift
/// let retention = RetentionService(catalog: catalog, schedules: try ScheduleSet.load(directory: dir))
/// try retention.apply(actor: "cli", at: Date())
/// let report = try retention.report(asOf: CivilDate(Date()))
/// ```
public struct RetentionService: Sendable {
    public let catalog: Catalog
    public let schedules: ScheduleSet

    public init(catalog: Catalog, schedules: ScheduleSet) {
        self.catalog = catalog
        self.schedules = schedules
    }

    /// The schedule and due date of one record.
    public func compute(_ input: RetentionInput) -> RetentionRow {
        guard let schedule = schedules.schedule(for: input.series) else {
            return RetentionRow(
                recordId: input.record, series: input.series, scheduled: false, action: nil, trigger: nil, period: nil,
                authority: nil, scheduleSource: nil, triggerDate: nil, dueDate: nil)
        }
        var triggerSource: String?
        let triggerDate: String? =
            switch schedule.trigger {
            case .date:
                input.date.flatMap(CivilDate.init)?.text ?? input.extractedDate.flatMap(CivilDate.init).map {
                    triggerSource = "pages"
                    return $0.text
                }
            case .closed: input.closedAt.flatMap(CivilDate.init)?.text
            case .ingested: Timestamp.date(input.ingestedAt).map { CivilDate($0).text }
            }
        return RetentionRow(
            recordId: input.record, series: input.series, scheduled: true, action: schedule.action.rawValue,
            trigger: schedule.trigger.rawValue, period: schedule.period.description, authority: schedule.authority,
            scheduleSource: schedule.source, triggerDate: triggerDate,
            dueDate: triggerDate.flatMap { schedule.period.added(to: $0) }, triggerSource: triggerSource)
    }

    /// Recomputes every record's schedule and due date; returns how many changed. A changed
    /// schedule set is written to the audit log with how many due dates moved.
    @discardableResult
    public func apply(actor: String, at now: Date) throws -> Int {
        let rows = try catalog.retentionInputs().map(compute)
        return try catalog.saveRetention(rows, fingerprint: schedules.fingerprint, actor: actor, at: now)
    }

    /// Where each record stands on `asOf`.
    public func report(asOf: CivilDate, series: String? = nil, record: ContentID? = nil) throws -> RetentionReport {
        let lines = try catalog.retentionFacts(day: asOf.text, series: series, record: record).map { facts in
            RetentionReport.Line(facts, state: RetentionState(rawValue: facts.state) ?? .unscheduled)
        }
        return RetentionReport(asOf: asOf.text, schedules: schedules.fingerprint, lines: lines)
    }
}
