import ArgumentParser
import SijillIngest

/// Limits that keep a hostile or broken box from exhausting memory or time (ingest only).
struct LimitOptions: ParsableArguments {
    @Option(help: "Most entries a box may hold; a larger box is refused whole.")
    var maxEntries: Int = BoxLimits().maxEntries

    @Option(help: "Largest entry read, in MiB; a larger entry is refused by name.")
    var maxEntryMb: Int = BoxLimits().maxEntryBytes >> 20

    @Option(help: "Largest image, in megapixels (width × height, read from the header before decoding).")
    var maxMegapixels: Double = Double(IngestOptions().maxPixels) / 1_000_000

    @Option(help: "Most pages in one file (a multi-page TIFF); a file with more is refused by name.")
    var maxPagesPerFile: Int = IngestOptions().maxPagesPerFile

    @Option(help: "An entry inflating past --bomb-floor-mb to more than this many times its compressed size is refused as a decompression bomb.")
    var maxRatio: Int = BoxLimits().maxRatio

    @Option(help: "Size in MiB past which the --max-ratio check applies.")
    var bombFloorMb: Int = BoxLimits().bombFloor >> 20

    func validate() throws {
        for (flag, value, range) in [
            ("--max-entries", maxEntries, 1...10_000_000), ("--max-entry-mb", maxEntryMb, 1...65_536),
            ("--max-ratio", maxRatio, 2...100_000), ("--max-pages-per-file", maxPagesPerFile, 1...100_000),
            ("--bomb-floor-mb", bombFloorMb, 1...65_536),
        ] where !range.contains(value) {
            throw ValidationError("\(flag) must be between \(range.lowerBound) and \(range.upperBound), not \(value)")
        }
        guard maxMegapixels >= 0.01, maxMegapixels <= 10_000 else {
            throw ValidationError("--max-megapixels must be between 0.01 and 10000, not \(maxMegapixels)")
        }
    }

    /// Applies these limits to `options`.
    func apply(to options: inout IngestOptions) {
        options.limits = BoxLimits(
            maxEntries: maxEntries, maxEntryBytes: maxEntryMb << 20, maxRatio: maxRatio, bombFloor: bombFloorMb << 20)
        options.maxPixels = Int(maxMegapixels * 1_000_000)
        options.maxPagesPerFile = maxPagesPerFile
    }
}
