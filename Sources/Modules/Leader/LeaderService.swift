import Store

// The leader module (`/mod/v2/leader/<name>`, reference §2): etcd proxied it over HTTP to its own lock
// module; here it is the same thing in-process. A candidate is a lock request whose value is its name, so
// leader keys and lock keys share one namespace (`/_etcd/mod/lock/<name>`), candidates queue FIFO, a
// re-issued PUT by the leader renews its TTL (join by value on the holder) and several clients with the
// same name share one entry. The endpoint checks the missing-name error (206) before calling in.

/// Leader election as a thin layer over `LockService`.
package final class LeaderService {
    package let locks: LockService

    package init(locks: LockService) { self.locks = locks }

    /// PUT ?name=&ttl=[&timeout=]: become (or stay) the leader; parks while another name leads.
    package func set(
        _ name: String, candidate: String, ttl: Int64, timeout: Int64?, waiter: WaiterID, now: Timestamp
    ) throws(EtcdError) -> AcquireOutcome {
        try locks.acquire(name, value: candidate, ttl: ttl, timeout: timeout, waiter: waiter, now: now)
    }

    /// GET: the leader's name, "" when nobody leads (a key never used included).
    package func current(_ name: String) throws(EtcdError) -> String {
        try locks.holder(name, field: "value")
    }

    /// DELETE ?name=: give up leadership, or withdraw a waiting candidacy (release by value).
    package func remove(_ name: String, candidate: String, now: Timestamp) throws(EtcdError) {
        try locks.release(name, index: nil, value: candidate, now: now)
    }
}
