// One client connection: bytes in → requests → slots → bytes out, in request order.
//
// Lifecycle: accepted (reading) → requests parsed and answered while the peer keeps the connection alive →
// closed by the peer (EOF), by the server (bad request, `Connection: close`, timeouts, shutdown) or by a write
// error. Invariants:
// - Responses leave in request order: only ready slots at the head of `slots` are written. `outbound` holds
//   bytes of slots already removed from the head, so everything in it precedes every slot still queued; a
//   response for the head slot that needs no durability wait is encoded straight into it. A request parsed
//   while no slot is queued is dispatched without one (`direct`) and only gets one if it must wait.
// - One write per read: while the requests of one read are handled (`batching`), bytes collect in
//   `outbound` and are written once at the end; pipelined requests share one write.
// - After a request that ends the connection (invalid bytes, `Connection: close`, HTTP/1.0 without
//   keep-alive), nothing more is parsed; the socket closes once every slot before it has been written.
// - A connection with a parked slot is never timed out (SPEC §6); its slots are cancelled when it closes.
// - Backpressure: reading pauses while too many slots or too many unwritten bytes are queued.

import DequeModule
import HTTP
import Store
import UV

final class Connection: TCPConnectionDelegate {
    let id: UInt64
    let socket: TCPConnection
    /// Strong on purpose: an `unowned` reference costs a checked retain on every access (~300 instructions
    /// per request, callgrind). The server drops its connections when they close, which breaks the cycle.
    let server: BatonServer

    private var inbound: [UInt8] = []
    /// Encoded bytes ready to write, in order (see the invariants above).
    private var outbound: [UInt8] = []
    /// True while the requests of one read are being handled: writes wait for the end of the batch.
    private var batching = false
    private var parser: RequestParser
    private(set) var slots = Deque<ResponseSlot>()
    /// The request being dispatched when no slot was queued before it. Most requests are answered during
    /// their own dispatch; such a request never enters `slots` (queueing a slot and taking it off again, with
    /// its copies, was ~400 instructions per request; callgrind). It gets a slot only if it has to wait:
    /// parked, or bytes held back for durability.
    private var direct: (sequence: UInt64, framing: ResponseFraming)?
    private var nextSequence: UInt64 = 0
    /// No more requests are parsed (the last one ended the connection, or the server is shutting down).
    private(set) var acceptsRequests = true
    private var continueSent = false
    private var readingPaused = false
    private(set) var isClosed = false
    private var closeRequested = false

    /// Loop time (ms) of the last bytes received; drives the idle timeout.
    var lastActivity: Int64
    /// Loop time (ms) when the first byte of a still-incomplete request arrived; drives the header timeout.
    var partialRequestSince: Int64?
    /// This connection's entry in the server's deadline wheel, and when it fires (at most one at a time).
    var deadlineHandle: TimerHandle?
    var armedDeadline: Int64?

    private static let maxQueuedSlots = 256
    private static let maxUnwrittenBytes = 4 << 20
    private static let retainedOutboundCapacity = 16 << 10
    /// An emptied input buffer keeps its capacity up to this size (a burst of pipelined requests does not).
    private static let keptInboundCapacity = 16 << 10

    init(id: UInt64, socket: TCPConnection, server: BatonServer, limits: ParserLimits, now: Int64) {
        self.id = id
        self.socket = socket
        self.server = server
        self.parser = RequestParser(limits: limits)
        self.lastActivity = now
    }

    /// Parked or streaming slots keep the connection exempt from timeouts.
    var isHanging: Bool {
        slots.contains { if case .ready = $0.state { false } else { true } }
    }

    // MARK: TCPConnectionDelegate

    func connectionDidRead(_ bytes: borrowing ReadBytes) {
        guard acceptsRequests else { return }
        // Into the buffer's kept capacity (see compact): no array per read.
        bytes.append(to: &inbound)
        server.refreshDateLine()
        lastActivity = server.now
        batching = true
        parseRequests()
        batching = false
        flush()
        server.updateDeadline(self)
    }

    func connectionDidEnd(_ error: UVError?) {
        // UV closes the socket itself after this; connectionDidClose does the cleanup.
    }

    func connectionDidDrain() {
        resumeReadingIfPossible()
    }

    func connectionDidClose() {
        isClosed = true
        server.connectionClosed(self)
    }

    // MARK: Requests

