import Foundation
import SijillCore
import Yams

/// Every schedule in a directory of schedule-set files (`Retention/*.yaml`), by series.
///
/// ```yaml
/// set: ministry-of-justice
/// schedules:
///   LAND-TRANSFER:
///     title: { ar: نقل ملكية الأراضي, en: Land ownership transfers }
///     authority: قانون التسجيل العقاري، المادة 44
///     retain: 30y          # years y, months m, days d: 30y, 6m, 10y6m, 90d
///     trigger: date        # date (manifest) | closed (cut-off recorded later) | ingested
///     action: permanent    # destroy | transfer | permanent | review
/// ```
public struct ScheduleSet: Sendable {
    public private(set) var schedules: [String: Schedule] = [:]
    /// The files read, in order.
    public private(set) var files: [String] = []
    /// SHA-256 over the files' names and bytes: a changed schedule changes it.
    public private(set) var fingerprint: String

    /// The schedule of `series`, if any.
    public func schedule(for series: String?) -> Schedule? { series.flatMap { schedules[$0] } }

    /// Reads and validates every `*.yaml` / `*.yml` file in `directory`. All problems are
    /// collected and thrown together, each naming its file and line.
    public static func load(directory: URL) throws -> ScheduleSet {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
                .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
        } catch {
            throw ScheduleProblems([.init(file: directory.path, line: nil, message: "cannot read the retention directory")])
        }
        var problems: [ScheduleProblem] = []
        var set = ScheduleSet(fingerprint: "")
        var digest = Data()
        for name in names {
            guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent(name).path) else {
                problems.append(.init(file: name, line: nil, message: "cannot read the file"))
                continue
            }
            digest.append(Data(name.utf8))
            digest.append(0)
            digest.append(data)
            set.files.append(name)
            problems += set.add(file: name, data: data)
        }
        if names.isEmpty {
            problems.append(.init(file: directory.path, line: nil, message: "no schedule files (*.yaml) in the retention directory"))
        }
        guard problems.isEmpty else { throw ScheduleProblems(problems) }
        set.fingerprint = ContentID.of(digest).hex
        return set
    }

    init(fingerprint: String) {
        self.fingerprint = fingerprint
    }

    /// Parses one file into the set; returns its problems.
    mutating func add(file: String, data: Data) -> [ScheduleProblem] {
        var problems: [ScheduleProblem] = []
        func problem(_ node: Node?, _ message: String) {
            problems.append(.init(file: file, line: node?.mark?.line, message: message))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return [.init(file: file, line: nil, message: "not UTF-8 text")]
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            return [.init(file: file, line: Self.line(of: error), message: "not valid YAML: \(Self.problem(of: error))")]
        } catch {
            return [.init(file: file, line: nil, message: "not valid YAML")]
        }
        guard let root, let top = root.mapping else {
            return [.init(file: file, line: root?.mark?.line, message: "the file must be a mapping with `set` and `schedules`")]
        }
        for (key, _) in top where !["set", "schedules"].contains(key.string ?? "") {
            problem(key, "unknown field `\(key.string ?? "?")` (expected set, schedules)")
        }
        if top["set"]?.string?.isEmpty ?? true { problem(root, "missing `set` (the name of this schedule set)") }
        guard let list = top["schedules"] else {
            problem(root, "missing `schedules`")
            return problems
        }
        guard let entries = list.mapping, !entries.isEmpty else {
            problem(list, "`schedules` must map each series code to its schedule")
            return problems
        }
        let fields = ["title", "authority", "retain", "trigger", "action"]
        for (seriesNode, body) in entries {
            guard let series = seriesNode.string, !series.isEmpty, series.count <= 100 else {
                problem(seriesNode, "a series code must be text")
                continue
            }
            if let existing = schedules[series] {
                problem(seriesNode, "series \(series) already has a schedule (\(existing.source))")
                continue
            }
            guard let map = body.mapping else {
                problem(body, "series \(series): the schedule must be a mapping of \(fields.joined(separator: ", "))")
                continue
            }
            for (key, _) in map where !fields.contains(key.string ?? "") {
                problem(key, "series \(series): unknown field `\(key.string ?? "?")` (expected \(fields.joined(separator: ", ")))")
            }
            var titleAr = "", titleEn = ""
            if let title = map["title"] {
                if let t = title.mapping {
                    for (key, _) in t where !["ar", "en"].contains(key.string ?? "") {
                        problem(key, "series \(series): unknown title language `\(key.string ?? "?")` (expected ar, en)")
                    }
                    titleAr = t["ar"]?.string ?? ""
                    titleEn = t["en"]?.string ?? ""
                }
                if titleAr.isEmpty { problem(title, "series \(series): `title` needs an Arabic title (`ar`)") }
            } else {
                problem(seriesNode, "series \(series): missing `title` ({ ar: …, en: … })")
            }
            let authority = map["authority"]?.string ?? ""
            if authority.isEmpty { problem(map["authority"] ?? seriesNode, "series \(series): missing `authority` (the law or mandate)") }
            let period = map["retain"]?.string.flatMap(RetentionPeriod.init)
            if period == nil {
                let given = map["retain"]?.string.map { " `\($0)`" } ?? ""
                problem(map["retain"] ?? seriesNode, "series \(series): `retain`\(given) must be a period such as 30y, 6m, 90d or 10y6m (not negative)")
            }
            let trigger = map["trigger"]?.string.flatMap(RetentionTrigger.init)
            if trigger == nil {
                problem(map["trigger"] ?? seriesNode, "series \(series): `trigger` must be one of date, closed, ingested")
            }
            let action = map["action"]?.string.flatMap(DispositionAction.init)
            if action == nil {
                problem(map["action"] ?? seriesNode, "series \(series): `action` must be one of destroy, transfer, permanent, review")
            }
            if let period, let trigger, let action, !titleAr.isEmpty, !authority.isEmpty {
                schedules[series] = Schedule(
                    series: series, titleArabic: titleAr, titleEnglish: titleEn, authority: authority, period: period,
                    trigger: trigger, action: action, source: "\(file):\(seriesNode.mark?.line ?? 0)")
            }
        }
        return problems
    }

    private static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): mark.line
        default: nil
        }
    }

    private static func problem(of error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _): problem
        case .duplicatedKeysInMapping(let duplicates, _): "duplicated keys \(duplicates.joined(separator: ", "))"
        default: "\(error)"
        }
    }
}

/// One thing wrong in a schedule file.
public struct ScheduleProblem: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var message: String

    public var description: String { line.map { "\(file):\($0): \(message)" } ?? "\(file): \(message)" }
}

/// Everything wrong in a retention directory.
public struct ScheduleProblems: Error, Sendable, CustomStringConvertible {
    public var problems: [ScheduleProblem]

    public init(_ problems: [ScheduleProblem]) {
        self.problems = problems
    }

    public var description: String {
        "retention schedules have \(problems.count) problem(s):\n" + problems.map { "  \($0)" }.joined(separator: "\n")
    }
}
