import GRDB

extension Catalog {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "ingest_run") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("box", .text).notNull()
                t.column("box_path", .text).notNull()
                t.column("started_at", .text).notNull()
                t.column("finished_at", .text)
                t.column("report_id", .text)
                t.column("stored", .integer)
                t.column("duplicate", .integer)
                t.column("rejected", .integer)
                t.column("records_added", .integer)
            }
            try db.create(table: "record") { t in
                t.primaryKey("id", .text)
                t.column("manifest_id", .text).notNull()
                t.column("box", .text).notNull()
                t.column("source", .text).notNull()
                t.column("series", .text)
                t.column("agency", .text)
                t.column("date", .text)
                t.column("title", .text)
                t.column("reference", .text)
                t.column("extra", .text).notNull()
                t.column("page_count", .integer).notNull()
                t.column("ingested_at", .text).notNull()
                t.column("run_id", .integer).references("ingest_run")
            }
            try db.create(table: "page") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("record_id", .text).notNull().references("record", onDelete: .cascade)
                t.column("page_no", .integer).notNull()
                t.column("image_id", .text).notNull()
                t.column("source_id", .text).notNull()
                t.column("source", .text).notNull()
                t.column("frame", .integer).notNull()
                t.column("text_id", .text).notNull()
                t.column("hocr_id", .text).notNull()
                t.column("confidence", .double).notNull()
                t.column("word_count", .integer).notNull()
                t.column("low_conf_words", .integer).notNull()
                t.column("ocr_engine", .text).notNull()
                t.column("ocr_settings", .text).notNull()
                t.column("dpi", .integer).notNull()
                t.column("dpi_assumed", .boolean).notNull()
                t.uniqueKey(["record_id", "page_no"])
            }
            try db.create(index: "page_image", on: "page", columns: ["image_id"])
            // OCR results by image and settings: lets an interrupted ingest resume without
            // re-reading finished pages, and reuses work for identical pages.
            try db.create(table: "ocr_result") { t in
                t.column("image_id", .text).notNull()
                t.column("settings", .text).notNull()
                t.column("engine", .text).notNull()
                t.column("text_id", .text).notNull()
                t.column("hocr_id", .text).notNull()
                t.column("confidence", .double).notNull()
                t.column("word_count", .integer).notNull()
                t.column("low_conf_words", .integer).notNull()
                t.column("dpi", .integer).notNull()
                t.column("dpi_assumed", .boolean).notNull()
                t.column("created_at", .text).notNull()
                t.primaryKey(["image_id", "settings"])
            }
            try db.create(virtualTable: "page_text", using: FTS5()) { t in
                t.tokenizer = ArabicTokenizer.tokenizerDescriptor()
                t.column("text")
            }
        }
        migrator.registerMigration("v2-quality") { db in
            // Pages whose OCR is too poor to trust are flagged for re-scanning.
            try db.alter(table: "page") { t in
                t.add(column: "needs_rescan", .boolean).notNull().defaults(to: false)
                t.add(column: "rotation", .integer).notNull().defaults(to: 0)
            }
            try db.alter(table: "ocr_result") { t in
                t.add(column: "needs_rescan", .boolean).notNull().defaults(to: false)
                t.add(column: "rotation", .integer).notNull().defaults(to: 0)
            }
            try db.create(index: "page_rescan", on: "page", columns: ["needs_rescan"])
            // Every change to a catalogued page: a better scan replacing it, or a new OCR.
            try db.create(table: "page_revision") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("record_id", .text).notNull()
                t.column("page_no", .integer).notNull()
                t.column("reason", .text).notNull()
                t.column("old_image_id", .text).notNull()
                t.column("new_image_id", .text).notNull()
                t.column("old_text_id", .text).notNull()
                t.column("new_text_id", .text).notNull()
                t.column("old_settings", .text).notNull()
                t.column("new_settings", .text).notNull()
                t.column("old_confidence", .double).notNull()
                t.column("new_confidence", .double).notNull()
                t.column("at", .text).notNull()
                t.column("run_id", .integer)
            }
        }
        migrator.registerMigration("v3-search") { db in
            // Page text plus the record's title, reference, agency and series (weighted above
            // page text), tokenized with light stems. Rebuilt from the old index's own text.
            try db.create(virtualTable: "page_text_v3", using: FTS5()) { t in
                t.tokenizer = ArabicTokenizer.tokenizerDescriptor()
                t.column("text")
                t.column("meta")
            }
            try db.execute(sql: """
                INSERT INTO page_text_v3(rowid, text, meta)
                SELECT page_text.rowid, page_text.text, \(Catalog.metaSQL)
                FROM page_text JOIN page ON page.id = page_text.rowid JOIN record ON record.id = page.record_id
                """)
            try db.drop(table: "page_text")
            try db.execute(sql: "ALTER TABLE page_text_v3 RENAME TO page_text")
            try db.create(index: "record_series", on: "record", columns: ["series"])
            try db.create(index: "record_box", on: "record", columns: ["box"])
            try db.create(index: "record_date", on: "record", columns: ["date"])
        }
        migrator.registerMigration("v4-contentless") { db in
            // The page text is already a stored object: the index keeps only its tokens (about
            // half the size). Snippets are cut from the stored text.
            try db.execute(sql: """
                CREATE VIRTUAL TABLE page_text_v4 USING fts5(text, meta, content='', tokenize='arabic');
                INSERT INTO page_text_v4(rowid, text, meta) SELECT rowid, text, meta FROM page_text;
                DROP TABLE page_text;
                ALTER TABLE page_text_v4 RENAME TO page_text;
                """)
        }
        migrator.registerMigration("v5-term-stats") { db in
            // Per-term document counts straight from the index (for ranking: see TermStatistics).
            try db.execute(sql: "CREATE VIRTUAL TABLE page_text_vocab USING fts5vocab(page_text, 'row')")
        }
        migrator.registerMigration("v6-impact-tiers") { db in
            // Pages indexed from now on carry ImpactTier tokens; pages already in the index do
            // not until `sijill reindex` (the index keeps no text to re-tokenize), and until then
            // every query is ranked exactly.
            try db.create(table: "catalog_setting") { t in
                t.primaryKey("key", .text)
                t.column("value", .text).notNull()
            }
            let empty = try Int.fetchOne(db, sql: "SELECT count(*) FROM (SELECT 1 FROM page_text_docsize LIMIT 1)") == 0
            try db.execute(sql: "INSERT INTO catalog_setting(key, value) VALUES ('index_tiers', ?)", arguments: [empty ? "1" : "0"])
        }
        migrator.registerMigration("v7-access") { db in
            // API tokens and citizens' access codes: only hashes are stored.
            try db.create(table: "api_token") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("name", .text).notNull().unique()
                t.column("role", .text).notNull()
                t.column("hash", .text).notNull().unique()
                t.column("created_at", .text).notNull()
                t.column("revoked_at", .text)
            }
            try db.create(table: "access_grant") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("record_id", .text).notNull().references("record")
                t.column("hash", .text).notNull().unique()
                t.column("created_at", .text).notNull()
                t.column("expires_at", .text).notNull()
                t.column("created_by", .text).notNull()
                t.column("note", .text)
                t.column("revoked_at", .text)
            }
            // Append-only and hash-chained: each entry's hash covers the previous entry's hash.
            try db.create(table: "audit_entry") { t in
                t.autoIncrementedPrimaryKey("seq")
                t.column("at", .text).notNull()
                t.column("actor", .text).notNull()
                t.column("action", .text).notNull()
                t.column("target", .text)
                t.column("detail", .text).notNull()
                t.column("prev_hash", .text).notNull()
                t.column("hash", .text).notNull()
            }
            try db.execute(sql: """
                CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry
                BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry
                BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                """)
        }
        migrator.registerMigration("v8-retention") { db in
            // A cut-off event for `closed` triggers; the schedule each record got and its due
            // date; legal holds and the records they cover; disposition outcomes.
            try db.execute(sql: "ALTER TABLE record ADD COLUMN closed_at TEXT")
            try db.create(table: "record_retention") { t in
                t.primaryKey("record_id", .text).references("record", onDelete: .cascade)
                t.column("series", .text)
                t.column("scheduled", .boolean).notNull()
                t.column("action", .text)
                t.column("trigger", .text)
                t.column("period", .text)
                t.column("authority", .text)
                t.column("schedule_source", .text)
                t.column("trigger_date", .text)
                t.column("due_date", .text)
                t.column("computed_at", .text).notNull()
            }
            try db.create(index: "record_retention_due", on: "record_retention", columns: ["due_date"])
            try db.create(table: "hold") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("reason", .text).notNull()
                t.column("scope", .text).notNull()
                t.column("value", .text).notNull()
                t.column("placed_by", .text).notNull()
                t.column("placed_at", .text).notNull()
                t.column("released_by", .text)
                t.column("released_at", .text)
                t.column("release_reason", .text)
            }
            try db.create(table: "hold_record", options: .withoutRowID) { t in
                t.column("hold_id", .integer).notNull().references("hold")
                t.column("record_id", .text).notNull().references("record")
                t.primaryKey(["hold_id", "record_id"])
            }
            try db.create(index: "hold_record_record", on: "hold_record", columns: ["record_id"])
            try db.create(table: "record_disposition") { t in
                t.primaryKey("record_id", .text).references("record")
                t.column("state", .text).notNull()
                t.column("batch", .text)
                t.column("at", .text).notNull()
            }
        }
        migrator.registerMigration("v9-disposition") { db in
            // Batches of due records: prepared, approved by another person (an admin), executed.
            try db.create(table: "disposition_batch") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("action", .text).notNull()
                t.column("as_of", .text).notNull()
                t.column("prepared_by", .text).notNull()
                t.column("prepared_at", .text).notNull()
                t.column("approved_by", .text)
                t.column("approved_at", .text)
                t.column("executed_by", .text)
                t.column("executed_at", .text)
                t.column("certificate_id", .text)
            }
            try db.create(table: "disposition_item", options: .withoutRowID) { t in
                t.column("batch_id", .integer).notNull().references("disposition_batch")
                t.column("record_id", .text).notNull().references("record")
                t.column("outcome", .text)
                // Objects to remove from the store once the catalog no longer refers to them
                // (space-separated IDs), kept so an interrupted run can finish the job.
                t.column("objects", .text)
                t.primaryKey(["batch_id", "record_id"])
            }
        }
        migrator.registerMigration("v10-copies") { db in
            // Certified copies: the signed PDF, its detached signature and its manifest are
            // stored objects; this row finds them by copy ID.
            try db.create(table: "certified_copy") { t in
                t.primaryKey("id", .text)
                t.column("record_id", .text).notNull().references("record")
                t.column("pages", .text).notNull()
                t.column("pdf_id", .text).notNull().unique()
                t.column("p7s_id", .text).notNull()
                t.column("manifest_id", .text).notNull()
                t.column("key_id", .text).notNull()
                t.column("issued_at", .text).notNull()
                t.column("issuer", .text).notNull()
                t.column("requester", .text)
            }
        }
        migrator.registerMigration("v11-tokenizer-split") { db in
            // The tokenizer now splits where unicode61 (Unicode 6.1 tables) glued words around
            // code points assigned since (ALM, bidi isolates, emoji). Pages indexed before keep
            // the glued tokens until `sijill reindex`; `fsck` says so.
            let empty = try Int.fetchOne(db, sql: "SELECT count(*) FROM (SELECT 1 FROM page_text_docsize LIMIT 1)") == 0
            try db.execute(
                sql: "INSERT INTO catalog_setting(key, value) VALUES ('index_tokenizer', ?)",
                arguments: [empty ? Catalog.tokenizerVersion : "1"])
        }
        migrator.registerMigration("v12-image-origin") { db in
            // Page images read out of PDFs: true resolution and the text the PDF carries.
            try db.create(table: "image_origin") { t in
                t.primaryKey("image_id", .text)
                t.column("origin", .text).notNull()
                t.column("dpi", .integer)
                t.column("text_id", .text)
                t.column("text_kind", .text)
            }
        }
        migrator.registerMigration("v13-box-jobs") { db in
            // Boxes uploaded through the API or the web page: a queue that survives restarts.
            try db.create(table: "box_job") { t in
                t.primaryKey("id", .text)
                t.column("name", .text).notNull()
                t.column("path", .text).notNull()
                t.column("bytes", .integer).notNull()
                t.column("state", .text).notNull()
                t.column("submitted_by", .text).notNull()
                t.column("submitted_at", .text).notNull()
                t.column("started_at", .text)
                t.column("finished_at", .text)
                t.column("progress", .text)
                t.column("report_id", .text)
                t.column("error", .text)
            }
            try db.create(index: "box_job_state", on: "box_job", columns: ["state", "submitted_at"])
        }
        migrator.registerMigration("v14-cleaning") { db in
            // Which cleaning steps ran on a page before recognition (decided per page).
            for table in ["page", "ocr_result"] {
                try db.alter(table: table) { t in
                    t.add(column: "cleaning", .text).notNull().defaults(to: "")
                }
            }
        }
        migrator.registerMigration("v15-web-sessions") { db in
            // Web sessions in the catalog: they survive a restart and are shared by every
            // `serve` process behind one load balancer. The cookie is stored hashed.
            try db.create(table: "web_session") { t in
                t.primaryKey("hash", .text)
                t.column("subject_kind", .text).notNull().check { ["token", "grant"].contains($0) }
                t.column("subject_id", .integer).notNull()
                t.column("created_at", .text).notNull()
                t.column("last_seen_at", .text).notNull()
                t.column("expires_at", .text).notNull()
            }
            try db.create(index: "web_session_subject", on: "web_session", columns: ["subject_kind", "subject_id"])
        }
        migrator.registerMigration("v16-auth-failures") { db in
            // Failed token and code attempts per client address, shared by every `serve`
            // process, so that N servers do not give a guesser N times the attempts.
            try db.create(table: "auth_failure") { t in
                t.column("address", .text).notNull()
                t.column("at", .text).notNull()
            }
            try db.create(index: "auth_failure_at", on: "auth_failure", columns: ["at"])
            try db.create(index: "auth_failure_address", on: "auth_failure", columns: ["address", "at"])
        }
        migrator.registerMigration("v17-ingest-queue") { db in
            // Ingest as a queue: a submitted box waits in the object store (box_id); any number
            // of `sijill worker` processes prepare it, recognise its pages (one task per page
            // image, claimed under a lease renewed by heartbeats, taken over when it runs out)
            // and finish it (records and report) once its last page is done.
            try db.alter(table: "box_job") { t in
                t.add(column: "box_id", .text)
                t.add(column: "manifest_id", .text)
                t.add(column: "phase", .text)
                t.add(column: "lease_owner", .text)
                t.add(column: "lease_until", .double)
                t.add(column: "seq", .integer)
            }
            try db.execute(sql: "UPDATE box_job SET seq = rowid")
            try db.create(table: "ocr_task") { t in
                t.column("job_id", .text).notNull().references("box_job", onDelete: .cascade)
                t.column("image_id", .text).notNull()
                t.column("state", .text).notNull().defaults(to: "todo").check { ["todo", "done", "failed"].contains($0) }
                t.column("lease_owner", .text)
                t.column("lease_until", .double)
                t.column("attempts", .integer).notNull().defaults(to: 0)
                t.column("error", .text)
                t.primaryKey(["job_id", "image_id"])
            }
            try db.execute(sql: "CREATE INDEX ocr_task_todo ON ocr_task(job_id, lease_until) WHERE state = 'todo'")
        }
        migrator.registerMigration("v18-fields") { db in
            for statement in Catalog.fieldsSchema { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v19-copy-requests") { db in
            for statement in Catalog.copyRequestSchema { try db.execute(sql: statement) }
        }
        return migrator
    }
}
