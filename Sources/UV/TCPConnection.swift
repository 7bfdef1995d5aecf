// TCPConnection: one connected uv_tcp_t (accepted or outgoing) with reading, writing and closing.
//
// Lifetime: the connection retains itself through `handle.data` from creation until its close callback,
// which deallocates the handle, tells the delegate `connectionDidClose` and drops the delegate. Every
// method is a no-op once the handle is closing, so stale references held by the server are harmless.
//
// Memory: 100,000 parked connections must fit in about 2 KiB each, so this object holds no buffers. Reads
// go through the Loop's shared buffer and are copied into a fresh array per read; writes that libuv cannot
// take at once are copied into one allocation together with their uv_write_t (TCPConnection+Write.swift).
//
// Ending: on peer EOF the delegate hears `connectionDidEnd(nil)`, then the connection flushes whatever is
// still queued and closes; on a read or write error it hears `connectionDidEnd(error)` and closes at once.
internal import CLibUV

/// A TCP stream on the loop, reporting to its delegate.
package final class TCPConnection: LoopHandleOwner {
    /// Strong; cleared by UV right after `connectionDidClose`.
    package var delegate: (any TCPConnectionDelegate)?
    let loop: Loop
    var handle: UnsafeMutablePointer<uv_tcp_t>?
    /// uv_write_t requests not yet called back; drain and graceful close wait for zero.
    var queuedWrites: UInt32 = 0
    var reading = false
    /// Send FIN once queued writes are flushed (closeAfterWrites, shutdownAfterWrites, or the peer's EOF).
    var closeRequested = false
    /// closeAfterWrites: input is drained and dropped, and the close follows the shutdown.
    var discardInput = false
    var shutdownIssued = false
    /// Bounds the wait for the peer's EOF after closeAfterWrites; exists only while lingering.
    var lingerTimer: LoopTimer?
    var peerEnded = false
    private var endReported = false

    /// Takes ownership of an initialised uv_tcp_t; the connection keeps itself alive until it is closed.
    init(loop: Loop, handle: UnsafeMutablePointer<uv_tcp_t>) {
        self.loop = loop
        self.handle = handle
        retainOwner(self, in: handle)
    }

    /// Starts delivering bytes to the delegate.
    package func startReading() {
        guard let handle, uv_is_closing(asHandle(handle)) == 0, !reading, !peerEnded else { return }
        if uv_read_start(asStream(handle), onAlloc, onRead) < 0 {
            close()
            return
        }
        reading = true
    }

    /// Stops delivering bytes (back-pressure); the kernel keeps buffering until `startReading()`.
    /// Ignored after `closeAfterWrites`, which keeps reading to drain input until the peer's EOF.
    package func stopReading() {
        guard let handle, reading, !discardInput else { return }
        reading = false
        uv_read_stop(asStream(handle))
    }

    /// Whether the connection is currently reading.
    package var isReading: Bool { reading }

    /// Closes at once, cancelling queued writes; safe to call more than once.
    package func close() {
        guard let handle, uv_is_closing(asHandle(handle)) == 0 else { return }
        reading = false
        uv_close(asHandle(handle), onConnectionClose)
    }

    /// True once close has started (or finished), including after a failed connect.
    package var isClosing: Bool {
        guard let handle else { return true }
        return uv_is_closing(asHandle(handle)) != 0
    }

    /// Disables (true) or enables (false) Nagle's algorithm.
    package func setNoDelay(_ on: Bool) {
        guard let handle, !isClosing else { return }
        _ = uv_tcp_nodelay(handle, on ? 1 : 0)
    }

    /// "127.0.0.1:53422" or "[::1]:53422" for logs; "?" when unknown.
    package var peerAddress: String {
        guard let handle, let address = SocketAddress(of: handle, peer: true) else { return "?" }
        return address.description
    }

    /// The local address, formatted like `peerAddress`.
    package var localAddress: String {
        guard let handle, let address = SocketAddress(of: handle, peer: false) else { return "?" }
        return address.description
    }

    func reportEnd(_ error: UVError?) {
        guard !endReported else { return }
        endReported = true
        delegate?.connectionDidEnd(error)
    }

    fileprivate func didRead(_ count: Int, _ base: UnsafeMutablePointer<CChar>?) {
        if count > 0 {
            // After closeAfterWrites the server wants no more requests; the bytes are drained and dropped
            // so that closing does not reset the connection over unread data.
            if discardInput { return }
            delegate?.connectionDidRead(ReadBytes(base: UnsafeRawPointer(base), count: count))
            return
        }
        if count == 0 { return }
        reading = false
        if count == Int(UV_EOF.rawValue) {
            peerEnded = true
            reportEnd(nil)
            // The peer may have only half-closed (shutdown after its request): let it have what is queued.
            if queuedWrites == 0 { close() } else { closeRequested = true }
        } else {
            reportEnd(UVError(code: Int32(count), operation: "uv_read"))
            close()
        }
    }

    fileprivate func didClose() {
        handle?.deallocate()
        handle = nil
        reading = false
        lingerTimer?.close()
        lingerTimer = nil
        delegate?.connectionDidClose()
        delegate = nil
    }
}

private let onAlloc: uv_alloc_cb = { handle, _, buffer in
    let loop = Loop.of(handle!.pointee.loop)
    buffer!.pointee = uv_buf_t(base: loop.readBuffer.assumingMemoryBound(to: CChar.self),
                               len: Loop.readBufferSize)
}

private let onRead: uv_read_cb = { stream, count, buffer in
    let connection = owner(TCPConnection.self, of: stream!)
    connection.loop.assertInLoop()
    connection.didRead(count, buffer?.pointee.base)
}

private let onConnectionClose: uv_close_cb = { handle in
    releaseOwner(TCPConnection.self, of: handle!).didClose()
}
