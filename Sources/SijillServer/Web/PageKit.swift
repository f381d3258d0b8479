import HTTPTypes
import Hummingbird

/// What every web page's routes share: the page chrome for the caller (title, who is signed
/// in, the navigation for their role, the session's form token), an error page and a redirect.
extension ServerServices {
    func chrome(_ title: String, _ context: SijillRequestContext) -> PageChrome {
        PageChrome(title: title, archiveName: configuration.archiveName, principal: context.principal,
                   formToken: context.sessionCookie.map(FormToken.value(for:)))
    }

    /// The error page with an Arabic message.
    func errorPage(_ context: SijillRequestContext, _ message: String, status: HTTPResponse.Status) -> Response {
        templates.response("error", ErrorPage(chrome: chrome("تعذّر الطلب", context), message: message), status: status)
    }
}

/// 303 See Other to `location`, never cached.
func seeOther(_ location: String) -> Response {
    Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
}
