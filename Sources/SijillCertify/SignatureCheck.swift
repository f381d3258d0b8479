import Foundation
import SijillCore
@_spi(CMS) import X509

/// Whether a detached CMS signature covers exactly these bytes, made by a key this archive
/// knows (and whether that key was revoked).
public enum SignatureCheck: Sendable, Equatable {
    /// Signed by key `keyID`, bytes unmodified.
    case valid(keyID: String)
    /// Signed by key `keyID`, bytes unmodified, but the key was revoked (at, reason).
    case revoked(keyID: String, at: String, reason: String?)
    /// The signature does not match the bytes (modified), or is malformed.
    case invalid(String)
    /// A valid CMS signature by a key this archive does not know.
    case unknownSigner(String)

    /// Checks `signature` over `bytes` against `certificates` (the archive's, old and new),
    /// `revoked` (key ID → (time, reason)), at `time` for certificate validity.
    public static func check(
        bytes: Data, signature: [UInt8], certificates: [Certificate], revoked: [String: (String, String?)], at time: Date
    ) async -> SignatureCheck {
        let known = Dictionary(certificates.compactMap { c -> (String, Certificate)? in
            guard let der = try? c.serializeAsPEM().derBytes else { return nil }
            return (ContentID.of(Data(der)).hex, c)
        }, uniquingKeysWith: { a, _ in a })
        let result = await CMS.isValidSignature(
            dataBytes: bytes, signatureBytes: signature, trustRoots: CertificateStore(Array(known.values))
        ) {
            RFC5280Policy(validationTime: time)
        }
        switch result {
        case .success(let valid):
            guard let der = try? valid.signer.serializeAsPEM().derBytes else { return .invalid("unreadable signer certificate") }
            let id = ContentID.of(Data(der)).hex
            if let (at, reason) = revoked[id] { return .revoked(keyID: id, at: at, reason: reason) }
            return .valid(keyID: id)
        case .failure(let error):
            let text = String(describing: error)
            if text.contains("unableToValidateSigner") || text.contains("untrusted") || text.contains("Unable to validate") {
                return .unknownSigner(text)
            }
            return .invalid(text)
        }
    }

    public static func == (a: SignatureCheck, b: SignatureCheck) -> Bool {
        switch (a, b) {
        case (.valid(let x), .valid(let y)): x == y
        case (.revoked(let x, _, _), .revoked(let y, _, _)): x == y
        case (.invalid, .invalid), (.unknownSigner, .unknownSigner): true
        default: false
        }
    }
}
