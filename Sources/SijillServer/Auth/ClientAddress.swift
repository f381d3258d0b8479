import HTTPTypes
import Hummingbird

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
}
