/// How a page image is cleaned before recognition. Every step is optional so that each can be
/// measured on its own (`bench/ocr-quality -- --ocr-config FILE`).
public struct PreprocessSettings: Hashable, Sendable, Codable {
    /// Even out uneven paper and lighting (Leptonica background normalisation).
    public var backgroundNormalize: Bool
    /// `none` (Tesseract's own Otsu), `otsu` or `sauvola` (adaptive, local) binarisation.
    public var binarize: String
    /// Remove specks: connected components at most this many pixels wide and high (at 300 dpi;
    /// scaled with resolution). Needs binarisation. 0 = off. Arabic dots and the Arabic-Indic
    /// zero are larger than 5 px at 300 dpi, so small values are safe.
    public var despeckle: Int
    /// Detect skew and rotate the page straight.
    public var deskew: Bool

    public init(backgroundNormalize: Bool = false, binarize: String = "none", despeckle: Int = 0, deskew: Bool = false) {
        self.backgroundNormalize = backgroundNormalize
        self.binarize = binarize
        self.despeckle = despeckle
        self.deskew = deskew
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = PreprocessSettings()
        backgroundNormalize = try c.decodeIfPresent(Bool.self, forKey: .backgroundNormalize) ?? d.backgroundNormalize
        binarize = try c.decodeIfPresent(String.self, forKey: .binarize) ?? d.binarize
        despeckle = try c.decodeIfPresent(Int.self, forKey: .despeckle) ?? d.despeckle
        deskew = try c.decodeIfPresent(Bool.self, forKey: .deskew) ?? d.deskew
        guard ["none", "otsu", "sauvola"].contains(binarize) else {
            throw DecodingError.dataCorruptedError(
                forKey: .binarize, in: c, debugDescription: "binarize must be none, otsu or sauvola, not '\(binarize)'")
        }
        guard (0...50).contains(despeckle) else {
            throw DecodingError.dataCorruptedError(forKey: .despeckle, in: c, debugDescription: "despeckle must be 0-50 pixels")
        }
    }

    var fingerprint: String {
        "bg=\(backgroundNormalize ? 1 : 0),bin=\(binarize),speck=\(despeckle),deskew=\(deskew ? 1 : 0)"
    }
}
