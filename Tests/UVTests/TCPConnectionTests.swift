import Glibc
import Testing
@testable import UV

@Suite struct TCPConnectionTests {
    /// Ensure that bytes go both ways over IPv4 and IPv6 (echo), and that when the client closes the server
    /// sees EOF, then close, and nothing is left open.
    @Test(arguments: ["127.0.0.1", "::1"])
    func echoBothWays(_ host: String) throws {
        let loop = try Loop()
        let server = try TestServer(loop: loop, host: host, echo: true)
        let client = try connectClient(loop, host: host, port: server.listener.localPort)
        client.setNoDelay(true)
        let recorder = Recorder(client)
        client.startReading()
        client.write(Array("hello".utf8))
        client.write(Array(" world".utf8)[...])
        #expect(run(loop) { recorder.received.count == 11 })
        #expect(String(decoding: recorder.received, as: UTF8.self) == "hello world")
        #expect(server.accepted.first?.received == Array("hello world".utf8))

        client.close()
        #expect(run(loop) { server.accepted.first?.closed == true })
        #expect(server.accepted.first?.events == [.end(nil), .close])
        #expect(recorder.events == [.close])
        #expect(client.delegate == nil, "UV drops the delegate after connectionDidClose")
        server.listener.close()
        loop.runOnce(noWait: true)
        #expect(loop.openHandleCount == 0)
        #expect(loop.close())
    }

    /// Ensure that an 8 MiB write that libuv cannot take at once arrives intact and in order, with one
    /// drain once the queue is empty.
    @Test func largeWriteArrivesIntact() throws {
        let loop = try Loop()
        let server = try TestServer(loop: loop)
        let client = try connectClient(loop, port: server.listener.localPort)
        let recorder = Recorder(client)
        let payload = pattern(8 << 20)
        client.write(Array("head".utf8))
        client.write(payload)
        #expect(client.pendingWriteBytes > 0, "8 MiB exceeds the socket buffer, so some is queued")
        client.write(Array("tail".utf8))
        #expect(run(loop) { (server.accepted.first?.received.count ?? 0) == payload.count + 8 })
        #expect(firstDifference(server.accepted.first?.received ?? [], Array("head".utf8) + payload + Array("tail".utf8)) == nil)
        #expect(run(loop) { recorder.events.contains(.drain) })
        #expect(client.pendingWriteBytes == 0)
        #expect(recorder.events == [.drain])
        client.close()
        server.listener.close()
        #expect(loop.close())
    }

