import Crypto
import Foundation
import SijillCore
@_spi(CMS) import X509

/// The archive's signing keys in `<data dir>/keys/`: for each key, `<id>.key.pem` (PKCS#8,
/// mode 0600) and `<id>.cert.pem`, where the ID is the SHA-256 of the certificate (DER). One key
/// is active (it signs new copies); older ones stay to verify old copies; a revoked key's
/// copies verify as revoked. `keys.json` lists them.
public struct SigningKeys: Sendable {
    public struct Entry: Sendable, Codable, Hashable {
        public var id: String
        public var subject: String
        public var createdAt: String
        public var notAfter: String
        public var active: Bool
        public var revokedAt: String?
        public var revocationReason: String?

        enum CodingKeys: String, CodingKey {
            case id, subject, active
            case createdAt = "created_at"
            case notAfter = "not_after"
            case revokedAt = "revoked_at"
            case revocationReason = "revocation_reason"
        }
    }

    public let directory: URL

    public init(home: URL) {
        directory = home.appendingPathComponent("keys", isDirectory: true)
    }

    public func entries() throws -> [Entry] {
        let index = directory.appendingPathComponent("keys.json")
        guard let data = FileManager.default.contents(atPath: index.path) else { return [] }
        return try JSONDecoder().decode([Entry].self, from: data)
    }

    private func save(_ entries: [Entry]) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(entries).write(to: directory.appendingPathComponent("keys.json"), options: .atomic)
    }

    /// Creates a P-256 key and a self-signed certificate naming the archive, valid `years`,
    /// and makes it the active key.
    @discardableResult
    public func create(archiveName: String, years: Int = 10, at now: Date) throws -> Entry {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName {
            CommonName(archiveName)
            OrganizationName("Sijill archive")
        }
        let certificate = try Certificate(
            // 16 random bytes, first one below 0x80: a positive serial of at most 20 octets
            // (NSS, and so poppler's pdfsig, refuses certificates whose serial takes 21).
            version: .v3, serialNumber: .init(bytes: [UInt8.random(in: 1...0x7F)] + (0..<15).map { _ in UInt8.random(in: 0...255) }),
            publicKey: .init(key.publicKey),
            notValidBefore: now.addingTimeInterval(-300), notValidAfter: now.addingTimeInterval(Double(years) * 365.25 * 86_400),
            issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(digitalSignature: true, nonRepudiation: true, keyCertSign: true))
                SubjectKeyIdentifier(hash: .init(key.publicKey))
            },
            issuerPrivateKey: .init(key))
        return try add(keyPEM: key.pemRepresentation, certificate: certificate, at: now)
    }

    /// Imports a key and certificate issued elsewhere (e.g. by the government CA), as PEM.
    @discardableResult
    public func importPEM(key keyPEM: String, certificate certificatePEM: String, at now: Date) throws -> Entry {
        let certificate = try Certificate(pemEncoded: certificatePEM)
        let key = try P256.Signing.PrivateKey(pemRepresentation: keyPEM)
        guard Certificate.PublicKey(key.publicKey) == certificate.publicKey else {
            throw SijillInputError.badOption("--key", reason: "the key does not belong to the certificate")
        }
        return try add(keyPEM: key.pemRepresentation, certificate: certificate, at: now)
    }

    private func add(keyPEM: String, certificate: Certificate, at now: Date) throws -> Entry {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let der = try certificate.serializeAsPEM().derBytes
        let id = ContentID.of(Data(der)).hex
        let keyFile = directory.appendingPathComponent("\(id).key.pem")
        // Created 0600 before any byte is written.
        guard FileManager.default.createFile(atPath: keyFile.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw SijillInputError.badOption("keys", reason: "cannot create \(keyFile.path)")
        }
        try Data(keyPEM.utf8).write(to: keyFile)
        try Data(try certificate.serializeAsPEM().pemString.utf8)
            .write(to: directory.appendingPathComponent("\(id).cert.pem"), options: .atomic)
        var list = try entries().map { var e = $0; e.active = false; return e }
        let entry = Entry(
            id: id, subject: certificate.subject.description, createdAt: Timestamp.string(now),
            notAfter: Timestamp.string(certificate.notValidAfter), active: true, revokedAt: nil, revocationReason: nil)
        list.removeAll { $0.id == id }
        list.append(entry)
        try save(list)
        return entry
    }

    /// Marks key `id` (or a unique prefix) revoked: copies it signed verify as revoked. If it
    /// was active, no key is active until `keys init` or `keys import`.
    public func revoke(_ prefix: String, reason: String, at now: Date) throws -> Entry {
        var list = try entries()
        let matches = list.indices.filter { list[$0].id.hasPrefix(prefix.lowercased()) }
        guard matches.count == 1, let i = matches.first else {
            throw matches.isEmpty ? SijillInputError.notFound(prefix, kind: "signing key")
                : SijillInputError.ambiguous(prefix, candidates: matches.count)
        }
        list[i].revokedAt = Timestamp.string(now)
        list[i].revocationReason = reason
        list[i].active = false
        try save(list)
        return list[i]
    }

    /// The certificate of key `id`.
    public func certificate(_ id: String) throws -> Certificate {
        let url = directory.appendingPathComponent("\(id).cert.pem")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { throw SijillInputError.notFound(id, kind: "signing key") }
        return try Certificate(pemEncoded: text)
    }

    /// The active key and its certificate.
    public func active() throws -> (entry: Entry, key: P256.Signing.PrivateKey, certificate: Certificate) {
        guard let entry = try entries().first(where: { $0.active && $0.revokedAt == nil }) else {
            throw SijillInputError.badOption("keys", reason: "no active signing key: run `sijill keys init` (or `keys import`)")
        }
        let pem = try String(contentsOf: directory.appendingPathComponent("\(entry.id).key.pem"), encoding: .utf8)
        return (entry, try P256.Signing.PrivateKey(pemRepresentation: pem), try certificate(entry.id))
    }

    /// A detached CMS signature (DER) over `bytes` by the active key, with its certificate and
    /// the signing time — what `openssl cms -verify -binary -content F -inform DER` accepts.
    public func signDetached(_ bytes: Data, at now: Date) throws -> (signature: [UInt8], keyID: String) {
        let (entry, key, certificate) = try active()
        let signature = try CMS.sign(
            bytes, signatureAlgorithm: .ecdsaWithSHA256, certificate: certificate, privateKey: .init(key), signingTime: now,
            detached: true)
        return (signature, entry.id)
    }
}
