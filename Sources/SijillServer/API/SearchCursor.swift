import Foundation
import SijillCore

/// An opaque pagination cursor: how many records were already shown, bound to the query and
/// filters it was issued for (another query's cursor is refused, not silently misapplied).
struct SearchCursor: Equatable {
    var offset: Int
    var fingerprint: String

    /// The fingerprint of a query and its filters.
    static func fingerprint(_ parts: [String?]) -> String {
        String(ContentID.of(Data(parts.map { $0 ?? "\u{0}" }.joined(separator: "\u{1}").utf8)).hex.prefix(16))
    }

    var encoded: String {
        Data("\(offset).\(fingerprint)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Parses a cursor issued for `fingerprint`; nil when it is malformed or for another query.
    init?(encoded: String, expecting fingerprint: String) {
        var base64 = encoded.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        guard encoded.count <= 64 else { return nil }
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8) else { return nil }
        let parts = text.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2, let offset = Int(parts[0]), offset >= 0, parts[1] == fingerprint else { return nil }
        self.offset = offset
        self.fingerprint = fingerprint
    }

    init(offset: Int, fingerprint: String) {
        self.offset = offset
        self.fingerprint = fingerprint
    }
}
