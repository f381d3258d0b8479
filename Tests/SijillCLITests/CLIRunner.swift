import Foundation
import SijillTestSupport

/// Runs the built `sijill` executable and captures what it prints.
final class ErrBox: @unchecked Sendable {
    var data = Data()
}

struct CLIRunner {
    struct Output {
        var status: Int32
        var stdout: Data
        var stderr: String
        var text: String { String(decoding: stdout, as: UTF8.self) }
    }

    static let executable: URL = {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("sijill"),
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("sijill"),
            FixtureFiles.root.appendingPathComponent(".build/debug/sijill"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[2]
    }()

    static func run(_ arguments: [String], home: URL? = nil) throws -> Output {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments + (home.map { ["--home", $0.path] } ?? [])
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "SIJILL_HOME")
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Drain stderr on another thread so a chatty child cannot block on a full pipe.
        let errBox = ErrBox()
        let done = DispatchSemaphore(value: 0)
        let errHandle = err.fileHandleForReading
        DispatchQueue.global().async {
            errBox.data = errHandle.readDataToEndOfFile()
            done.signal()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        done.wait()
        let errText = String(decoding: errBox.data, as: UTF8.self)
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: outData, stderr: errText)
    }
}
