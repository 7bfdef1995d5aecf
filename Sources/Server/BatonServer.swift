// The composition root: owns the loop, the listener, every connection, the key tree and the modules, and is
// the only place where they meet. Everything runs on the loop thread (ARCHITECTURE.md).
//
// The path of a request: a Connection parses it and calls `handle`; the route's endpoint answers now or parks
// the request under a park id (a WaiterID or WatcherID); `settle()` then drains what the call changed — store
// events go to the lock service (which may mutate the store again, until quiet), watcher notifications and
// lock wake-ups become responses on their connections (redis's "unblocked clients"). One LoopTimer drives the
// store's TTL wheel, the lock timeouts and the connection deadlines; a uv_check hook re-aims it once per loop
// iteration at the earliest of the three.

#if canImport(Glibc)
import Glibc
#endif
import HTTP
import Logging
import Modules
import Persistence
import Store
import UV

/// A parked request: which connection slot answers when it wakes.
struct ParkedRequest {
    enum Kind { case lock, watch(startIndex: EtcdIndex, stream: Bool) }
    unowned let connection: Connection
    let sequence: UInt64
    let kind: Kind
}

/// Why the server could not start; `description` is the one line the command line prints.
package struct ServerStartError: Error, CustomStringConvertible {
    package let description: String
}

