import Foundation

/// The font of the invisible text layer: a TrueType font whose glyphs draw nothing, embedded as
/// a CID font (Identity-H, character code = CID = UTF-16 code unit, every CID drawn with glyph 1,
/// half an em wide) with a ToUnicode map from each CID back to its code unit. Text drawn with
/// it in render mode 3 is invisible but selectable, searchable and extractable as the Unicode
/// it was written with. Built here, table by table, rather than shipped as a binary.
enum GlyphlessFont {
    static let name = "SijillGlyphless"
    static let unitsPerEm = 1000
    /// Advance of glyph 1, in font units (= PDF glyph space units: the em is 1000).
    static let advance = 500
    static let ascent = 500
    static let descent = -125

    /// The font program (FontFile2): the tables a TrueType font embedded as a CIDFontType2
    /// needs (ISO 32000-1 9.9: head, hhea, maxp, hmtx, loca, glyf; cmap for readers that look
    /// for one). No name, post or OS/2: the PDF's font dictionaries name and measure it.
    static let program: Data = {
        func u16(_ v: Int) -> [UInt8] { [UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)] }
        func u32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)] }
        let glyphs = 2
        var tables: [(tag: String, bytes: [UInt8])] = []
        // head: version, revision, checksum adjustment (set below), magic, flags, units per em,
        // created/modified (0), bounding box, style, smallest size, direction, short loca, format.
        var head: [UInt8] = u32(0x0001_0000) + u32(0x0001_0000) + u32(0) + u32(0x5F0F_3CF5) + u16(0b1011) + u16(unitsPerEm)
        head += [UInt8](repeating: 0, count: 16)
        head += u16(0) + u16(descent & 0xFFFF) + u16(advance) + u16(ascent)
        head += u16(0) + u16(8) + u16(2) + u16(0) + u16(0)
        tables.append(("head", head))
        // hhea: ascender, descender, line gap, widest advance, side bearings, extent, caret, metrics count.
        var hhea: [UInt8] = u32(0x0001_0000) + u16(ascent) + u16(descent & 0xFFFF) + u16(0) + u16(advance)
        hhea += u16(0) + u16(0) + u16(advance) + u16(1) + u16(0) + u16(0) + [UInt8](repeating: 0, count: 8)
        hhea += u16(0) + u16(glyphs)
        tables.append(("hhea", hhea))
        // maxp 1.0: glyph count, then limits (one zone, nothing else).
        var maxp: [UInt8] = u32(0x0001_0000) + u16(glyphs)
        maxp += u16(0) + u16(0) + u16(0) + u16(0) + u16(1) + u16(0) + u16(0) + u16(0) + u16(0) + u16(0) + u16(0) + u16(0) + u16(0)
        tables.append(("maxp", maxp))
        tables.append(("hmtx", (0..<glyphs).flatMap { _ in u16(advance) + u16(0) }))
        // Empty glyphs: every loca offset 0, a glyf table of padding only.
        tables.append(("loca", (0...glyphs).flatMap { _ in u16(0) }))
        tables.append(("glyf", [0, 0, 0, 0]))
        // cmap: one (3,0) format 4 subtable with only the closing segment (no character maps
        // directly: the PDF's CIDToGIDMap chooses the glyph).
        var format4: [UInt8] = u16(4) + u16(24) + u16(0) + u16(2) + u16(2) + u16(0) + u16(0)
        format4 += u16(0xFFFF) + u16(0) + u16(0xFFFF) + u16(1) + u16(0)
        tables.append(("cmap", u16(0) + u16(1) + u16(3) + u16(0) + u32(12) + format4))
        tables.sort { $0.tag < $1.tag }

        func checksum(_ bytes: [UInt8]) -> UInt32 {
            var sum: UInt32 = 0
            var padded = bytes
            while padded.count % 4 != 0 { padded.append(0) }
            for i in stride(from: 0, to: padded.count, by: 4) {
                sum &+= UInt32(padded[i]) << 24 | UInt32(padded[i + 1]) << 16 | UInt32(padded[i + 2]) << 8 | UInt32(padded[i + 3])
            }
            return sum
        }
        let count = tables.count
        var power = 1, log2 = 0
        while power * 2 <= count { power *= 2; log2 += 1 }
        var file: [UInt8] = u32(0x0001_0000) + u16(count) + u16(power * 16) + u16(log2) + u16(count * 16 - power * 16)
        var offset = 12 + 16 * count
        var body: [UInt8] = []
        var headOffset = 0
        for table in tables {
            file += Array(table.tag.utf8) + u32(checksum(table.bytes)) + u32(UInt32(offset)) + u32(UInt32(table.bytes.count))
            if table.tag == "head" { headOffset = offset }
            var bytes = table.bytes
            while bytes.count % 4 != 0 { bytes.append(0) }
            body += bytes
            offset += bytes.count
        }
        file += body
        let adjustment = 0xB1B0_AFBA &- checksum(file)
        file.replaceSubrange((headOffset + 8)..<(headOffset + 12), with: u32(adjustment))
        return Data(file)
    }()

    /// Every CID up to `last` drawn with glyph 1 (glyph 0, .notdef, is never referenced: CIDs
    /// past the map's end would be, and none is used).
    static func cidToGIDMap(through last: UInt16) -> Data {
        PDFWriter.deflate(Data((0...Int(last)).flatMap { _ in [UInt8(0), UInt8(1)] }))
    }

    /// The ToUnicode CMap for the code units a document uses: each CID is the UTF-16 code
    /// unit it stands for (runs of consecutive units as ranges, split where the high byte
    /// changes, as CMaps require).
    static func toUnicode(_ used: Set<UInt16>) -> Data {
        var ranges: [String] = []
        var sorted = used.sorted()[...]
        while let first = sorted.first {
            var last = first
            sorted = sorted.dropFirst()
            while let next = sorted.first, next == last + 1, next >> 8 == first >> 8 {
                last = next
                sorted = sorted.dropFirst()
            }
            ranges.append(String(format: "<%04X> <%04X> <%04X>", first, last, first))
        }
        var cmap = """
            /CIDInit /ProcSet findresource begin
            12 dict begin
            begincmap
            /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
            /CMapName /Adobe-Identity-UCS def
            /CMapType 2 def
            1 begincodespacerange
            <0000> <FFFF>
            endcodespacerange

            """
        for chunk in stride(from: 0, to: ranges.count, by: 100) {
            let part = ranges[chunk..<min(chunk + 100, ranges.count)]
            cmap += "\(part.count) beginbfrange\n" + part.joined(separator: "\n") + "\nendbfrange\n"
        }
        cmap += "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
        return Data(cmap.utf8)
    }

    /// Writes the font's objects, the Type0 font as object `number` (reserved before the pages
    /// that use it), with a ToUnicode map for the code units `used`.
    static func write(_ number: Int, used: Set<UInt16>, into writer: inout PDFWriter) {
        let file = writer.addStream(dictionary: "/Filter /FlateDecode /Length1 \(program.count)", bytes: PDFWriter.deflate(program))
        let descriptor = writer.add(
            "<< /Type /FontDescriptor /FontName /\(name) /Flags 5 /FontBBox [0 \(descent) \(advance) \(ascent)] /ItalicAngle 0 /Ascent \(ascent) /Descent \(descent) /CapHeight \(ascent) /StemV 80 /FontFile2 \(file) 0 R >>")
        let map = writer.addStream(dictionary: "/Filter /FlateDecode", bytes: cidToGIDMap(through: used.max() ?? 0))
        let cidFont = writer.add(
            "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /\(name) /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor \(descriptor) 0 R /DW \(advance) /CIDToGIDMap \(map) 0 R >>")
        let unicode = writer.addStream(dictionary: "/Filter /FlateDecode", bytes: PDFWriter.deflate(toUnicode(used)))
        writer.object(
            number,
            "<< /Type /Font /Subtype /Type0 /BaseFont /\(name) /Encoding /Identity-H /DescendantFonts [\(cidFont) 0 R] /ToUnicode \(unicode) 0 R >>")
    }
}
