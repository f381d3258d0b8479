import Foundation

/// Prints a value as pretty JSON on stdout: sorted keys, Arabic and slashes unescaped.
enum JSONOutput {
    static func print(_ value: some Encodable) throws {
        FileHandle.standardOutput.write(Data(try text(value).utf8))
    }

    /// The same JSON as text, with a final newline.
    static func text(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    }
}

/// Exports (reports, audit log): to `--out FILE` (written whole, atomically) or stdout.
enum ExportOutput {
    /// Writes `text`; returns true when it went to a file (so the caller can say so).
    static func write(_ text: String, to path: String?) throws -> Bool {
        guard let path else {
            FileHandle.standardOutput.write(Data(text.utf8))
            return false
        }
        try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        return true
    }
}
