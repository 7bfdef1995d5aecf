// TCPListener: a bound, listening uv_tcp_t that hands every accepted client to one closure as a
// TCPConnection that is not reading yet, so the server attaches its delegate before any byte arrives.
// Accept failures (EMFILE in an accept storm, a client that reset before accept) are skipped silently:
// logging each one would turn an overload into a log flood, and the listener must keep serving.
internal import CLibUV

/// A listening TCP socket on one address.
package final class TCPListener: LoopHandleOwner {
    let loop: Loop
    private var handle: UnsafeMutablePointer<uv_tcp_t>?
    private var onConnection: ((TCPConnection) -> Void)?

    /// Binds to `host` (an IPv4 or IPv6 literal) and `port` (0 picks any free port).
    package init(loop: Loop, host: String, port: UInt16) throws(UVError) {
        self.loop = loop
        let address = try SocketAddress(host: host, port: port)
        let tcp = UnsafeMutablePointer<uv_tcp_t>.allocate(capacity: 1)
        uvMust(uv_tcp_init(loop.raw, tcp), "uv_tcp_init")
        // No UV_TCP_IPV6ONLY flag: "::" then also accepts IPv4 clients, as etcd's Go listener does.
        var rc = address.withSockaddr { uv_tcp_bind(tcp, $0, 0) }
        // On Linux libuv defers EADDRINUSE from bind to uv_listen (delayed_error); report it here, where the
        // caller asked for the address.
        if rc == 0 { rc = tcp.pointee.delayed_error }
        if rc < 0 {
            closeOrphan(tcp)
            throw UVError(code: rc, operation: "uv_tcp_bind")
        }
        handle = tcp
        retainOwner(self, in: tcp)
    }

    /// The port actually bound (useful after binding port 0); 0 once closed.
    package var localPort: UInt16 {
        guard let handle, let address = SocketAddress(of: handle, peer: false) else { return 0 }
        return address.port
    }

    /// Starts listening; for each accepted client calls `onConnection` with a connection NOT reading yet.
    package func start(backlog: Int32 = 1024, onConnection: @escaping (TCPConnection) -> Void) throws(UVError) {
        guard let handle, uv_is_closing(asHandle(handle)) == 0 else {
            throw UVError(code: UV_EBADF.rawValue, operation: "uv_listen")
        }
        self.onConnection = onConnection
        try uvCheck(uv_listen(asStream(handle), backlog, onListenConnection), "uv_listen")
    }

    /// Stops accepting and closes the socket; safe to call more than once.
    package func close() {
        guard let handle, uv_is_closing(asHandle(handle)) == 0 else { return }
        uv_close(asHandle(handle), onListenerClose)
    }

    fileprivate func didAccept(status: Int32) {
        guard status >= 0, let handle, let onConnection else { return }
        let client = UnsafeMutablePointer<uv_tcp_t>.allocate(capacity: 1)
        uvMust(uv_tcp_init(loop.raw, client), "uv_tcp_init")
        guard uv_accept(asStream(handle), asStream(client)) == 0 else {
            closeOrphan(client)
            return
        }
        onConnection(TCPConnection(loop: loop, handle: client))
    }

    fileprivate func didClose() {
        handle?.deallocate()
        handle = nil
        // Dropping the closure breaks the usual cycle server → listener → closure → server.
        onConnection = nil
    }
}

private let onListenConnection: uv_connection_cb = { server, status in
    let listener = owner(TCPListener.self, of: server!)
    listener.loop.assertInLoop()
    listener.didAccept(status: status)
}

private let onListenerClose: uv_close_cb = { handle in
    releaseOwner(TCPListener.self, of: handle!).didClose()
}
