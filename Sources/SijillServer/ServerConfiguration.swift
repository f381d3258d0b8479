import Foundation

/// How `sijill serve` runs. Defaults suit one office on one machine.
public struct ServerConfiguration: Sendable {
    /// Address to listen on (loopback by default: put a TLS proxy in front to serve a network).
    public var host = "127.0.0.1"
    public var port = 8080
    /// The archive's name, shown on web pages.
    public var archiveName = "سجلّ — الأرشيف الرقمي"
    /// The digits the office reads numbers in on the web pages (counts, page numbers, dates).
    public var digits: OfficeDigits = .western
    /// How long a web sign-in (clerk) or an opened access code (citizen) lasts.
    public var sessionLifetime: Duration = .seconds(8 * 3600)
    /// Failed attempts are counted in the catalog, for every `serve` process on the archive
    /// (off: each process counts its own, in memory).
    public var sharedFailureLimits = true
    /// A web session unused this long ends (before `sessionLifetime`).
    public var sessionIdle: Duration = .seconds(2 * 3600)
    /// Failed token or access-code attempts allowed per client address within `failureWindow`;
    /// beyond that, 429 until the window passes.
    public var maxFailures = 10
    public var failureWindow: Duration = .seconds(15 * 60)
    /// Audit entries for reads are written in batches at least this often.
    public var auditFlushInterval: Duration = .milliseconds(200)
    /// Whether web cookies carry `Secure` (set when serving behind HTTPS).
    public var secureCookies = false
    /// Retention schedules (validated at start); nil: records show no retention state and the
    /// retention report answers 503.
    public var retentionDirectory: URL?
    /// The address citizens and other offices reach this archive at (verification URLs and QR
    /// codes on certified copies); default `http://<host>:<port>`.
    public var publicURL: String?
    /// Addresses of reverse proxies whose `X-Forwarded-For` names the client (for counting
    /// failed attempts per client, not per proxy).
    public var trustedProxies: Set<String> = []
    /// Largest box accepted by `POST /v1/boxes` and the upload page.
    public var maxUploadBytes = 2 << 30
    /// OCR workers for uploaded boxes.
    public var ingestJobs = max(1, ProcessInfo.processInfo.activeProcessorCount)
    /// Whether this server runs uploaded boxes itself (off in tests that run them by hand).
    public var runsBoxJobs = true
    /// Whether this process renders and signs queued certified copies (one low-priority thread).
    public var runsCopyJobs = true

    public init() {}
}
