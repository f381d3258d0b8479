import Foundation
import SijillCatalog
import SijillCore
import SijillIngest
import SijillOCR
import SijillTestSupport
import Testing

/// Boxes as archivists deliver them (Fixtures/layouts, Fixtures/boxes/box-pdf, written by
/// Fixtures/tools/make_deliveries.py): zipped box folders, several boxes in one archive,
/// manifests that name a file in the wrong place, scanner and born-digital PDFs.
@Suite struct DeliveryTests {
    /// Writes a zip's files into `folder` (as a person unzipping it would).
    func unzip(_ zip: URL, into folder: URL) throws {
        try ArchiveBoxSource(url: zip).forEachEntry { entry, read in
            guard entry.kind == .file, let path = entry.path else { return }
            let target = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try read(1 << 20).write(to: target)
        }
    }

    @Test("a zipped box folder finds its manifest inside the folder and forms the same records as the folder itself")
    func zippedFolder() throws {
        let zip = FixtureFiles.fixtures.appendingPathComponent("layouts/BOX-0001.zip")
        let fromZip = try TestArchive(jobs: 1)
        let zipped = try fromZip.ingest(zip)
        #expect(zipped.isClean, "\(zipped.table())")
        #expect(zipped.items.contains { $0.name == "BOX-0001/manifest.csv" && $0.status == .manifest })
        #expect(zipped.items.contains { $0.name.hasPrefix("__MACOSX/") && $0.status == .ignored })

        let scratch = try FixtureFiles.temporaryDirectory("sijill-unzipped")
        defer { try? FileManager.default.removeItem(at: scratch) }
        try unzip(zip, into: scratch)
        let fromFolder = try TestArchive(jobs: 1)
        let folder = try fromFolder.ingest(scratch.appendingPathComponent("BOX-0001"))
        #expect(folder.isClean, "\(folder.table())")

        let ids = { (r: ReconciliationReport) in Set(r.records.compactMap(\.record)) }
        #expect(ids(zipped).count == 2)
        #expect(ids(zipped) == ids(folder))
        for id in ids(zipped) {
            let a = try #require(try fromZip.archive.catalog.record(id))
            let b = try #require(try fromFolder.archive.catalog.record(id))
            #expect(a.record.box == "BOX-0001" && b.record.box == "BOX-0001")
            #expect(a.record.metadata == b.record.metadata)
            #expect(a.pages.map(\.source) == b.pages.map(\.source), "paths are relative to the box folder")
        }
    }

    @Test("a box folder zipped inside a folder of its own name finds its manifest and forms the same records")
    func nestedFolder() throws {
        let archive = try TestArchive(jobs: 1)
        let plain = try archive.ingest(FixtureFiles.fixtures.appendingPathComponent("layouts/BOX-0001.zip"))
        let nested = try archive.ingest(FixtureFiles.fixtures.appendingPathComponent("layouts/nested.zip"))
        #expect(nested.items.contains { $0.name == "BOX-0001/BOX-0001/manifest.csv" && $0.status == .manifest })
        #expect(Set(nested.records.compactMap(\.record)) == Set(plain.records.compactMap(\.record)))
        #expect(nested.records.allSatisfy { $0.status == .existing }, "the same records, already in the archive")
    }

    @Test("an archive of two box folders imports each under its own manifest, as a box of its own in one report")
    func twoBoxes() throws {
        let archive = try TestArchive(jobs: 1)
        let report = try archive.ingest(FixtureFiles.fixtures.appendingPathComponent("layouts/two-boxes.zip"))
        #expect(report.boxes == ["BOX-A", "BOX-B"])
        #expect(report.summary.recordsAdded == 2)
        let byBox = Dictionary(grouping: report.records, by: { $0.box ?? "" })
        #expect(byBox["BOX-A"]?.map(\.source) == ["a.png"])
        #expect(byBox["BOX-B"]?.map(\.source) == ["b.png"])
        for outcome in report.records {
            let id = try #require(outcome.record)
            let stored = try #require(try archive.archive.catalog.record(id))
            #expect(stored.record.box == outcome.box)
            #expect(stored.record.metadata.series == (outcome.box == "BOX-A" ? "LAND-REG" : "CIVIL-REG"))
        }
        let loose = try #require(report.items.first { $0.name == "notes.txt" })
        #expect(loose.code == "outside-box" && loose.status == .rejected)
        #expect(report.table().contains("Box \u{2068}BOX-B\u{2069}"))
    }

