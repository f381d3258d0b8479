import CLeptonica

/// Applies ``PreprocessSettings`` to a page with Leptonica. Returns a new image owned by the
/// caller; the input is not modified.
enum Preprocessor {
    /// The cleaned image and what was done (for the stored OCR record).
    struct Output {
        var pix: UnsafeMutablePointer<PIX>
        var skewDegrees: Double?
    }

    static func apply(_ source: UnsafeMutablePointer<PIX>, _ s: PreprocessSettings, dpi: Int) -> Output {
        var current: UnsafeMutablePointer<PIX> = pixConvertTo8(source, 0) ?? pixClone(source)
        func replace(_ next: UnsafeMutablePointer<PIX>?) {
            guard let next else { return }
            var old: UnsafeMutablePointer<PIX>? = current
            pixDestroy(&old)
            current = next
        }
        if s.backgroundNormalize, pixGetDepth(current) == 8 {
            replace(pixBackgroundNormSimple(current, nil, nil))
        }
        if pixGetDepth(current) == 8 {
            switch s.binarize {
            case "otsu":
                replace(otsu(current))
            case "sauvola":
                var binary: UnsafeMutablePointer<PIX>?
                // Window ~ a few stroke widths at 300 dpi; k = 0.34 is the usual document value.
                let window = Int32(max(8, 25 * dpi / 300))
                if pixSauvolaBinarizeTiled(current, window, 0.34, 1, 1, nil, &binary) == 0 { replace(binary) }
            default:
                break
            }
        }
        if s.despeckle > 0, pixGetDepth(current) == 1 {
            let size = Int32(max(1, s.despeckle * dpi / 300))
            if let specks = pixSelectBySize(current, size, size, 8, Int32(L_SELECT_IF_BOTH), Int32(L_SELECT_IF_LTE), nil) {
                pixSubtract(current, current, specks)
                var p: UnsafeMutablePointer<PIX>? = specks
                pixDestroy(&p)
            }
        }
        var skew: Double?
        if s.deskew {
            var angle: Float = 0, confidence: Float = 0
            if let straight = pixFindSkewAndDeskew(current, 2, &angle, &confidence) {
                replace(straight)
                skew = confidence >= 2.5 ? Double(angle) : nil
            }
        }
        return Output(pix: current, skewDegrees: skew)
    }

    private static func otsu(_ gray: UnsafeMutablePointer<PIX>) -> UnsafeMutablePointer<PIX>? {
        var binary: UnsafeMutablePointer<PIX>?
        let w = pixGetWidth(gray), h = pixGetHeight(gray)
        guard pixOtsuAdaptiveThreshold(gray, w, h, 0, 0, 0.1, nil, &binary) == 0 else { return nil }
        return binary
    }
}
