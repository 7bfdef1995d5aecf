// LockContendedDriver: `--connections` clients contend for `--keys` locks (client i uses lock i % keys).
// Each client acquires (its POST hangs in the queue), holds for `--hold-ms`, releases by index, and queues
// again at once, so every release hands the lock to a parked waiter.
//
// Hand-off latency, as seen by the generator: the time between the release's response and the next
// holder's response. The server writes both in the same loop iteration in either order, so when the new
// holder's response arrives first the hand-off is recorded as 0. `handoff_from_release_sent` is the
// end-to-end figure (release request written → next holder answered), which includes one round trip.
// A hand-off is only paired when some other client was waiting when the release was sent.
// Mutual exclusion is checked on the way: a client answered while the previous holder had not yet sent its
// release is a violation (`two_holders` error).

/// The contended-lock scenario.
final class LockContendedDriver: ScenarioDriver {
    private weak var runner: BenchRunner?
    private var clients: [Client] = []
    private var locks: [LockState] = []
    private var ready = 0

    final class Client {
        let index: Int
        let lock: Int
        var connection: ClientConnection?
        init(index: Int, lock: Int) {
            self.index = index
            self.lock = lock
        }
    }

    struct LockState {
        /// Clients with an acquire in flight.
        var waiting = 0
        /// The client last answered 200, until its release is answered.
        var holder: Int?
        /// The holder has sent its release (a new holder may legitimately be answered from now on).
        var holderReleasing = false
        /// The release awaiting its hand-off pairing (only when someone was waiting when it was sent).
        var pendingRelease: UInt64?
        var releaseAnsweredAt: UInt64?
        var nextAnsweredAt: UInt64?
    }

    func start(_ runner: BenchRunner) {
        self.runner = runner
        let o = runner.options
        let keys = max(1, min(o.keys, o.connections))
        locks = Array(repeating: LockState(), count: keys)
        clients = (0..<o.connections).map { Client(index: $0, lock: $0 % keys) }
        for c in clients {
            runner.dial(c.index) { [weak self] connection in
                guard let self else { return }
                guard let connection else { return runner.fail("cannot connect to the target") }
                c.connection = connection
                connection.onClose = { [weak c] in c?.connection = nil }
                self.ready += 1
                if self.ready == self.clients.count {
                    runner.beginMeasuring()
                    for c in self.clients { self.acquire(c, runner) }
                }
            }
        }
    }

    func stop() {
        for c in clients { c.connection?.close() }
    }

    private func path(_ c: Client, _ runner: BenchRunner) -> String {
        "/mod/v2/lock/\(runner.namePrefix)-contended-\(c.lock)"
    }

    private func acquire(_ c: Client, _ runner: BenchRunner) {
        guard let connection = c.connection, !runner.finished else { return }
        locks[c.lock].waiting += 1
        let sentAt = runner.now
        connection.send(runner.builder.make("POST", "\(path(c, runner))?ttl=\(runner.options.ttlSeconds)")) {
            [weak self] result in
            guard let self else { return }
            self.locks[c.lock].waiting -= 1
            switch result {
            case .failure(let failure):
                runner.requestFailed(failure.kind)
            case .success(let response) where response.status == 200:
                runner.requestAnswered(sentAt: sentAt)
                self.acquired(c, index: response.text, runner)
            case .success(let response):
                runner.requestFailed("status_\(response.status)")
                runner.after(milliseconds: 10) { self.acquire(c, runner) }
            }
        }
    }

    private func acquired(_ c: Client, index: String, _ runner: BenchRunner) {
        let t = runner.now
        var lock = locks[c.lock]
        if lock.holder != nil && !lock.holderReleasing { runner.requestFailed("two_holders") }
        if let sent = lock.pendingRelease, lock.nextAnsweredAt == nil {
            if let released = lock.releaseAnsweredAt {
                recordHandoff(t - released, fromSent: t - sent, runner)
                lock.pendingRelease = nil
            } else {
                lock.nextAnsweredAt = t
            }
        }
        lock.holder = c.index
        lock.holderReleasing = false
        locks[c.lock] = lock
        if runner.isMeasuring { runner.stats.recordOperation() }
        let hold = runner.options.holdMilliseconds
        if hold > 0 {
            runner.after(milliseconds: UInt64(hold)) { self.release(c, index: index, runner) }
        } else {
            release(c, index: index, runner)
        }
    }

    private func release(_ c: Client, index: String, _ runner: BenchRunner) {
        guard let connection = c.connection, !runner.finished else { return }
        let sentAt = runner.now
        var lock = locks[c.lock]
        lock.holderReleasing = true
        lock.pendingRelease = lock.waiting > 0 ? sentAt : nil
        lock.releaseAnsweredAt = nil
        lock.nextAnsweredAt = nil
        locks[c.lock] = lock
        connection.send(runner.builder.make("DELETE", "\(path(c, runner))?index=\(index)")) { [weak self] result in
            guard let self else { return }
            switch result {
            case .failure(let failure):
                runner.requestFailed(failure.kind)
                return
            case .success(let response) where response.status == 200:
                runner.requestAnswered(sentAt: sentAt)
                let t = runner.now
                var lock = self.locks[c.lock]
                if lock.holder == c.index { lock.holder = nil }
                if lock.pendingRelease == sentAt {
                    if let next = lock.nextAnsweredAt {
                        // The next holder's response came first: no time passed after the release's answer.
                        self.recordHandoff(0, fromSent: next - sentAt, runner)
                        lock.pendingRelease = nil
                    } else {
                        lock.releaseAnsweredAt = t
                    }
                }
                self.locks[c.lock] = lock
            case .success(let response):
                runner.requestFailed("status_\(response.status)")
            }
            self.acquire(c, runner)
        }
    }

    private func recordHandoff(_ nanoseconds: UInt64, fromSent: UInt64, _ runner: BenchRunner) {
        guard runner.isMeasuring else { return }
        runner.stats.record("handoff", nanoseconds: nanoseconds)
        runner.stats.record("handoff_from_release_sent", nanoseconds: fromSent)
    }
}
