// LeaderDriver: `--connections` candidates on `--keys` leader keys (candidate i on key i % keys), each
// `PUT /mod/v2/leader/<key>?name=<candidate>&ttl=<ttl>` (it hangs while another name leads). A candidate
// that is elected vanishes at once without releasing — as a crashed leader would — and comes back as a new
// candidate on a new connection; the server must hand leadership to the next candidate when the TTL runs
// out. `failover` is the time from the dead leader's TTL deadline (its election answer + ttl, as the
// client saw it) to the next leader's answer: the timer wheel's promptness plus the hand-off. Each
// election is one operation. Use a short `--ttl` (default 1 s for this scenario) and a few seconds.

/// The leader fail-over scenario.
final class LeaderDriver: ScenarioDriver {
    private weak var runner: BenchRunner?
    private var candidates: [ClientConnection?] = []
    private var generation: [Int] = []
    /// Per key: when the last leader was answered (nil before the first election).
    private var lastElected: [UInt64?] = []
    private var ready = 0

    func start(_ runner: BenchRunner) {
        self.runner = runner
        let n = runner.options.connections
        let keys = max(1, min(runner.options.keys, n))
        candidates = Array(repeating: nil, count: n)
        generation = Array(repeating: 0, count: n)
        lastElected = Array(repeating: nil, count: keys)
        for i in 0..<n {
            join(i, runner) { [weak self] in
                guard let self else { return }
                self.ready += 1
                if self.ready == n { runner.beginMeasuring() }
            }
        }
    }

    func stop() {
        for c in candidates { c?.close() }
    }

    private func join(_ i: Int, _ runner: BenchRunner, dialled: (() -> Void)? = nil) {
        runner.dial(i) { [weak self] connection in
            guard let self else { return }
            guard let connection else { return runner.fail("cannot connect to the target") }
            self.candidates[i] = connection
            dialled?()
            self.campaign(i, connection, runner)
        }
    }

    private func campaign(_ i: Int, _ connection: ClientConnection, _ runner: BenchRunner) {
        let o = runner.options
        let key = i % lastElected.count
        generation[i] += 1
        let name = "c\(i)-\(generation[i])"
        let sentAt = runner.now
        let request = runner.builder.make("PUT", "/mod/v2/leader/\(runner.namePrefix)-leader-\(key)?name=\(name)&ttl=\(o.ttlSeconds)")
        connection.send(request) { [weak self] result in
            guard let self, !runner.finished else { return }
            switch result {
            case .success(let r) where r.status == 200:
                let t = runner.now
                runner.requestAnswered(sentAt: sentAt)
                if let previous = self.lastElected[key], runner.isMeasuring {
                    let deadline = previous + UInt64(o.ttlSeconds) * 1_000_000_000
                    runner.stats.record("failover", nanoseconds: t > deadline ? t - deadline : 0)
                    runner.stats.recordOperation()
                }
                self.lastElected[key] = t
                // Crash: drop the connection without releasing, and rejoin as a fresh candidate.
                connection.close()
                self.candidates[i] = nil
                self.join(i, runner)
            case .success(let r):
                runner.requestFailed("status_\(r.status)")
                runner.after(milliseconds: 100) { self.campaign(i, connection, runner) }
            case .failure(let f):
                runner.requestFailed(f.kind)
            }
        }
    }
}
