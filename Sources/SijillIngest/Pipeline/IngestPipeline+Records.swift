import Foundation
import SijillCatalog
import SijillCore
import SijillStore

extension IngestPipeline {
    /// A record whose pages are known: ready for OCR, or refused.
    struct FormedRecord {
        struct Page {
            var imageID: ContentID
            var sourceID: ContentID
            var source: String
            var frame: Int
        }

        var source: String
        var metadata: RecordMetadata
        var id: ContentID?
        var pages: [Page]
        var rejection: String?
        /// For a re-scan: the page number of record `id` that these pages replace.
        var replacesPage: Int? = nil
        /// The box folder it came from, when the delivery holds box folders.
        var box: String? = nil
    }

    /// Turns planned records into records with page IDs. A dossier is imported whole or not at
    /// all: if one of its files was rejected, the record is refused and its other files are
    /// reported as rejected with the reason.
    func formRecords(plan: IngestPlan, entries: [BoxEntry], stored: inout StoredFiles) -> [FormedRecord] {
        plan.records.map { planned in
            var record = FormedRecord(
                source: planned.source, metadata: planned.metadata, pages: [], rejection: planned.rejection, box: planned.box)
            guard record.rejection == nil else { return record }
            if let bad = planned.entryOrdinals.first(where: { stored.files[$0] == nil }) {
                let why = stored.items[bad]?.reason ?? "could not be read"
                record.rejection = "page file '\(entries[bad].rawName)' was rejected: \(why)"
                for o in planned.entryOrdinals where stored.files[o] != nil {
                    stored.items[o]?.status = .rejected
                    stored.items[o]?.reason =
                        "belongs to record '\(planned.source)', which is not imported because '\(entries[bad].rawName)' was rejected"
                    stored.items[o]?.code = "incomplete-record"
                }
                return record
            }
            for o in planned.entryOrdinals {
                let file = stored.files[o]!
                let path = plan.boxPaths[o] ?? entries[o].path ?? entries[o].rawName
                for (frame, image) in file.frames.enumerated() {
                    record.pages.append(.init(imageID: image, sourceID: file.sourceID, source: path, frame: frame))
                }
            }
            if let target = planned.replaces {
                return formReplacement(record, target: target, ordinals: planned.entryOrdinals, stored: &stored)
            }
            let manifest = RecordManifest(pages: record.pages.map { .init(image: $0.imageID) }, metadata: planned.metadata)
            record.id = manifest.recordID
            // The canonical manifest is an object of its own: the record's ID resolves to it.
            do {
                try store.put(manifest.canonicalBytes())
            } catch {
                record.rejection = "cannot store the record manifest: \(error)"
                return record
            }
            var pageNo = 0
            for o in planned.entryOrdinals {
                let frames = stored.files[o]!.frames.count
                stored.items[o]?.record = record.id
                stored.items[o]?.pages = Array((pageNo + 1)...(pageNo + frames))
                pageNo += frames
            }
            return record
        }
    }

    /// A re-scan row: one new image for one page of a catalogued record.
    private func formReplacement(
        _ formed: FormedRecord, target: Manifest.PageReference, ordinals: [Int], stored: inout StoredFiles
    ) -> FormedRecord {
        var record = formed
        guard record.pages.count == 1 else {
            record.rejection = "a re-scan replaces one page, but '\(record.source)' has \(record.pages.count) pages"
            record.pages = []
            return record
        }
        do {
            let id = try catalog.resolveRecord(IDPrefix(target.record))
            guard let existing = try catalog.record(id), existing.pages.contains(where: { $0.pageNo == target.page }) else {
                record.rejection = "record \(id.short) has no page \(target.page)"
                return record
            }
            record.id = id
            record.replacesPage = target.page
            for o in ordinals {
                stored.items[o]?.record = id
                stored.items[o]?.pages = [target.page]
            }
        } catch {
            record.rejection = "cannot replace a page of record '\(target.record)': \(error)"
        }
        return record
    }
}
