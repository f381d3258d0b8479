import Foundation
import Synchronization

/// Counters and latency histograms in Prometheus text format (`GET /metrics`).
final class Metrics: Sendable {
    private struct State {
        var counters: [String: Double] = [:]
        var histograms: [String: Histogram] = [:]
    }

    struct Histogram {
        static let bounds: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]
        var buckets = [Double](repeating: 0, count: Histogram.bounds.count)
        var sum = 0.0
        var count = 0.0
    }

    private let state = Mutex(State())

    /// Adds `by` to the counter `name{labels}` (labels already formatted, e.g. `route="/v1/search"`).
    func count(_ name: String, labels: String = "", by amount: Double = 1) {
        let key = labels.isEmpty ? name : "\(name){\(labels)}"
        state.withLock { $0.counters[key, default: 0] += amount }
    }

    func observe(_ name: String, labels: String, seconds: Double) {
        let key = "\(name)|\(labels)"
        state.withLock { state in
            var h = state.histograms[key] ?? Histogram()
            for (i, bound) in Histogram.bounds.enumerated() where seconds <= bound { h.buckets[i] += 1 }
            h.sum += seconds
            h.count += 1
            state.histograms[key] = h
        }
    }

    /// The exposition text; `gauges` are read at scrape time (catalog counts).
    func render(gauges: [(name: String, help: String, value: Double)]) -> String {
        let snapshot = state.withLock { $0 }
        var out = ""
        var described = Set<String>()
        func type(_ name: String, _ kind: String, _ help: String) {
            guard described.insert(name).inserted else { return }
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(kind)\n"
        }
        for (key, value) in snapshot.counters.sorted(by: { $0.key < $1.key }) {
            let name = String(key.prefix { $0 != "{" })
            type(name, "counter", Self.help[name] ?? name)
            out += "\(key) \(Self.format(value))\n"
        }
        for (key, h) in snapshot.histograms.sorted(by: { $0.key < $1.key }) {
            let parts = key.split(separator: "|", maxSplits: 1).map(String.init)
            let name = parts[0], labels = parts.count > 1 ? parts[1] : ""
            type(name, "histogram", Self.help[name] ?? name)
            let sep = labels.isEmpty ? "" : ","
            for (i, bound) in Histogram.bounds.enumerated() {
                out += "\(name)_bucket{\(labels)\(sep)le=\"\(bound)\"} \(Self.format(h.buckets[i]))\n"
            }
            out += "\(name)_bucket{\(labels)\(sep)le=\"+Inf\"} \(Self.format(h.count))\n"
            out += "\(name)_sum{\(labels)} \(h.sum)\n\(name)_count{\(labels)} \(Self.format(h.count))\n"
        }
        for gauge in gauges {
            type(gauge.name, "gauge", gauge.help)
            out += "\(gauge.name) \(Self.format(gauge.value))\n"
        }
        return out
    }

    static func format(_ v: Double) -> String { v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v) }

    static let help = [
        "sijill_http_requests_total": "HTTP requests by route and status.",
        "sijill_http_request_duration_seconds": "HTTP request latency by route.",
        "sijill_auth_failures_total": "Requests refused for a bad token or access code.",
        "sijill_object_verify_failures_total": "Stored objects that failed hash verification when served.",
        "sijill_audit_entries_buffered_total": "Audit entries recorded for reads.",
    ]
}

/// Label values escaped for the text format.
func promLabel(_ value: String) -> String {
    value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        .replacingOccurrences(of: "\n", with: "\\n")
}
