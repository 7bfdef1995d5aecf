/// Counters of the lock module for `/metrics` and the dashboard. Gauges are computed when read; the
/// rest only ever grow.
package struct LockStats: Equatable, Sendable {
    /// Locks whose queue has a head right now (gauge).
    package var locksHeld: Int = 0
    /// Requests hanging on a queued entry right now (gauge).
    package var waitersParked: Int = 0
    /// Requests answered with the lock: immediate ones, re-acquisitions and hand-offs.
    package var acquisitions: UInt64 = 0
    /// Parked requests woken with the lock because the entries before theirs went away.
    package var handoffs: UInt64 = 0
    /// Parked requests that gave up because their `timeout` elapsed.
    package var timeouts: UInt64 = 0
    /// Holders whose TTL expired in the key tree.
    package var expirations: UInt64 = 0
    /// Queued entries that vanished under parked requests (keys-API delete, release by index, expiry).
    package var entriesRemoved: UInt64 = 0

    package init() {}
}
