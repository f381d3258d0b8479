import ArgumentParser
import Foundation
import SijillRetention
import SijillCore
import SijillStore

/// Maps failures to one line on stderr and a documented exit code; no stack traces.
enum ExitStatus {
    static let badInput: Int32 = 2
    static let rejected: Int32 = 3
    static let couldNotRun: Int32 = 4
    static let notFound: Int32 = 5
    static let corrupt: Int32 = 6

    static func fail(_ error: any Error) -> ExitCode {
        let code: Int32
        switch error {
        case let input as SijillInputError: code = input.isNotFound ? notFound : badInput
        case is ScheduleProblems: code = badInput
        case let store as StoreError: code = store.isCorrupt ? corrupt : couldNotRun
        default: code = couldNotRun
        }
        printError("\(error)")
        return ExitCode(code)
    }

    /// A line on stderr that is not an error.
    static func printNote(_ message: String) {
        FileHandle.standardError.write(Data("sijill: \(message)\n".utf8))
    }

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data("sijill: error: \(message)\n".utf8))
    }
}
