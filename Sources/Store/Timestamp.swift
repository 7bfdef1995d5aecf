// Identity and time types shared by the key tree, its watchers and its timers. Store never reads a clock:
// every operation receives `now` as a Timestamp, so live traffic, log replay and tests behave identically.

/// etcd's global index (`X-Etcd-Index`): +1 for every successful mutation, including each expired node.
package typealias EtcdIndex = UInt64

/// Wall-clock Unix-epoch milliseconds. TTL deadlines are absolute Timestamps so they survive restarts.
package struct Timestamp: Comparable, Hashable, Sendable {
    package var milliseconds: Int64

    package init(milliseconds: Int64) {
        self.milliseconds = milliseconds
    }

    package static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.milliseconds < rhs.milliseconds
    }

    /// `self` moved forward by whole seconds (a TTL in etcd's unit).
    package func adding(seconds: Int64) -> Timestamp {
        Timestamp(milliseconds: milliseconds &+ seconds &* 1000)
    }

    /// Seconds left until `self` as etcd's `ttl` field shows them: rounded up when positive, truncated toward
    /// zero when negative (Go's `ttl := d / time.Second; if d % time.Second > 0 { ttl++ }`).
    package func ttlSeconds(from now: Timestamp) -> Int64 {
        let remaining = milliseconds &- now.milliseconds
        var seconds = remaining / 1000
        if remaining % 1000 > 0 { seconds += 1 }
        return seconds
    }
}

/// Identifies one registered watch (one hanging GET ?wait=true or one stream); chosen by the caller.
package struct WatcherID: Hashable, Sendable {
    package let raw: UInt64

    package init(_ raw: UInt64) {
        self.raw = raw
    }
}
