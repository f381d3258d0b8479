import Foundation

/// Seeded property tests: inputs come from ``SplitMix64`` so a failure reproduces.
///
/// `SIJILL_FUZZ_SEED` (decimal or `0x` hex) chooses the seed, `SIJILL_FUZZ_ITERATIONS` the number
/// of cases of every property (each property has its own default), `SIJILL_FUZZ_CASE=n` runs
/// only case `n` (the number a failure names), and `SIJILL_FUZZ_TRACE=1` prints each input before
/// it is checked (for a crash, which ends the process before any report).
public enum Fuzz {
    public static let defaultSeed: UInt64 = 0x5133_1117_2026

    /// The run's seed: `SIJILL_FUZZ_SEED`, else ``defaultSeed``.
    public static let seed: UInt64 = {
        guard let text = ProcessInfo.processInfo.environment["SIJILL_FUZZ_SEED"]?.trimmingCharacters(in: .whitespaces),
            !text.isEmpty
        else { return defaultSeed }
        let parsed = text.lowercased().hasPrefix("0x") ? UInt64(text.dropFirst(2), radix: 16) : UInt64(text)
        guard let parsed else { fatalError("SIJILL_FUZZ_SEED must be a decimal or 0x-hex 64-bit number, not '\(text)'") }
        return parsed
    }()

    /// `SIJILL_FUZZ_ITERATIONS`, else `standard`.
    public static func iterations(_ standard: Int) -> Int {
        ProcessInfo.processInfo.environment["SIJILL_FUZZ_ITERATIONS"].flatMap { Int($0) }.map { max(1, $0) } ?? standard
    }

    static let onlyCase: Int? = ProcessInfo.processInfo.environment["SIJILL_FUZZ_CASE"].flatMap { Int($0) }
    static let trace = ProcessInfo.processInfo.environment["SIJILL_FUZZ_TRACE"] == "1"

    /// Checks `check` on `iterations` inputs made by `generate`; nil when all pass, else a report of the
    /// first failure: property, seed, case number, reason and the input (escaped, pasteable as a
    /// Swift literal). `check` returns nil for a pass or the reason it failed; an error it throws, or
    /// taking longer than `timeLimit`, also fails the case.
    public static func firstFailure<Input>(
        _ property: String, iterations standard: Int, timeLimit: Duration = .seconds(2),
        generate: (inout Random) -> Input, show: (Input) -> String = { escape("\($0)") },
        check: (Input) throws -> String?
    ) -> String? {
        let count = iterations(standard)
        let propertySeed = seed ^ fnv1a(property)
        let clock = ContinuousClock()
        for index in 0..<count {
            if let onlyCase, onlyCase != index { continue }
            var random = Random(seed: propertySeed &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15)
            let input = generate(&random)
            if trace { print("fuzz '\(property)' case \(index): \(show(input).prefix(300))") }
            var reason: String?
            let elapsed = clock.measure {
                do { reason = try check(input) } catch { reason = "threw \(type(of: error)): \(error)" }
            }
            if reason == nil, elapsed > timeLimit { reason = "took \(elapsed) (limit \(timeLimit))" }
            if let reason {
                return """
                    property '\(property)' failed at case \(index) of \(count) \
                    (reproduce: SIJILL_FUZZ_SEED=0x\(String(seed, radix: 16)) SIJILL_FUZZ_CASE=\(index)): \(reason)
                    input: \(show(input))
                    """
            }
        }
        return nil
    }

    /// `text` as a Swift string literal: printable ASCII as is, everything else `\u{…}`; cut after
    /// `limit` scalars (the seed and case reproduce the whole input).
    public static func escape(_ text: String, limit: Int = 2_000) -> String {
        var out = "\""
        for (i, s) in text.unicodeScalars.enumerated() {
            if i == limit {
                out += "…\" (\(text.unicodeScalars.count) scalars)"
                return out
            }
            switch s {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case " "..."~": out.unicodeScalars.append(s)
            default: out += "\\u{" + String(s.value, radix: 16, uppercase: true) + "}"
            }
        }
        return out + "\""
    }

    /// `bytes` as hex, cut after `limit` bytes.
    public static func hex(_ bytes: some Collection<UInt8>, limit: Int = 2_000) -> String {
        let shown = bytes.prefix(limit).map { String(format: "%02x", $0) }.joined(separator: " ")
        return "[\(shown)\(bytes.count > limit ? " … (\(bytes.count) bytes)" : "")]"
    }

    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01B3
        }
        return hash
    }
}

