import Foundation
import GRDB
import Testing
import SijillCatalog
import SijillCore
@testable import SijillRetention

@Suite struct RetentionTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)  // 2027-01-15

    func state(_ service: RetentionService, _ id: ContentID, on day: String) throws -> RetentionState? {
        try service.report(asOf: #require(CivilDate(day))).lines.first { $0.record == id.hex }?.state
    }

    @Test("states move with time (an injected day), holds stop them, and every record gets a state")
    func statesThroughTime() throws {
        let f = try RetentionFixture(schedules: ["s.yaml": exampleSchedules])
        let tax = try f.record(series: "TAX", date: "2001-06-30")
        let land = try f.record(series: "LAND", date: "1950")
        let none = try f.record(series: "UNKNOWN", date: "2001-01-01")
        let noSeries = try f.record(series: nil, date: nil)
        let log = try f.record(series: "LOG", date: nil, ingested: "2026-03-01T10:00:00Z")
        let service = try f.service()
        try service.apply(actor: "test", at: now)
        #expect(try state(service, tax, on: "2011-06-29") == .active)
        #expect(try state(service, tax, on: "2011-06-30") == .due)
        #expect(try state(service, land, on: "2099-01-01") == .permanent)
        #expect(try state(service, none, on: "2099-01-01") == .unscheduled)
        #expect(try state(service, noSeries, on: "2099-01-01") == .unscheduled)
        #expect(try state(service, log, on: "2026-08-31") == .active)
        #expect(try state(service, log, on: "2026-09-01") == .due)
        let report = try service.report(asOf: #require(CivilDate("2030-01-01")))
        #expect(report.lines.count == 5)
        #expect(report.lines.first { $0.record == none.hex }?.note == "series UNKNOWN has no retention schedule")

        // A hold: on hold whatever the date; another person releases it.
        let hold = try f.catalog.placeHold(reason: "دعوى 12", scope: "record", value: tax.hex, records: [tax], actor: "token:a", at: now)
        #expect(try state(service, tax, on: "2030-01-01") == .onHold)
        #expect(throws: SijillInputError.self) { try f.catalog.releaseHold(hold.id, reason: "done", actor: "token:a", at: now) }
        _ = try f.catalog.releaseHold(hold.id, reason: "done", actor: "token:b", at: now)
        #expect(try state(service, tax, on: "2030-01-01") == .due)
        // A series hold also covers records of the series ingested after it was placed.
        _ = try f.catalog.placeHold(reason: "تدقيق", scope: "series", value: "TAX", records: [tax], actor: "token:a", at: now)
        let later = try f.record(series: "TAX", date: "1990-01-01")
        try service.apply(actor: "test", at: now)
        #expect(try state(service, later, on: "2030-01-01") == .onHold)
    }

    @Test("a `date` schedule counts from the date read from the pages when the manifest has none, from a partial date's last day, and says so")
    func extractedTrigger() throws {
        let f = try RetentionFixture(schedules: ["s.yaml": exampleSchedules])
        let day = try f.record(series: "TAX", date: nil, title: "إيصال\nالتاريخ: 14 آذار 1982\n")
        let month = try f.record(series: "TAX", date: nil, title: "إيصال\nالتاريخ: آذار 1983\n")
        let manifest = try f.record(series: "TAX", date: "2001-06-30", title: "إيصال\nالتاريخ: 14 آذار 1982\n")
        let service = try f.service()
        try service.apply(actor: "test", at: now)
        #expect(try state(service, day, on: "1992-03-13") == .active)
        #expect(try state(service, day, on: "1992-03-14") == .due)
        #expect(try state(service, month, on: "1993-03-30") == .active)
        #expect(try state(service, month, on: "1993-03-31") == .due)
        // The manifest's date comes first.
        #expect(try state(service, manifest, on: "2011-06-29") == .active)
        let lines = try service.report(asOf: #require(CivilDate("1990-01-01"))).lines
        #expect(lines.first { $0.record == day.hex }?.triggerDate == "1982-03-14")
        #expect(lines.first { $0.record == day.hex }?.note?.contains("read from the pages") == true)
        #expect(lines.first { $0.record == manifest.hex }?.note == nil)
    }

    @Test("a `closed` schedule waits for its cut-off, then counts from it")
    func closedTrigger() throws {
        let f = try RetentionFixture(schedules: ["s.yaml": exampleSchedules])
        let id = try f.record(series: "CASE", date: "1995-06-08")
        let service = try f.service()
        try service.apply(actor: "test", at: now)
        let before = try service.report(asOf: #require(CivilDate("2090-01-01"))).lines[0]
        #expect(before.state == .active && before.dueDate == nil && before.note?.contains("cut-off") == true)
        try f.catalog.closeRecords([id], on: "2000-02-01", actor: "token:a", at: now)
        try service.apply(actor: "test", at: now)
        let after = try service.report(asOf: #require(CivilDate("2015-02-01"))).lines[0]
        #expect(after.dueDate == "2015-02-01" && after.state == .due)
    }

    @Test("changing a schedule recomputes due dates and is audited")
    func scheduleChange() throws {
        let f = try RetentionFixture(schedules: ["s.yaml": exampleSchedules])
        let id = try f.record(series: "TAX", date: "2001-06-30")
        try f.service().apply(actor: "test", at: now)
        try Data(exampleSchedules.replacingOccurrences(of: "retain: 10y", with: "retain: 12y").utf8)
            .write(to: f.dir.appendingPathComponent("s.yaml"))
        let changed = try f.service().apply(actor: "token:records-manager", at: now)
        #expect(changed == 1)
        #expect(try f.service().report(asOf: #require(CivilDate("2000-01-01"))).lines.first { $0.record == id.hex }?.dueDate == "2013-06-30")
        let change = try f.catalog.auditEntries(limit: 1_000).last { $0.action == "retention.schedule.change" }
        #expect(change?.actor == "token:records-manager")
        #expect(change?.detail.contains("\"due_dates_moved\":\"1\"") == true)
        // Applying the same schedules again changes nothing and writes no change entry.
        let before = try f.catalog.auditEntries(limit: 1_000).count
        #expect(try f.service().apply(actor: "test", at: now) == 0)
        #expect(try f.catalog.auditEntries(limit: 1_000).count == before)
    }

    @Test("the CSV opens in Excel with Arabic: BOM, CRLF, RFC 4180 quotes, formulas neutralised")
    func csv() throws {
        let f = try RetentionFixture(schedules: ["s.yaml": exampleSchedules])
        try f.record(series: "TAX", date: "2001-06-30", title: "=HYPERLINK(\"http://x\",\"اضغط\")")
        try f.record(series: "TAX", date: "2002-01-01", title: "إيصال، رقم \"٧\"\nسطر ثان")
        let service = try f.service()
        try service.apply(actor: "test", at: now)
        let text = try service.report(asOf: #require(CivilDate("2030-01-01"))).csv()
        #expect(text.hasPrefix("\u{FEFF}"))
        #expect(text.contains("\r\n"))
        #expect(text.contains("\"'=HYPERLINK(\"\"http://x\"\",\"\"اضغط\"\")\""))
        #expect(text.contains("\"إيصال، رقم \"\"٧\"\"\nسطر ثان\""))
        #expect(!text.contains(",=HYPERLINK"))
        #expect(CSVCell.escape("+1") == "'+1" && CSVCell.escape("@x") == "'@x" && CSVCell.escape("-2") == "'-2")
        #expect(CSVCell.escape("a,b") == "\"a,b\"" && CSVCell.escape("عادي") == "عادي")
    }

    @Test("search filters by retention state, as the report decides it")
    func searchByState() throws {
        let f = try RetentionFixture(schedules: ["s.yaml": exampleSchedules])
        let due = try f.record(series: "TAX", date: "2001-06-30", title: "ملف")
        let active = try f.record(series: "TAX", date: "2030-01-01", title: "ملف")
        let none = try f.record(series: nil, date: nil, title: "ملف")
        try f.service().apply(actor: "test", at: now)
        func found(_ state: String) throws -> Set<ContentID> {
            var filters = try SearchFilters(retentionState: state)
            filters.stateDay = "2027-01-15"
            return Set(try f.catalog.searchRecords(SearchQuery("ملف"), filters: filters).map(\.record))
        }
        #expect(try found("due") == [due])
        #expect(try found("active") == [active])
        #expect(try found("unscheduled") == [none])
        _ = try f.catalog.placeHold(reason: "x", scope: "series", value: "TAX", records: [], actor: "token:a", at: now)
        #expect(try found("on-hold") == [due, active])
        #expect(throws: SijillInputError.self) { try SearchFilters(retentionState: "lost") }
    }
}
