import Foundation

/// Bearer secrets: API tokens and citizens' access codes. Only their SHA-256 is stored.
public enum Secret {
    /// A new API token: `sjt_` and 43 characters of base64url (256 random bits).
    public static func makeToken() -> String {
        "sjt_" + Data(randomBytes(32)).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// A new access code for a citizen: 25 characters of Crockford base32 (125 random bits) in
    /// five groups, e.g. `7KQ2M-X9D4T-…`; no I, L, O or U, so it survives being read aloud.
    public static func makeAccessCode() -> String {
        let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
        var rng = SystemRandomNumberGenerator()
        let chars = (0..<25).map { _ in alphabet[Int.random(in: 0..<32, using: &rng)] }
        return stride(from: 0, to: 25, by: 5).map { String(chars[$0..<$0 + 5]) }.joined(separator: "-")
    }

    /// An access code as typed: case, spaces and dashes ignored, O → 0, I and L → 1,
    /// Arabic-Indic digits → 0–9. Nil when anything else is left or the length is wrong.
    public static func normalizeAccessCode(_ typed: String) -> String? {
        var out = ""
        for scalar in typed.uppercased().unicodeScalars {
            switch scalar {
            case " ", "-", "\u{2010}", "\u{2011}", "\u{2013}", "\t": continue
            case "O": out.append("0")
            case "I", "L": out.append("1")
            case "\u{0660}"..."\u{0669}": out.append(Character(Unicode.Scalar(scalar.value - 0x0660 + 0x30)!))
            case "\u{06F0}"..."\u{06F9}": out.append(Character(Unicode.Scalar(scalar.value - 0x06F0 + 0x30)!))
            case "0"..."9", "A"..."Z":
                guard scalar != "U" else { return nil }
                out.unicodeScalars.append(scalar)
            default: return nil
            }
        }
        guard out.count == 25 else { return nil }
        return stride(from: 0, to: 25, by: 5).map { i in
            String(out[out.index(out.startIndex, offsetBy: i)..<out.index(out.startIndex, offsetBy: i + 5)])
        }.joined(separator: "-")
    }

    /// The stored form of a secret (its SHA-256, hex). Secrets carry 125+ random bits, so a
    /// fast hash is enough: there is nothing to guess from.
    public static func hash(_ secret: String) -> String { ContentID.of(Data(secret.utf8)).hex }

    /// `count` random bytes as lowercase hex (session IDs, copy IDs).
    public static func randomHex(_ count: Int) -> String {
        randomBytes(count).map { String(format: "%02x", $0) }.joined()
    }

    static func randomBytes(_ count: Int) -> [UInt8] {
        var rng = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
    }
}
