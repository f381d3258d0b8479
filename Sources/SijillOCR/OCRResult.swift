/// What recognition produced for one page.
public struct OCRResult: Sendable, Hashable {
    /// Recognised text in logical order, bidi control marks removed.
    public var text: String
    /// hOCR document with word boxes and confidences.
    public var hocr: String
    /// Mean word confidence, 0–100 (0 when no words were found).
    public var meanConfidence: Double
    /// Number of words recognised.
    public var wordCount: Int
    /// Words below the low-confidence threshold.
    public var lowConfidenceWords: Int
    /// Engine name and version, e.g. `tesseract 5.3.0`.
    public var engine: String
    /// ``OCRSettings/fingerprint`` of the settings used.
    public var settings: String
    /// The resolution used, and whether it was assumed because the image had none.
    public var dpi: Int
    public var dpiAssumed: Bool
    /// Clockwise rotation (0, 90, 180, 270) that gave the best reading.
    public var rotation: Int
    /// Too poor to trust: the page should be scanned again.
    public var needsRescan: Bool
    /// Cleaning steps that ran on this page before recognition, each with the measured figure
    /// that decided it (`upscale 150→300 dpi`, `deskew 2.10°`); empty when the page went to
    /// Tesseract as scanned.
    public var cleaning: [String]
    /// What the page was measured to be (nil for text taken from a PDF).
    public var measurements: PageMeasurements?

    public init(
        text: String, hocr: String, meanConfidence: Double, wordCount: Int, lowConfidenceWords: Int,
        engine: String, settings: String, dpi: Int, dpiAssumed: Bool, rotation: Int = 0, needsRescan: Bool = false,
        cleaning: [String] = [], measurements: PageMeasurements? = nil
    ) {
        self.text = text
        self.hocr = hocr
        self.meanConfidence = meanConfidence
        self.wordCount = wordCount
        self.lowConfidenceWords = lowConfidenceWords
        self.engine = engine
        self.settings = settings
        self.dpi = dpi
        self.dpiAssumed = dpiAssumed
        self.rotation = rotation
        self.needsRescan = needsRescan
        self.cleaning = cleaning
        self.measurements = measurements
    }
}
