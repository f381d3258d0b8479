/// A list of page numbers as people write it: `1-3`, `2`, `1,4,6-7`.
public enum PageList {
    /// The page numbers, in the order written; `option` names the input in errors.
    public static func parse(_ text: String, option: String = "--pages") throws -> [Int] {
        var out: [Int] = []
        for part in text.split(separator: ",") {
            let bounds = part.split(separator: "-", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard (1...2).contains(bounds.count), bounds.allSatisfy({ ($0 ?? 0) > 0 }) else {
                throw SijillInputError.badOption(option, reason: "write pages as 1-3, 2 or 1,4")
            }
            let low = bounds[0]!, high = bounds.last!!
            guard low <= high, high - low < 10_000, out.count + high - low < 10_000 else {
                throw SijillInputError.badOption(option, reason: "\(part) is not a range of pages")
            }
            out += Array(low...high)
        }
        guard !out.isEmpty else { throw SijillInputError.badOption(option, reason: "no pages given") }
        return out
    }
}
