// BenchStats: what a run measured — answered requests, scenario operations, errors by kind, and HDR
// histograms (nanoseconds, 3 significant digits) for request latency and the scenario's own latencies
// (hand-off, fail-over, fan-out). Reset when the measured phase starts, so setup never counts.
import Histogram

/// Counters and histograms of one run.
package final class BenchStats {
    /// Latency of every answered request, send → complete response.
    package private(set) var latency = BenchStats.makeHistogram()
    /// Scenario histograms by name, in the order they were first recorded.
    package private(set) var named: [(name: String, histogram: Histogram<UInt64>)] = []
    package private(set) var requests = 0
    /// Scenario operations (lock cycles, elections, fan-out rounds); 0 when requests are the operations.
    package private(set) var operations = 0
    package private(set) var errors: [String: Int] = [:]
    /// Scenario figures (bytes per waiter, RSS before/after, …) in recording order.
    package private(set) var figures: [(name: String, value: Double)] = []

    package init() {}

    static func makeHistogram() -> Histogram<UInt64> {
        Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000_000,
                          numberOfSignificantValueDigits: .three)
    }

    /// One answered request and its latency.
    package func recordRequest(nanoseconds: UInt64) {
        requests += 1
        latency.record(nanoseconds)
    }

    /// One completed scenario operation.
    package func recordOperation() { operations += 1 }

    /// A value in a named scenario histogram (e.g. "handoff").
    package func record(_ name: String, nanoseconds: UInt64) {
        if let i = named.firstIndex(where: { $0.name == name }) {
            named[i].histogram.record(nanoseconds)
        } else {
            var h = Self.makeHistogram()
            h.record(nanoseconds)
            named.append((name, h))
        }
    }

    /// One error of `kind` ("status_500", "reset", "connect_ECONNREFUSED", …).
    package func recordError(_ kind: String) {
        errors[kind, default: 0] += 1
    }

    /// Sets a scenario figure, replacing an earlier value of the same name.
    package func setFigure(_ name: String, _ value: Double) {
        if let i = figures.firstIndex(where: { $0.name == name }) { figures[i].value = value } else { figures.append((name, value)) }
    }

    package var errorCount: Int { errors.values.reduce(0, +) }

    /// Forgets everything (start of the measured phase); figures recorded during setup are kept.
    package func reset() {
        latency = Self.makeHistogram()
        named = []
        requests = 0
        operations = 0
        errors = [:]
    }
}