    private func parseRequests() {
        var offset = 0
        while acceptsRequests && offset < inbound.count {
            let result = parser.parse(inbound, from: offset)
            switch consume result {  // moves the Request out instead of copying it (retains, then releases)
            case .complete(let request, let consumed):
                offset += consumed
                partialRequestSince = nil
                continueSent = false
                server.metrics.requestsParsed &+= 1
                let keepAlive = request.keepAlive && server.isAcceptingRequests
                if !keepAlive { acceptsRequests = false }
                let framing = ResponseFraming(
                    headOnly: request.method == .head,
                    keepAlive: keepAlive,
                    http10KeepAlive: keepAlive && !request.isHTTP11,
                    route: .other,
                    corsOrigin: server.corsOrigin(for: request))
                let sequence: UInt64
                if slots.isEmpty {
                    sequence = nextSequence
                    nextSequence &+= 1
                    direct = (sequence, framing)
                } else {
                    sequence = appendSlot(framing)
                }
                server.handle(request, on: self, sequence: sequence)
                if let d = direct {
                    // Neither answered nor parked during dispatch (the server always does one or the other):
                    // it waits as the head slot.
                    direct = nil
                    slots.append(ResponseSlot(sequence: d.sequence, framing: d.framing, state: .parked(0)))
                }
            case .incomplete(let sendContinue):
                if partialRequestSince == nil { partialRequestSince = server.now }
                // 100 Continue is an interim response of *this* request: only send it when nothing is
                // queued before it, otherwise the client simply sends the body after its own short delay.
                if sendContinue && !continueSent && slots.isEmpty {
                    continueSent = true
                    outbound.append(contentsOf: ResponseEncoder.continueLine)
                    if !batching { flush() }
                }
                compact(consumed: offset)
                pauseReadingIfNeeded()
                return
            case .invalid(let error):
                server.metrics.parseErrors &+= 1
                acceptsRequests = false
                let sequence = appendSlot(ResponseFraming(headOnly: false, keepAlive: false, http10KeepAlive: false,
                                                          route: .other, corsOrigin: nil))
                server.log.info("bad request from \(socket.peerAddress): \(error) → \(error.status)")
                let response = Self.targetsEtcdAPI(inbound, from: offset)
                    ? server.protocolErrorEnvelope(error, reason: Self.reason(for: error))
                    : Response.text(error.status, Self.reason(for: error) + "\n")
                complete(sequence: sequence, with: response)
            }
        }
        compact(consumed: offset)
        pauseReadingIfNeeded()
    }

    private static func reason(for error: HTTPParseError) -> String {
        switch error {
        case .badRequest(let why): "400 Bad Request: \(why)"
        case .headersTooLarge: "431 Request Header Fields Too Large"
        case .payloadTooLarge: "413 Request Entity Too Large"
        case .notImplemented: "501 Not Implemented: unsupported transfer encoding"
        case .versionNotSupported: "505 HTTP Version Not Supported"
        case .uriTooLong: "414 Request-URI Too Long"
        }
    }

    /// Whether the rejected bytes were aimed at etcd's API (`/v2/…`, `/mod/v2/…`), whose clients expect JSON.
    private static func targetsEtcdAPI(_ bytes: [UInt8], from start: Int) -> Bool {
        guard let space = bytes[start...].prefix(16).firstIndex(of: UInt8(ascii: " ")) else { return false }
        let target = bytes[(space + 1)...].prefix(8)
        return target.starts(with: "/v2/".utf8) || target.starts(with: "/mod/v2/".utf8)
    }

    private func compact(consumed: Int) {
        if consumed >= inbound.count {
            // The next read reuses this buffer's capacity, unless the connection now waits for an answer
            // (a parked lock waiter or watch): thousands of those must not each keep a buffer.
            if slots.isEmpty && inbound.capacity <= Self.keptInboundCapacity {
                inbound.removeAll(keepingCapacity: true)
            } else {
                inbound = []
            }
            partialRequestSince = nil
        } else if consumed > 0 {
            inbound.removeFirst(consumed)
        }
    }

    // MARK: Slots

    /// Queues the slot of a newly parsed request (filled by the server, now or later); returns its sequence.
    private func appendSlot(_ framing: ResponseFraming) -> UInt64 {
        let sequence = nextSequence
        nextSequence &+= 1
        slots.append(ResponseSlot(sequence: sequence, framing: framing, state: .parked(0)))
        return sequence
    }

