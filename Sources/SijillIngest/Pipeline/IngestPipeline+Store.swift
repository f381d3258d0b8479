import Foundation
import SijillCatalog
import SijillCore
import SijillOCR
import SijillStore

extension IngestPipeline {
    /// The page files that were read and stored in pass 2.
    struct StoredFiles {
        struct File {
            var sourceID: ContentID
            /// One image per page: the file itself, or each frame of a multi-page TIFF.
            var frames: [ContentID]
        }

        var files: [Int: File] = [:]
        var items: [Int: ReconciliationReport.Item] = [:]
        var archiveProblem: BoxError?
    }

    /// Pass 2: reads each wanted entry, checks that it decodes as an image within the limits,
    /// and stores it (and, for a multi-page TIFF, each page) content-addressed.
    func storePages(
        source: any BoxSource, entries: [BoxEntry], plan: IngestPlan,
        progress: @escaping @Sendable (IngestProgress) -> Void
    ) throws -> StoredFiles {
        var result = StoredFiles()
        guard !plan.wanted.isEmpty else { return result }
        let reader = PageDocumentReader(maxPixels: options.maxPixels, maxPages: options.maxPagesPerFile)
        var seenInRun: [ContentID: String] = [:]
        var ordinal = -1
        var done = 0
        do {
            try source.forEachEntry { entry, read in
                ordinal += 1
                guard plan.wanted.contains(ordinal) else { return }
                try options.checkCancelled()
                let name = entry.rawName
                defer {
                    done += 1
                    progress(IngestProgress(phase: .reading, done: done, total: plan.wanted.count, item: name))
                }
                let data: Data
                do {
                    data = try read(options.limits.maxEntryBytes)
                } catch let error as BoxError {
                    result.items[ordinal] = .init(name: name, status: .rejected, reason: error.description, code: error.code)
                    return
                }
                let sourceID = ContentID.of(data)
                var frameIDs: [ContentID] = []
                var notes: [String] = []
                do {
                    // One path for every file of pages: a single image is stored as it is; each
                    // page of a multi-page TIFF or a PDF as an image of its own, one at a time (a
                    // page that fails leaves the pages before it as orphans).
                    let summary = try reader.forEachPage(data, name: name) { page in
                        guard let encoded = page.encoded else { return }
                        let image = try store.put(encoded).id
                        frameIDs.append(image)
                        if page.origin.isPDF { try recordOrigin(of: image, page) }
                    }
                    notes = summary.notes
                    if frameIDs.isEmpty { frameIDs = [sourceID] }
                } catch let error as OCRError {
                    let known = error.code == "not-an-image" ? EntryContent.refusal(for: data, name: name) : nil
                    result.items[ordinal] = .init(
                        name: name, status: .rejected, contentId: sourceID, reason: known?.reason ?? error.description,
                        code: known?.code ?? error.code)
                    return
                }
                try store.put(data)
                result.files[ordinal] = StoredFiles.File(sourceID: sourceID, frames: frameIDs)
                let uses = try catalog.uses(ofImage: sourceID)
                if let first = uses.first {
                    result.items[ordinal] = .init(
                        name: name, status: .duplicate, contentId: sourceID,
                        duplicateOf: "record \(first.record.short) page \(first.pageNo)")
                } else if let earlier = seenInRun[sourceID] {
                    result.items[ordinal] = .init(
                        name: name, status: .duplicate, contentId: sourceID, duplicateOf: "entry '\(earlier)'")
                } else {
                    result.items[ordinal] = .init(name: name, status: .stored, contentId: sourceID)
                    seenInRun[sourceID] = name
                }
                if let note = entry.nameNote { notes.insert(note, at: 0) }
                if !notes.isEmpty { result.items[ordinal]?.notes = notes }
            }
        } catch let error as BoxError where error.code == "archive-damaged" {
            result.archiveProblem = error
        }
        // Entries the plan wanted but the damaged archive never delivered.
        for o in plan.wanted where result.items[o] == nil {
            result.items[o] = .init(
                name: entries[o].rawName, status: .rejected,
                reason: "could not be read: the archive is damaged before this entry", code: "archive-damaged")
        }
        return result
    }

    /// Notes where a page image read out of a PDF came from, with the text the PDF carries for it.
    private func recordOrigin(of image: ContentID, _ page: DocumentPage) throws {
        let textID = try page.text.map { try store.put($0.jsonData()).id }
        try catalog.saveImageOrigin(ImageOrigin(
            imageId: image, origin: page.origin.rawValue, dpi: page.dpi, textId: textID, textKind: page.text?.kind.rawValue))
    }
}
