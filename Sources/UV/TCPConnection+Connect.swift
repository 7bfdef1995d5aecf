// Outgoing connections, for the load generator and the tests. The uv_connect_t carries a retained
// ConnectRequest (connection + completion) in its `data` until uv_connect_cb, which libuv also calls, with
// UV_ECANCELED, when the handle is closed before the connection was established.
internal import CLibUV

extension TCPConnection {
    /// Connects to `host` (an IPv4/IPv6 literal) and `port`, optionally binding first to the local
    /// `sourceHost` (to spread many client connections over several source addresses).
    /// The completion runs on the loop thread, synchronously when the arguments are rejected at once, and
    /// gets a connection that is not reading yet; on failure the half-made handle is already closing.
    package static func connect(loop: Loop, host: String, port: UInt16, sourceHost: String? = nil,
                                completion: @escaping (Result<TCPConnection, UVError>) -> Void) {
        let address: SocketAddress
        let source: SocketAddress?
        do {
            address = try SocketAddress(host: host, port: port)
            source = try sourceHost.map { (host: String) throws(UVError) in try SocketAddress(host: host, port: 0) }
        } catch {
            completion(.failure(error))
            return
        }
        let tcp = UnsafeMutablePointer<uv_tcp_t>.allocate(capacity: 1)
        uvMust(uv_tcp_init(loop.raw, tcp), "uv_tcp_init")
        let connection = TCPConnection(loop: loop, handle: tcp)
        if let source {
            let rc = source.withSockaddr { uv_tcp_bind(tcp, $0, 0) }
            if rc < 0 {
                connection.close()
                completion(.failure(UVError(code: rc, operation: "uv_tcp_bind")))
                return
            }
        }
        let request = UnsafeMutablePointer<uv_connect_t>.allocate(capacity: 1)
        let pending = Unmanaged.passRetained(ConnectRequest(connection: connection, completion: completion))
        request.pointee.data = pending.toOpaque()
        let rc = address.withSockaddr { uv_tcp_connect(request, tcp, $0, onConnect) }
        if rc < 0 {
            pending.release()
            request.deallocate()
            connection.close()
            completion(.failure(UVError(code: rc, operation: "uv_tcp_connect")))
        }
    }
}

/// What a connect request needs when libuv reports back.
private final class ConnectRequest {
    let connection: TCPConnection
    let completion: (Result<TCPConnection, UVError>) -> Void

    init(connection: TCPConnection, completion: @escaping (Result<TCPConnection, UVError>) -> Void) {
        self.connection = connection
        self.completion = completion
    }

    func finish(status: Int32) {
        if status < 0 {
            connection.close()
            completion(.failure(UVError(code: status, operation: "uv_tcp_connect")))
        } else {
            completion(.success(connection))
        }
    }
}

private let onConnect: uv_connect_cb = { request, status in
    let pending = Unmanaged<ConnectRequest>.fromOpaque(request!.pointee.data).takeRetainedValue()
    pending.connection.loop.assertInLoop()
    request!.deallocate()
    pending.finish(status: status)
}
