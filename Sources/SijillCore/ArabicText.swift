import Foundation

/// Arabic text analysis shared by the index and the query side, so that both fold a word the
/// same way.
///
/// Clerks type without harakat and without care for hamza forms; OCR output carries bidi marks,
/// tatweel and Persian code points. Folding removes those differences:
///
/// ```swift
/// ArabicText.fold("أَحْمَد")   // "احمد"
/// ArabicText.fold("٨١٥٥٩")    // "81559"
/// ArabicText.fold("مدرسـة")   // "مدرسه"
/// ```
public enum ArabicText {
    /// Folds one token: removes harakat (U+064B–U+0652), superscript alef (U+0670), tatweel
    /// (U+0640) and bidi controls; maps أ إ آ ٱ → ا, ى → ي, ة → ه, Persian ی → ي and ک → ك,
    /// Arabic-Indic and Persian digits → 0–9, presentation forms to base letters; folds Latin case.
    public static func fold(_ token: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in token.unicodeScalars {
            appendFolded(scalar, to: &out)
        }
        return String(out)
    }

    /// Removes bidi control marks (LRM, RLM, ALM, embeddings, overrides, isolates) that OCR
    /// engines put around numbers; stored text keeps everything else as recognised.
    public static func stripBidiControls(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars where !isBidiControl(scalar) {
            out.append(scalar)
        }
        return String(out)
    }

    /// Splits text into tokens the way the index does: runs of letters, digits, marks and
    /// private-use characters; everything else separates. Tokens are not folded.
    public static func tokens(_ text: String) -> [String] {
        var result: [String] = []
        var current = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isTokenScalar(scalar) {
                current.append(scalar)
            } else if !current.isEmpty {
                result.append(String(current))
                current = String.UnicodeScalarView()
            }
        }
        if !current.isEmpty { result.append(String(current)) }
        return result
    }

    /// Tokens, folded, without the ones that fold to nothing.
    public static func foldedTokens(_ text: String) -> [String] {
        tokens(text).map(fold).filter { !$0.isEmpty }
    }

    /// Whether the scalar belongs inside a token (Unicode categories L*, N*, Mn, Co — the same set
    /// the FTS5 `unicode61` tokenizer is configured with).
    public static func isTokenScalar(_ scalar: Unicode.Scalar) -> Bool {
        // Fast answers for the scalars page text is made of (ASCII, the Arabic letters, marks
        // and digits); the Unicode tables for the rest.
        switch scalar.value {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x0621...0x063A, 0x0641...0x065F, 0x0660...0x0669, 0x0670...0x06D3:
            return true
        case 0...0x7F, 0x060C, 0x061B, 0x061F, 0x066A...0x066D, 0x06D4:
            return false
        default: break
        }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .decimalNumber, .letterNumber, .otherNumber, .nonspacingMark, .privateUse:
            return true
        default:
            return false
        }
    }

    static func isBidiControl(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x200E, 0x200F, 0x061C, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    static func appendFolded(_ scalar: Unicode.Scalar, to out: inout String.UnicodeScalarView) {
        let v = scalar.value
        switch v {
        case 0x064B...0x0652, 0x0670, 0x0640: return               // harakat, superscript alef, tatweel
        case 0x0653...0x065F: return                                 // other Arabic combining marks (maddah above…)
        case _ where isBidiControl(scalar): return
        case 0x200C, 0x200D, 0xFEFF: return                           // joiners, BOM
        case 0x0622, 0x0623, 0x0625, 0x0671, 0x0672, 0x0673: out.append("\u{0627}")  // آ أ إ ٱ → ا
        case 0x0649, 0x06CC, 0x06D0: out.append("\u{064A}")           // ى, Persian ی → ي
        case 0x0629, 0x06C0, 0x06D5: out.append("\u{0647}")           // ة → ه
        case 0x06A9, 0x06AA: out.append("\u{0643}")                   // Persian ک → ك
        case 0x0624: out.append("\u{0648}")                           // ؤ → و (hamza seat)
        case 0x0626: out.append("\u{064A}")                           // ئ → ي
        case 0x0660...0x0669: out.append(Unicode.Scalar(v - 0x0660 + 0x30)!)  // Arabic-Indic digits
        case 0x06F0...0x06F9: out.append(Unicode.Scalar(v - 0x06F0 + 0x30)!)  // Persian digits
        case 0xFB50...0xFDFF, 0xFE70...0xFEFF:                        // presentation forms
            let base = String(scalar).decomposedCompatibility.unicodeScalars
            // Some have no base letters (ﹳ tail fragment, ﴾, unassigned): kept as they are.
            guard base.count != 1 || base.first != scalar else { out.append(scalar); return }
            // A space in the decomposition (isolated harakat ﹲ, ligatures of words ﷺ) would split
            // the token in two when FTS5 reads the query's phrase.
            for s in base where s != " " { appendFolded(s, to: &out) }
        case 0x41...0x5A: out.append(Unicode.Scalar(v + 32)!)
        default:
            if v < 0x80 { out.append(scalar); return }
            let lower = scalar.properties.lowercaseMapping
            if lower.unicodeScalars.count == 1, lower.unicodeScalars.first != scalar {
                out.append(lower.unicodeScalars.first!)
            } else {
                out.append(scalar)
            }
        }
    }
}

extension String {
    /// NFKC-style compatibility decomposition, used to turn presentation forms into base letters.
    var decomposedCompatibility: String {
        // Foundation's NFKC mapping; presentation forms decompose to their base letters.
        (self as NSString).precomposedStringWithCompatibilityMapping
    }
}


extension ArabicText {
    /// Bidi marks removed, trailing blank lines and form feeds trimmed: how OCR text is stored.
    public static func stripBidiControlsAndTrim(_ text: String) -> String {
        var cleaned = stripBidiControls(text).replacingOccurrences(of: "\u{0C}", with: "")
        while cleaned.hasSuffix("\n") || cleaned.hasSuffix(" ") { cleaned.removeLast() }
        return cleaned
    }
}
