/// The digits an office reads its numbers in on the web pages: Western (0–9, the default) or
/// Arabic-Indic (٠–٩), as many Levantine, Iraqi and Gulf offices write them. Only numbers the
/// templates mark as the office's own are written so (`class="n"`: counts, page numbers,
/// dates, times, confidence); identifiers, codes, tokens, URLs and the pages' text keep their
/// digits, so that what is copied or typed back still matches.
public enum OfficeDigits: String, Sendable, CaseIterable {
    case western
    case arabicIndic = "arabic-indic"

    /// Rewrites the digits inside every `<span class="n">…</span>` and `<bdi class="n">…</bdi>`.
    func apply(toHTML html: String) -> String {
        guard self == .arabicIndic else { return html }
        var out = ""
        out.reserveCapacity(html.utf8.count + html.utf8.count / 8)
        var rest = Substring(html)
        while let open = rest.range(of: " class=\"n\"") {
            // The element's tag name, to find its end.
            let tagStart = rest[..<open.lowerBound].lastIndex(of: "<") ?? open.lowerBound
            let name = rest[rest.index(after: tagStart)..<open.lowerBound].prefix { $0.isLetter }
            guard let contentStart = rest[open.upperBound...].firstIndex(of: ">"),
                let close = rest[contentStart...].range(of: "</\(name)>")
            else { break }
            let afterOpen = rest.index(after: contentStart)
            out += rest[..<afterOpen]
            out += rest[afterOpen..<close.lowerBound].map { ch -> String in
                guard let d = ch.wholeNumberValue, ch.isASCII else { return String(ch) }
                return String(UnicodeScalar(0x0660 + d)!)
            }.joined()
            rest = rest[close.lowerBound...]
        }
        out += rest
        return out
    }
}
