import Hummingbird

/// A URL query string as an HTML form sends it (`application/x-www-form-urlencoded`): `+` is a
/// space and `%2B` a plus. (Hummingbird's `queryParameters` keeps `+`, so a search typed with
/// spaces in the web form would arrive as one word joined by `+`.)
struct QueryFields {
    private var values: [String: String] = [:]

    init(_ request: Request) {
        self.init(raw: request.uri.query ?? "")
    }

    init(raw: String) {
        for pair in raw.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
            }
            guard kv.count == 2, let key = kv[0], let value = kv[1], values[key] == nil else { continue }
            values[key] = value
        }
    }

    /// The value, or nil when absent or empty.
    subscript(_ name: String) -> String? {
        values[name].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Whether the field was sent at all (even empty).
    func has(_ name: String) -> Bool { values[name] != nil }
}
