// One request's place in its connection's response order. HTTP/1.1 pipelining requires responses in request
// order, so every parsed request gets a slot at the tail of the connection's queue; a slot is filled at once
// (most requests), later (a parked lock waiter or watcher), or repeatedly (a `stream=true` watch). Only filled
// slots at the head of the queue are written.

import HTTP

/// The route family of a request, for metrics (`baton_http_requests_total{route=…}`).
package enum RouteFamily: Int, CaseIterable, Sendable {
    case keys, lock, leader, dashboard, stats, machines, health, metrics, version, other

    package var label: String {
        switch self {
        case .keys: "keys"
        case .lock: "lock"
        case .leader: "leader"
        case .dashboard: "dashboard"
        case .stats: "stats"
        case .machines: "machines"
        case .health: "health"
        case .metrics: "metrics"
        case .version: "version"
        case .other: "other"
        }
    }
}

/// How the response of one request must be framed; captured when the request is parsed.
struct ResponseFraming {
    var headOnly: Bool
    var keepAlive: Bool
    var http10KeepAlive: Bool
    var route: RouteFamily
    /// The `Access-Control-Allow-Origin` value to send, when CORS allows this request's origin.
    var corsOrigin: String?
}

/// What a slot holds.
enum SlotState {
    /// The encoded response, ready to be written when the slot reaches the head.
    case ready([UInt8])
    /// Waiting for the server to wake it (lock waiter or one-shot watcher) under this park id.
    case parked(UInt64)
    /// A `stream=true` watch: the head was sent; `pending` holds chunks not yet written. Never completes.
    case streaming(UInt64, pending: [UInt8])
}

struct ResponseSlot {
    var sequence: UInt64
    var framing: ResponseFraming
    var state: SlotState
    /// The log index that must be durable before this slot's bytes may be written: the store's index when
    /// they were produced, so no client sees state a crash could still take back (0 = no wait).
    var requiredIndex: UInt64 = 0
}
