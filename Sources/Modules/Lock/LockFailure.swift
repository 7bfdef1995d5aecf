/// Why a lock acquisition was answered without the lock. The texts are etcd v0.4's plain-text bodies
/// (without the `\n` that Go's `http.Error` appends; the server adds it when it renders the body).
package enum LockFailure: Equatable, Sendable {
    /// `timeout=0` and the entry was not at the head: the entry was removed again.
    case notAcquired
    /// `timeout=S` elapsed while waiting: the entry (or this request's share of it) was removed.
    case timedOut
    /// The request's own entry vanished (keys-API delete, release by index, expiry) — fix B5.
    case entryRemoved
    /// The server is stopping; the request's entry was removed.
    case shuttingDown

    package var message: String {
        switch self {
        case .notAcquired: "failed to acquire lock"
        case .timedOut: "lock watch closed"
        case .entryRemoved: "lock entry removed"
        case .shuttingDown: "server is shutting down"
        }
    }

    package var httpStatus: Int {
        switch self {
        case .notAcquired, .timedOut, .entryRemoved: 500
        case .shuttingDown: 503
        }
    }
}
