/// Identifies one parked lock or leader request. The server allocates it (one per hanging HTTP request)
/// and the lock module only ever hands it back in a `LockWake`; it never refers to a connection.
package struct WaiterID: Hashable, Sendable, CustomStringConvertible {
    package let raw: UInt64

    package init(_ raw: UInt64) { self.raw = raw }

    package var description: String { "waiter#\(raw)" }
}
