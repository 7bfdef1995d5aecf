// A TimerWheel whose payloads are UInt64 ids (what the Server files connection deadlines under), as a
// non-generic type. TimerWheel is generic and its members are `package`, which other modules call
// unspecialised (package declarations are not inlined across modules): every arm or cancel then went
// through runtime generic metadata, ~3,500 instructions each, twice per connection. Compiled here, inside
// the Store module, the wrapped wheel is specialised for UInt64 and the same calls cost a few hundred.
// Invariant: exactly TimerWheel<UInt64>'s behaviour; every member forwards.

/// `TimerWheel<UInt64>`, specialised inside Store for callers in other modules.
package struct IDTimerWheel {
    private var wheel: TimerWheel<UInt64>

    package init(now: Int64) {
        wheel = TimerWheel(now: now)
    }

    /// Time of the last advance.
    package var now: Int64 { wheel.now }
    package var count: Int { wheel.count }

    /// See `TimerWheel.arm(at:_:)`.
    package mutating func arm(at deadline: Int64, _ id: UInt64) -> TimerHandle {
        wheel.arm(at: deadline, id)
    }

    /// See `TimerWheel.cancel(_:)`.
    package mutating func cancel(_ handle: TimerHandle) {
        wheel.cancel(handle)
    }

    /// See `TimerWheel.advance(to:)`.
    package mutating func advance(to newNow: Int64) -> [UInt64] {
        wheel.advance(to: newNow)
    }

    /// See `TimerWheel.nextDeadline`.
    package var nextDeadline: Int64? { wheel.nextDeadline }
}
