import Foundation

/// Text a PDF carries for a page, read in logical order with word boxes in image pixels.
///
/// A scanner's text layer over an image (`layer`) is kept beside Sijill's own OCR, never used
/// instead of it: Arabic layers are often in visual order or broken. A born-digital page
/// (`document`: vector text, no scan) is indexed from this text (`ocr.source = pdf-text`).
public struct EmbeddedText: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Codable {
        /// Invisible or visible text over a full-page scan.
        case layer
        /// The page's own text: it was made as a document, not scanned.
        case document
    }

    public struct Word: Sendable, Hashable, Codable {
        /// Line number in reading order, from 0.
        public var line: Int
        /// left, top, right, bottom in pixels of the stored page image.
        public var box: [Int]
        public var text: String
    }

    public var kind: Kind
    public var words: [Word]

    /// Engine name recorded for pages indexed from their own text.
    public static let engineName = "pdf-text"

    public init(kind: Kind, words: [Word]) {
        self.kind = kind
        self.words = words
    }

    /// Parses the reader's `line TAB x0 TAB y0 TAB x1 TAB y1 TAB word` lines (points), scaling
    /// boxes to pixels at `scale` pixels per point.
    init(kind: Kind, tsv: String, scale: Double) {
        var words: [Word] = []
        for row in tsv.split(separator: "\n", omittingEmptySubsequences: true) {
            let cells = row.split(separator: "\t", maxSplits: 5, omittingEmptySubsequences: false)
            guard cells.count == 6, let line = Int(cells[0]) else { continue }
            let coords = cells[1...4].map { Int(((Double($0) ?? 0) * scale).rounded()) }
            let text = String(cells[5]).trimmingCharacters(in: .whitespaces)
            if !text.isEmpty { words.append(Word(line: line, box: coords, text: text)) }
        }
        self.init(kind: kind, words: words)
    }

    /// One line of text per line, words separated by a space.
    public var text: String {
        var lines: [String] = []
        var current = -1
        for word in words {
            if word.line != current {
                lines.append(word.text)
                current = word.line
            } else {
                lines[lines.count - 1] += " " + word.text
            }
        }
        return lines.joined(separator: "\n")
    }

    public var isEmpty: Bool { words.isEmpty }

    /// Deterministic JSON (stored as an object beside the page).
    public func jsonData() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try! encoder.encode(self)
    }

    /// The page's "recognition" when it is indexed from its own text: full confidence, hOCR
    /// from the word boxes (logical order), recorded as engine `pdf-text`.
    public func ocrResult(width: Int, height: Int, dpi: Int, settings: OCRSettings) -> OCRResult {
        var page = RecognizedPage()
        var current: Int?
        for word in words {
            let b = word.box.count == 4 ? word.box : [0, 0, 0, 0]
            let box = RecognizedPage.Box(left: b[0], top: b[1], right: b[2], bottom: b[3])
            let recognized = RecognizedPage.Word(text: word.text, box: box, confidence: 100, symbols: [])
            if word.line == current, let last = page.lines.indices.last {
                page.lines[last].words.append(recognized)
                page.lines[last].box = union(page.lines[last].box, box)
            } else {
                page.lines.append(.init(box: box, words: [recognized], startsParagraph: page.lines.isEmpty))
                current = word.line
            }
        }
        let hocr = HOCRWriter.write(page, width: width, height: height, pageNumber: 1, engine: Self.engineName)
        return OCRResult(
            text: page.text, hocr: hocr, meanConfidence: page.words.isEmpty ? 0 : 100, wordCount: page.words.count,
            lowConfidenceWords: 0, engine: Self.engineName, settings: settings.fingerprint, dpi: dpi, dpiAssumed: false)
    }

    private func union(_ a: RecognizedPage.Box, _ b: RecognizedPage.Box) -> RecognizedPage.Box {
        .init(left: min(a.left, b.left), top: min(a.top, b.top), right: max(a.right, b.right), bottom: max(a.bottom, b.bottom))
    }
}
