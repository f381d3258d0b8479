import Foundation

/// The S3 server the tests run against (SeaweedFS, started by script/s3-server; `script/test`
/// exports `SIJILL_TEST_S3` and the credentials).
public enum TestS3 {
    public struct NotConfigured: Error, CustomStringConvertible {
        public var description: String { "SIJILL_TEST_S3 is not set: script/test starts the S3 server (script/s3-server)" }
    }

    /// A store URL with a key prefix of its own (`label-<random>`), so tests never see each
    /// other's objects. Nil when no server is configured outside CI; on CI that is an error, so
    /// the S3 cases fail rather than pass unseen.
    public static func store(_ label: String) throws -> String? {
        guard let base = ProcessInfo.processInfo.environment["SIJILL_TEST_S3"] else {
            if ProcessInfo.processInfo.environment["CI"] != nil { throw NotConfigured() }
            return nil
        }
        return base + "&prefix=\(label)-\(UUID().uuidString.prefix(8))"
    }
}