/// SplitMix64 (Steele, Lea, Flood 2014): tiny, fast, and good enough to drive test inputs.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random test inputs, biased toward what Arabic page text, clerks' queries and manifests hold
/// and toward the code points that have broken text handling before.
public struct Random {
    public var generator: SplitMix64

    public init(seed: UInt64) { generator = SplitMix64(seed: seed) }

    public mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &generator) }
    public mutating func int(_ range: Range<Int>) -> Int { Int.random(in: range, using: &generator) }
    /// True with probability `p`.
    public mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &generator) < p }
    public mutating func element<T>(_ items: [T]) -> T { items[int(0..<items.count)] }
    public mutating func byte() -> UInt8 { UInt8.random(in: 0...255, using: &generator) }

    /// One of `choices`, chosen with probability proportional to its weight.
    public mutating func weighted<T>(_ choices: [(Int, T)]) -> T {
        var roll = int(0..<choices.reduce(0) { $0 + $1.0 })
        for (weight, value) in choices {
            if roll < weight { return value }
            roll -= weight
        }
        return choices[choices.count - 1].1
    }

    /// A scalar of one of the classes of ``ScalarClass/all``, by weight.
    public mutating func scalar() -> Unicode.Scalar {
        scalar(from: weighted(ScalarClass.all.map { ($0.weight, $0) }))
    }

    public mutating func scalar(from scalarClass: ScalarClass) -> Unicode.Scalar {
        let range = element(scalarClass.ranges)
        while true {
            let value = UInt32.random(in: range, using: &generator)
            if let s = Unicode.Scalar(value) { return s }  // surrogates are not scalars: draw again
        }
    }

    /// A length: often 0 or short, sometimes long.
    public mutating func length(max: Int = 400) -> Int {
        weighted([(8, 0...0), (50, 1...12), (30, 13...80), (12, 81...Swift.max(81, max))]).randomElement(using: &generator)!
    }

    /// Text mixing real Arabic words (with harakat, affixes, digits in three scripts) and random
    /// scalars of every class, occasionally a very long word.
    public mutating func text(maxLength: Int = 400) -> String {
        var out = String.UnicodeScalarView()
        let target = length(max: maxLength)
        while out.count < target {
            switch int(0..<10) {
            case 0...3: out.append(contentsOf: word().unicodeScalars)
            case 4: out.append(contentsOf: element(Self.separators).unicodeScalars)
            case 5 where chance(0.03):
                let letters = ScalarClass.all[0]
                for _ in 0..<int(500...3_000) { out.append(scalar(from: letters)) }
            default:
                for _ in 0..<int(1...4) { out.append(scalar()) }
            }
            if chance(0.5) { out.append(" ") }
        }
        return String(out)
    }

    /// An Arabic word as clerks and OCR write it: a stem from the list, maybe with an article or
    /// conjunction, a suffix, harakat, tatweel, a hamza form or presentation forms; or a number.
    public mutating func word() -> String {
        if chance(0.15) { return number() }
        var w = element(Self.arabicPrefixes) + element(Self.arabicStems) + element(Self.arabicSuffixes)
        if chance(0.2) {  // sprinkle harakat, tatweel, joiners, bidi marks
            var v = String.UnicodeScalarView()
            for s in w.unicodeScalars {
                v.append(s)
                if chance(0.3) { v.append(scalar(from: element([ScalarClass.all[1], ScalarClass.all[5], ScalarClass.all[6]]))) }
            }
            w = String(v)
        }
        if chance(0.05) {  // presentation forms for some letters
            w = String(String.UnicodeScalarView(w.unicodeScalars.map { s in
                Self.presentationForms[s].map { chance(0.5) ? $0 : s } ?? s
            }))
        }
        return w
    }

    /// A number in Western, Arabic-Indic or Persian digits, maybe with `/` and a year.
    public mutating func number() -> String {
        let base: UInt32 = element([0x30, 0x660, 0x6F0])
        func digits(_ n: Int) -> String {
            String(String.UnicodeScalarView((0..<n).map { _ in Unicode.Scalar(base + UInt32(int(0...9)))! }))
        }
        return chance(0.4) ? digits(int(1...6)) + element(["/", "-", "\u{200F}/", "/\u{200E}"]) + digits(4) : digits(int(1...8))
    }

    public static let separators = [
        " ", "  ", "\n", "\r\n", "\t", "،", "؛", "؟", ".", ",", ":", "/", "-", "(", ")", "«", "»", "\"", "“", "”",
        "\u{00A0}", "\u{2028}", "\u{3000}", "—", "…", "[", "]", "*", "'",
    ]
    public static let arabicPrefixes = ["", "", "", "", "ال", "و", "وال", "بال", "كال", "فال", "لل", "ب", "ل", "ف", "ك", "س"]
    public static let arabicStems = [
        "وزارة", "أحمد", "محمد", "إبراهيم", "مصطفى", "عائشة", "مؤمن", "آمنة", "قطعة", "ملكية", "نقل", "عدل", "دباغ",
        "مدرسة", "معلم", "كتاب", "يوسف", "سيوفي", "علی", "کتاب", "ٱلله", "زار", "وزير", "ولد", "لد", "ا", "ب", "مُحَمَّد",
        "رحمـــان", "هٰذا", "ﻻ", "بنك", "عقد", "شهادة", "ميلاد", "طلب", "سجل", "حسين", "فاطمة",
    ]
    public static let arabicSuffixes = ["", "", "", "", "ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي", "ة", "ى", "هم", "كم"]
    /// Some letters and a presentation form of each.
    static let presentationForms: [Unicode.Scalar: Unicode.Scalar] = [
        "\u{0628}": "\u{FE91}", "\u{0627}": "\u{FE8E}", "\u{0645}": "\u{FEE3}", "\u{062D}": "\u{FEA3}",
        "\u{062F}": "\u{FEAA}", "\u{0647}": "\u{FEEB}", "\u{064A}": "\u{FEF3}", "\u{0629}": "\u{FE94}",
    ]
}

