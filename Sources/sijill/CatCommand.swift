import ArgumentParser
import Foundation
import SijillCore
import SijillIngest
import SijillStore

struct CatCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cat",
        abstract: "Write a stored object's bytes to stdout, after checking them against their ID.")

    @Argument(help: "Content ID or a unique prefix of at least 12 hex digits.")
    var id: String

    @OptionGroup var home: HomeOptions

    func run() async throws {
        let data: Data
        do {
            let prefix = try IDPrefix(id)
            let archive = try home.archive(create: false)
            data = try archive.store.get(archive.store.resolveUnique(prefix))
        } catch {
            throw ExitStatus.fail(error)
        }
        FileHandle.standardOutput.write(data)
    }
}
