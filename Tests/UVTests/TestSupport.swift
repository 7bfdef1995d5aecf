// Helpers for the UV tests: run a loop until a condition holds (bounded by a watchdog timer, so a broken
// test fails instead of hanging) and a delegate that records everything a connection reports.
@testable import UV

/// Runs `loop` until `condition` holds or `timeoutMilliseconds` pass; returns the final condition.
@discardableResult
func run(_ loop: Loop, timeoutMilliseconds: UInt64 = 2000, until condition: () -> Bool) -> Bool {
    let watchdog = LoopTimer(loop: loop)
    var expired = false
    watchdog.start(afterMilliseconds: timeoutMilliseconds, repeatMilliseconds: 0) { expired = true }
    while !condition() && !expired { loop.runOnce(noWait: false) }
    watchdog.close()
    loop.runOnce(noWait: true)
    return condition()
}

/// Records the events of one connection, in order.
final class Recorder: TCPConnectionDelegate {
    enum Event: Equatable { case end(Int32?), drain, close }

    var received: [UInt8] = []
    var events: [Event] = []
    /// Write back everything received (an echo server).
    var echo = false
    /// Written when the peer's EOF is reported, to check that a half-closed peer still gets it.
    var replyOnEnd: [UInt8] = []
    weak var connection: TCPConnection?

    init(_ connection: TCPConnection, echo: Bool = false) {
        self.connection = connection
        self.echo = echo
        connection.delegate = self
    }

    var closed: Bool { events.contains(.close) }
    var ended: Bool { events.contains { if case .end = $0 { true } else { false } } }

    func connectionDidRead(_ bytes: borrowing ReadBytes) {
        bytes.append(to: &received)
        if echo { connection?.write(bytes.array) }
    }

    func connectionDidEnd(_ error: UVError?) {
        events.append(.end(error?.code))
        if !replyOnEnd.isEmpty { connection?.write(replyOnEnd) }
    }
    func connectionDidDrain() { events.append(.drain) }
    func connectionDidClose() { events.append(.close) }
}

/// A listener on `host` that records every accepted connection (started reading) in `accepted`.
final class TestServer {
    let listener: TCPListener
    var accepted: [Recorder] = []

    init(loop: Loop, host: String = "127.0.0.1", echo: Bool = false,
         onAccept: @escaping (TCPConnection) -> Void = { $0.startReading() }) throws {
        listener = try TCPListener(loop: loop, host: host, port: 0)
        try listener.start { [unowned self] connection in
            self.accepted.append(Recorder(connection, echo: echo))
            onAccept(connection)
        }
    }
}

/// Connects a client to `port` and runs the loop until it is connected.
func connectClient(_ loop: Loop, host: String = "127.0.0.1", port: UInt16) throws -> TCPConnection {
    var result: Result<TCPConnection, UVError>?
    TCPConnection.connect(loop: loop, host: host, port: port) { result = $0 }
    run(loop) { result != nil }
    guard let result else { throw UVError(code: -110, operation: "test connect timed out") }
    return try result.get()
}

/// A recognisable pattern, so a reordered or dropped chunk shows.
func pattern(_ count: Int) -> [UInt8] {
    var bytes = [UInt8](repeating: 0, count: count)
    for index in 0..<count { bytes[index] = UInt8(truncatingIfNeeded: index &* 31 &+ index >> 16) }
    return bytes
}

/// Describes where two byte arrays differ (nil when equal), so a failure never prints megabytes.
func firstDifference(_ actual: [UInt8], _ expected: [UInt8]) -> String? {
    if actual == expected { return nil }
    let common = min(actual.count, expected.count)
    let index = (0..<common).first { actual[$0] != expected[$0] } ?? common
    return "got \(actual.count) bytes, expected \(expected.count); first difference at \(index)"
}
