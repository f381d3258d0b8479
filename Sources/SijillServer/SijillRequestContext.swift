import Hummingbird
import Logging
import NIOCore

/// Per-request state: the caller (set by ``AuthMiddleware``) and their address.
public struct SijillRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set when the request carried a valid token, session or access code.
    public var principal: Principal?
    /// The web session cookie the caller signed in with (form tokens are derived from it).
    public var sessionCookie: String?
    /// The client's IP address (rate limiting of failed attempts).
    public let clientAddress: String

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        clientAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }

    /// Uploads are not accepted beyond this (verification uploads come later).
    public var maxUploadSize: Int { 64 << 20 }
}
