import Foundation
import HTTPTypes
import Hummingbird
import SijillCatalog
import SijillCore

/// Finds who is calling: `Authorization: Bearer <API token or access code>`, else the web
/// session cookie. A bad credential is a 401 and counts against the address
/// (``FailureLimiter``); no credential leaves `principal` nil for the route to decide.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = SijillRequestContext
    let services: ServerServices

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        let now = services.now()
        if let header = request.headers[.authorization] {
            let client = services.clientAddress(request, context)
            if services.isBlocked(client, at: now) { throw APIError.tooManyFailures }
            guard let principal = try authenticate(header, at: now) else {
                services.recordAuthFailure(client, target: request.uri.path, at: now)
                throw APIError.unauthorized
            }
            context.principal = principal
        } else if let cookie = request.cookies[WebSession.cookieName]?.value {
            context.principal = try services.sessionPrincipal(cookie, at: now)
            if context.principal != nil { context.sessionCookie = cookie }
        }
        return try await next(request, context)
    }

    private func authenticate(_ header: String, at now: Date) throws -> Principal? {
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let secret = parts[1].trimmingCharacters(in: .whitespaces)
        if secret.hasPrefix("sjt_") {
            return try services.token(secret: secret).map(Principal.staff)
        }
        return try services.catalog.grant(code: secret, at: now).map(Principal.citizen)
    }
}

/// The web session cookie's name and attributes.
enum WebSession {
    static let cookieName = "sijill_session"
}

extension SijillRequestContext {
    /// The caller, or 401.
    func requirePrincipal() throws -> Principal {
        guard let principal else { throw APIError.unauthorized }
        return principal
    }

    /// Staff who may read all content and search (archivist, clerk, admin), or 401/403.
    func requireContentStaff() throws -> Principal {
        let principal = try requirePrincipal()
        guard principal.readsAllContent else { throw APIError.forbidden }
        return principal
    }
}
