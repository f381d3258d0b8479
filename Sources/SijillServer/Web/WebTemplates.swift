import HTTPTypes
import Hummingbird
import Mustache
import NIOCore

/// The web pages' Mustache templates (compiled in). `{{ }}` always escapes; templates never
/// use the unescaped forms, so nothing stored or typed can become markup.
struct WebTemplates: Sendable {
    let library: MustacheLibrary
    var digits: OfficeDigits = .western

    init() throws {
        var library = MustacheLibrary()
        for name in [
            "layout", "login", "search", "record", "access", "citizen", "error", "verify", "copyform", "copyrequest", "staff", "rescan", "boxes", "box",
        ] {
            try library.register(Assets.string("\(name).mustache"), named: name)
        }
        self.library = library
    }

    func render(_ name: String, _ context: Any) -> String {
        digits.apply(toHTML: library.render(context, withTemplate: name) ?? "")
    }
}

extension WebTemplates {
    /// A rendered page with the headers every page carries (no caching, a strict CSP, no
    /// sniffing, no referrer); `refresh`: the page reloads itself every 5 s (progress, no script).
    func response(
        _ name: String, _ context: Any, status: HTTPResponse.Status = .ok, refresh: Bool = false, every seconds: Int = 5
    ) -> Response {
        var headers: HTTPFields = [
            .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
            .contentSecurityPolicy: "default-src 'none'; img-src 'self'; style-src 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none'",
            .xContentTypeOptions: "nosniff",
            HTTPField.Name("Referrer-Policy")!: "no-referrer",
        ]
        if refresh { headers[HTTPField.Name("Refresh")!] = String(seconds) }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: render(name, context))))
    }
}
