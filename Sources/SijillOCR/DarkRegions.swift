import CLeptonica

/// Solid dark regions no letter's stroke is as thick as: the scanner's lid or black backing
/// around a page smaller than the glass, the shadow of a bundle's edge, punch holes, black
/// bars. Found on the gray page before it is measured (they would count as ink: a page with
/// dark edges measured its lines as running down, its ink at 77 and its paper noisy) and
/// painted with the paper's gray, like ruling lines.
///
/// Dark is black (``blackAbove``) and darker than halfway from the page's darkest 1.5% to its
/// paper (85th percentile).
/// A region touching the image's edge is dark ink that survives an opening by a square of
/// 0.75 mm (9 px at 300 dpi; printed strokes are 0.3–0.6 mm); anywhere else, by a square of
/// 2.5 mm (30 px; a punch hole is 5–8 mm across, the dot of a 36 pt bold title about 2 mm).
enum DarkRegions {
    struct Found {
        /// Pixels to paint (1 bpp, the page's size), owned by the caller.
        var mask: UnsafeMutablePointer<PIX>
        /// The paper's gray level away from the regions.
        var paper: UInt32
        var step: String
    }

    /// Darker than this is black (a third of the gray scale, as unpaper's black filter): the
    /// shadows of uneven lighting and a phone capture's vignetting are lighter (their darkest
    /// 1.5% at 87–124 on the degraded and held-out sets; at the pages' midpoint, 28% of an
    /// unevenly lit page was taken for a dark region, text and all).
    static let blackAbove: UInt32 = 85

    static func find(_ gray: UnsafeMutablePointer<PIX>, dpi: Int) -> Found? {
        var paper: UInt32 = 255, darkest: UInt32 = 0
        guard pixGetRankValue(gray, 4, 0.85, &paper) == 0, pixGetRankValue(gray, 4, 0.015, &darkest) == 0,
            paper > darkest + 40
        else { return nil }
        var darkOrNil = pixThresholdToBinary(gray, Int32(min(blackAbove, (paper + darkest) / 2)))
        defer { pixDestroy(&darkOrNil) }
        guard let dark = darkOrNil else { return nil }

        let edgeSquare = Int32(max(3, dpi * 9 / 300)), innerSquare = Int32(max(5, dpi * 30 / 300))
        var edgeOrNil = pixExtractBorderConnComps(dark, 8).flatMap { touching in
            var t: UnsafeMutablePointer<PIX>? = touching
            defer { pixDestroy(&t) }
            return pixOpenBrick(nil, touching, edgeSquare, edgeSquare)
        }
        var innerOrNil = pixOpenBrick(nil, dark, innerSquare, innerSquare)
        defer {
            pixDestroy(&edgeOrNil)
            pixDestroy(&innerOrNil)
        }
        guard let edge = edgeOrNil, let inner = innerOrNil else { return nil }
        // (Most pages have none: nothing more is done on them.)
        var edgeEmpty: Int32 = 1, innerEmpty: Int32 = 1
        pixZero(edge, &edgeEmpty)
        pixZero(inner, &innerEmpty)
        guard edgeEmpty == 0 || innerEmpty == 0 else { return nil }
        var edges: Int32 = 0, others: Int32 = 0
        pixCountConnComp(edge, 8, &edges)
        // (An inner region that touches the edge is counted with the edges.)
        if let apart = pixSubtract(nil, inner, edge) {
            var a: UnsafeMutablePointer<PIX>? = apart
            if let kept = pixOpenBrick(nil, apart, innerSquare, innerSquare) {
                pixCountConnComp(kept, 8, &others)
                var k: UnsafeMutablePointer<PIX>? = kept
                pixDestroy(&k)
            }
            pixDestroy(&a)
        }
        guard edges + others > 0, let both = pixOr(nil, edge, inner) else { return nil }
        // The opening cut the corners of round regions (a punch hole opened by a square loses
        // slivers of its rim, which were then read as a letter before the line's first word):
        // the dark pixels within a third of the square of what survived are taken too, and the
        // whole grown by a few pixels (the regions' blurred rims are lighter than the threshold).
        var bothOwner: UnsafeMutablePointer<PIX>? = both
        defer { pixDestroy(&bothOwner) }
        var nearOrNil = pixDilateBrick(nil, both, innerSquare * 2 / 3 + 1, innerSquare * 2 / 3 + 1)
        defer { pixDestroy(&nearOrNil) }
        guard let near = nearOrNil else { return nil }
        pixAnd(near, near, dark)
        pixOr(near, near, both)
        let grow = Int32(max(3, dpi * 5 / 300))
        guard let mask = pixDilateBrick(nil, near, grow, grow) else { return nil }
        var area: Int32 = 0
        pixCountPixels(mask, &area, nil)
        // The paper: the median gray outside the regions (with them, the 85th percentile may
        // fall inside a wide black surround).
        var median: Float = 255
        if let outside = pixInvert(nil, mask) {
            var o: UnsafeMutablePointer<PIX>? = outside
            pixGetRankValueMasked(gray, outside, 0, 0, 4, 0.5, &median, nil)
            pixDestroy(&o)
        }
        let share = Double(area) / Double(max(1, Int(pixGetWidth(gray)) * Int(pixGetHeight(gray))))
        return Found(
            mask: mask, paper: UInt32(max(0, min(255, median.rounded()))),
            step: "dark regions \(String(format: "%.1f", share * 100))% of the page (\(edges) at the edges, \(others) inside)")
    }
}
