/// How a page image is cleaned before recognition.
///
/// Two kinds of steps. **Adaptive** steps (`adaptive`, on by default) run on a page only when
/// its own measurements (``PageMeasurements``) call for them: a clean page goes to Tesseract as
/// it is, a fax page is resampled, a noisy one despeckled. **Fixed** steps (`backgroundNormalize`,
/// `binarize`, `despeckle`, `deskew`) run on every page; they are off by default (each made the
/// clean fixtures worse) and are kept so that each can be measured
/// (`bench/ocr-quality -- --ocr-config FILE`).
public struct PreprocessSettings: Hashable, Sendable, Codable {
    /// Adaptive steps that may run, each decided per page (see ``AdaptiveStep``).
    public var adaptive: [String]
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

    /// The adaptive steps, in the order they run.
    public enum AdaptiveStep: String, CaseIterable, Sendable {
        /// Colour scans with a minority of ink in colour (a stamp, a signature): each pixel's
        /// lightest channel, which drops the coloured ink and keeps the black print.
        case colour
        /// Pixels twice as tall as wide (fax "normal" mode, 200×100 dpi): resample to square.
        case squarePixels = "square-pixels"
        /// Under 250 dpi (fax, phone captures at 150 dpi): resample to 300 dpi.
        case upscale
        /// Solid dark regions thicker than any stroke (``DarkRegions``: a scanner's black
        /// surround, punch holes, black bars), found before the page is measured: painted with
        /// the paper's gray.
        case darkRegions = "dark-regions"
        /// Straight lines longer than any word (form rulings, borders, a copier's dark edge):
        /// painted over with the paper's gray.
        case rules
        /// Dashed horizontal streaks (a fax's line noise: rows of four or more thin dashes on one
        /// line, a quarter of the page wide or more), on pages whose lines run across: the dashes
        /// are painted over with the paper's gray.
        case streaks
        /// Salt-and-pepper noise (at least a third of the ink components are specks of 3 × 3 px
        /// or less): the specks are painted over with the paper's gray.
        case despeckle
        /// Faint ink on noisy gray paper, where a global threshold falls inside the paper's noise
        /// (the measured binary shows no text line): the page is blurred, thresholded below the
        /// paper by 3.5 times the paper's own spread, and then treated as a bilevel page.
        case noisyPaper = "noisy-paper"
        /// Bilevel pages (fax, G4, thresholded copies), after despeckling: a blur of about 1.2 px
        /// at 300 dpi (two 3 × 3 box filters) gives back the gray edges the recogniser was
        /// trained on.
        case smooth
        /// Noisy paper (gray noise of 6 levels or more after background normalisation): a 3 × 3
        /// median filter. Off by default: it made the noisy pages of `Fixtures/degraded` worse.
        case denoise
        /// Uneven background (its gray varies by 40 levels or more): Leptonica background
        /// normalisation.
        case background
        /// Faded ink (under 110 gray levels between ink and paper): levels stretched.
        case contrast
        /// Skew of 0.5° or more, measured with confidence: rotated straight.
        case deskew
    }

    public static let defaultAdaptive = AdaptiveStep.allCases.filter { $0 != .denoise }.map(\.rawValue)

    public init(
        adaptive: [String] = PreprocessSettings.defaultAdaptive,
        backgroundNormalize: Bool = false, binarize: String = "none", despeckle: Int = 0, deskew: Bool = false
    ) {
        self.adaptive = adaptive
        self.backgroundNormalize = backgroundNormalize
        self.binarize = binarize
        self.despeckle = despeckle
        self.deskew = deskew
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = PreprocessSettings()
        adaptive = try c.decodeIfPresent([String].self, forKey: .adaptive) ?? d.adaptive
        backgroundNormalize = try c.decodeIfPresent(Bool.self, forKey: .backgroundNormalize) ?? d.backgroundNormalize
        binarize = try c.decodeIfPresent(String.self, forKey: .binarize) ?? d.binarize
        despeckle = try c.decodeIfPresent(Int.self, forKey: .despeckle) ?? d.despeckle
        deskew = try c.decodeIfPresent(Bool.self, forKey: .deskew) ?? d.deskew
        if let unknown = adaptive.first(where: { AdaptiveStep(rawValue: $0) == nil }) {
            throw DecodingError.dataCorruptedError(
                forKey: .adaptive, in: c,
                debugDescription: "unknown adaptive step '\(unknown)' (known: \(PreprocessSettings.defaultAdaptive.joined(separator: ", ")))")
        }
        guard ["none", "otsu", "sauvola"].contains(binarize) else {
            throw DecodingError.dataCorruptedError(
                forKey: .binarize, in: c, debugDescription: "binarize must be none, otsu or sauvola, not '\(binarize)'")
        }
        guard (0...50).contains(despeckle) else {
            throw DecodingError.dataCorruptedError(forKey: .despeckle, in: c, debugDescription: "despeckle must be 0-50 pixels")
        }
    }

    func allows(_ step: AdaptiveStep) -> Bool { adaptive.contains(step.rawValue) }

    var fingerprint: String {
        let steps = AdaptiveStep.allCases.filter(allows).map(\.rawValue).joined(separator: "+")
        return "adaptive=v1:\(steps.isEmpty ? "none" : steps),"
            + "bg=\(backgroundNormalize ? 1 : 0),bin=\(binarize),speck=\(despeckle),deskew=\(deskew ? 1 : 0)"
    }
}
