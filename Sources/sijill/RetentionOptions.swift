import ArgumentParser
import Foundation
import SijillCatalog
import SijillCore
import SijillIngest
import SijillRetention

/// Where the retention schedules are, for commands that use them.
struct RetentionOptions: ParsableArguments {
    @Option(name: .long, help: "Retention schedules directory (default: $SIJILL_RETENTION, else <data dir>/retention, else ./Retention).")
    var retention: String?

    /// The directory to read, or nil when none exists.
    func directory(home: URL) -> URL? {
        if let given = retention ?? ProcessInfo.processInfo.environment["SIJILL_RETENTION"] {
            return URL(fileURLWithPath: given)
        }
        for candidate in [home.appendingPathComponent("retention"), URL(fileURLWithPath: "Retention")] {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), isDirectory.boolValue {
                return candidate
            }
        }
        return nil
    }

    /// The schedules, validated; throws with every problem (file:line) when they are not usable.
    func load(home: URL) throws -> ScheduleSet {
        guard let dir = directory(home: home) else {
            throw SijillInputError.badOption(
                "--retention", reason: "no retention schedules found (looked in $SIJILL_RETENTION, \(home.path)/retention, ./Retention)")
        }
        return try ScheduleSet.load(directory: dir)
    }

    /// The archive at `home` and its schedules, ready to apply.
    func service(home: HomeOptions) throws -> (ArchiveHome, RetentionService) {
        let url = ArchiveHome.resolve(home.home)
        let archive = try ArchiveHome(url: url, store: home.store, catalog: home.catalog, create: false)
        return (archive, RetentionService(catalog: archive.catalog, schedules: try load(home: url)))
    }
}

/// Who is acting, for commands whose action is audited under a name and checked against roles.
struct ActorOptions: ParsableArguments {
    @Option(name: .long, help: "Your API token (default: $SIJILL_TOKEN); the action is recorded under its name.")
    var token: String?

    /// The token, checked to hold one of `roles`.
    func require(_ roles: Set<Role>, in catalog: Catalog) throws -> APIToken {
        guard let secret = token ?? ProcessInfo.processInfo.environment["SIJILL_TOKEN"] else {
            throw SijillInputError.badOption("--token", reason: "this action needs your API token (--token or $SIJILL_TOKEN)")
        }
        guard let found = try catalog.token(secret: secret) else {
            throw SijillInputError.badOption("--token", reason: "the token is unknown or revoked")
        }
        guard roles.contains(found.role) else {
            throw SijillInputError.badOption(
                "--token", reason: "role \(found.role.rawValue) may not do this (needs \(roles.map(\.rawValue).sorted().joined(separator: " or ")))")
        }
        return found
    }
}
