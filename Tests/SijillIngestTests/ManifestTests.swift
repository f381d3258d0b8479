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

    @Test("non-UTF-8 manifests are refused with advice")
    func encoding() {
        let latin1 = Data([0x66, 0x69, 0x6C, 0x65, 0x0A, 0xE9, 0xE8, 0x0A])
        #expect { try Manifest(data: latin1, name: "m.csv") } throws: { "\($0)".contains("UTF-8") }
    }

    @Test("bad rows are reported and the others kept")
    func rowProblems() throws {
        let m = try parse("file,series\n,LAND\n../up.png,X\n/abs.png,X\nok.png,X\nmany.png,X,extra,more\n\n")
        #expect(m.entries.map(\.file) == ["ok.png"])
        #expect(m.problems.map(\.line) == [2, 3, 4, 6])
        #expect(m.problems.map(\.code) == ["manifest-row-file", "unsafe-path", "unsafe-path", "manifest-row-fields"])
    }
}
