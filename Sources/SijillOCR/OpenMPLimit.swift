import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// libtesseract parallelises inside a page with OpenMP. Sijill runs one Tesseract handle per
/// worker, so OpenMP's own threads oversubscribe the cores (two workers on two cores ran at a
/// quarter of Tesseract's speed). libgomp reads `OMP_THREAD_LIMIT` once, when it is loaded, before
/// `main`: setting it from Swift changes nothing, and no OpenMP call lowers the limit afterwards
/// (Tesseract's loops name their thread count). So a program that recognises pages sets the
/// variable and replaces itself with a fresh copy of itself, once, at the very start.
public enum OpenMPLimit {
    /// Re-executes this process with `OMP_THREAD_LIMIT=1` unless the variable is already set
    /// (a value the operator chose is kept). Returns only when nothing had to be done, or when
    /// re-executing failed (the process then runs with OpenMP's default).
    public static func ensureSingleThreaded() {
        guard getenv("OMP_THREAD_LIMIT") == nil else { return }
        setenv("OMP_THREAD_LIMIT", "1", 1)
        execv("/proc/self/exe", CommandLine.unsafeArgv)
    }

    /// The limit libgomp runs with in this process (nil when unset).
    public static var current: String? { getenv("OMP_THREAD_LIMIT").map { String(cString: $0) } }
}
