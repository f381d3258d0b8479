import Foundation

extension ReconciliationReport {
    /// A plain-text table. Fixed-width columns come first and the entry name (often Arabic,
    /// right-to-left) last, so a terminal's bidi reordering cannot misalign the columns.
    public func table() -> String {
        var lines: [String] = []
        lines.append("Box \(box) — run \(run.map(String.init) ?? "-")")
        let header = "STATUS     ID            DETAIL                                    ENTRY"
        lines.append(header)
        lines.append(String(repeating: "-", count: header.count))
        for item in items {
            let status = item.status.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)
            let id = (item.contentId?.short ?? "-").padding(toLength: 13, withPad: " ", startingAt: 0)
            var detail: String
            switch item.status {
            case .stored:
                detail = item.record.map { "record \($0.short) p.\((item.pages ?? []).map(String.init).joined(separator: ","))" } ?? "stored"
            case .duplicate: detail = "of " + (item.duplicateOf ?? item.contentId?.short ?? "?")
            case .rejected, .ignored: detail = item.code ?? "rejected"
            case .manifest: detail = item.code ?? "manifest"
            }
            detail = String(detail.prefix(41)).padding(toLength: 42, withPad: " ", startingAt: 0)
            lines.append("\(status) \(id) \(detail)\u{2068}\(item.name)\u{2069}")
            if let reason = item.reason, item.status == .rejected || item.status == .ignored {
                lines.append("           ↳ \(reason)")
            }
            for note in item.notes ?? [] { lines.append("           · \(note)") }
        }
        // Records box by box when the delivery held several boxes.
        for folder in boxes?.map(Optional.some) ?? [nil] {
            lines.append("")
            if let folder { lines.append("Box \u{2068}\(folder)\u{2069}") }
            for r in records where folder == nil || r.box == folder {
                let status = r.status.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)
                let id = (r.record?.short ?? "-").padding(toLength: 13, withPad: " ", startingAt: 0)
                let detail = "\(r.pages) page(s)".padding(toLength: 42, withPad: " ", startingAt: 0)
                lines.append("record \(status) \(id) \(detail)\u{2068}\(r.source)\u{2069}")
                if let reason = r.reason { lines.append("           ↳ \(reason)") }
            }
        }
        let s = summary
        lines.append("")
        lines.append(
            "entries \(s.entries): stored \(s.stored), duplicate \(s.duplicate), rejected \(s.rejected), ignored \(s.ignored)")
        lines.append(
            "records: added \(s.recordsAdded) (\(s.pagesAdded) pages), already in archive \(s.recordsExisting), rejected \(s.recordsRejected)"
                + (s.pagesReplaced > 0 ? "; pages replaced by re-scans \(s.pagesReplaced)" : ""))
        if addedNothing && isClean { lines.append("nothing new: everything in this box is already in the archive") }
        if let storedAs { lines.append("report stored as \(storedAs) (sijill cat \(storedAs.short))") }
        return lines.joined(separator: "\n") + "\n"
    }
}
