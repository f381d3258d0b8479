import SijillCore

/// Exact-number recall: the share of the digit runs of the true text (folded to Western digits)
/// that the recognised text holds as whole digit runs, each run matched once.
public enum NumberRecall {
    public static func runs(_ text: String) -> [String] {
        var result: [String] = []
        var current = ""
        for scalar in ArabicText.stripBidiControls(text).unicodeScalars {
            let v = scalar.value
            var digit: UInt32?
            if (0x30...0x39).contains(v) { digit = v - 0x30 }
            if (0x660...0x669).contains(v) { digit = v - 0x660 }
            if (0x6F0...0x6F9).contains(v) { digit = v - 0x6F0 }
            if let digit {
                current.append(Character(Unicode.Scalar(0x30 + digit)!))
            } else if !current.isEmpty {
                result.append(current)
                current = ""
            }
        }
        if !current.isEmpty { result.append(current) }
        return result
    }

    /// (found, total) for one page.
    public static func of(_ recognized: String, truth: String) -> (found: Int, total: Int) {
        var available = runs(recognized)
        var found = 0
        let wanted = runs(truth)
        for run in wanted {
            if let i = available.firstIndex(of: run) {
                available.remove(at: i)
                found += 1
            }
        }
        return (found, wanted.count)
    }
}
