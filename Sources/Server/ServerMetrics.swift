// Counters the server keeps for `/metrics`; the gauges (open connections, parked requests, store and lock
// state) are read from their owners when the page is rendered. Counting is a plain increment on the loop
// thread: no locks, no atomics.

import Modules

struct ServerMetrics {
    var connectionsAccepted: UInt64 = 0
    var connectionsRefused: UInt64 = 0
    var connectionsTimedOut: UInt64 = 0
    var requestsParsed: UInt64 = 0
    var parseErrors: UInt64 = 0
    var keysExpired: UInt64 = 0
    var loopLagMilliseconds: Int64 = 0
    /// Responses by route family and exact status: a flat table indexed by route × status (100...599, all
    /// other codes share slot 0), so counting a response is one array increment instead of a hash lookup.
    private var responses = [UInt64](repeating: 0, count: RouteFamily.allCases.count * Self.statusSlots)
    private static let statusSlots = 600

    mutating func countResponse(route: RouteFamily, status: Int) {
        let slot = status >= 100 && status < Self.statusSlots ? status : 0
        responses[route.rawValue * Self.statusSlots + slot] &+= 1
    }

    /// (route, status, count) of every non-zero counter, by route then status, for a stable page.
    var responseCounts: [(route: String, status: Int, count: UInt64)] {
        responses.indices.compactMap { i in
            guard responses[i] > 0 else { return nil }
            let route = RouteFamily(rawValue: i / Self.statusSlots) ?? .other
            return (route.label, i % Self.statusSlots, responses[i])
        }
    }
}

/// Builds Prometheus text exposition (version 0.0.4): `# HELP`, `# TYPE`, then samples.
struct PrometheusText {
    private(set) var text = ""

    mutating func metric(_ name: String, _ type: String, _ help: String, _ samples: [(labels: String, value: String)]) {
        text += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
        for sample in samples {
            text += sample.labels.isEmpty ? "\(name) \(sample.value)\n" : "\(name){\(sample.labels)} \(sample.value)\n"
        }
    }

    mutating func single(_ name: String, _ type: String, _ help: String, _ value: some BinaryInteger) {
        metric(name, type, help, [("", String(value))])
    }
}
