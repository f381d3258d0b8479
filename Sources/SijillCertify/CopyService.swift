import Foundation
import SijillCatalog
import SijillCore
import SijillStore
@_spi(CMS) import X509

/// Issues certified true copies (نسخة طبق الأصل) of records and verifies them.
///
/// A copy is a PDF of the record's page images (as scanned) plus a certification page naming
/// the archive, the record, the pages, the time and the copy ID, with the verification URL as
/// text and QR code; it carries an embedded signature (`pdfsig` checks it) and a detached
/// `.p7s` over the whole file (`openssl cms -verify` checks it). PDF, signature and a manifest
/// are stored content-addressed and the issue is audited.
public struct CopyService: Sendable {
    public let catalog: Catalog
    public let store: any BlobStore
    public let keys: SigningKeys
    /// Where the verification page lives, e.g. `https://archive.example/` (the copy ID is appended).
    public let baseURL: String
    public let archiveName: String

    public init(catalog: Catalog, store: any BlobStore, keys: SigningKeys, baseURL: String, archiveName: String) {
        self.catalog = catalog
        self.store = store
        self.keys = keys
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.archiveName = archiveName
    }

    public struct Issued: Sendable {
        public var copy: CopyRow
        public var pdf: Data
        public var p7s: Data
        public var verifyURL: String
    }

    public func verifyURL(_ id: String) -> String { "\(baseURL)/verify/\(id)" }

    /// Issues a copy of `record` (all pages, or `pages`), for `requester`, by `issuer`.
    public func issue(record: ContentID, pages selection: [Int]? = nil, requester: String?, issuer: String, at now: Date) throws -> Issued {
        let (stored, allPages, wanted, pages) = try RecordExport.selection(record, pages: selection, in: catalog)
        let id = Secret.randomHex(16)
        let url = verifyURL(id)
        let issued = Timestamp.string(now)
        var lines: [(String, String)] = []
        if let reference = stored.reference { lines.append(("الرقم المرجعي", reference)) }
        if let title = stored.title { lines.append(("الموضوع", title)) }
        if let series = stored.series { lines.append(("السلسلة", series)) }
        if let date = stored.date { lines.append(("تاريخ المعاملة", date)) }
        lines.append(("الصفحات", wanted.map(String.init).joined(separator: "، ") + " من \(allPages.count)"))
        lines.append(("تاريخ الإصدار ووقته", issued.replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: " UTC")))
        if let requester { lines.append(("لطلب", requester)) }
        lines.append(("معرّف النسخة", id))
        lines.append(("معرّف السجل", record.hex))
        let stamp = CopyPDF.Stamp(
            title: "نسخة طبق الأصل", subtitle: archiveName, lines: lines, url: url,
            footer: "هذه النسخة موقّعة رقميًا من الأرشيف. للتحقق منها امسح الرمز أو افتح الرابط أعلاه، أو استخدم أداة التحقق من التوقيع في قارئ PDF. أي تعديل على الملف يبطل التوقيع.")
        let metadata = ArchivalPDF.Metadata(
            title: "نسخة طبق الأصل — " + (stored.title ?? stored.reference ?? record.short), identifier: "sha256:\(record.hex)",
            description: lines.map { "\($0.0): \($0.1)" }.joined(separator: "؛ "),
            subjects: [stored.series, stored.reference].compactMap { $0 }, date: stored.date, created: now)
        // The pages carry their OCR text as an invisible layer, as in `sijill export`.
        let rendered = try CopyPDF.render(
            pages: try pages.map { page in
                CopyPDF.Page(
                    image: try store.get(page.imageId), dpi: Double(page.dpi),
                    hocr: String(decoding: try store.get(page.hocrId), as: UTF8.self), rotation: page.rotation)
            },
            stamp: stamp, metadata: metadata)
        let (pdf, keyID) = try PDFSignature.sign(rendered, keys: keys, name: "Sijill archive", reason: "نسخة طبق الأصل", at: now)
        let (p7s, _) = try keys.signDetached(pdf, at: now)
        let pdfID = try store.put(pdf).id
        let p7sID = try store.put(Data(p7s)).id
        struct Manifest: Encodable {
            var copy_id: String, record_id: String, page_ids: [String], pages: [Int], issued_at: String, issuer: String
            var requester: String?, pdf_sha256: String, p7s_sha256: String, key_id: String, verify_url: String
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let manifest = try encoder.encode(Manifest(
            copy_id: id, record_id: record.hex, page_ids: pages.map(\.imageId.hex), pages: wanted, issued_at: issued, issuer: issuer,
            requester: requester, pdf_sha256: pdfID.hex, p7s_sha256: p7sID.hex, key_id: keyID, verify_url: url))
        let manifestID = try store.put(manifest).id
        let row = CopyRow(
            id: id, recordId: record, pages: wanted.map(String.init).joined(separator: ","), pdfId: pdfID, p7sId: p7sID,
            manifestId: manifestID, keyId: keyID, issuedAt: issued, issuer: issuer, requester: requester)
        try catalog.saveCopy(row, at: now)
        return Issued(copy: row, pdf: pdf, p7s: Data(p7s), verifyURL: url)
    }

    /// What a PDF's bytes are: a valid copy of this archive (and which), modified, signed by a
    /// revoked key, or unknown.
    public func verify(pdf: Data, at now: Date) async -> CopyVerification {
        let entries = (try? keys.entries()) ?? []
        let certificates = entries.compactMap { try? keys.certificate($0.id) }
        let revoked = Dictionary(uniqueKeysWithValues: entries.compactMap { e in e.revokedAt.map { (e.id, ($0, e.revocationReason)) } })
        var result = await CopyVerification.check(pdf: pdf, certificates: certificates, revoked: revoked, at: now)
        if result.status == .valid || result.status == .revoked {
            result.copy = try? catalog.copy(pdf: ContentID.of(pdf))
        }
        return result
    }
}

/// The verdict on a PDF presented as a certified copy.
public struct CopyVerification: Sendable {
    public enum Status: String, Sendable, Codable {
        case valid, modified, revoked, unknown
    }

    public var status: Status
    public var keyID: String?
    public var detail: String
    public var copy: CopyRow?

    public init(status: Status, keyID: String? = nil, detail: String, copy: CopyRow? = nil) {
        self.status = status
        self.keyID = keyID
        self.detail = detail
        self.copy = copy
    }

    /// Checks with only certificates (offline: `sijill verify copy.pdf --cert archive.pem`).
    public static func check(
        pdf: Data, certificates: [Certificate], revoked: [String: (String, String?)], at now: Date
    ) async -> CopyVerification {
        let extracted: (signed: Data, signature: [UInt8], coversWholeFile: Bool)
        do {
            extracted = try PDFSignature.extract(pdf)
        } catch {
            return .init(status: .unknown, detail: "\(error)")
        }
        switch await SignatureCheck.check(
            bytes: extracted.signed, signature: extracted.signature, certificates: certificates, revoked: revoked, at: now)
        {
        case .valid(let key):
            guard extracted.coversWholeFile else {
                return .init(status: .modified, keyID: key, detail: "bytes were added after the signature")
            }
            return .init(status: .valid, keyID: key, detail: "signed by this archive and unmodified")
        case .revoked(let key, let at, let reason):
            return .init(status: .revoked, keyID: key, detail: "signed by a key revoked at \(at)\(reason.map { ": \($0)" } ?? "")")
        case .invalid(let why):
            return .init(status: .modified, detail: "the signature does not match the bytes: \(why)")
        case .unknownSigner(let why):
            return .init(status: .unknown, detail: "not signed by a key of this archive: \(why)")
        }
    }
}
