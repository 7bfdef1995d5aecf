// Scenario: the workloads `baton bench` can run (SPEC §8, issue 6). `etcd3-lock-cycle` drives etcd 3.4's v3
// lock service through its JSON gateway so that `Benchmarks/peers` compares locks with one HTTP load tool.

/// A named workload.
package enum Scenario: String, CaseIterable, Sendable {
    case get
    case put
    case lockCycle = "lock-cycle"
    case lockContended = "lock-contended"
    case leader
    case watchFanout = "watch-fanout"
    case hangingWaiters = "hanging-waiters"
    case etcd3LockCycle = "etcd3-lock-cycle"

    /// One line per scenario for `--help`.
    package var summary: String {
        switch self {
        case .get: return "GET one key (or the URL's path, for any HTTP server)"
        case .put: return "PUT one key (form body value=...)"
        case .lockCycle: return "acquire+release, one distinct lock per connection (uncontended)"
        case .lockContended: return "all connections contend for --keys locks; measures hand-off latency"
        case .leader: return "candidates on --keys leader keys; each leader vanishes, the next takes over by TTL"
        case .watchFanout: return "N watchers on one key, one writer; time until all are answered"
        case .hangingWaiters: return "N parked acquires on one held lock; server memory per waiter"
        case .etcd3LockCycle: return "etcd v3 lock+unlock through the JSON gateway (peers comparison)"
        }
    }
}
