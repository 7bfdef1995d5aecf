import Store

/// What `LockService.acquire` (and `LeaderService.set`) did with a request right away.
package enum AcquireOutcome: Equatable, Sendable {
    /// The request's entry is (or already was) the head: answer `200` with this index, the fencing token.
    case acquired(EtcdIndex)
    /// The request hangs; it is answered later through `LockService.takeWakes()` or cancelled by the server.
    case parked
    /// Answer at once with the failure's status and text.
    case failed(LockFailure)
}

/// A parked request that must be answered now (collected by `LockService.takeWakes()`).
package enum LockWake: Equatable, Sendable {
    case acquired(WaiterID, EtcdIndex)
    case failed(WaiterID, LockFailure)

    package var waiter: WaiterID {
        switch self {
        case .acquired(let waiter, _), .failed(let waiter, _): waiter
        }
    }
}
