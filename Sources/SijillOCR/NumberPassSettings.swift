/// The second pass for numbers: lines (or words) that contain digits are cropped and read again
/// with a model that reads digits better than the main one.
public struct NumberPassSettings: Hashable, Sendable, Codable {
    public var enabled: Bool
    /// Tesseract language of the numbers model: `digits` (built into the binary, trained by
    /// `Ingest/models/digits/train.sh`) by default; `Arabic` (the script model) also works.
    public var language: String
    /// Folder with its traineddata; empty = the built-in model of that name, else the main
    /// `tessdataPath`.
    public var tessdataPath: String
    /// `line`: re-read whole lines holding digits and take their numbers in order;
    /// `word`: re-read each word holding digits.
    public var scope: String
    /// Page segmentation mode for the crops (7 = one text line).
    public var pageSegmentationMode: Int
    /// Word scope: a number the main pass read in Western digits is read again only when its
    /// confidence is below this (the main model reads Western digits well; Arabic-Indic ones
    /// are always read again).
    public var rereadBelowConfidence: Double
    /// Word scope: a word without digits beside a label ending in a colon, read with confidence
    /// below this (a field's number the main model turned into letters), is read with the
    /// numbers model too, and replaced when that
    /// reading is a whole number with confidence at least `acceptUnreadAbove`. 0 = never.
    public var rereadUnreadBelow: Double
    public var acceptUnreadAbove: Double
    /// Word scope: a number with a slash in it is read with this model too, which reads an
    /// Arabic letter beside a slash as well as digits (`refs`, built in, trained by
    /// `Ingest/models/digits/train.sh` with `MODEL=refs`); when it sees a reference with a
    /// letter (١٤٣/ج/٢٠٠١, ج/٣٣٢٨) its reading is taken. Empty = off. Same folder rule as
    /// `language`.
    public var referencesLanguage: String

    public init(
        enabled: Bool = true, language: String = "digits", tessdataPath: String = "", scope: String = "word",
        pageSegmentationMode: Int = 7, rereadBelowConfidence: Double = 60, rereadUnreadBelow: Double = 40,
        acceptUnreadAbove: Double = 75, referencesLanguage: String = "refs"
    ) {
        self.enabled = enabled
        self.language = language
        self.tessdataPath = tessdataPath
        self.scope = scope
        self.pageSegmentationMode = pageSegmentationMode
        self.rereadBelowConfidence = rereadBelowConfidence
        self.rereadUnreadBelow = rereadUnreadBelow
        self.acceptUnreadAbove = acceptUnreadAbove
        self.referencesLanguage = referencesLanguage
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = NumberPassSettings()
        enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled) ?? d.enabled
        language = try c.decodeIfPresent(String.self, forKey: .language) ?? d.language
        tessdataPath = try c.decodeIfPresent(String.self, forKey: .tessdataPath) ?? d.tessdataPath
        scope = try c.decodeIfPresent(String.self, forKey: .scope) ?? d.scope
        pageSegmentationMode = try c.decodeIfPresent(Int.self, forKey: .pageSegmentationMode) ?? d.pageSegmentationMode
        rereadBelowConfidence = try c.decodeIfPresent(Double.self, forKey: .rereadBelowConfidence) ?? d.rereadBelowConfidence
        rereadUnreadBelow = try c.decodeIfPresent(Double.self, forKey: .rereadUnreadBelow) ?? d.rereadUnreadBelow
        acceptUnreadAbove = try c.decodeIfPresent(Double.self, forKey: .acceptUnreadAbove) ?? d.acceptUnreadAbove
        referencesLanguage = try c.decodeIfPresent(String.self, forKey: .referencesLanguage) ?? d.referencesLanguage
        guard ["line", "word"].contains(scope) else {
            throw DecodingError.dataCorruptedError(forKey: .scope, in: c, debugDescription: "scope must be line or word")
        }
    }

    /// Bumped when the pass's code reads differently with the same settings, so `reocr` knows
    /// which pages were read the old way. 2: lettered references (٤٢٠/م/١٩٨٢) keep their parts.
    /// 3: a smoothed (bilevel) page's numbers are read on the page before smoothing.
    /// 4: a run of unread words after a label is read as one number; a full stop at a number's
    /// end is kept out of its reading; a joiner with no room between two digits is dropped.
    /// 5: a number's crop stops at its neighbours' ink; confident Western readings the page
    /// contradicts are read again; a field's value with a word after it is read apart from it.
    /// 6: ink beside a number that no word covers is read with it (digits the main model
    /// dropped); a number whose joiners the references model reads otherwise is read again; a
    /// day read as letters before a month name is read as digits; the references model reads
    /// Persian digit shapes (۴۵۶).
    /// 7: unsure words of digit look-alike marks beside a number are read with it, and the
    /// references model reads a number widened so as well as the digits model.
    /// 8: a reference whose letter part starts a word (١/الم) is read again by the references
    /// model; a number read twice inside a lettered reference is dropped; a slash and letter
    /// beside a number ("؟/ص") are read with it; رقم and its noun are a label without a colon.
    /// 9: a lettered reference whose digit runs the references model read more confidently
    /// than the digits model takes its digits, with the main model's letters.
    /// 10: a confident Western reading doubted for its layout stays Western, the references
    /// model's reading compared with the digits model's.
    /// 11: zeros left out at an Arabic-Indic number's right end are counted from the ink; a
    /// word of digit look-alike marks beside a number is taken with it under 60 (was 50).
    /// 12: marks of Arabic-Indic numbers told apart by their ink on every such number: the
    /// raised thousands separator ٬, a comma read as a full stop.
    /// 13: a page where the references model read ٤ ٥ ٦ for other digits in two or more
    /// numbers is taken to print Persian shapes: its readings of those numbers are kept.
    /// 14: on a page printed in Western digits an unsure Western reading stays Western.
    /// 15: the references model's more confident Arabic-Indic reading wins at any confidence.
    /// 16: a value after a label read with a slash and no digit is read by the references model.
    /// 17: an unread word with a slash between two numbers joins them in one span.
    /// 18: the references model reads a lettered reference at 75% too; the more confident wins.
    /// 19: a ١ or ٢ whose ink is a raised mark under half the digits' size is the thousands
    /// separator ٬.
    static let revision = 19

    var fingerprint: String {
        enabled ? "num=\(language)/\(scope)/psm\(pageSegmentationMode)/below\(Int(rereadBelowConfidence))/r\(Self.revision)"
            + (rereadUnreadBelow > 0 ? "/unread\(Int(rereadUnreadBelow))-\(Int(acceptUnreadAbove))" : "")
            + (referencesLanguage.isEmpty || scope != "word" ? "" : "/refs=\(referencesLanguage)") : "num=off"
    }
}
