import CLeptonica
import Foundation

/// A decoded page image (a Leptonica `PIX`), owned by one worker at a time.
///
/// Not `Sendable`: a `PIX` is mutable C memory. Decode it where it is recognised.
public final class PageImage {
    let pix: UnsafeMutablePointer<PIX>

    init(owning pix: UnsafeMutablePointer<PIX>) {
        self.pix = pix
    }

    deinit {
        var p: UnsafeMutablePointer<PIX>? = pix
        pixDestroy(&p)
    }

    /// Width in pixels.
    public var width: Int { Int(pixGetWidth(pix)) }
    /// Height in pixels.
    public var height: Int { Int(pixGetHeight(pix)) }
    /// Bits per pixel.
    public var depth: Int { Int(pixGetDepth(pix)) }
    /// Horizontal resolution in dpi, 0 when the file did not say.
    public var resolution: Int { Int(pixGetXRes(pix)) }
    /// Vertical resolution in dpi, 0 when the file did not say (a fax: half the horizontal one).
    public var verticalResolution: Int { Int(pixGetYRes(pix)) }

    /// Share of dark pixels: black in a 1-bit image (Leptonica reads every bilevel file as
    /// 1 = black), below mid-grey otherwise.
    public var blackShare: Double {
        let bilevel = depth == 1 ? pix : pixConvertTo1(pix, 128)
        guard let bilevel else { return 0 }
        defer {
            if bilevel != pix {
                var p: UnsafeMutablePointer<PIX>? = bilevel
                pixDestroy(&p)
            }
        }
        var count: Int32 = 0
        pixCountPixels(bilevel, &count, nil)
        return Double(count) / Double(max(1, width * height))
    }

    /// The image re-encoded without loss, as one page: Group 4 TIFF for bilevel, PNG otherwise.
    /// Used to give each frame of a multi-page TIFF its own content ID.
    public func losslessEncoding() throws -> Data {
        var bytes: UnsafeMutablePointer<UInt8>?
        var size = 0
        let format = depth == 1 ? Int32(IFF_TIFF_G4) : Int32(IFF_PNG)
        let status = depth == 1
            ? pixWriteMemTiff(&bytes, &size, pix, format)
            : pixWriteMem(&bytes, &size, pix, format)
        guard status == 0, let bytes else { throw OCRError.corrupt("page frame", "cannot re-encode the frame") }
        defer { free(bytes) }
        return Data(bytes: bytes, count: size)
    }
}
