import Foundation
import SijillIngest
import Testing

@Suite struct ManifestTests {
    func parse(_ text: String, bom: Bool = false) throws -> Manifest {
        var data = Data(text.utf8)
        if bom { data.insert(contentsOf: [0xEF, 0xBB, 0xBF], at: 0) }
        return try Manifest(data: data, name: "manifest.csv")
    }

    @Test("BOM, CRLF, quoted commas, doubled quotes and embedded newlines")
    func quoting() throws {
        let m = try parse(
            "File,Series,Title,Shelf\r\ndossier-1/,LAND,\"طلب نقل ملكية، قطعة \"\"٤٥\"\"\",A-1\r\nx.png,CIVIL,\"سطر\nثان\",\r\n",
            bom: true)
        #expect(m.entries.count == 2)
        #expect(m.entries[0].file == "dossier-1")
        #expect(m.entries[0].metadata.title == "طلب نقل ملكية، قطعة \"٤٥\"")
        #expect(m.entries[0].metadata.extra == ["shelf": "A-1"])
        #expect(m.entries[1].metadata.title == "سطر\nثان")
        #expect(m.entries[1].line == 3)
    }

    @Test("bad manifests are errors naming the problem", arguments: [
        ("", "empty"), ("name,series\nx,y\n", "no 'file' column"), ("file,file\nx,y\n", "appears twice"),
        ("file,title\nx,\"never closed\n", "never closed"),
    ])
    func wholeManifestErrors(text: String, message: String) {
        #expect { try parse(text) } throws: { "\($0)".contains(message) }
    }

