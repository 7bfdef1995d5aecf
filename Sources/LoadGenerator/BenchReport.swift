// BenchReport: the end-of-run summary, as text for people and as one JSON object (`--json`) for scripts.
// Latencies are reported in milliseconds with microsecond precision; percentiles come from HDR histograms.
import HTTP
import Histogram

/// The result of one benchmark run.
package struct BenchReport {
    package var options: BenchOptions
    package var elapsedSeconds: Double
    package var stats: BenchStats

    package var requestsPerSecond: Double { elapsedSeconds > 0 ? Double(stats.requests) / elapsedSeconds : 0 }
    package var operationsPerSecond: Double { elapsedSeconds > 0 ? Double(stats.operations) / elapsedSeconds : 0 }

    static let percentiles: [(label: String, key: String, value: Double)] = [
        ("p50", "p50", 50), ("p90", "p90", 90), ("p99", "p99", 99), ("p99.9", "p99_9", 99.9),
    ]

    /// The human summary, several lines.
    package var text: String {
        let o = options
        var lines: [String] = []
        lines.append("baton bench: \(o.scenario.rawValue) against http://\(o.target.hostHeader)\(o.target.path), "
            + "\(o.connections) connections, \(format(elapsedSeconds, 2)) s")
        lines.append("  requests     \(stats.requests)  (\(format(requestsPerSecond, 1)) req/s)")
        if stats.operations > 0 {
            lines.append("  operations   \(stats.operations)  (\(format(operationsPerSecond, 1)) ops/s: \(operationName))")
        }
        let errors = stats.errors.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        lines.append("  errors       \(errors.isEmpty ? "none" : errors.joined(separator: " "))")
        if stats.latency.totalCount > 0 { lines.append(histogramLine("latency", stats.latency)) }
        for (name, histogram) in stats.named { lines.append(histogramLine(name, histogram)) }
        for (name, value) in stats.figures {
            lines.append("  \(pad(name, 12)) \(value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : format(value, 3))")
        }
        return lines.joined(separator: "\n")
    }

    /// One JSON object with every figure.
    package var json: String {
        var w = JSONWriter(capacity: 1024)
        w.raw("{\"scenario\":")
        w.string(options.scenario.rawValue)
        w.raw(",\"target\":")
        w.string("http://\(options.target.hostHeader)\(options.target.path)")
        w.raw(",\"connections\":")
        w.integer(Int64(options.connections))
        w.raw(",\"seconds\":")
        w.raw(bytes: Array(format(elapsedSeconds, 3).utf8))
        w.raw(",\"requests\":")
        w.integer(Int64(stats.requests))
        w.raw(",\"requests_per_second\":")
        w.raw(bytes: Array(format(requestsPerSecond, 1).utf8))
        w.raw(",\"operations\":")
        w.integer(Int64(stats.operations))
        w.raw(",\"operations_per_second\":")
        w.raw(bytes: Array(format(operationsPerSecond, 1).utf8))
        w.raw(",\"errors\":{")
        for (i, (kind, count)) in stats.errors.sorted(by: { $0.key < $1.key }).enumerated() {
            if i > 0 { w.raw(",") }
            w.string(kind)
            w.raw(":")
            w.integer(Int64(count))
        }
        w.raw("},\"latency_ms\":")
        histogramJSON(stats.latency, &w)
        for (name, histogram) in stats.named {
            w.raw(",")
            w.string("\(name)_ms")
            w.raw(":")
            histogramJSON(histogram, &w)
        }
        for (name, value) in stats.figures {
            w.raw(",")
            w.string(name)
            w.raw(":")
            w.raw(bytes: Array(format(value, 3).utf8))
        }
        w.raw("}")
        return String(decoding: w.bytes, as: UTF8.self)
    }

    private var operationName: String {
        switch options.scenario {
        case .lockCycle, .etcd3LockCycle: return "acquire+release cycles"
        case .lockContended: return "acquisitions"
        case .leader: return "elections"
        case .watchFanout: return "fan-out rounds"
        case .hangingWaiters: return "waiters parked"
        case .get, .put: return "requests"
        }
    }

    private func histogramLine(_ name: String, _ h: Histogram<UInt64>) -> String {
        var parts = Self.percentiles.map { "\($0.label) \(ms(h.valueAtPercentile($0.value)))" }
        parts.append("max \(ms(h.max))")
        return "  \(pad(name, 12)) " + parts.joined(separator: "  ") + " ms  (n=\(h.totalCount))"
    }

    private func histogramJSON(_ h: Histogram<UInt64>, _ w: inout JSONWriter) {
        w.raw("{\"count\":")
        w.integer(Int64(h.totalCount))
        for p in Self.percentiles {
            w.raw(",")
            w.string(p.key)
            w.raw(":")
            w.raw(bytes: Array(ms(h.totalCount > 0 ? h.valueAtPercentile(p.value) : 0).utf8))
        }
        w.raw(",\"max\":")
        w.raw(bytes: Array(ms(h.totalCount > 0 ? h.max : 0).utf8))
        w.raw("}")
    }

    private func ms(_ nanoseconds: UInt64) -> String { format(Double(nanoseconds) / 1e6, 3) }

    private func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : s + String(repeating: " ", count: width - s.count)
    }
}

/// Fixed-point decimal formatting without Foundation.
func format(_ value: Double, _ decimals: Int) -> String {
    guard value.isFinite else { return "0" }
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let negative = value < 0
    let scaled = Int64((abs(value) * scale).rounded())
    let whole = scaled / Int64(scale)
    var text = (negative && scaled != 0 ? "-" : "") + String(whole)
    if decimals > 0 {
        let fraction = String(scaled % Int64(scale))
        text += "." + String(repeating: "0", count: decimals - fraction.count) + fraction
    }
    return text
}