/// Code point ranges random text is drawn from, with their weights.
public struct ScalarClass: Sendable {
    public var name: String
    public var weight: Int
    public var ranges: [ClosedRange<UInt32>]

    public static let all: [ScalarClass] = [
        .init(name: "Arabic letters", weight: 30, ranges: [0x0621...0x064A, 0x0671...0x06D3]),
        .init(name: "harakat, superscript alef, other Arabic marks", weight: 8,
              ranges: [0x064B...0x065F, 0x0670...0x0670, 0x0610...0x061A, 0x06D6...0x06ED]),
        .init(name: "digits (Western, Arabic-Indic, Persian)", weight: 8, ranges: [0x30...0x39, 0x0660...0x0669, 0x06F0...0x06F9]),
        .init(name: "Arabic block", weight: 4, ranges: [0x0600...0x06FF, 0x0750...0x077F, 0x08A0...0x08FF]),
        .init(name: "presentation forms", weight: 6, ranges: [0xFB50...0xFDFF, 0xFE70...0xFEFF]),
        .init(name: "tatweel, joiners, BOM", weight: 4, ranges: [0x0640...0x0640, 0x200C...0x200D, 0xFEFF...0xFEFF, 0x034F...0x034F]),
        .init(name: "bidi controls", weight: 4, ranges: [0x200E...0x200F, 0x061C...0x061C, 0x202A...0x202E, 0x2066...0x2069]),
        .init(name: "combining marks", weight: 4, ranges: [0x0300...0x036F, 0x1AB0...0x1AFF, 0x20D0...0x20FF, 0xFE20...0xFE2F]),
        .init(name: "ASCII", weight: 12, ranges: [0x20...0x7E]),
        .init(name: "whitespace and controls", weight: 4,
              ranges: [0x00...0x20, 0x7F...0xA0, 0x1680...0x1680, 0x2000...0x200B, 0x2028...0x2029, 0x202F...0x202F, 0x3000...0x3000]),
        .init(name: "quotes and punctuation", weight: 4, ranges: [0x2010...0x2027, 0x2030...0x205E, 0x00AB...0x00BB, 0x060C...0x060D]),
        .init(name: "Latin letters with case", weight: 3,
              ranges: [0x00C0...0x024F, 0x0370...0x03FF, 0x0400...0x04FF, 0x1E00...0x1EFF, 0x2160...0x2188, 0xFF21...0xFF5A]),
        .init(name: "grapheme hazards (prepend, Hangul jamo, regional indicators)", weight: 2,
              ranges: [0x0600...0x0605, 0x06DD...0x06DD, 0x0D4E...0x0D4E, 0x111C2...0x111C3, 0x1100...0x11FF, 0x1F1E6...0x1F1FF]),
        .init(name: "emoji and variation selectors", weight: 3, ranges: [0x1F300...0x1FAFF, 0x1F3FB...0x1F3FF, 0xFE00...0xFE0F, 0xE0100...0xE01EF]),
        .init(name: "private use (the index's markers)", weight: 2, ranges: [0xE000...0xE003, 0xF0000...0xF0010]),
        .init(name: "any scalar", weight: 6, ranges: [0...0x10FFFF]),
    ]
}
