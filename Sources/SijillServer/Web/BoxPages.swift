import Foundation
import SijillCatalog
import SijillIngest

/// `/boxes`: the upload form and the latest uploads.
struct BoxesPage {
    var chrome: PageChrome
    var csrf: String
    var jobs: [JobRow]
    var limitMiB: Int
    var error: String?
    /// Stored, not computed: templates see stored properties only.
    var hasJobs: Bool

    init(chrome: PageChrome, csrf: String, jobs: [JobRow], limitMiB: Int, error: String?) {
        self.chrome = chrome
        self.csrf = csrf
        self.jobs = jobs
        self.limitMiB = limitMiB
        self.error = error
        hasJobs = !jobs.isEmpty
    }
}

/// `/boxes/{id}`: one upload, its progress, then its report with rejected entries first.
struct BoxPage {
    var chrome: PageChrome
    var job: JobRow
    var report: ReportModel?
}

/// One upload as the pages show it (Arabic states, progress, estimated time left).
struct JobRow {
    var id: String
    var name: String
    var size: String
    var state: String
    var stateText: String
    var submittedAt: String
    var submittedBy: String
    var progress: String?
    var error: String?
    var active: Bool

    init(_ job: BoxJob, progress: BoxJobRunner.Progress?) {
        id = job.id
        name = job.name
        size = job.bytes >= 1 << 20 ? String(format: "%.1f ميغابايت", Double(job.bytes) / 1_048_576) : "\(max(1, job.bytes / 1024)) كيلوبايت"
        state = job.state.rawValue
        stateText = switch job.state {
        case .queued: "في الانتظار"
        case .running:
            switch job.phase {
            case .ocr?: "قيد التعرّف الضوئي"
            case .finish?: "قيد إنشاء السجلات والتقرير"
            default: "قيد القراءة"
            }
        case .done: "تمّ"
        case .failed: "فيه مرفوضات أو تعذّر استيراده"
        }
        submittedAt = job.submittedAt.replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: " UTC")
        submittedBy = job.submittedBy
        error = job.error
        active = job.state == .queued || job.state == .running
        if let p = progress, active {
            var parts: [String] = []
            if p.entriesTotal > 0 { parts.append("قُرئ \(p.entriesRead) من \(p.entriesTotal) ملفًا") }
            if p.pagesTotal > 0 { parts.append("تعرّف ضوئي على \(p.pagesDone) من \(p.pagesTotal) صفحة") }
            if let eta = p.etaSeconds, eta > 0 { parts.append("الوقت المتبقي نحو \(eta >= 60 ? "\(eta / 60) دقيقة" : "\(eta) ثانية")") }
            self.progress = parts.isEmpty ? nil : parts.joined(separator: "، ")
        }
    }
}

/// A reconciliation report for the page: totals, rejected entries first, then records.
struct ReportModel {
    struct Entry {
        var name: String
        var status: String
        var code: String
        var reason: String
        var notes: String?
    }

    struct Record {
        var source: String
        var status: String
        var record: String?
        var pages: Int
        var reason: String?
        var box: String?
    }

    var summary: String
    var rejected: [Entry]
    var others: [Entry]
    var records: [Record]
    var hasRejected: Bool

    init(_ report: ReconciliationReport) {
        let s = report.summary
        summary = "ملفات الصندوق \(s.entries): حُفظ \(s.stored)، مكرر \(s.duplicate)، مرفوض \(s.rejected)، متجاهَل \(s.ignored). "
            + "السجلات: أُضيف \(s.recordsAdded) (\(s.pagesAdded) صفحة)، موجود مسبقًا \(s.recordsExisting)، مرفوض \(s.recordsRejected)."
        func entry(_ item: ReconciliationReport.Item) -> Entry {
            Entry(
                name: item.name, status: Self.statusText(item.status), code: item.code ?? "", reason: item.reason ?? "",
                notes: item.notes.map { $0.joined(separator: "؛ ") })
        }
        rejected = report.items.filter { $0.status == .rejected }.map(entry)
        hasRejected = !rejected.isEmpty
        others = report.items.filter { $0.status != .rejected }.map(entry)
        records = report.records.map {
            Record(
                source: $0.source, status: Self.recordText($0.status), record: $0.record?.hex, pages: $0.pages,
                reason: $0.reason, box: $0.box)
        }
    }

    static func statusText(_ status: ReconciliationReport.Status) -> String {
        switch status {
        case .stored: "حُفظ"
        case .duplicate: "مكرر"
        case .rejected: "مرفوض"
        case .ignored: "متجاهَل"
        case .manifest: "بيان الصندوق"
        }
    }

    static func recordText(_ status: ReconciliationReport.RecordOutcome.Status) -> String {
        switch status {
        case .added: "أُضيف"
        case .updated: "حُدّث"
        case .existing: "موجود مسبقًا"
        case .rejected: "مرفوض"
        }
    }
}