    /// The position of slot `sequence` in `slots`: sequences are consecutive and slots leave only from the
    /// head, so it is a subtraction, not a search.
    private func slotIndex(_ sequence: UInt64) -> Int? {
        guard let first = slots.first?.sequence, sequence >= first, sequence - first < UInt64(slots.count) else {
            return nil
        }
        return Int(sequence - first)
    }

    /// Fills slot `sequence` with its response (counted under `route` when given) and writes what can be
    /// written.
    func complete(sequence: UInt64, with response: Response, route: RouteFamily? = nil) {
        var unused = SharedEncoding()
        fill(sequence: sequence, response, route: route, shared: &unused, share: false)
    }

    /// Same for one response that answers many slots (an event and its watchers): `shared` keeps its wire
    /// bytes for the first framing seen, and every slot with that framing reuses them instead of encoding.
    func complete(sequence: UInt64, with response: Response, sharing shared: inout SharedEncoding) {
        fill(sequence: sequence, response, route: nil, shared: &shared, share: true)
    }

    private func fill(sequence: UInt64, _ response: Response, route: RouteFamily?, shared: inout SharedEncoding,
                      share: Bool) {
        let framing: ResponseFraming
        // The slot's position, or nil for the request being dispatched without one (see `direct`).
        let i: Int?
        if let d = direct, d.sequence == sequence {
            direct = nil
            var f = d.framing
            if let route { f.route = route }
            framing = f
            i = nil
        } else {
            guard let index = slotIndex(sequence) else { return }
            if let route { slots[index].framing.route = route }
            framing = slots[index].framing
            i = index
        }
        server.metrics.countResponse(route: framing.route, status: response.status)
        // A request that waited long must not make its connection look idle since it was sent.
        lastActivity = server.now
        let required = server.responseRequirement
        // The direct request is the head: no slot was queued before it.
        let isHead = i == nil || i == 0
        let toOutbound = isHead && required <= server.durableIndex
        var bytes: [UInt8] = []
        if share, let cached = shared.bytes(for: framing) {
            if toOutbound { outbound.append(contentsOf: cached) } else { bytes = cached }
        } else {
            if toOutbound {
                let start = outbound.count
                encodeDecorated(response, framing, into: &outbound)
                if share { shared.remember(Array(outbound[start...]), for: framing) }
            } else {
                encodeDecorated(response, framing, into: &bytes)
                if share { shared.remember(bytes, for: framing) }
            }
        }
        if toOutbound {
            if i != nil { slots.removeFirst() }
            if !batching { flush() }
            return
        }
        if let i {
            slots[i].state = .ready(bytes)
            slots[i].requiredIndex = required
        } else {
            // Its bytes wait for durability: now it needs a slot (the head, as nothing else is queued).
            slots.append(ResponseSlot(sequence: sequence, framing: framing, state: .ready(bytes), requiredIndex: required))
        }
        if isHead && !batching { flush() }
    }

    /// Encodes `response` with the CORS fields `framing` calls for. Copied only when there are some: a copy
    /// of the Response per request (its arrays retained and released) was ~300 instructions (callgrind).
    private func encodeDecorated(_ response: Response, _ framing: ResponseFraming, into out: inout [UInt8]) {
        guard framing.corsOrigin != nil else {
            encode(response, framing, into: &out)
            return
        }
        var decorated = response
        server.decorate(&decorated, framing: framing)
        encode(decorated, framing, into: &out)
    }

    private func encode(_ response: Response, _ framing: ResponseFraming, into out: inout [UInt8]) {
        ResponseEncoder.encode(response, headOnly: framing.headOnly, keepAlive: framing.keepAlive,
                               http10KeepAlive: framing.http10KeepAlive, commonLines: server.commonLines,
                               okHead: server.okHead, into: &out)
    }

    /// Marks slot `sequence` as waiting for a wake-up under `parkID`, with the route it belongs to.
    func park(sequence: UInt64, parkID: UInt64, route: RouteFamily) {
        if let d = direct, d.sequence == sequence {
            // It waits after all: it becomes the head slot.
            direct = nil
            var framing = d.framing
            framing.route = route
            slots.append(ResponseSlot(sequence: sequence, framing: framing, state: .parked(parkID)))
            return
        }
        guard let i = slotIndex(sequence) else { return }
        slots[i].state = .parked(parkID)
        slots[i].framing.route = route
    }

