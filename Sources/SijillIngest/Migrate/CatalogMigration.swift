import Foundation
import SijillCatalog
import SijillCore

/// Copies an embedded archive's catalog (its SQLite file) into a PostgreSQL catalog, then makes
/// that catalog the archive's own. Resumable: rows already in the target are kept, so a run cut
/// short is finished by running it again. Verified before the switch: every table's row count
/// must match, the target's audit chain must be intact and end at the same entry as the
/// source's, and the target's search index (rebuilt from the stored page texts) must cover every
/// page. The SQLite file is left in place (remove it once the new catalog is backed up).
public struct CatalogMigration: Sendable {
    public struct Result: Codable, Sendable {
        public var target: String
        /// Rows per table in the source, and how many were copied this run.
        public var rows: [String: Int]
        public var copied: Int
        public var indexedPages: Int
        public var auditHead: Int64

        enum CodingKeys: String, CodingKey {
            case target, rows, copied
            case indexedPages = "indexed_pages"
            case auditHead = "audit_head"
        }
    }

    /// Tables in an order that satisfies their references; (table, key column for paging, or
    /// nil for a small table read whole).
    static let tables: [(String, String?)] = [
        ("ingest_run", "id"), ("record", "rowid"), ("page", "id"), ("ocr_result", "rowid"), ("page_revision", "id"),
        ("catalog_setting", nil), ("api_token", "id"), ("access_grant", "id"), ("audit_entry", "seq"),
        ("record_retention", "rowid"), ("hold", "id"), ("hold_record", nil), ("record_disposition", "rowid"),
        ("disposition_batch", "id"), ("disposition_item", nil), ("certified_copy", "rowid"), ("image_origin", "rowid"),
        ("box_job", "rowid"), ("ocr_task", "rowid"), ("web_session", "rowid"), ("auth_failure", "rowid"),
    ]
    /// Tables whose `id` PostgreSQL numbers (its sequence follows the copied rows).
    static let identities = ["ingest_run", "page", "page_revision", "api_token", "access_grant", "hold", "disposition_batch"]

    public let archive: ArchiveHome

    public init(archive: ArchiveHome) { self.archive = archive }

    /// Copies into the catalog at `targetURL` (recorded, without its password, as the archive's
    /// catalog at the end). `progress(table, rows copied so far)`.
    public func run(to targetURL: String, actor: String, at now: Date, progress: (String, Int) -> Void = { _, _ in }) throws -> Result {
        let source = archive.catalog
        guard source.database.dialect == .sqlite else {
            throw IngestError("the archive's catalog is already \(source.database.location)")
        }
        let store = archive.store
        let target = try Catalog.open(postgres: targetURL, pageText: { id in String(decoding: try store.get(id), as: UTF8.self) })
        // The same archive, or an empty catalog: refuse to merge two archives' logs.
        let sourceHead = try source.verifyAudit()
        if let first = try target.auditEntries(after: 0, limit: 1).first,
            first.hash != (try source.auditEntries(after: 0, limit: 1).first?.hash)
        {
            throw IngestError("the catalog at \(target.database.location) holds another archive (its audit log begins differently)")
        }
        var result = Result(target: target.database.location, rows: [:], copied: 0, indexedPages: 0, auditHead: sourceHead.headSeq)
        for (table, key) in Self.tables {
            var total = 0
            var after: Int64 = Int64.min
            while true {
                let batch: [SQLRow] = try source.database.read { db in
                    guard let key else { return try db.rows("SELECT * FROM \(table)") }
                    return try db.rows(
                        "SELECT \(key) AS \"_key\", * FROM \(table) WHERE \(key) > ? ORDER BY \(key) LIMIT 2000", [after])
                }
                if batch.isEmpty { break }
                let copied = try target.database.write { db -> Int in
                    var copied = 0
                    for row in batch {
                        let pairs = zip(row.columns, row.values).filter { $0.0 != "_key" }
                        copied += try db.execute(
                            "INSERT INTO \(table)(\(pairs.map(\.0).joined(separator: ", "))) VALUES (\(pairs.map { _ in "?" }.joined(separator: ", "))) ON CONFLICT DO NOTHING",
                            pairs.map(\.1))
                    }
                    return copied
                }
                total += batch.count
                result.copied += copied
                progress(table, total)
                guard key != nil, let last = batch.last?.values.first, case .integer(let k) = last else { break }
                after = k
            }
            result.rows[table] = total
        }
        try target.database.write { db in
            for table in Self.identities {
                try db.execute(
                    "SELECT setval(pg_get_serial_sequence('\(table)', 'id'), coalesce((SELECT max(id) FROM \(table)), 0) + 1, false)")
            }
        }
        // Verify: the same rows, the same audit chain, an index entry for every page.
        let counts = try target.database.read { db in
            try Self.tables.map { ($0.0, try db.scalar(Int.self, "SELECT count(*) FROM \($0.0)") ?? -1) }
        }
        for (table, count) in counts where table != "catalog_setting" && count != result.rows[table] {
            throw IngestError("\(table): \(result.rows[table] ?? 0) rows in the archive, \(count) in \(target.database.location): not switching catalogs")
        }
        let targetHead = try target.verifyAudit()
        guard targetHead.broken == 0, targetHead.headSeq == sourceHead.headSeq, targetHead.headHash == sourceHead.headHash else {
            throw IngestError(
                "the copied audit chain does not match (\(targetHead.problem ?? "head \(targetHead.headSeq) vs \(sourceHead.headSeq)")): not switching catalogs")
        }
        result.indexedPages = try target.rebuildIndex { id in String(decoding: try archive.store.get(id), as: UTF8.self) }
        let consistency = try target.indexConsistency()
        guard consistency.unindexedPages.isEmpty, consistency.strayEntries.isEmpty else {
            throw IngestError("the new search index misses \(consistency.unindexedPages.count) page(s): not switching catalogs")
        }
        let record = ArchiveHome.catalogRecord(archive.url)
        do {
            try (PostgresDatabase.withoutPassword(targetURL) + "\n").write(to: record, atomically: true, encoding: .utf8)
        } catch {
            throw IngestError("cannot record the new catalog in \(record.path): \(error.localizedDescription)")
        }
        try target.audit([AuditEvent(
            actor: actor, action: "catalog.migrate", target: "catalog",
            detail: [
                "from": source.database.location, "to": target.database.location,
                "records": String(result.rows["record"] ?? 0), "pages": String(result.rows["page"] ?? 0),
                "audit_head": String(sourceHead.headSeq),
            ], at: now)])
        return result
    }
}
