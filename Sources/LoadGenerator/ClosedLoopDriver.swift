// ClosedLoopDriver: get, put, lock-cycle and etcd3-lock-cycle. Every connection is a closed loop: it sends
// its next request as soon as the previous one is answered (with `--pipeline P`, P of them stay in flight
// for get and put). A connection that ends is re-dialled at once (a failed dial retries after 10 ms); requests
// it lost count as errors.
//
// lock-cycle: connection i owns the lock `<prefix>-<run>-cycle-<i>` (distinct keys, so nobody waits): POST to
// acquire (the body is the fencing index), then DELETE ?index= to release; one cycle = 2 requests.
// etcd3-lock-cycle: the same against etcd 3.4's gateway: a lease per connection, then /v3/lock/lock with
// the lease and /v3/lock/unlock with the returned key.

/// Closed-loop request workloads.
final class ClosedLoopDriver: ScenarioDriver {
    private weak var runner: BenchRunner?
    private var workers: [Worker] = []
    private var ready = 0
    /// get and put send the same bytes every time: encoded once.
    private var fixedRequest: [UInt8]?

    final class Worker {
        let index: Int
        var connection: ClientConnection?
        /// etcd3: the lock key held (JSON-quoted base64).
        var held: String?
        /// lock-cycle: the index held (the acquire's body), to release.
        var heldIndex: [UInt8]?
        /// lock-cycle: this connection's acquire request, and its release request around the index; made
        /// once (formatting them per request was a third of the generator's work per lock request).
        var acquire: [UInt8] = []
        var release: (head: [UInt8], tail: [UInt8]) = ([], [])
        /// etcd3: the lease granted to this connection.
        var lease: String?
        init(index: Int) { self.index = index }
    }

    func start(_ runner: BenchRunner) {
        self.runner = runner
        let o = runner.options
        workers = (0..<o.connections).map { Worker(index: $0) }
        if o.scenario == .get && o.target.path.isEmpty {
            // Create the key read by every GET before any connection starts.
            runner.dial(o.connections) { [weak self] connection in
                guard let self, let connection else { return runner.fail("cannot connect to the target") }
                connection.send(runner.builder.make("PUT", self.getPath, body: "value=baton-bench-value")) { result in
                    connection.close()
                    guard case .success(let r) = result, r.status / 100 == 2 else {
                        return runner.fail("setup PUT \(self.getPath) failed; give a path in --target for a non-etcd server")
                    }
                    self.dialAll()
                }
            }
        } else {
            dialAll()
        }
    }

    func stop() {
        for w in workers { w.connection?.close() }
    }

    private var getPath: String {
        guard let runner else { return "/" }
        return runner.options.target.path.isEmpty ? "/v2/keys/\(runner.options.keyPrefix)/get" : runner.options.target.path
    }

    private func dialAll() {
        guard let runner else { return }
        let o = runner.options
        if o.scenario == .get { fixedRequest = runner.builder.make("GET", getPath) }
        if o.scenario == .put {
            fixedRequest = runner.builder.make("PUT", "/v2/keys/\(o.keyPrefix)/put", body: "value=baton-bench-value")
        }
        for w in workers { connect(w, initial: true, runner) }
    }

    private func connect(_ w: Worker, initial: Bool, _ runner: BenchRunner) {
        runner.dial(w.index) { [weak self] connection in
            guard let self else { return }
            guard let connection else {
                if initial { self.markReady(runner) }
                runner.after(milliseconds: 10) { self.connect(w, initial: false, runner) }
                return
            }
            w.connection = connection
            w.held = nil
            w.heldIndex = nil
            w.lease = nil
            connection.onClose = { [weak self, weak w] in
                // Servers close keep-alive connections now and then (nginx after keepalive_requests):
                // dial again at once; a refused dial waits 10 ms before its retry.
                guard let self, let w, !runner.finished else { return }
                w.connection = nil
                self.connect(w, initial: false, runner)
            }
            if initial { self.markReady(runner) }
            let depth = runner.options.scenario == .get || runner.options.scenario == .put ? runner.options.pipeline : 1
            for _ in 0..<max(1, depth) { self.next(w, runner) }
        }
    }

    /// Measurement starts once every connection is dialled (successfully or not).
    private func markReady(_ runner: BenchRunner) {
        ready += 1
        if ready == workers.count { runner.beginMeasuring() }
    }