package final class BatonServer {
    let config: ServerConfig
    let log: Logger
    let loop: Loop
    private let listener: TCPListener
    private let tickTimer: LoopTimer
    private let lagTimer: LoopTimer
    private var iterationHook: LoopIterationHook?
    private var signalWatchers: [SignalWatcher] = []
    private var shutdownTimer: LoopTimer?

    let store = Store()
    /// The write-ahead log (nil with `-memory`) and the connections waiting for its next batch.
    let journal: Journal?
    var durabilityWaiters: [UInt64: Connection] = [:]
    let locks: LockService
    let leaders: LeaderService

    private var connections: [UInt64: Connection] = [:]
    private(set) var parked: [UInt64: ParkedRequest] = [:]
    private var nextID: UInt64 = 1
    private var deadlines: IDTimerWheel
    private var scheduledTick: Int64?

    var metrics = ServerMetrics()
    private(set) var isAcceptingRequests = true
    /// The client URL this server advertises (`http://host:port`, the real port when bound to port 0).
    package private(set) var clientURL: String
    /// The port actually bound.
    package var boundPort: UInt16 { listener.localPort }

    /// Loop time → wall-clock milliseconds; fixed at start so server time never goes backwards.
    private let wallClockOffset: Int64
    let startTime: Timestamp
    private var dateSecond: Int64 = -1
    /// The lines every response carries, pre-rendered: `Date` (refreshed once a second) and `Server`.
    private(set) var commonLines: [UInt8] = []
    /// "HTTP/1.1 200 OK\r\n" + `commonLines`: the start of most answers in one piece.
    private(set) var okHead: [UInt8] = []
    private static let okStatusLine: [UInt8] = Array("HTTP/1.1 200 OK\r\n".utf8)
    let parserLimits: ParserLimits
    /// The keys API's Content-Type and index headers for the current indexes (see IndexHeaderLines).
    var indexHeaderLines = IndexHeaderLines()
    /// Recently rendered file versions (see NodeJSONCache).
    var nodeJSON = NodeJSONCache()

    package init(config: ServerConfig, logger: Logger) throws(ServerStartError) {
        self.config = config
        self.log = logger
        guard let (host, port) = config.listenHostPort, isValidIPAddress(host) else {
            throw ServerStartError(description: "invalid listen address \"\(config.bindAddress ?? config.advertisedAddress)\": want IP:port, e.g. 127.0.0.1:4001")
        }
        UV.Process.ignoreSIGPIPE()
        UV.Process.raiseFileDescriptorLimit()
        do {
            loop = try Loop()
            listener = try TCPListener(loop: loop, host: host, port: port)
        } catch {
            throw ServerStartError(description: "cannot listen on \(host):\(port): \(error)")
        }
        tickTimer = LoopTimer(loop: loop)
        lagTimer = LoopTimer(loop: loop)
        wallClockOffset = WallClock.milliseconds() - Int64(loop.now)
        startTime = Timestamp(milliseconds: wallClockOffset + Int64(loop.now))
        deadlines = IDTimerWheel(now: startTime.milliseconds)
        journal = try Self.openJournal(config: config, loop: loop, store: store, now: startTime, log: logger)
        // Applied commands are only the log's: without one (-memory) the store need not keep them.
        store.recordsCommands = journal != nil
        locks = LockService(store: store)
        leaders = LeaderService(locks: locks)
        parserLimits = ParserLimits(maxHeaderBytes: config.maxHeaderBytes, maxBodyBytes: config.maxBodyBytes)
        let advertised = ServerConfig.splitHostPort(config.advertisedAddress)
        let advertisedPort = (advertised?.port == 0 || advertised == nil) ? listener.localPort : advertised!.port
        clientURL = "http://\(advertised?.host ?? host):\(advertisedPort)"
    }

    /// Current server time (wall-clock milliseconds as of this loop iteration).
    var now: Int64 { wallClockOffset + Int64(loop.now) }
    var timestamp: Timestamp { Timestamp(milliseconds: now) }

    /// Serves until SIGINT/SIGTERM; returns the process exit code.
    package func run() -> Int32 {
        startDurability()
        do {
            try listener.start(backlog: 1024) { [unowned self] socket in self.accept(socket) }
            for signal in [SIGINT, SIGTERM] {
                let watcher = try SignalWatcher(loop: loop, signal: signal) { [unowned self] sig in
                    self.beginShutdown(signal: sig)
                }
                watcher.unref()
                signalWatchers.append(watcher)
            }
        } catch {
            log.critical("cannot start: \(error)")
            return 1
        }
        let hook = LoopIterationHook(loop: loop) { [unowned self] in self.afterIteration() }
        hook.start()
        iterationHook = hook
        refreshDateLine()
        lagTimer.unref()
        var expectedLagTick = loop.now + 1000
        lagTimer.start(afterMilliseconds: 1000, repeatMilliseconds: 1000) { [unowned self] in
            let actual = self.loop.now
            self.metrics.loopLagMilliseconds = actual > expectedLagTick ? Int64(actual - expectedLagTick) : 0
            expectedLagTick = actual + 1000
        }
        registerMember()
        log.info("listening on \(config.listenHostPort!.host):\(listener.localPort), advertising \(clientURL)")
        loop.run()
        hook.close()
        for w in signalWatchers { w.close() }
        tickTimer.close()
        lagTimer.close()
        shutdownTimer?.close()
        listener.close()
        for c in connections.values { c.close() }
        closeJournal()
        if let journal, journal.isSnapshotRunning {
            // Loop.close would run the loop until the snapshot job completes; the log is flushed, so leave it.
            log.info("stopped (a snapshot job was still running: abandoned; the log holds every acknowledged write)")
            return 0
        }
        let clean = loop.close()
        log.info("stopped\(clean ? "" : " (some handles were still open)")")
        return 0
    }

    /// Records this member under `/_etcd/machines/<name>` like etcd v0.2/v0.3 (its first write, index 1, so
    /// the first lock in a fresh server gets index 2 as in modules.md's examples; dashboards read it).
    private func registerMember() {
        let value = "etcd=\(Self.formEscape(clientURL))&raft=\(Self.formEscape(peerURL))"
        let key = "/_etcd/machines/\(config.name)"
        if let current = try? store.get(key, recursive: false, sorted: false, now: timestamp), current.node.value == value {
            return
        }
        _ = try? store.apply(.set(key: key, value: value, dir: false, expiration: nil), now: timestamp)
        settle()
    }

    private static func formEscape(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(b))
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                out += "%" + String(decoding: [hex[Int(b >> 4)], hex[Int(b & 15)]], as: UTF8.self)
            }
        }
        return out
    }

    // MARK: Connections

    private func accept(_ socket: TCPConnection) {
        guard isAcceptingRequests else { socket.close(); return }
        if connections.count >= config.maxConnections {
            metrics.connectionsRefused &+= 1
            socket.write(Self.tooManyConnections)
            socket.closeAfterWrites()
            return
        }
        let id = takeID()
        let connection = Connection(id: id, socket: socket, server: self, limits: parserLimits, now: now)
        socket.delegate = connection
        socket.setNoDelay(true)
        connections[id] = connection
        metrics.connectionsAccepted &+= 1
        updateDeadline(connection)
        socket.startReading()
    }

    private static let tooManyConnections: [UInt8] = Array(
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 21\r\nConnection: close\r\n\r\ntoo many connections\n".utf8)

    /// Called from the connection's close callback: cancel whatever it had parked.
    func connectionClosed(_ connection: Connection) {
        connections.removeValue(forKey: connection.id)
        durabilityWaiters.removeValue(forKey: connection.id)
        if let handle = connection.deadlineHandle { deadlines.cancel(handle) }
        var cancelled = false
        for id in connection.parkIDs {
            guard let request = parked.removeValue(forKey: id) else { continue }
            cancelled = true
            switch request.kind {
            case .lock: locks.cancel(WaiterID(id), now: timestamp)
            case .watch: store.removeWatcher(WatcherID(id))
            }
        }
        if cancelled { settle() }
        if !isAcceptingRequests && connections.isEmpty { loop.stop() }
    }

    var openConnectionCount: Int { connections.count }

    func takeID() -> UInt64 {
        defer { nextID &+= 1 }
        return nextID
    }

    /// The response of an endpoint, or how its request waits.
    enum EndpointResult {
        case response(Response)
        case parkLock(UInt64)
        case parkWatch(UInt64, startIndex: EtcdIndex, stream: Bool, first: Event?)
    }

    /// A routed request: its family (for metrics) and what the endpoint decided. A struct, not a tuple:
    /// destroying the `(RouteFamily, EndpointResult)` tuple went through the runtime's generic
    /// `tuple_destroy`, ~600 instructions per request (callgrind).
    struct Routed {
        var route: RouteFamily
        var result: EndpointResult
        init(_ route: RouteFamily, _ result: EndpointResult) {
            self.route = route
            self.result = result
        }
    }

    /// Routes one parsed request and answers or parks it; then delivers whatever it woke.
    func handle(_ request: Request, on connection: Connection, sequence: UInt64) {
        if let refusal = durabilityRefusal(request) {
            connection.complete(sequence: sequence, with: refusal)
            return
        }
        let routed = dispatch(request, now: timestamp)
        let route = routed.route
        switch routed.result {
        case .response(let response):
            connection.complete(sequence: sequence, with: response, route: route)
        case .parkLock(let id):
            parked[id] = ParkedRequest(connection: connection, sequence: sequence, kind: .lock)
            connection.park(sequence: sequence, parkID: id, route: route)
        case .parkWatch(let id, let startIndex, let stream, let first):
            parked[id] = ParkedRequest(connection: connection, sequence: sequence,
                                       kind: .watch(startIndex: startIndex, stream: stream))
            connection.park(sequence: sequence, parkID: id, route: route)
            if stream {
                connection.startStream(sequence: sequence, parkID: id, head: watchHead(startIndex: startIndex))
                if let first { connection.streamChunk(parkID: id, EtcdJSON.event(first, cache: &nodeJSON)) }
            }
        }
        settle(origin: connection)
    }

    /// Drains the consequences of store mutations until quiet, then answers every woken request. `origin` is
    /// the connection whose request caused them: its own answer (the release, the PUT) is written before the
    /// hand-offs and watch answers it caused, although its read batch has not ended yet.
    func settle(origin: Connection? = nil) {
        let now = timestamp
        while true {
            let events = store.takeEvents()
            if events.isEmpty { break }
            locks.storeDidChange(events, now: now)
        }
        journalAppend(store.takeCommands())
        let notifications = store.takeNotifications()
        let wakes = locks.takeWakes()
        // Most requests wake nobody: skip setting up (and tearing down) the answer sharing below.
        if notifications.isEmpty && wakes.isEmpty { return }
        origin?.flush()
        // One write answers every watcher of a key with the same event: encode its response once and share it
        // (10,000 watchers on one key are the fan-out benchmark's case).
        var shared: SharedAnswer?
        for (watcher, event) in notifications {
            guard let request = parked[watcher.raw], case .watch(let startIndex, let stream) = request.kind else { continue }
            if stream {
                request.connection.streamChunk(parkID: watcher.raw, EtcdJSON.event(event, cache: &nodeJSON))
            } else {
                parked.removeValue(forKey: watcher.raw)
                // Every successful command yields one event with its own index (Store's invariant), so the
                // index identifies the event; comparing whole Events cost ~900 instructions per watcher.
                if shared == nil || shared!.etcdIndex != startIndex || shared!.event.index != event.index
                    || shared!.event.action != event.action {
                    shared = SharedAnswer(event: event, etcdIndex: startIndex,
                                          response: eventResponse(event, etcdIndex: startIndex, status: 200))
                }
                request.connection.complete(sequence: request.sequence, with: shared!.response,
                                            sharing: &shared!.encoding)
            }
        }
        for wake in wakes {
            switch wake {
            case .acquired(let waiter, let index):
                guard let request = parked.removeValue(forKey: waiter.raw) else { continue }
                request.connection.complete(sequence: request.sequence, with: Self.indexText(index))
            case .failed(let waiter, let failure):
                guard let request = parked.removeValue(forKey: waiter.raw) else { continue }
                request.connection.complete(sequence: request.sequence, with: failureResponse(failure))
            }
        }
    }

    // MARK: Time

    private func afterIteration() {
        commitIteration()
        // Runs once per loop iteration, so no array: just the earliest of the three wheels' deadlines.
        let next = Self.earliest(Self.earliest(store.nextExpiry?.milliseconds, locks.nextDeadline?.milliseconds),
                                 deadlines.nextDeadline)
        guard next != scheduledTick else { return }
        scheduledTick = next
        if let next {
            let delay = max(0, next - now)
            tickTimer.start(afterMilliseconds: UInt64(delay), repeatMilliseconds: 0) { [unowned self] in self.tick() }
        } else {
            tickTimer.stop()
        }
    }

    private static func earliest(_ a: Int64?, _ b: Int64?) -> Int64? {
        guard let a else { return b }
        guard let b else { return a }
        return min(a, b)
    }

    private func tick() {
        scheduledTick = nil
        refreshDateLine()
        let now = timestamp
        let expired = store.expire(upTo: now)
        metrics.keysExpired &+= UInt64(expired.count)
        settle()
        locks.expireTimeouts(now: now)
        settle()
        for id in deadlines.advance(to: now.milliseconds) {
            guard let connection = connections[id] else { continue }
            connection.deadlineHandle = nil
            connection.armedDeadline = nil
            updateDeadline(connection)
        }
        // Re-aim now: libuv computes the poll timeout before the check hook runs, so a tick that only cascaded
        // the wheel (nothing fired, no I/O) would otherwise sleep until some unrelated wake-up, up to 1 s late.
        afterIteration()
    }

    /// Keeps one wheel entry per connection at its next timeout; closes it when that time has come.
    /// Hanging connections are exempt (SPEC §6): they are re-armed when their last parked slot completes.
    func updateDeadline(_ connection: Connection) {
        guard !connection.isClosed, !connection.isHanging else { return }
        let due: Int64
        let why: String
        if let since = connection.partialRequestSince {
            due = since + config.headerTimeoutMilliseconds
            why = "slow request headers"
        } else {
            due = connection.lastActivity + config.idleTimeoutMilliseconds
            why = "idle"
        }
        if due <= now {
            metrics.connectionsTimedOut &+= 1
            log.debug("closing \(why) connection from \(connection.socket.peerAddress)")
            connection.close()
            return
        }
        if let armed = connection.armedDeadline, armed <= due { return }
        if let handle = connection.deadlineHandle { deadlines.cancel(handle) }
        connection.deadlineHandle = deadlines.arm(at: due, connection.id)
        connection.armedDeadline = due
    }

    /// Re-renders `commonLines` when the second of the `Date:` line has changed.
    func refreshDateLine() {
        let second = now / 1000
        if second != dateSecond {
            dateSecond = second
            commonLines = Array("Date: \(TimeFormatting.httpDate(unixSeconds: second))\r\nServer: baton\r\n".utf8)
            okHead = Self.okStatusLine + commonLines
        }
    }

    // MARK: Shutdown

    private func beginShutdown(signal: Int32) {
        guard isAcceptingRequests else {
            log.warning("second signal: stopping now")
            loop.stop()
            return
        }
        log.info("received signal \(signal): shutting down")
        isAcceptingRequests = false
        listener.close()
        locks.shutdown(now: timestamp)
        for (id, request) in parked {
            guard case .watch = request.kind else { continue }
            parked.removeValue(forKey: id)
            store.removeWatcher(WatcherID(id))
            request.connection.complete(sequence: request.sequence, with: .text(503, "server is shutting down\n"))
        }
        settle()
        for connection in Array(connections.values) { connection.finishAndClose() }
        let timer = LoopTimer(loop: loop)
        timer.start(afterMilliseconds: UInt64(config.shutdownGraceMilliseconds), repeatMilliseconds: 0) { [unowned self] in
            self.log.warning("shutdown grace period over: closing \(self.connections.count) connections")
            self.loop.stop()
        }
        timer.unref()
        shutdownTimer = timer
        if connections.isEmpty { loop.stop() }
    }
}
