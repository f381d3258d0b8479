import Testing
@testable import SijillCore

@Suite struct ArabicTextTests {
    @Test("harakat, superscript alef and tatweel are removed", arguments: [
        ("مُحَمَّد", "محمد"), ("عَلِيّ", "علي"), ("رحمـــان", "رحمان"), ("هٰذا", "هذا"),
    ])
    func removesMarks(input: String, expected: String) {
        #expect(ArabicText.fold(input) == expected)
    }

    @Test("hamza forms, alef maqsura, taa marbuta and Persian letters fold", arguments: [
        ("أحمد", "احمد"), ("إبراهيم", "ابراهيم"), ("آمنة", "امنه"), ("ٱلله", "الله"),
        ("مصطفى", "مصطفي"), ("فاطمة", "فاطمه"), ("علی", "علي"), ("کتاب", "كتاب"), ("مؤمن", "مومن"), ("عائشة", "عايشه"),
    ])
    func foldsLetters(input: String, expected: String) {
        #expect(ArabicText.fold(input) == expected)
    }

    @Test("Arabic-Indic and Persian digits become ASCII digits")
    func foldsDigits() {
        #expect(ArabicText.fold("٨١٥٥٩") == "81559")
        #expect(ArabicText.fold("۱۹۸۲") == "1982")
        #expect(ArabicText.foldedTokens("٨١٥٥٩/١٩٨٢") == ["81559", "1982"])
        #expect(ArabicText.foldedTokens("81559/1982") == ["81559", "1982"])
    }

    @Test("presentation forms fold to base letters")
    func foldsPresentationForms() {
        // ﻻ (lam-alef isolated) and ﺑ (beh initial)
        #expect(ArabicText.fold("\u{FEFB}") == "لا")
        #expect(ArabicText.fold("\u{FE91}") == "ب")
    }

    @Test("bidi marks are removed from stored text and ignored in tokens")
    func bidiMarks() {
        let ocr = "رقم \u{200F}81559\u{200E}/1982"
        #expect(ArabicText.stripBidiControls(ocr) == "رقم 81559/1982")
        #expect(ArabicText.foldedTokens(ocr) == ["رقم", "81559", "1982"])
    }

    @Test("folding is idempotent and keeps Latin case-folded")
    func idempotent() {
        for s in ["أَحْمَدُ", "ABC-Def", "٢٠٢٤ مُؤَسَّسَة", "\u{FEFB}\u{0640}"] {
            #expect(ArabicText.fold(ArabicText.fold(s)) == ArabicText.fold(s))
        }
        #expect(ArabicText.fold("ABC") == "abc")
    }

    @Test("tokens keep harakat inside words instead of splitting them")
    func tokensKeepMarks() {
        #expect(ArabicText.tokens("مُحَمَّد بن عَلِيّ") == ["مُحَمَّد", "بن", "عَلِيّ"])
    }
}
