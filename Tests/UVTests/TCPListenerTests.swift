import Glibc
import Testing
@testable import UV

@Suite struct TCPListenerTests {
    /// Ensure that binding port 0 reports the port actually bound, and closing twice is harmless.
    @Test(arguments: ["127.0.0.1", "::1"])
    func bindsAnyFreePort(_ host: String) throws {
        let loop = try Loop()
        let listener = try TCPListener(loop: loop, host: host, port: 0)
        #expect(listener.localPort != 0)
        try listener.start { $0.close() }
        listener.close()
        listener.close()
        #expect(listener.localPort == 0)
        #expect(loop.close())
    }

    /// Ensure that binding a port another listener holds throws EADDRINUSE with a readable description.
    @Test func portInUse() throws {
        let loop = try Loop()
        let first = try TCPListener(loop: loop, host: "127.0.0.1", port: 0)
        try first.start { $0.close() }
        var caught: UVError?
        do {
            _ = try TCPListener(loop: loop, host: "127.0.0.1", port: first.localPort)
        } catch {
            caught = error
        }
        #expect(caught?.code == -EADDRINUSE)
        #expect(caught?.description == "uv_tcp_bind: address already in use (EADDRINUSE)")
        first.close()
        #expect(loop.close())
    }

    /// Ensure that a host that is not an IP literal is refused before anything is opened.
    @Test func rejectsHostName() throws {
        let loop = try Loop()
        #expect(throws: UVError.self) { try TCPListener(loop: loop, host: "localhost", port: 0) }
        #expect(loop.openHandleCount == 0)
        #expect(loop.close())
    }

    /// Ensure that accepted connections reach the closure not yet reading, with their peer address.
    @Test func acceptsWithoutReading() throws {
        let loop = try Loop()
        var accepted: [TCPConnection] = []
        let listener = try TCPListener(loop: loop, host: "127.0.0.1", port: 0)
        try listener.start { accepted.append($0) }
        let client = try connectClient(loop, port: listener.localPort)
        #expect(run(loop) { accepted.count == 1 })
        #expect(accepted.first?.isReading == false)
        #expect(accepted.first?.peerAddress == client.localAddress)
        #expect(client.peerAddress == "127.0.0.1:\(listener.localPort)")
        accepted.forEach { $0.close() }
        client.close()
        listener.close()
        loop.runOnce(noWait: true)
        #expect(loop.openHandleCount == 0)
        #expect(loop.close())
    }
}
