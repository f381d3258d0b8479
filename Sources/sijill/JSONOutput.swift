import Foundation

/// Prints a value as pretty JSON on stdout: sorted keys, Arabic and slashes unescaped.
enum JSONOutput {
    static func print(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        FileHandle.standardOutput.write(try encoder.encode(value))
        Swift.print()
    }
}