    @Test("a manifest row naming a file that sits elsewhere is refused with a hint, never guessed")
    func misplacedFile() throws {
        let archive = try TestArchive(jobs: 1)
        let report = try archive.ingest(FixtureFiles.fixtures.appendingPathComponent("layouts/misplaced.zip"))
        let row = try #require(report.items.first { $0.name.hasPrefix("manifest.csv:2") })
        #expect(row.code == "missing-file")
        #expect(row.reason?.contains("did you mean 'scans/page.png'?") == true, "\(row.reason ?? "")")
        #expect(report.items.first { $0.name == "scans/page.png" }?.code == "not-in-manifest")
        #expect(report.summary.recordsAdded == 1)
        #expect(try archive.archive.catalog.counts().pages == 1)
    }

    @Test("scanner PDFs: one page per PDF page, JPEG bytes kept as they are, true resolution, same text as the image files")
    func scannerPDFs() throws {
        let archive = try TestArchive()
        let images = try archive.ingest(FixtureFiles.box("box-zip.zip"))
        let pdfs = try archive.ingest(FixtureFiles.box("box-pdf"))
        #expect(pdfs.isClean, "\(pdfs.table())")
        #expect(pdfs.summary.recordsAdded == 5 && pdfs.summary.pagesAdded == 8)

        // The same dossier delivered both ways: pages in order, the same recognised text.
        func pages(_ report: ReconciliationReport, _ source: String) throws -> [StoredPage] {
            let id = try #require(report.records.first { $0.source == source }?.record, "\(source)")
            return try #require(try archive.archive.catalog.record(id)).pages
        }
        func text(_ page: StoredPage) throws -> String {
            String(decoding: try archive.archive.store.get(page.textId), as: UTF8.self)
        }
        for (image, pdf) in [("dossier-81559", "dossier-81559.pdf"), ("scan-4410.tif", "scan-4410.pdf")] {
            let a = try pages(images, image), b = try pages(pdfs, pdf)
            #expect(a.count == b.count && b.count >= 2)
            for (x, y) in zip(a, b) {
                #expect(try text(x) == text(y), "\(pdf) page \(y.pageNo) reads differently from \(image)")
                #expect(y.dpi == 300 && !y.dpiAssumed)
                #expect(y.sourceId != y.imageId && y.source == pdf)
            }
        }
        // The JPEG page is the JPEG file's own bytes; the PNG and G4 pages wrap the PDF's streams.
        let dossier = try pages(pdfs, "dossier-81559.pdf")
        let jpeg = try pages(images, "dossier-81559")[1]
        #expect(dossier[1].imageId == jpeg.imageId)
        let origins = try archive.archive.catalog.imageOrigins(dossier.map(\.imageId))
        #expect(dossier.map { origins[$0.imageId]?.origin } == ["pdf-png", "pdf-jpeg", "pdf-g4"])
        let g4 = try archive.archive.store.get(dossier[2].imageId)
        #expect(try ImageDecoder().probe(g4, name: "p3").format == "TIFF")
        // A JBIG2 page (MMR-coded from the G4 TIFF's strip: 108 of 2.75 M pixels differ, in the
        // last rows) decodes to a bilevel G4 page that reads like the TIFF it was made from.
        let jbig2 = try pages(pdfs, "page-003-jbig2.pdf")
        #expect(try archive.archive.catalog.imageOrigin(jbig2[0].imageId)?.origin == "pdf-image")
        let g4Page = try ImageDecoder().probe(archive.archive.store.get(jbig2[0].imageId), name: "jbig2")
        #expect(g4Page.format == "TIFF" && g4Page.width == 1748)
        let cer = CharacterErrorRate.of(try text(jbig2[0]), truth: try text(try pages(images, "dossier-81559")[2]))
        #expect(cer < 0.05, "JBIG2 page text differs from the TIFF's: CER \(cer)")
        // The whole PDF is stored as the pages' source.
        #expect(try archive.archive.store.get(dossier[0].sourceId).starts(with: Data("%PDF-".utf8)))
    }

    @Test("a born-digital page turned by /Rotate still gives its words in reading order")
    func turnedPage() throws {
        let archive = try TestArchive(jobs: 1)
        let report = try archive.ingest(FixtureFiles.fixtures.appendingPathComponent("layouts/circular-turned.pdf"))
        let id = try #require(report.records.first?.record)
        let page = try #require(try archive.archive.catalog.record(id)?.pages.first)
        #expect(page.ocrEngine == EmbeddedText.engineName)
        let text = String(decoding: try archive.archive.store.get(page.textId), as: UTF8.self)
        let truth = try FixtureFiles.groundTruth(box: "box-pdf", path: "circular-2719.pdf")
        // Before, each letter came out as a line of its own. What is left: poppler spells the
        // lam-alef ligature of a turned page in the other order ("ا إلدارة"), 3 times here.
        #expect(CharacterErrorRate.of(text, truth: truth) < 0.05, "\(text)")
        #expect(text.contains("المدير العام: سامر يوسف الحلبي") && text.hasPrefix("الجمهورية العربية السورية"))
    }