    private func next(_ w: Worker, _ runner: BenchRunner) {
        guard let connection = w.connection, !runner.finished else { return }
        let o = runner.options
        let b = runner.builder
        let request: [UInt8]
        switch o.scenario {
        case .get, .put:
            request = fixedRequest!
        case .lockCycle:
            if w.acquire.isEmpty {
                let path = "/mod/v2/lock/\(runner.namePrefix)-cycle-\(w.index)"
                w.acquire = b.make("POST", "\(path)?ttl=\(o.ttlSeconds)")
                w.release = b.around("DELETE", "\(path)?index=")
            }
            if let held = w.heldIndex {
                var release = w.release.head
                release.reserveCapacity(release.count + held.count + w.release.tail.count)
                release.append(contentsOf: held)
                release.append(contentsOf: w.release.tail)
                request = release
            } else {
                request = w.acquire
            }
        case .etcd3LockCycle:
            if w.lease == nil {
                request = b.json("/v3/lease/grant", "{\"TTL\":\(max(o.ttlSeconds, 5))}")
            } else if let held = w.held {
                request = b.json("/v3/lock/unlock", "{\"key\":\(held)}")
            } else {
                let name = base64("\(runner.namePrefix)-cycle-\(w.index)")
                request = b.json("/v3/lock/lock", "{\"name\":\"\(name)\",\"lease\":\"\(w.lease!)\"}")
            }
        default:
            return
        }
        let sentAt = runner.now
        connection.send(request) { [weak self] result in
            guard let self else { return }
            switch result {
            case .failure(let failure):
                runner.requestFailed(failure.kind)
            case .success(let response):
                self.handle(response, w, sentAt: sentAt, runner)
                self.next(w, runner)
            }
        }
    }

    private func handle(_ response: ClientResponse, _ w: Worker, sentAt: UInt64, _ runner: BenchRunner) {
        guard response.status / 100 == 2 else {
            runner.requestFailed("status_\(response.status)")
            // A failed release (the entry expired, say) starts over with an acquire.
            w.held = nil
            w.heldIndex = nil
            return
        }
        let scenario = runner.options.scenario
        if scenario == .etcd3LockCycle && w.lease == nil {
            // Setup of this connection, not measured.
            w.lease = jsonField("ID", in: response.text)?.trimmingQuotes
            if w.lease == nil { runner.requestFailed("no_lease") }
            return
        }
        runner.requestAnswered(sentAt: sentAt)
        switch scenario {
        case .lockCycle:
            if w.heldIndex == nil {
                w.heldIndex = response.body
            } else {
                w.heldIndex = nil
                if runner.isMeasuring { runner.stats.recordOperation() }
            }
        case .etcd3LockCycle:
            if w.held == nil {
                w.held = jsonField("key", in: response.text)
                if w.held == nil { runner.requestFailed("no_key") }
            } else {
                w.held = nil
                if runner.isMeasuring { runner.stats.recordOperation() }
            }
        default:
            break
        }
    }
}

/// The raw JSON value of `"name":` in a flat or nested object (first occurrence): a quoted string keeps its
/// quotes, a number is returned as is. Enough for etcd's gateway responses.
func jsonField(_ name: String, in text: String) -> String? {
    let needle = Array("\"\(name)\":".utf8)
    let bytes = Array(text.utf8)
    guard bytes.count >= needle.count,
          let at = (0...(bytes.count - needle.count)).first(where: { bytes[$0..<($0 + needle.count)].elementsEqual(needle) })
    else { return nil }
    var rest = Substring(String(decoding: bytes[(at + needle.count)...], as: UTF8.self)).drop { $0 == " " }
    if rest.first == "\"" {
        rest = rest.dropFirst()
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return "\"" + rest[..<end] + "\""
    }
    let value = rest.prefix { $0 != "," && $0 != "}" && $0 != " " }
    return value.isEmpty ? nil : String(value)
}

extension String {
    var trimmingQuotes: String {
        hasPrefix("\"") && hasSuffix("\"") && count >= 2 ? String(dropFirst().dropLast()) : self
    }
}

/// Standard base64 of a UTF-8 string (etcd's gateway encodes bytes fields so).
func base64(_ text: String) -> String {
    let table = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    let bytes = Array(text.utf8)
    var out: [UInt8] = []
    var i = 0
    while i < bytes.count {
        let n = min(3, bytes.count - i)
        let b0 = UInt32(bytes[i]), b1 = n > 1 ? UInt32(bytes[i + 1]) : 0, b2 = n > 2 ? UInt32(bytes[i + 2]) : 0
        let v = b0 << 16 | b1 << 8 | b2
        out.append(table[Int(v >> 18 & 63)])
        out.append(table[Int(v >> 12 & 63)])
        out.append(n > 1 ? table[Int(v >> 6 & 63)] : UInt8(ascii: "="))
        out.append(n > 2 ? table[Int(v & 63)] : UInt8(ascii: "="))
        i += 3
    }
    return String(decoding: out, as: UTF8.self)
}
