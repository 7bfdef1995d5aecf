// BenchOptions: everything `baton bench` was asked to do, validated by the command line before the run.

/// The parameters of one benchmark run.
package struct BenchOptions: Sendable {
    package var target: BenchTarget
    package var scenario: Scenario
    /// Concurrent client connections (watchers, waiters or candidates in those scenarios).
    package var connections = 50
    /// How long the measured phase runs; nil = until `requests` (or the scenario's own end).
    package var durationSeconds: Double? = 10
    /// Stop after this many answered requests (closed-loop scenarios).
    package var requests: Int?
    /// Requests kept in flight per connection (get, put).
    package var pipeline = 1
    /// Locks (lock-contended) or leader keys (leader) shared by the connections.
    package var keys = 1
    /// TTL in seconds of lock entries and leader keys.
    package var ttlSeconds = 60
    /// How long a holder keeps a contended lock before releasing it.
    package var holdMilliseconds = 0
    /// watch-fanout rounds (each: park every watcher, one write, wait for all answers).
    package var rounds = 5
    /// Local source addresses 127.0.0.1…; nil chooses: one per 20,000 connections on 127/8 targets.
    package var sourceAddresses: Int?
    /// Prefix of every key the benchmark touches, so runs never disturb real data.
    package var keyPrefix = "baton-bench"
    /// Server process for `/proc/<pid>/status` RSS readings (hanging-waiters), when it has no `/metrics`.
    package var serverPID: Int32?
    /// Print the live progress line (the command enables it on a terminal).
    package var progress = false

    package init(target: BenchTarget, scenario: Scenario) {
        self.target = target
        self.scenario = scenario
    }

    /// The source addresses to bind, or [] to let the kernel choose (one address, up to ~28,000 ports).
    package var sourceHosts: [String] {
        let count: Int
        if let sourceAddresses {
            count = sourceAddresses
        } else {
            count = target.isIPv4Loopback && connections > 20_000 ? (connections + 19_999) / 20_000 : 0
        }
        guard count > 0, target.isIPv4Loopback else { return [] }
        return (0..<min(count, 250)).map { "127.0.0.\($0 + 1)" }
    }
}
