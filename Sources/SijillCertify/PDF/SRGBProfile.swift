import Foundation

/// An ICC version 2 display profile for sRGB (IEC 61966-2-1), built here: D50-adapted
/// primaries, the sRGB transfer curve as a 64-entry table (linear interpolation between its
/// points is within 0.2% of the curve; a longer table cost 2 KB in every PDF). It is the PDF/A OutputIntent of
/// exported records (their page images are DeviceRGB or DeviceGray).
enum SRGBProfile {
    static let data: Data = {
        func u16(_ v: Int) -> [UInt8] { [UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)] }
        func u32(_ v: Int) -> [UInt8] { [UInt8((v >> 24) & 0xFF), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)] }
        func s15(_ v: Double) -> [UInt8] { u32(Int((v * 65_536).rounded()) & 0xFFFF_FFFF) }
        func xyz(_ x: Double, _ y: Double, _ z: Double) -> [UInt8] { Array("XYZ ".utf8) + u32(0) + s15(x) + s15(y) + s15(z) }
        let description = "sRGB IEC61966-2.1 (Sijill)"
        var desc: [UInt8] = Array("desc".utf8) + u32(0) + u32(description.utf8.count + 1) + Array(description.utf8) + [0]
        desc += u32(0) + u32(0) + u16(0) + [0] + [UInt8](repeating: 0, count: 67)
        let copyright = "No copyright, use freely"
        let cprt: [UInt8] = Array("text".utf8) + u32(0) + Array(copyright.utf8) + [0]
        // The sRGB curve: linear below 0.04045, else ((v + 0.055) / 1.055)^2.4.
        let points = 64
        var curv: [UInt8] = Array("curv".utf8) + u32(0) + u32(points)
        for i in 0..<points {
            let v = Double(i) / Double(points - 1)
            let linear = v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4)
            curv += u16(Int((linear * 65_535).rounded()))
        }
        let tags: [(String, [UInt8])] = [
            ("desc", desc), ("cprt", cprt), ("wtpt", xyz(0.9642, 1.0, 0.8249)),
            ("rXYZ", xyz(0.4361, 0.2225, 0.0139)), ("gXYZ", xyz(0.3851, 0.7169, 0.0971)), ("bXYZ", xyz(0.1431, 0.0606, 0.7141)),
            ("rTRC", curv),
        ]
        // gTRC and bTRC share rTRC's data.
        let entries = tags.count + 2
        var offset = 128 + 4 + 12 * entries
        var table: [UInt8] = u32(entries)
        var body: [UInt8] = []
        var trc = (0, 0)
        for (signature, bytes) in tags {
            table += Array(signature.utf8) + u32(offset) + u32(bytes.count)
            if signature == "rTRC" { trc = (offset, bytes.count) }
            var padded = bytes
            while padded.count % 4 != 0 { padded.append(0) }
            body += padded
            offset += padded.count
        }
        for signature in ["gTRC", "bTRC"] { table += Array(signature.utf8) + u32(trc.0) + u32(trc.1) }
        let size = 128 + table.count + body.count
        var header: [UInt8] = u32(size) + u32(0) + u32(0x0210_0000) + Array("mntrRGB XYZ ".utf8)
        header += u16(2026) + u16(1) + u16(1) + u16(0) + u16(0) + u16(0)
        header += Array("acsp".utf8) + u32(0) + u32(0) + u32(0) + u32(0) + u32(0) + u32(0) + u32(0)
        header += s15(0.9642) + s15(1.0) + s15(0.8249) + u32(0)
        header += [UInt8](repeating: 0, count: 16 + 28)
        precondition(header.count == 128)
        return Data(header + table + body)
    }()
}
