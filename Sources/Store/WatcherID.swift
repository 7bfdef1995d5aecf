// The caller-chosen identity of a watch; the Server maps it back to the connection that waits.

/// Identifies one registered watch (one hanging GET ?wait=true or one stream); chosen by the caller.
package struct WatcherID: Hashable, Sendable {
    package let raw: UInt64

    package init(_ raw: UInt64) {
        self.raw = raw
    }
}