    /// Turns a parked slot into a stream: `head` is the chunked response head; later `streamChunk` appends.
    func startStream(sequence: UInt64, parkID: UInt64, head: Response) {
        guard let i = slotIndex(sequence) else { return }
        var response = head
        server.decorate(&response, framing: slots[i].framing)
        var bytes: [UInt8] = []
        ResponseEncoder.encodeStreamHead(response, commonLines: server.commonLines, into: &bytes)
        slots[i].state = .streaming(parkID, pending: bytes)
        slots[i].requiredIndex = server.responseRequirement
        if i == 0 && !batching { flush() }
    }

    func streamChunk(parkID: UInt64, _ body: [UInt8]) {
        guard let i = slots.firstIndex(where: {
            if case .streaming(let id, _) = $0.state { id == parkID } else { false }
        }), case .streaming(let id, var pending) = slots[i].state else { return }
        ResponseEncoder.appendChunk(body, to: &pending)
        slots[i].state = .streaming(id, pending: pending)
        slots[i].requiredIndex = server.responseRequirement
        if i == 0 && !batching { flush() }
    }

    /// Writes `outbound` and every ready slot at the head in one write; closes when the connection is done.
    func flush() {
        guard !isClosed else { return }
        while let head = slots.first {
            // Durability gate: bytes that depend on a log batch still being synced wait for it.
            if head.requiredIndex > server.durableIndex {
                server.awaitDurability(self)
                break
            }
            switch head.state {
            case .ready(let bytes):
                outbound.append(contentsOf: bytes)
                slots.removeFirst()
                continue
            case .streaming(let id, let pending):
                if !pending.isEmpty {
                    outbound.append(contentsOf: pending)
                    slots[slots.startIndex].state = .streaming(id, pending: [])
                }
            case .parked:
                break
            }
            break
        }
        if !outbound.isEmpty {
            socket.write(outbound)
            // Keep a small buffer for the next response; give back what a large one grew.
            if outbound.capacity > Self.retainedOutboundCapacity {
                outbound = []
            } else {
                outbound.removeAll(keepingCapacity: true)
            }
        }
        if slots.isEmpty && deadlineHandle == nil && acceptsRequests { server.updateDeadline(self) }
        if !acceptsRequests && slots.isEmpty {
            if !closeRequested {
                closeRequested = true
                socket.closeAfterWrites()
            }
        } else {
            resumeReadingIfPossible()
        }
    }

    /// A log write failed: every response still waiting for it becomes `response` (the outcome of those
    /// writes is unknown, so they are not acknowledged). Streams keep their chunks.
    func replaceUndurable(above durable: UInt64, with response: Response) {
        for i in slots.indices where slots[i].requiredIndex > durable {
            guard case .ready = slots[i].state else { continue }
            var response = response
            server.decorate(&response, framing: slots[i].framing)
            var bytes: [UInt8] = []
            encode(response, slots[i].framing, into: &bytes)
            slots[i].state = .ready(bytes)
            slots[i].requiredIndex = 0
        }
    }

    /// Ids of the slots that wait for the server, for cancellation on close.
    var parkIDs: [UInt64] {
        slots.compactMap {
            switch $0.state {
            case .parked(let id): id
            case .streaming(let id, _): id
            case .ready: nil
            }
        }
    }

    // MARK: Shutdown and limits

    /// Stop parsing new requests; the connection closes once what is queued has been written. One with nothing
    /// queued or in flight closes at once: there is no response to protect with a graceful close.
    func finishAndClose() {
        acceptsRequests = false
        if slots.isEmpty && !socket.isWritePending {
            closeRequested = true
            socket.close()
            return
        }
        flush()
    }

    func close() {
        socket.close()
    }

    private func pauseReadingIfNeeded() {
        if !readingPaused && (slots.count >= Self.maxQueuedSlots || socket.pendingWriteBytes > Self.maxUnwrittenBytes) {
            readingPaused = true
            socket.stopReading()
        }
    }

    private func resumeReadingIfPossible() {
        if readingPaused && acceptsRequests && slots.count < Self.maxQueuedSlots / 2
            && socket.pendingWriteBytes <= Self.maxUnwrittenBytes / 2 {
            readingPaused = false
            socket.startReading()
            if !inbound.isEmpty {
                batching = true
                parseRequests()
                batching = false
                flush()
            }
        }
    }
}
