import Crypto
import Foundation

/// AWS Signature Version 4 for one request (header-based authentication), as S3 and every
/// S3-compatible store (MinIO, Ceph RGW, SeaweedFS) check it.
///
/// The signer is pure: it takes the request's parts and the time and returns the headers to add.
/// Checked against AWS's published test suite and the S3 documentation's examples
/// (`Tests/SijillStoreTests/SigV4Tests.swift`).
public struct SigV4Signer: Sendable {
    public var accessKey: String
    public var secretKey: String
    public var region: String
    public var service: String

    public init(accessKey: String, secretKey: String, region: String, service: String = "s3") {
        self.accessKey = accessKey
        self.secretKey = secretKey
        self.region = region
        self.service = service
    }

    /// The SHA-256 of an empty payload (a GET, a HEAD, a DELETE).
    public static let emptyPayloadHash = hex(Data(SHA256.hash(data: Data())))

    /// A request to sign. `path` is the decoded path (`/bucket/objects/ab/cd/…`); it is
    /// URI-encoded once, as S3 expects (S3 neither normalises nor double-encodes paths).
    /// `query` holds decoded names and values. `headers` must include `host`.
    public struct Request: Sendable {
        public var method: String
        public var path: String
        public var query: [(String, String)]
        public var headers: [(String, String)]
        public var payloadHash: String

        public init(method: String, path: String, query: [(String, String)] = [], headers: [(String, String)], payloadHash: String) {
            self.method = method
            self.path = path
            self.query = query
            self.headers = headers
            self.payloadHash = payloadHash
        }
    }

    /// `x-amz-date` format: `20150830T123600Z`.
    public static func amzDate(_ date: Date) -> String {
        let c = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: date)
        return String(format: "%04d%02d%02dT%02d%02d%02dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }

    /// The canonical request (task 1 of the signing process).
    public func canonicalRequest(_ r: Request) -> (text: String, signedHeaders: String) {
        let path = SigV4Signer.encode(r.path, keepSlash: true)
        let pairs: [(name: String, value: String)] = r.query.map {
            (SigV4Signer.encode($0.0, keepSlash: false), SigV4Signer.encode($0.1, keepSlash: false))
        }
        let sorted = pairs.sorted { a, b in a.name != b.name ? a.name < b.name : a.value < b.value }
        let query = sorted.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
        // Header names lower-cased; repeated headers joined by commas in their order; values
        // trimmed, inner runs of spaces made one.
        var merged: [String: [String]] = [:]
        for (name, value) in r.headers {
            let trimmed = value.trimmingCharacters(in: .whitespaces)
                .split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
            merged[name.lowercased(), default: []].append(trimmed)
        }
        let names = merged.keys.sorted()
        let headerLines = names.map { "\($0):\(merged[$0]!.joined(separator: ","))\n" }.joined()
        let signed = names.joined(separator: ";")
        return ([r.method, path, query, headerLines, signed, r.payloadHash].joined(separator: "\n"), signed)
    }

    /// The string to sign (task 2) for a canonical request made at `amzDate`.
    public func stringToSign(canonicalRequest: String, amzDate: String) -> String {
        [
            "AWS4-HMAC-SHA256", amzDate, scope(amzDate),
            SigV4Signer.hex(Data(SHA256.hash(data: Data(canonicalRequest.utf8)))),
        ].joined(separator: "\n")
    }

    /// The `Authorization` header value for `r`, whose headers already carry `x-amz-date`
    /// (equal to `amzDate`).
    public func authorization(_ r: Request, amzDate: String) -> String {
        let (canonical, signed) = canonicalRequest(r)
        let toSign = stringToSign(canonicalRequest: canonical, amzDate: amzDate)
        let day = String(amzDate.prefix(8))
        var key = SymmetricKey(data: Data("AWS4\(secretKey)".utf8))
        for part in [day, region, service, "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key)))
        }
        let signature = SigV4Signer.hex(Data(HMAC<SHA256>.authenticationCode(for: Data(toSign.utf8), using: key)))
        return "AWS4-HMAC-SHA256 Credential=\(accessKey)/\(scope(amzDate)), SignedHeaders=\(signed), Signature=\(signature)"
    }

    /// Signs `r` at `date`: returns its headers plus `x-amz-date`, `x-amz-content-sha256` and
    /// `authorization`.
    public func sign(_ r: Request, at date: Date = Date()) -> [(String, String)] {
        var request = r
        let stamp = SigV4Signer.amzDate(date)
        request.headers.append(("x-amz-date", stamp))
        request.headers.append(("x-amz-content-sha256", r.payloadHash))
        return request.headers + [("authorization", authorization(request, amzDate: stamp))]
    }

    private func scope(_ amzDate: String) -> String {
        "\(amzDate.prefix(8))/\(region)/\(service)/aws4_request"
    }

    /// RFC 3986 percent-encoding of everything but the unreserved characters (and `/` in paths).
    static func encode(_ s: String, keepSlash: Bool) -> String {
        var out = ""
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: "/") where keepSlash:
                out += "/"
            default:
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }

    static func hex(_ data: Data) -> String { data.map { String(format: "%02x", $0) }.joined() }
}
