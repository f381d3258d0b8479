import Foundation
import Testing
import SijillCatalog
import SijillCore
@testable import SijillRetention
import SijillTestSupport

@Suite struct ScheduleTests {
    @Test("the committed schedule set loads and covers every series in the fixture boxes")
    func committedSet() throws {
        let set = try ScheduleSet.load(directory: FixtureFiles.root.appendingPathComponent("Retention"))
        let data = try Data(contentsOf: FixtureFiles.fixtures.appendingPathComponent("expected.json"))
        let boxes = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        var series = Set<String>()
        for case let box as [String: Any] in (boxes["boxes"] as! [String: Any]).values {
            for case let record as [String: Any] in box["records"] as! [Any] {
                if let s = record["series"] as? String { series.insert(s) }
            }
        }
        #expect(!series.isEmpty)
        for s in series { #expect(set.schedule(for: s) != nil, "series \(s) has no schedule") }
    }

    @Test("every problem in a schedule file is reported with its file and line")
    func problems() throws {
        let bad = """
            set: broken
            colour: blue
            schedules:
              TAX:
                title: { ar: إيصالات }
                authority: قانون
                retain: -5y
                trigger: date
                action: shred
              CASE:
                title: { en: Cases }
                retain: 15y
                trigger: someday
                action: review
                owner: x
            """
        let other = """
            set: second
            schedules:
              TAX:
                title: { ar: مكرر }
                authority: قانون
                retain: 1y
                trigger: date
                action: destroy
            """
        let fixture = try RetentionFixture(schedules: ["a.yaml": bad, "b.yaml": other, "c.yaml": "set: [unclosed"])
        let error = try #require(throws: ScheduleProblems.self) { try ScheduleSet.load(directory: fixture.dir) }
        let lines = error.problems.map(\.description)
        func has(_ file: String, _ line: Int, _ words: String) -> Bool {
            lines.contains { $0.hasPrefix("\(file):\(line):") && $0.contains(words) }
        }
        #expect(has("a.yaml", 2, "unknown field `colour`"))
        #expect(has("a.yaml", 7, "`retain` `-5y`"))
        #expect(has("a.yaml", 9, "`action`"))
        #expect(has("a.yaml", 11, "Arabic title"))
        #expect(has("a.yaml", 10, "missing `authority`"))
        #expect(has("a.yaml", 13, "`trigger`"))
        #expect(has("a.yaml", 15, "unknown field `owner`"))
        #expect(lines.contains { $0.hasPrefix("c.yaml:") && $0.contains("not valid YAML") })
        // a.yaml's TAX is invalid, so b.yaml's TAX is not a duplicate; make it one:
        let twice = try RetentionFixture(schedules: ["a.yaml": other, "b.yaml": other.replacingOccurrences(of: "second", with: "third")])
        let dup = try #require(throws: ScheduleProblems.self) { try ScheduleSet.load(directory: twice.dir) }
        #expect(dup.problems.map(\.description).contains { $0.hasPrefix("b.yaml:3:") && $0.contains("already has a schedule (a.yaml:3)") })
    }

    @Test("periods and partial dates: never due before the last day a date could mean", arguments: [
        ("10y", "1982-03-14", "1992-03-14"), ("10y", "1982", "1992-12-31"), ("6m", "2020-08", "2021-02-28"),
        ("1y", "2024-02-29", "2025-02-28"), ("90d", "2020-01-01", "2020-03-31"), ("10y6m", "2000-01-31", "2010-07-31"),
        ("0d", "1999-05-05", "1999-05-05"),
    ])
    func dueDates(period: String, date: String, due: String) throws {
        let p = try #require(RetentionPeriod(period))
        let start = try #require(CivilDate(date)).text
        #expect(p.added(to: start) == due)
    }

    @Test("bad periods are refused", arguments: ["", "-5y", "10", "y", "5x", "1y1y", "1.5y"])
    func badPeriods(text: String) {
        #expect(RetentionPeriod(text) == nil)
    }
}
