/// Turns one page image into text. The seam between the pipeline and a concrete OCR engine.
///
/// An engine instance is used by one worker at a time (Tesseract handles are not thread-safe);
/// a pool makes one per worker and reuses it for every page.
public protocol OCREngine: AnyObject {
    /// The settings this engine recognises with.
    var settings: OCRSettings { get }
    /// Recognises `image`; `pageNumber` (1-based) is used in the hOCR output.
    func recognize(_ image: PageImage, pageNumber: Int) throws -> OCRResult
}
