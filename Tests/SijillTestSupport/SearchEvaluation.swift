import Foundation

/// `Fixtures/search-eval.json`: clerk-typed queries and the records they must find.
public struct SearchEvaluation: Decodable, Sendable {
    public struct Target: Decodable, Sendable, Hashable {
        public var box: String
        public var file: String

        public init(box: String, file: String) {
            self.box = box
            self.file = file
        }
    }

    public struct Query: Decodable, Sendable {
        public var query: String
        public var kind: String
        public var expect: [Target]
        public var printed: String?
    }

    public var queries: [Query]

    public static func load() throws -> SearchEvaluation {
        try JSONDecoder().decode(
            SearchEvaluation.self, from: Data(contentsOf: FixtureFiles.fixtures.appendingPathComponent("search-eval.json")))
    }
}

extension FixtureFiles {
    /// Every page of a box's records with its ground-truth text, by record file.
    public static func groundTruthRecords(_ box: String) throws -> [(file: String, pages: [String])] {
        struct PageFile: Decodable {
            var path: String
            var tiff_page: Int?
        }
        struct Record: Decodable {
            var file: String
            var page_files: [PageFile]
        }
        struct Box: Decodable { var records: [Record] }
        struct All: Decodable { var boxes: [String: Box] }
        let all = try JSONDecoder().decode(All.self, from: Data(contentsOf: fixtures.appendingPathComponent("expected.json")))
        let name = box.replacingOccurrences(of: ".tar.gz", with: "").replacingOccurrences(of: ".zip", with: "")
        return try (all.boxes[box]?.records ?? []).map { record in
            (
                record.file.hasSuffix("/") ? String(record.file.dropLast()) : record.file,
                try record.page_files.map { try groundTruth(box: name, path: $0.path, tiffPage: $0.tiff_page) }
            )
        }
    }
}
