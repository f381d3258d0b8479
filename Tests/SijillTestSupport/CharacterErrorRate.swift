import SijillCore

/// Character error rate: edit distance between recognised and true text over the true length,
/// on Unicode scalars, after removing bidi marks and collapsing whitespace.
public enum CharacterErrorRate {
    public static func of(_ recognized: String, truth: String) -> Double {
        let a = Array(normalize(recognized).unicodeScalars)
        let b = Array(normalize(truth).unicodeScalars)
        guard !b.isEmpty else { return a.isEmpty ? 0 : 1 }
        var previous = Array(0...a.count)
        var current = [Int](repeating: 0, count: a.count + 1)
        for j in 1...b.count {
            current[0] = j
            for i in 1...max(a.count, 1) where i <= a.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[i] = min(previous[i] + 1, current[i - 1] + 1, previous[i - 1] + cost)
            }
            swap(&previous, &current)
        }
        return Double(previous[a.count]) / Double(b.count)
    }

    static func normalize(_ text: String) -> String {
        ArabicText.stripBidiControls(text).split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }
}
