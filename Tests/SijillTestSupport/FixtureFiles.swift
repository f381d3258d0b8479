import Foundation
import SijillCore

/// Paths into `Fixtures/` and the facts `Fixtures/expected.json` records about them.
public enum FixtureFiles {
    /// The repository root (found from this file's location).
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static let fixtures = root.appendingPathComponent("Fixtures")

    /// `Fixtures/boxes/<name>`.
    public static func box(_ name: String) -> URL { fixtures.appendingPathComponent("boxes/\(name)") }

    /// `Fixtures/bad/<name>`.
    public static func bad(_ name: String) -> URL { fixtures.appendingPathComponent("bad/\(name)") }

    /// `Fixtures/hostile/<name>` (see `Fixtures/hostile/cases.json`).
    public static func hostile(_ name: String) -> URL { fixtures.appendingPathComponent("hostile/\(name)") }

    /// The ground truth text of a page: `Fixtures/groundtruth/<box>/<path>[.<n>].gt.txt`.
    public static func groundTruth(box: String, path: String, tiffPage: Int? = nil) throws -> String {
        let suffix = tiffPage.map { ".\($0)" } ?? ""
        let url = fixtures.appendingPathComponent("groundtruth/\(box)/\(path)\(suffix).gt.txt")
        return try String(contentsOf: url, encoding: .utf8)
    }

    /// A record the fixture generator put in a box.
    public struct ExpectedRecord: Decodable, Sendable {
        public var file: String
        public var pages: Int
        public var series: String?
        public var reference: String?
        public var name: String
        public var name_plain: String
        public var number: String
        public var extra: [String: String]?
    }

    public struct ExpectedBox: Decodable, Sendable {
        public var total_pages: Int
        public var records: [ExpectedRecord]
    }

    struct Expected: Decodable {
        var boxes: [String: ExpectedBox]
    }

    /// What `Fixtures/expected.json` says `box` holds.
    public static func expected(_ box: String) throws -> ExpectedBox {
        let data = try Data(contentsOf: fixtures.appendingPathComponent("expected.json"))
        let all = try JSONDecoder().decode(Expected.self, from: data)
        guard let found = all.boxes[box] else { throw CocoaError(.fileNoSuchFile) }
        return found
    }

    /// A page of the degraded set (`Fixtures/degraded/index.json`, made by
    /// `Fixtures/tools/make_degraded.py`).
    public struct DegradedPage: Decodable, Sendable {
        public var file: String
        public var groundtruth: String
        public var kind: String
        public var font: String
        public var turned: Int
        public var dpi: [Int]

        public var url: URL { fixtures.appendingPathComponent("degraded/\(file)") }
        public func truth() throws -> String {
            try String(contentsOf: fixtures.appendingPathComponent("degraded/\(groundtruth)"), encoding: .utf8)
        }
    }

    /// The pages of the degraded set, in index order.
    public static func degraded() throws -> [DegradedPage] {
        struct Index: Decodable { var pages: [DegradedPage] }
        let data = try Data(contentsOf: fixtures.appendingPathComponent("degraded/index.json"))
        return try JSONDecoder().decode(Index.self, from: data).pages
    }

    /// A fresh empty directory under the system temporary directory.
    public static func temporaryDirectory(_ label: String = "sijill-test") throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(label)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
