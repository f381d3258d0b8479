import Foundation
import Hummingbird
import SijillCatalog
import SijillCore

/// What every page shows: title, archive name, who is signed in.
struct PageChrome {
    var title: String
    var archiveName: String
    var signedIn: Bool
    var staff: Bool
    var who: String
    /// Archivists and admins: the box upload page is in the navigation.
    var uploads = false
    /// Auditors and admins: reports and the audit log.
    var reports = false
    /// Admins: tokens and signing keys.
    var admin = false
    /// Archivists and admins: holds and disposition.
    var holds = false
    /// Clerks and admins: citizens' access codes.
    var grants = false
    var search = false
    /// The session's form token (sign-out forms carry it); nil when not signed in.
    var csrf: String?

    init(title: String, archiveName: String, principal: Principal?, formToken: String? = nil) {
        self.title = title
        self.archiveName = archiveName
        csrf = formToken
        switch principal {
        case .staff(let token):
            signedIn = true
            staff = true
            who = "\(token.name) — \(PageChrome.roleName(token.role))"
            uploads = token.role == .archivist || token.role == .admin
            reports = token.role == .auditor || token.role == .admin
            admin = token.role == .admin
            holds = token.role == .archivist || token.role == .admin
            grants = token.role == .clerk || token.role == .admin
            search = token.role.readsContent
        case .citizen:
            signedIn = true
            staff = false
            who = "مواطن (رمز اطلاع)"
        case nil:
            signedIn = false
            staff = false
            who = ""
        }
    }

    static func roleName(_ role: Role) -> String {
        switch role {
        case .archivist: "أمين أرشيف"
        case .clerk: "موظف"
        case .auditor: "مدقق"
        case .admin: "مدير"
        }
    }
}

struct LoginPage {
    var chrome: PageChrome
    var error: String?
}

struct AccessPage {
    var chrome: PageChrome
    var error: String?
}

struct ErrorPage {
    var chrome: PageChrome
    var message: String
}

/// A piece of a snippet: matched words are marked.
struct SnippetPart {
    var text: String
    var marked: Bool

    /// Splits `Snippet.make`'s output, where matched words are in `[ ]`.
    static func parts(_ snippet: String) -> [SnippetPart] {
        var parts: [SnippetPart] = []
        var current = ""
        var inMark = false
        for ch in snippet {
            if ch == "[", !inMark {
                if !current.isEmpty { parts.append(.init(text: current, marked: false)) }
                current = ""
                inMark = true
            } else if ch == "]", inMark {
                parts.append(.init(text: current, marked: true))
                current = ""
                inMark = false
            } else {
                current.append(ch)
            }
        }
        if !current.isEmpty { parts.append(.init(text: current, marked: inMark)) }
        return parts
    }
}

struct SearchPage {
    struct Hit {
        var page: Int
        var source: String
        var parts: [SnippetPart]
    }

    struct Result {
        var url: String
        var label: String
        /// Not `series`: a missing value would be looked up in the page (the filter box's text,
        /// "" when empty, which Mustache counts as present).
        var recordSeries: String?
        var date: String?
        /// The main date read from the pages, Gregorian and Hijri (when the manifest has none
        /// or another).
        var mainDate: String?
        var mainDateHijri: String?
        var box: String
        var hits: [Hit]
    }

    var chrome: PageChrome
    var q: String
    var series: String
    var agency: String
    var box: String
    var from: String
    var to: String
    var searched = false
    var error: String?
    var results: [Result] = []
    var countText = ""
    var nextURL: String?

    init(chrome: PageChrome, fields: QueryFields) {
        self.chrome = chrome
        func value(_ name: String) -> String { fields[name] ?? "" }
        q = value("q")
        series = value("series")
        agency = value("agency")
        box = value("box")
        from = value("from")
        to = value("to")
    }