    @Test("a lone scanner PDF given as the box is a box of one record")
    func lonePDF() throws {
        let archive = try TestArchive(jobs: 1)
        let report = try archive.ingest(FixtureFiles.box("box-pdf/scan-4410.pdf"))
        #expect(report.isClean && report.summary.recordsAdded == 1 && report.summary.pagesAdded == 2, "\(report.table())")
        #expect(report.records.first?.source == "scan-4410.pdf")
    }

    /// A zip that stores its entries without compressing them (as zip tools do for PDFs and
    /// JPEGs that do not shrink), names in UTF-8.
    static func storedZip(_ files: [(name: String, data: Data)]) -> Data {
        storedZip(files.map { (Data($0.name.utf8), $0.data) }, utf8Names: true)
    }

    /// `utf8Names` false: the names' bytes as given, without the UTF-8 flag (as Windows' own
    /// compressed folders write them, in the DOS code page).
    static func storedZip(_ files: [(name: Data, data: Data)], utf8Names: Bool) -> Data {
        func crc32(_ data: Data) -> UInt32 {
            var crc: UInt32 = 0xFFFF_FFFF
            for byte in data {
                crc ^= UInt32(byte)
                for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
            }
            return ~crc
        }
        func le(_ value: Int, _ bytes: Int) -> Data { Data((0..<bytes).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }) }
        var out = Data(), central = Data()
        for file in files {
            let name = file.name, crc = Int(crc32(file.data)), offset = out.count
            // version 20, flags (UTF-8 names or none), method 0 (stored), no time, crc, sizes, name length
            let common = le(20, 2) + le(utf8Names ? 0x0800 : 0, 2) + le(0, 2) + le(0, 4) + le(crc, 4) + le(file.data.count, 4) + le(file.data.count, 4)
                + le(name.count, 2) + le(0, 2)
            out += le(0x0403_4B50, 4) + common + name + file.data
            central += le(0x0201_4B50, 4) + le(20, 2) + common + le(0, 2) + le(0, 2) + le(0, 2) + le(0, 4) + le(offset, 4) + name
        }
        return out + central + le(0x0605_4B50, 4) + le(0, 4) + le(files.count, 2) + le(files.count, 2) + le(central.count, 4)
            + le(out.count, 4) + le(0, 2)
    }

    @Test("a box whose first entry is a PDF, in a zip that stores it or a plain tar, is read as the archive it is")
    func archiveStartingWithPDF() throws {
        // Its bytes (and their %PDF-) stand within the archive's first 1024, where a PDF's header
        // may be: such a box was read as that one PDF, the rest of it unseen.
        let folder = try FixtureFiles.temporaryDirectory("sijill-stored")
        defer { try? FileManager.default.removeItem(at: folder) }
        let pdf = try Data(contentsOf: FixtureFiles.box("box-pdf/scan-4410.pdf"))
        let other = try Data(contentsOf: FixtureFiles.box("box-pdf/page-003-jbig2.pdf"))
        let manifest = Data("file,series\nscan-4410.pdf,COURT-CASE\npage-003-jbig2.pdf,LAND-TRANSFER\n".utf8)
        let zip = folder.appendingPathComponent("box.zip")
        try Self.storedZip([("scan-4410.pdf", pdf), ("page-003-jbig2.pdf", other), ("manifest.csv", manifest)]).write(to: zip)
        let tarFolder = folder.appendingPathComponent("files")
        try FileManager.default.createDirectory(at: tarFolder, withIntermediateDirectories: true)
        for (name, data) in [("scan-4410.pdf", pdf), ("page-003-jbig2.pdf", other), ("manifest.csv", manifest)] {
            try data.write(to: tarFolder.appendingPathComponent(name))
        }
        let tar = folder.appendingPathComponent("box.tar")
        let (status, output) = try ExternalTool.run(["tar", "-C", tarFolder.path, "-cf", tar.path, "scan-4410.pdf", "page-003-jbig2.pdf", "manifest.csv"])
        #expect(status == 0, "\(output)")
        for box in [zip, tar] {
            let report = try TestArchive(jobs: 1).ingest(box)
            #expect(report.isClean && report.summary.recordsAdded == 2 && report.summary.pagesAdded == 3, "\(report.table())")
            #expect(Set(report.records.map(\.source)) == ["scan-4410.pdf", "page-003-jbig2.pdf"], "\(box.lastPathComponent)")
        }
    }

    @Test("zip names in DOS Arabic (code page 720, no UTF-8 flag), as Windows writes them, are read and noted; other bytes are refused")
    func dosArabicNames() throws {
        let folder = try FixtureFiles.temporaryDirectory("sijill-cp720")
        defer { try? FileManager.default.removeItem(at: folder) }
        let page = try Data(contentsOf: FixtureFiles.box("box-pdf/page-003-jbig2.pdf"))
        // معاملة/صفحة-1.pdf in code page 720; a name of box-drawing bytes (CP437's ╔ is 0xC9).
        let arabic = Data([234, 227, 159, 234, 233, 161, 47, 173, 229, 165, 161, 45, 49, 46, 112, 100, 102])
        let manifest = Data("file,series\nمعاملة/صفحة-1.pdf,LAND-TRANSFER\n".utf8)
        let zip = folder.appendingPathComponent("box.zip")
        try Self.storedZip(
            [(arabic, page), (Data("manifest.csv".utf8), manifest), (Data([0xC9, 0xCD, 0xBB]) + Data(".pdf".utf8), page)],
            utf8Names: false
        ).write(to: zip)
        let report = try TestArchive(jobs: 1).ingest(zip)
        #expect(report.summary.recordsAdded == 1 && report.records.first?.source == "معاملة/صفحة-1.pdf", "\(report.table())")
        let stored = try #require(report.items.first { $0.name == "معاملة/صفحة-1.pdf" })
        #expect(stored.status == .stored && stored.notes?.first?.contains("code page 720") == true)
        #expect(report.items.contains { $0.status == .rejected && $0.code == "unsafe-path" })
    }

    @Test("a scanner's text layer is kept beside Sijill's own OCR; a born-digital PDF is indexed from its own text")
    func embeddedText() throws {
        let archive = try TestArchive()
        let report = try archive.ingest(FixtureFiles.box("box-pdf"))
        func only(_ source: String) throws -> StoredPage {
            let id = try #require(report.records.first { $0.source == source }?.record)
            return try #require(try archive.archive.catalog.record(id)?.pages.first)
        }
        let layered = try only("letter-2001.pdf")
        let layer = try #require(try archive.archive.catalog.imageOrigin(layered.imageId))
        #expect(layer.textKind == "layer" && layer.textId != nil)
        #expect(!layered.ocrEngine.hasPrefix(EmbeddedText.engineName), "a text layer is OCRed anyway")
        let keptID = try #require(layer.textId)
        let kept = try JSONDecoder().decode(EmbeddedText.self, from: archive.archive.store.get(keptID))
        #expect(kept.words.count > 10)

        let born = try only("circular-2719.pdf")
        #expect(born.ocrEngine == EmbeddedText.engineName)
        let text = String(decoding: try archive.archive.store.get(born.textId), as: UTF8.self)
        let truth = try FixtureFiles.groundTruth(box: "box-pdf", path: "circular-2719.pdf")
        let cer = CharacterErrorRate.of(text, truth: truth)
        #expect(cer < 0.02, "born-digital text CER \(cer): \(text)")
        let hits = try archive.archive.catalog.search(SearchQuery("الحلبي 2719/2025"), limit: 5)
        #expect(hits.first?.record == born.recordId)
        #expect(try FixityCheck(archive: archive.archive).run(actor: "test", at: Date()).isClean)
    }

    @Test("a CCITT page kept as G4 TIFF shows what the PDF page shows: BlackIs1 and Decode [1 0] are honoured")
    func ccittPolarity() throws {
        let archive = try TestArchive(jobs: 1)
        let report = try archive.ingest(FixtureFiles.hostile("pdf-ccitt-polarity.zip"))
        #expect(report.isClean, "\(report.table())")
        func inkShare(_ source: String) throws -> Double {
            let id = try #require(report.records.first { $0.source == source }?.record)
            let page = try #require(try archive.archive.catalog.record(id)?.pages.first)
            #expect(try archive.archive.catalog.imageOrigin(page.imageId)?.origin == "pdf-g4")
            let image = try #require(try ImageDecoder().decode(archive.archive.store.get(page.imageId), name: source).first)
            return image.blackShare
        }
        let plain = try inkShare("plain.pdf"), inverted = try inkShare("black-is-1.pdf")
        let restored = try inkShare("black-is-1-decode.pdf")
        #expect(plain < 0.2 && restored == plain, "writing on white: \(plain), \(restored)")
        #expect(abs(inverted - (1 - plain)) < 0.001, "BlackIs1 alone shows white on black: \(inverted)")
    }
}
