import Mustache

/// The web pages' Mustache templates (compiled in). `{{ }}` always escapes; templates never
/// use the unescaped forms, so nothing stored or typed can become markup.
struct WebTemplates: Sendable {
    let library: MustacheLibrary

    init() throws {
        var library = MustacheLibrary()
        for name in ["layout", "login", "search", "record", "access", "citizen", "error", "copy", "boxes", "box"] {
            try library.register(Assets.string("\(name).mustache"), named: name)
        }
        self.library = library
    }

    func render(_ name: String, _ context: Any) -> String {
        library.render(context, withTemplate: name) ?? ""
    }
}
