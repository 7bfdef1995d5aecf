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
    /// Responses by route family and exact status: key = route.rawValue << 16 | status.
    private(set) var responses: [Int: UInt64] = [:]

    mutating func countResponse(route: RouteFamily, status: Int) {
        responses[route.rawValue << 16 | status, default: 0] &+= 1
    }

    /// (route, status, count) sorted for a stable page.
    var responseCounts: [(route: String, status: Int, count: UInt64)] {
        responses.sorted { $0.key < $1.key }.map { key, count in
            (RouteFamily(rawValue: key >> 16)?.label ?? "other", key & 0xFFFF, count)
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