    @Test("Excel's other ways of saving are read: Windows-1256, UTF-16 with tabs, semicolons; Arabic column names")
    func spreadsheetDialects() throws {
        let text = "file,series,title\nx.png,LAND,عقد بيع، قطعة 45\n"
        // Windows-1256 bytes, as Excel's "CSV" writes on Arabic Windows.
        var arabic = Data()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "ع": arabic.append(0xDA)
            case "ق": arabic.append(0xDE)
            case "د": arabic.append(0xCF)
            case " ": arabic.append(0x20)
            case "ب": arabic.append(0xC8)
            case "ي": arabic.append(0xED)
            case "،": arabic.append(0xA1)
            case "ط": arabic.append(0xD8)
            case "ة": arabic.append(0xC9)
            default: arabic.append(UInt8(scalar.value))
            }
        }
        let windows = try Manifest(data: arabic, name: "m.csv")
        #expect(windows.entries.map(\.metadata.title) == ["عقد بيع، قطعة 45"])
        #expect(windows.dialect.summary == "Windows-1256")
        // UTF-16 with its BOM and tabs (Excel's "Unicode text").
        let utf16 = try Manifest(data: text.replacingOccurrences(of: ",", with: "\t").data(using: .utf16)!, name: "m.txt")
        #expect(utf16.entries.map(\.metadata.title) == ["عقد بيع، قطعة 45"])
        #expect(utf16.dialect.summary == "UTF-16, tab-separated")
        // Semicolons (Excel where the decimal mark is a comma), Arabic column names, a comma in a cell.
        let semi = try parse("الملف;السلسلة;العنوان;رقم المعاملة;الرف\nx.png;LAND;عقد، بيع;81559/1982;A-1\n")
        #expect(semi.dialect.summary == "UTF-8, ';'-separated")
        #expect(semi.entries.first?.file == "x.png")
        #expect(semi.entries.first?.metadata.series == "LAND")
        #expect(semi.entries.first?.metadata.title == "عقد، بيع")
        #expect(semi.entries.first?.metadata.reference == "81559/1982")
        #expect(semi.entries.first?.metadata.extra == ["الرف": "A-1"])
        // A comma in the header wins over semicolons in its names.
        #expect(try parse("file,notes;more\nx.png,a;b\n").entries.first?.metadata.extra == ["notes;more": "a;b"])
        #expect(try parse(text).dialect.isDefault)
    }

    @Test("dates as Arab offices write them are stored as ISO, the cell kept as written; an unreadable one is noted, not used")
    func writtenDates() throws {
        let m = try parse("""
            file,date
            a.png,1982-03-14
            b.png,14/03/1982
            c.png,١٩٩٥-٠٦-٠٨
            d.png,1402/05/19هـ
            e.png,آذار 1982
            f.png,1982
            g.png,March 1982
            h.png,14/03/1982 أو 15/03/1982
            i.png,1982-02-30
            j.png,14/03/1982 00:00
            """)
        #expect(m.entries.map(\.metadata.date) == ["1982-03-14", "1982-03-14", "1995-06-08", "1982-03-15", "1982-03", "1982", nil, nil, nil, "1982-03-14"])
        #expect(m.entries.map { $0.metadata.extra["date_as_written"] } == [
            nil, "14/03/1982", "١٩٩٥-٠٦-٠٨", "1402/05/19هـ", "آذار 1982", nil, "March 1982", "14/03/1982 أو 15/03/1982", "1982-02-30",
            "14/03/1982 00:00",
        ])
        #expect(m.notes.map(\.line) == [3, 4, 5, 6, 8, 9, 10, 11])
        #expect(m.notes.map(\.code) == [
            "manifest-date-read", "manifest-date-read", "manifest-date-read", "manifest-date-read",
            "manifest-date-unread", "manifest-date-unread", "manifest-date-unread", "manifest-date-read",
        ])
        #expect(m.problems.isEmpty)
    }

    @Test("an Excel workbook is read from its first worksheet: shared and inline strings, gaps, rich text, entities, date numbers")
    func workbook() throws {
        func part(_ xml: String) -> Data { Data(("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n" + xml).utf8) }
        let workbook = part(#"<workbook xmlns:r="r"><sheets><sheet name="ب" sheetId="2" r:id="rId7"/><sheet name="أ" sheetId="1" r:id="rId1"/></sheets></workbook>"#)
        let rels = part(#"<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/><Relationship Id="rId7" Target="/xl/worksheets/sheet2.xml"/></Relationships>"#)
        // Rich text runs are one string; the phonetic run is not part of it.
        let shared = part(#"<sst><si><t>الملف</t></si><si><t>التاريخ</t></si><si><r><t>طلب </t></r><r><t xml:space="preserve">نقل &amp; &#1605;لكية</t></r><rPh><t>x</t></rPh></si><si><t>a.png</t></si><si/></sst>"#)
        // Row 1: file, (B empty), date, title as an inline string; row 3 (row 2 absent): a number, a date number, a shared string.
        let sheet = part("""
            <worksheet><sheetData>\
            <row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c><c r="D1" t="inlineStr"><is><t>العنوان</t></is></c></row>\
            <row r="3"><c r="A3" t="s"><v>3</v></c><c r="B3"><v>4410</v></c><c r="C3" s="1"><v>30024</v></c><c r="D3" t="s"><v>2</v></c></row>\
            <row r="4"><c r="A4" t="s"><v>4</v></c><c r="C4" t="b"><v>1</v></c></row>\
            </sheetData></worksheet>
            """)
        let other = part(#"<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>file</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>wrong.png</t></is></c></row></sheetData></worksheet>"#)
        let xlsx = DeliveryTests.storedZip([
            ("[Content_Types].xml", part("<Types/>")), ("xl/workbook.xml", workbook), ("xl/_rels/workbook.xml.rels", rels),
            ("xl/sharedStrings.xml", shared), ("xl/worksheets/sheet1.xml", other), ("xl/worksheets/sheet2.xml", sheet),
        ])
        let m = try Manifest(data: xlsx, name: "manifest.xlsx")
        #expect(m.dialect.summary == "Excel workbook")
        #expect(m.entries.map(\.file) == ["a.png"])
        #expect(m.entries.first?.line == 3)
        #expect(m.entries.first?.metadata.title == "طلب نقل & ملكية")
        #expect(m.entries.first?.metadata.date == "1982-03-14")
        #expect(m.entries.first?.metadata.extra == ["date_as_written": "30024"])
        // Row 4 has an empty file cell (the empty shared string), reported as such.
        #expect(m.problems.map(\.line) == [4])
        // A zip that is not a workbook, and a workbook naming a shared string it lacks, are clear errors.
        let notBook = DeliveryTests.storedZip([("readme.txt", Data("x".utf8))])
        #expect { try Manifest(data: notBook, name: "manifest.xlsx") } throws: { "\($0)".contains("worksheet") }
        let dangling = DeliveryTests.storedZip([
            ("xl/worksheets/sheet1.xml", part(#"<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>9</v></c></row></sheetData></worksheet>"#)),
        ])
        #expect { try Manifest(data: dangling, name: "manifest.xlsx") } throws: { "\($0)".contains("shared string 9") }
    }

    @Test("a LibreOffice spreadsheet is read from its first table: repeated cells and rows, dates, numbers, paragraphs")
    func openDocument() throws {
        let content = Data("""
            <?xml version="1.0" encoding="UTF-8"?>
            <office:document-content xmlns:office="o" xmlns:table="t" xmlns:text="x"><office:body><office:spreadsheet>\
            <table:table table:name="البيان">\
            <table:table-row><table:table-cell office:value-type="string"><text:p>الملف</text:p></table:table-cell>\
            <table:table-cell table:number-columns-repeated="2"/><table:table-cell office:value-type="string"><text:p>التاريخ</text:p></table:table-cell>\
            <table:table-cell office:value-type="string"><text:p>العنوان</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>المرجع</text:p></table:table-cell>\
            <table:table-cell table:number-columns-repeated="1020"/></table:table-row>\
            <table:table-row table:number-rows-repeated="3"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>\
            <table:table-row><table:table-cell office:value-type="string"><text:p>a.png</text:p></table:table-cell><table:table-cell table:number-columns-repeated="2"/>\
            <table:table-cell office:value-type="date" office:date-value="1982-03-14T00:00:00"><text:p>14/03/82</text:p></table:table-cell>\
            <table:table-cell office:value-type="string"><text:p>طلب<text:s text:c="2"/>نقل &amp; ملكية</text:p><text:p>سطر ثان</text:p></table:table-cell>\
            <table:table-cell office:value-type="float" office:value="4410"><text:p>4,410</text:p></table:table-cell></table:table-row>\
            <table:table-row table:number-rows-repeated="1048570"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>\
            </table:table><table:table table:name="أخرى"><table:table-row><table:table-cell office:value-type="string"><text:p>wrong.png</text:p></table:table-cell></table:table-row></table:table>\
            </office:spreadsheet></office:body></office:document-content>
            """.utf8)
        let ods = DeliveryTests.storedZip([("mimetype", Data("application/vnd.oasis.opendocument.spreadsheet".utf8)), ("content.xml", content)])
        let m = try Manifest(data: ods, name: "manifest.ods")
        #expect(m.dialect.summary == "OpenDocument spreadsheet")
        #expect(m.entries.map(\.file) == ["a.png"])
        #expect(m.entries.first?.line == 5)
        #expect(m.entries.first?.metadata.date == "1982-03-14")
        #expect(m.entries.first?.metadata.title == "طلب  نقل & ملكية\nسطر ثان")
        #expect(m.entries.first?.metadata.reference == "4410")
        #expect(m.problems.isEmpty && m.notes.isEmpty)
    }

    @Test("bytes that are neither UTF-8 nor Arabic Windows-1256 text are refused with advice")
    func encoding() {
        let latin1 = Data([0x66, 0x69, 0x6C, 0x65, 0x0A, 0xE9, 0xE8, 0x0A])
        #expect { try Manifest(data: latin1, name: "m.csv") } throws: { "\($0)".contains("save it as CSV UTF-8") }
        let binary = Data([0x66, 0x69, 0x6C, 0x65, 0x0A, 0x00, 0xC7, 0xFF, 0x0A])
        #expect { try Manifest(data: binary, name: "m.csv") } throws: { "\($0)".contains("neither UTF-8 nor Arabic Windows-1256") }
        let brokenUTF16 = Data([0xFF, 0xFE, 0x66, 0x00, 0x00, 0xD8])
        #expect { try Manifest(data: brokenUTF16, name: "m.csv") } throws: { "\($0)".contains("UTF-16") }
    }

    @Test("bad rows are reported and the others kept")
    func rowProblems() throws {
        let m = try parse("file,series\n,LAND\n../up.png,X\n/abs.png,X\nok.png,X\nmany.png,X,extra,more\n\n")
        #expect(m.entries.map(\.file) == ["ok.png"])
        #expect(m.problems.map(\.line) == [2, 3, 4, 6])
        #expect(m.problems.map(\.code) == ["manifest-row-file", "unsafe-path", "unsafe-path", "manifest-row-fields"])
    }
}