    mutating func show(_ view: SearchView) {
        searched = true
        results = view.results.map { r in
            Result(
                url: "/records/\(r.record.hex)",
                label: RecordPage.heading(reference: r.reference, title: r.title, id: r.record),
                recordSeries: r.series?.nonEmpty, date: r.date?.nonEmpty,
                mainDate: r.mainDate, mainDateHijri: r.mainDate.flatMap(ArabicCalendar.hijriText),
                box: r.box,
                hits: r.pages.map { Hit(page: $0.page, source: $0.source, parts: SnippetPart.parts($0.snippet)) })
        }
        countText = results.isEmpty ? "لا نتائج." : "النتائج: \(results.count)"
        if let cursor = view.next_cursor {
            var items = [URLQueryItem(name: "q", value: q)]
            for (name, value) in [("series", series), ("agency", agency), ("box", box), ("from", from), ("to", to)] where !value.isEmpty {
                items.append(URLQueryItem(name: name, value: value))
            }
            items.append(URLQueryItem(name: "cursor", value: cursor))
            var components = URLComponents()
            components.path = "/search"
            components.queryItems = items
            nextURL = components.url?.absoluteString
        }
    }
}

struct RecordPage {
    struct Page {
        var number: Int
        var imageURL: String
        var imageID: String
        var text: String
        var confidence: String
        var needsRescan: Bool
        var source: String
    }

    struct Field {
        var label: String
        var value: String
        /// A count or a date: written in the office's digits (not an identifier).
        var numeric = false
    }

    /// A record's heading: its reference and title, else its short ID.
    static func heading(_ record: StoredRecord) -> String {
        heading(reference: record.reference, title: record.title, id: record.id)
    }

    static func heading(reference: String?, title: String?, id: ContentID) -> String {
        [reference, title].compactMap { $0?.nonEmpty }.joined(separator: " — ").nonEmpty ?? "سجل \(id.short)"
    }

    var chrome: PageChrome
    var id: String
    var fields: [Field]
    var pages: [Page]
    var showContent: Bool
    var expires: String?
    /// The certified-copy form, for whoever may ask for one.
    var copyForm: CopyForm?

    init(
        chrome: PageChrome, record: StoredRecord, pages: [StoredPage], showContent: Bool,
        text: ((StoredPage) throws -> String)?, expires: String? = nil, read: TransactionFields? = nil
    ) throws {
        self.chrome = chrome
        id = record.id.hex
        var fields: [Field] = []
        for (label, value) in [
            ("الرقم المرجعي", record.reference), ("العنوان", record.title), ("السلسلة", record.series),
            ("الجهة", record.agency), ("التاريخ", record.date), ("الصندوق", record.box),
        ] {
            if let value, !value.isEmpty { fields.append(Field(label: label, value: value, numeric: label == "التاريخ")) }
        }
        // What the pages say (extracted fields): shown with the content, as they quote it.
        if showContent, let read {
            func page(_ f: TransactionFields.Field) -> String { " (صفحة \(f.page))" }
            if let main = read.mainDate {
                let hijri = ArabicCalendar.hijriText(main.value).map { " — \($0)" } ?? ""
                fields.append(Field(label: "تاريخ المعاملة", value: main.value + hijri + page(main), numeric: true))
            }
            for f in read.references { fields.append(Field(label: f.label ?? "الرقم", value: f.value + page(f))) }
            for f in read.parties { fields.append(Field(label: f.label ?? "طرف", value: f.value + page(f))) }
            for f in read.amounts { fields.append(Field(label: "مبلغ", value: "\(f.value) \(f.currency ?? "")" + page(f), numeric: true)) }
        }
        fields.append(Field(label: "عدد الصفحات", value: String(record.pageCount), numeric: true))
        fields.append(Field(label: "المعرّف", value: record.id.hex))
        self.fields = fields
        self.showContent = showContent
        self.expires = expires
        self.pages = try pages.map { p in
            Page(
                number: p.pageNo, imageURL: "/v1/objects/\(p.imageId.hex)", imageID: p.imageId.hex,
                text: try text?(p) ?? "", confidence: String(format: "%.0f", p.confidence), needsRescan: p.needsRescan,
                source: p.source)
        }
    }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
