import Foundation
import SijillCatalog
import SijillCore

/// A destruction certificate (or transfer receipt) for one executed batch: what was disposed of,
/// under which authority, approved and executed by whom, when; and what was skipped and why.
struct Certificate: Encodable {
    struct Item: Encodable {
        var record: String
        var series: String?
        var reference: String?
        var title: String?
        var date: String?
        var due_date: String?
        var authority: String?
        var outcome: String
    }

    var kind: String
    var batch: Int64
    var action: String
    var as_of: String
    var prepared_by: String
    var approved_by: String
    var executed_by: String
    var executed_at: String
    var statement_ar: String
    var statement_en: String
    var bag: String?
    var items: [Item]

    var title: String {
        action == "destroy" ? "شهادة إتلاف — الدفعة \(batch)" : "إيصال نقل — الدفعة \(batch)"
    }

    init(
        batch: DispositionBatch, approver: String, executor: String, at now: Date, done: [ContentID],
        skipped: [(record: ContentID, reason: String)], standing: [String: RetentionReport.Line], bag: String?
    ) throws {
        kind = batch.action == "destroy" ? "destruction-certificate" : "transfer-receipt"
        self.batch = batch.id
        action = batch.action
        as_of = batch.asOf
        prepared_by = batch.preparedBy
        approved_by = approver
        executed_by = executor
        executed_at = Timestamp.string(now)
        self.bag = bag
        let verb = batch.action == "destroy" ? ("أُتلفت", "destroyed") : ("نُقلت", "transferred")
        statement_ar = "نشهد بأن السجلات المدرجة في هذه الوثيقة \(verb.0) بتاريخ \(executed_at) وفق جدول الحفظ المعتمد والسند النظامي المذكور لكل منها، بعد إعداد \(batch.preparedBy) وموافقة \(approver)، وتنفيذ \(executor)، ولم يشمل ذلك أي سجل محجوز قانونيًا."
        statement_en = "We certify that the records listed in this document were \(verb.1) on \(executed_at) under the approved retention schedule and the authority given for each, prepared by \(batch.preparedBy), approved by \(approver) and executed by \(executor); no record under legal hold was included."
        func item(_ id: ContentID, _ outcome: String) -> Item {
            let line = standing[id.hex]
            return Item(
                record: id.hex, series: line?.series, reference: line?.reference, title: line?.title, date: line?.date,
                due_date: line?.dueDate, authority: line?.authority, outcome: outcome)
        }
        items = done.map { item($0, batch.action == "destroy" ? "destroyed" : "transferred") }
            + skipped.map { item($0.record, "skipped: " + $0.reason) }
    }

    func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// The same for Excel (UTF-8 with BOM, RFC 4180, formulas neutralised).
    func csv() -> String {
        var out = "\u{FEFF}"
        func row(_ cells: [String?]) { out += cells.map { CSVCell.escape($0 ?? "") }.joined(separator: ",") + "\r\n" }
        row([title])
        row(["الدفعة / batch", String(batch), "الإجراء / action", action, "بتاريخ / as of", as_of])
        row(["أعدّها / prepared by", prepared_by, "وافق / approved by", approved_by, "نفّذ / executed by", executed_by, executed_at])
        row([statement_ar])
        row([statement_en])
        row([])
        row(["المعرّف / record", "السلسلة / series", "المرجع / reference", "العنوان / title", "التاريخ / date",
             "الاستحقاق / due", "السند النظامي / authority", "النتيجة / outcome"])
        for i in items { row([i.record, i.series, i.reference, i.title, i.date, i.due_date, i.authority, i.outcome]) }
        return out
    }
}
