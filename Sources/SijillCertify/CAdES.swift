import Crypto
import Foundation
@_spi(CMS) import X509

/// A detached CMS SignedData for PDF signatures in the PAdES baseline-B form
/// (`ETSI.CAdES.detached`): signed attributes content-type, message-digest and the ESS
/// signing-certificate-v2 (binding the signing certificate by its SHA-256), no signing-time
/// attribute (the PDF's `/M` carries the time), the certificate included. Encoded here with a
/// small DER writer: swift-certificates' CMS builder does not take extra signed attributes.
enum CAdES {
    static func sign(_ content: Data, key: P256.Signing.PrivateKey, certificate: Certificate) throws -> [UInt8] {
        let certDER = try certificate.serializeAsPEM().derBytes
        let (serial, issuer) = try issuerAndSerial(certDER)
        let sha256 = oid([2, 16, 840, 1, 101, 3, 4, 2, 1])
        let digest = Array(SHA256.hash(data: content))
        let certHash = Array(SHA256.hash(data: certDER))
        let attributes = [
            // content-type: id-data
            seq(oid([1, 2, 840, 113549, 1, 9, 3]) + set(oid([1, 2, 840, 113549, 1, 7, 1]))),
            // message-digest
            seq(oid([1, 2, 840, 113549, 1, 9, 4]) + set(tlv(0x04, digest))),
            // signing-certificate-v2: { certs { ESSCertIDv2 { certHash, issuerSerial { issuer GeneralNames, serial } } } }
            seq(oid([1, 2, 840, 113549, 1, 9, 16, 2, 47]) + set(seq(seq(seq(
                tlv(0x04, certHash) + seq(seq(tlv(0xA4, issuer)) + serial)))))),
        ]
        // The signature covers the attributes DER-encoded as a SET (sorted, as DER requires).
        let signedAttributes = set(attributes.sorted { $0.lexicographicallyPrecedes($1) }.flatMap { $0 })
        let signature = try key.signature(for: signedAttributes).derRepresentation
        let signerInfo = seq(
            tlv(0x02, [1])  // version 1: issuerAndSerialNumber
                + seq(issuer + serial)
                + seq(sha256)
                + [0xA0] + length(signedAttributes.count - headerLength(signedAttributes)) + Array(signedAttributes.dropFirst(headerLength(signedAttributes)))
                + seq(oid([1, 2, 840, 10045, 4, 3, 2]))
                + tlv(0x04, Array(signature)))
        let signedData = seq(
            tlv(0x02, [1])
                + set(seq(sha256))
                + seq(oid([1, 2, 840, 113549, 1, 7, 1]))
                + tlv(0xA0, certDER)
                + set(signerInfo))
        return seq(oid([1, 2, 840, 113549, 1, 7, 2]) + tlv(0xA0, signedData))
    }

    /// The serial (INTEGER TLV) and issuer (Name TLV) of a DER certificate.
    static func issuerAndSerial(_ der: [UInt8]) throws -> (serial: [UInt8], issuer: [UInt8]) {
        var reader = Reader(bytes: der)
        let cert = try reader.element()
        var inCert = Reader(bytes: Array(der[cert.content]))
        let tbs = try inCert.element()
        var fields = Reader(bytes: Array(inCert.bytes[tbs.content]))
        var field = try fields.element()
        if field.tag == 0xA0 { field = try fields.element() }  // explicit version
        let serial = Array(fields.bytes[field.whole])
        _ = try fields.element()  // signature algorithm
        let issuer = try fields.element()
        return (serial, Array(fields.bytes[issuer.whole]))
    }

    struct Reader {
        var bytes: [UInt8]
        var offset = 0

        struct Element {
            var tag: UInt8
            var whole: Range<Int>
            var content: Range<Int>
        }

        mutating func element() throws -> Element {
            guard offset + 2 <= bytes.count else { throw PDFSignature.Problem(description: "certificate DER too short") }
            let start = offset, tag = bytes[offset]
            var n = Int(bytes[offset + 1])
            var header = 2
            if n & 0x80 != 0 {
                let count = n & 0x7F
                guard count <= 4, offset + 2 + count <= bytes.count else { throw PDFSignature.Problem(description: "bad DER length") }
                n = 0
                for i in 0..<count { n = n << 8 | Int(bytes[offset + 2 + i]) }
                header += count
            }
            guard start + header + n <= bytes.count else { throw PDFSignature.Problem(description: "DER element overruns") }
            offset = start + header + n
            // Content offsets are relative to this reader's bytes.
            return Element(tag: tag, whole: start..<(start + header + n), content: (start + header)..<(start + header + n))
        }
    }

    static func length(_ n: Int) -> [UInt8] {
        if n < 0x80 { return [UInt8(n)] }
        var bytes: [UInt8] = []
        var v = n
        while v > 0 { bytes.insert(UInt8(v & 0xFF), at: 0); v >>= 8 }
        return [0x80 | UInt8(bytes.count)] + bytes
    }

    static func headerLength(_ tlv: [UInt8]) -> Int {
        tlv[1] < 0x80 ? 2 : 2 + Int(tlv[1] & 0x7F)
    }

    static func tlv(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] { [tag] + length(content.count) + content }
    static func seq(_ content: [UInt8]) -> [UInt8] { tlv(0x30, content) }
    static func set(_ content: [UInt8]) -> [UInt8] { tlv(0x31, content) }

    static func oid(_ arcs: [UInt]) -> [UInt8] {
        var body: [UInt8] = [UInt8(arcs[0] * 40 + arcs[1])]
        for arc in arcs.dropFirst(2) {
            var chunk: [UInt8] = [UInt8(arc & 0x7F)]
            var v = arc >> 7
            while v > 0 { chunk.insert(UInt8(v & 0x7F) | 0x80, at: 0); v >>= 7 }
            body += chunk
        }
        return tlv(0x06, body)
    }
}
