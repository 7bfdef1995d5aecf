// TCPConnectionDelegate: how a TCPConnection reports what happened on its socket. Calls arrive on the loop
// thread from libuv callbacks, never from inside a call the delegate made into the connection, so a
// delegate may call back into the connection (write, close) from any of these methods.

/// Receives the events of one TCPConnection.
package protocol TCPConnectionDelegate: AnyObject {
    /// Bytes read from the socket, lent for this call only (append them to a buffer or take `array`).
    func connectionDidRead(_ bytes: borrowing ReadBytes)
    /// The peer closed its side (nil) or reading failed; the connection closes itself afterwards
    /// (after flushing pending writes when the peer only half-closed).
    func connectionDidEnd(_ error: UVError?)
    /// A queued write completed and nothing is pending in libuv any more.
    func connectionDidDrain()
    /// The handle is closed; this is the last call ever, and the connection drops its delegate after it.
    func connectionDidClose()
}
