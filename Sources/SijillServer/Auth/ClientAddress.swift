import Foundation
import HTTPTypes
import Hummingbird
import SijillCatalog

/// Which address a request comes from, for counting failed attempts. Behind a reverse proxy
/// every request comes from the proxy, so one client's failures would lock everyone out; when
/// the peer is a trusted proxy, the client is the last address in `X-Forwarded-For` that is not
/// itself a trusted proxy (earlier entries are whatever the client chose to send).
enum ClientAddress {
    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!

    static func resolve(peer: String, forwardedFor values: [String], trusted: Set<String>) -> String {
        guard trusted.contains(peer) else { return peer }
        let hops = values.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        return hops.reversed().first { !$0.isEmpty && !trusted.contains($0) } ?? peer
    }
}

extension ServerServices {
    /// The address failed attempts are counted against (see ``ClientAddress``).
    func clientAddress(_ request: Request, _ context: SijillRequestContext) -> String {
        ClientAddress.resolve(
            peer: context.clientAddress, forwardedFor: request.headers[values: ClientAddress.forwardedFor],
            trusted: configuration.trustedProxies)
    }

    /// Whether `client` has failed too often lately to be let try again.
    func isBlocked(_ client: String, at now: Date) -> Bool { limiter.isBlocked(client, at: now) }

    /// A bad token or access code from `client` (API, web sign-in or citizen form): counted
    /// against it, in /metrics and in the audit log.
    func recordAuthFailure(_ client: String, target: String, at now: Date) {
        limiter.recordFailure(client, at: now)
        metrics.count("sijill_auth_failures_total")
        audit.record(AuditEvent(actor: "address:\(client)", action: "auth.fail", target: target, at: now))
    }
}
