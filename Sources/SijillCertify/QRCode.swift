import CQRencode

/// A QR code (libqrencode, error correction M) as a square of dark and light modules, for pages
/// that draw it themselves (the access-code slip draws it as SVG rectangles).
public struct QRCode: Sendable {
    public let size: Int
    public let modules: [Bool]

    public init?(_ text: String) {
        guard let qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1) else { return nil }
        defer { QRcode_free(qr) }
        size = Int(qr.pointee.width)
        modules = (0..<(size * size)).map { qr.pointee.data[$0] & 1 == 1 }
    }

    public func isDark(_ x: Int, _ y: Int) -> Bool { modules[y * size + x] }

    /// An SVG drawing (a 4-module quiet zone), one path of unit squares, with an accessible name.
    public func svg(pixels: Int = 160, label: String) -> String {
        var path = ""
        for y in 0..<size {
            for x in 0..<size where isDark(x, y) { path += "M\(x + 4) \(y + 4)h1v1h-1z" }
        }
        let view = size + 8
        let escaped = label.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"\(escaped)\" width=\"\(pixels)\" "
            + "height=\"\(pixels)\" viewBox=\"0 0 \(view) \(view)\" shape-rendering=\"crispEdges\">"
            + "<rect width=\"\(view)\" height=\"\(view)\" fill=\"#fff\"/><path fill=\"#000\" d=\"\(path)\"/></svg>"
    }
}