    /// Ensure that closeAfterWrites delivers everything queued before the EOF, then both sides close.
    @Test(arguments: [false, true])
    func closeAfterWritesDeliversThenEOF(serverReading: Bool) throws {
        let loop = try Loop()
        let payload = pattern(4 << 20)
        let server = try TestServer(loop: loop) { connection in
            if serverReading { connection.startReading() }
            connection.write(payload)
            connection.closeAfterWrites()
            connection.write(Array("late".utf8))
        }
        let client = try connectClient(loop, port: server.listener.localPort)
        let recorder = Recorder(client)
        client.startReading()
        #expect(run(loop) { recorder.closed })
        #expect(firstDifference(recorder.received, payload + Array("late".utf8)) == nil,
                "writes made before the shutdown is issued are delivered")
        #expect(recorder.events == [.end(nil), .close])
        #expect(run(loop) { server.accepted.first?.closed == true })
        server.listener.close()
        loop.runOnce(noWait: true)
        #expect(loop.openHandleCount == 0)
        #expect(loop.close())
    }

    /// Ensure that a peer that half-closes still gets a large reply written after its EOF was reported,
    /// then the server's EOF.
    @Test func halfClosedPeerGetsPendingWrites() throws {
        let loop = try Loop()
        let reply = pattern(4 << 20)
        let server = try TestServer(loop: loop)
        let client = try connectClient(loop, port: server.listener.localPort)
        #expect(run(loop) { server.accepted.count == 1 })
        server.accepted[0].replyOnEnd = reply
        let recorder = Recorder(client)
        client.startReading()
        client.shutdownAfterWrites()
        #expect(run(loop, timeoutMilliseconds: 5000) { recorder.closed && server.accepted[0].closed })
        #expect(firstDifference(recorder.received, reply) == nil)
        #expect(recorder.events == [.end(nil), .close])
        #expect(server.accepted[0].events == [.end(nil), .close])
        server.listener.close()
        #expect(loop.close())
    }

    /// Ensure that connecting to a port nobody listens on fails with ECONNREFUSED and leaves nothing open.
    @Test func connectRefused() throws {
        let loop = try Loop()
        let listener = try TCPListener(loop: loop, host: "127.0.0.1", port: 0)
        let port = listener.localPort
        listener.close()
        var result: Result<TCPConnection, UVError>?
        TCPConnection.connect(loop: loop, host: "127.0.0.1", port: port) { result = $0 }
        #expect(run(loop) { result != nil })
        #expect(throws: UVError(code: -ECONNREFUSED, operation: "uv_tcp_connect")) { try result?.get() }
        loop.runOnce(noWait: true)
        #expect(loop.openHandleCount == 0)
        #expect(loop.close())
    }

    /// Ensure that a bad address or source address fails at once, without opening a handle.
    @Test func connectRejectsBadAddresses() throws {
        let loop = try Loop()
        var results: [Result<TCPConnection, UVError>] = []
        TCPConnection.connect(loop: loop, host: "example.org", port: 80) { results.append($0) }
        TCPConnection.connect(loop: loop, host: "127.0.0.1", port: 80, sourceHost: "nope") { results.append($0) }
        #expect(results.count == 2)
        #expect(results.allSatisfy { (try? $0.get()) == nil })
        #expect(loop.close())
    }

    /// Ensure that a client may bind a source address before connecting.
    @Test func connectFromSourceHost() throws {
        let loop = try Loop()
        let server = try TestServer(loop: loop)
        var result: Result<TCPConnection, UVError>?
        TCPConnection.connect(loop: loop, host: "127.0.0.1", port: server.listener.localPort,
                              sourceHost: "127.0.0.2") { result = $0 }
        #expect(run(loop) { result != nil && server.accepted.count == 1 })
        let client = try #require(try result?.get())
        #expect(client.localAddress.hasPrefix("127.0.0.2:"))
        #expect(server.accepted.first?.connection?.peerAddress.hasPrefix("127.0.0.2:") == true)
        #expect(loop.close())
    }

    /// Ensure that writes and reads on a closing or closed connection are ignored without crashing.
    @Test func useAfterCloseIsHarmless() throws {
        let loop = try Loop()
        let server = try TestServer(loop: loop)
        let client = try connectClient(loop, port: server.listener.localPort)
        let recorder = Recorder(client)
        client.close()
        #expect(client.isClosing)
        client.write([1, 2, 3])
        client.startReading()
        client.closeAfterWrites()
        client.close()
        #expect(run(loop) { server.accepted.first?.closed == true && recorder.closed })
        client.write([1, 2, 3])
        client.setNoDelay(true)
        #expect(client.pendingWriteBytes == 0)
        #expect(client.peerAddress == "?")
        #expect(recorder.events == [.close])
        #expect(server.accepted.first?.received == [])
        server.listener.close()
        #expect(loop.close())
    }

    /// Ensure that stopReading holds bytes back until reading starts again.
    @Test func stopReadingHoldsBytes() throws {
        let loop = try Loop()
        let server = try TestServer(loop: loop)
        let client = try connectClient(loop, port: server.listener.localPort)
        #expect(run(loop) { server.accepted.count == 1 })
        let accepted = try #require(server.accepted.first?.connection)
        accepted.stopReading()
        client.write([7, 8, 9])
        #expect(!run(loop, timeoutMilliseconds: 50) { server.accepted[0].received.count == 3 })
        accepted.startReading()
        #expect(run(loop) { server.accepted[0].received == [7, 8, 9] })
        #expect(loop.close())
    }

    /// Ensure that a write failing because the peer closed is reported as an error end, then close.
    @Test func writeErrorEndsConnection() throws {
        UV.Process.ignoreSIGPIPE()
        let loop = try Loop()
        let server = try TestServer(loop: loop) { $0.close() }
        let client = try connectClient(loop, port: server.listener.localPort)
        let recorder = Recorder(client)
        #expect(run(loop) { server.accepted.first?.closed == true })
        client.write([UInt8](repeating: 0xAB, count: 8 << 20))
        #expect(client.isWritePending)
        #expect(run(loop) { recorder.closed })
        #expect(recorder.events.count == 2)
        #expect(recorder.events.first != .end(nil) && recorder.ended, "an error, not a clean EOF")
        #expect(recorder.events.last == .close)
        #expect(!client.isWritePending)
        server.listener.close()
        #expect(loop.close())
    }

    /// Ensure that Loop.close cancels queued writes and a connect in progress, calls back everyone, and
    /// still closes cleanly.
    @Test func loopCloseCancelsInFlightWork() throws {
        let loop = try Loop()
        let server = try TestServer(loop: loop) { _ in }
        let client = try connectClient(loop, port: server.listener.localPort)
        let recorder = Recorder(client)
        client.write([UInt8](repeating: 0xAB, count: 8 << 20))
        #expect(client.isWritePending)
        var pending: Result<TCPConnection, UVError>?
        TCPConnection.connect(loop: loop, host: "127.0.0.1", port: server.listener.localPort) { pending = $0 }
        #expect(loop.close())
        #expect(recorder.events == [.close])
        #expect(throws: UVError(code: -ECANCELED, operation: "uv_tcp_connect")) { try pending?.get() }
        #expect(loop.openHandleCount == 0)
    }

    /// Ensure that after closeAfterWrites a peer that never closes is dropped after the linger timeout.
    @Test func lingerIsBounded() throws {
        let loop = try Loop()
        loop.lingerTimeoutMilliseconds = 20
        let server = try TestServer(loop: loop) { connection in
            connection.startReading()
            connection.write(Array("bye".utf8))
            connection.closeAfterWrites()
        }
        // Read the clock before connecting: the server may accept (and start the linger timer) in an
        // earlier loop iteration than the one that completes the client's connect.
        let start = loop.now
        let client = try connectClient(loop, port: server.listener.localPort)
        #expect(run(loop) { server.accepted.first?.closed == true })
        #expect(loop.now >= start + 20)
        #expect(server.accepted.first?.events == [.close])
        client.close()
        server.listener.close()
        loop.runOnce(noWait: true)
        #expect(loop.openHandleCount == 0)
        #expect(loop.close())
    }
}
