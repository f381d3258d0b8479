import Foundation
import SijillIngest
import Synchronization

/// Shows ingest progress: a bar with pages/s and ETA on a terminal, plain lines otherwise.
final class ProgressBar: Sendable {
    private struct State {
        var phaseStart = Date()
        var phase: IngestProgress.Phase?
        var lastLine = Date.distantPast
    }

    private let isTTY = isatty(STDERR_FILENO) == 1
    private let state = Mutex(State())

    func update(_ p: IngestProgress) {
        let line: String? = state.withLock { s in
            let now = Date()
            if s.phase != p.phase {
                s.phase = p.phase
                s.phaseStart = now
            }
            guard p.phase != .done else { return isTTY ? "\r\u{1B}[K" : nil }
            let elapsed = now.timeIntervalSince(s.phaseStart)
            let rate = elapsed > 0 ? Double(p.done) / elapsed : 0
            let remaining = rate > 0 ? Double(p.total - p.done) / rate : 0
            let label = p.phase == .ocr ? "ocr    " : "reading"
            let unit = p.phase == .ocr ? "pages" : "files"
            let figures = String(format: "%d/%d %@  %.2f %@/s  ETA %@", p.done, p.total, unit, rate, unit, eta(remaining))
            if isTTY {
                let width = 28
                let filled = p.total > 0 ? width * p.done / p.total : width
                let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
                return "\r\u{1B}[K\(label) \(bar) \(figures)"
            }
            // Plain lines: at most one every 2 s, and always the last.
            guard p.done == p.total || now.timeIntervalSince(s.lastLine) >= 2 else { return nil }
            s.lastLine = now
            return "\(label) \(figures)\n"
        }
        if let line { FileHandle.standardError.write(Data(line.utf8)) }
    }

    private func eta(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return String(format: "%d:%02d", s / 60, s % 60)
    }
}
