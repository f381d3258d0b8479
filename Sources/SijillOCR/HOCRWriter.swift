/// Writes hOCR (word boxes and confidences, words in logical order) from a recognised page.
enum HOCRWriter {
    static func write(
        _ page: RecognizedPage, width: Int, height: Int, pageNumber: Int, engine: String,
        cleaning: [String] = [], measurements: PageMeasurements? = nil
    ) -> String {
        var meta = ""
        if let measurements {
            meta += "<meta name=\"sijill-measurements\" content=\"\(escape(measurements.summary))\"/>\n"
        }
        if !cleaning.isEmpty || measurements != nil {
            meta += "<meta name=\"sijill-cleaning\" content=\"\(escape(cleaning.isEmpty ? "none" : cleaning.joined(separator: "; ")))\"/>\n"
        }
        var out = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
            <html xmlns="http://www.w3.org/1999/xhtml" xml:lang="ar" lang="ar">
            <head>
            <title></title>
            <meta http-equiv="Content-Type" content="text/html;charset=utf-8"/>
            <meta name="ocr-system" content="\(escape(engine)) (sijill)"/>
            <meta name="ocr-capabilities" content="ocr_page ocr_par ocr_line ocrx_word ocrp_wconf"/>
            \(meta)</head>
            <body>
            <div class="ocr_page" id="page_\(pageNumber)" title="bbox 0 0 \(width) \(height); ppageno \(pageNumber - 1)">

            """
        var paragraph = 0
        var open = false
        for (l, line) in page.lines.enumerated() {
            if line.startsParagraph || !open {
                if open { out += "</p>\n" }
                paragraph += 1
                out += "<p class=\"ocr_par\" id=\"par_\(pageNumber)_\(paragraph)\" dir=\"rtl\">\n"
                open = true
            }
            out += "<span class=\"ocr_line\" id=\"line_\(pageNumber)_\(l + 1)\" title=\"\(bbox(line.box))\">"
            for (w, word) in line.words.enumerated() {
                let conf = Int(word.confidence.rounded())
                out += "<span class=\"ocrx_word\" id=\"word_\(pageNumber)_\(l + 1)_\(w + 1)\" title=\"\(bbox(word.box)); x_wconf \(conf)\">"
                out += escape(word.text) + "</span> "
            }
            out += "</span>\n"
        }
        if open { out += "</p>\n" }
        out += "</div>\n</body>\n</html>\n"
        return out
    }

    static func bbox(_ b: RecognizedPage.Box) -> String { "bbox \(b.left) \(b.top) \(b.right) \(b.bottom)" }

    static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }
}
