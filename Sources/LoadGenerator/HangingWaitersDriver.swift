// HangingWaitersDriver: one connection takes the lock `<prefix>-hang`, then `--connections` others POST to
// it and stay parked. The server's resident memory is read before the waiters connect and once all of them
// are parked (Baton's `/metrics`: `baton_lock_waiters` and `baton_resident_memory_bytes`; with
// `--server-pid`, /proc/<pid>/status instead and a fixed settle time), and the growth divided by the
// number of waiters is the memory one parked waiter costs: its socket, connection, parsed request, queue
// entry and parked-request record. Closing the connections at the end removes the entries again.
// RSS only grows when the allocator takes fresh pages, so the figure is meaningful on a fresh server.

/// The hanging-waiters scenario.
final class HangingWaitersDriver: ScenarioDriver {
    private weak var runner: BenchRunner?
    private var probe: ClientConnection?
    private var holder: ClientConnection?
    private var waiters: [ClientConnection] = []
    /// Waiters answered (refused, say) instead of parked; they are not waited for.
    private var refused = 0
    private var dialFailures = 0
    private var rssBefore: Double = 0
    private var waitersBefore: Double = 0
    private var startedAt: UInt64 = 0

    func start(_ runner: BenchRunner) {
        self.runner = runner
        let n = runner.options.connections
        runner.dial(n + 1) { [weak self] probe in
            guard let self else { return }
            guard let probe else { return runner.fail("cannot connect to the target") }
            self.probe = probe
            runner.dial(n) { holder in
                guard let holder else { return runner.fail("cannot connect to the target") }
                self.holder = holder
                let path = "/mod/v2/lock/\(runner.namePrefix)-hang"
                holder.send(runner.builder.make("POST", "\(path)?ttl=3600")) { result in
                    guard case .success(let r) = result, r.status == 200 else {
                        return runner.fail("could not take the lock \(path)")
                    }
                    self.readMemory(runner) { rss, waiting in
                        self.rssBefore = rss
                        self.waitersBefore = waiting
                        runner.stats.setFigure("server_rss_before_bytes", rss)
                        runner.beginMeasuring()
                        self.startedAt = runner.now
                        self.park(path, runner)
                    }
                }
            }
        }
    }

    func stop() {
        for w in waiters { w.close() }
        holder?.close()
        probe?.close()
    }

    private func park(_ path: String, _ runner: BenchRunner) {
        let request = runner.builder.make("POST", "\(path)?ttl=60")
        for i in 0..<runner.options.connections {
            runner.dial(i) { [weak self] connection in
                guard let self else { return }
                guard let connection else {
                    self.dialFailures += 1
                    self.refused += 1
                    return
                }
                self.waiters.append(connection)
                connection.send(request) { result in
                    // A waiter is never answered while the holder holds; any answer is an error.
                    switch result {
                    case .success(let r): runner.requestFailed("answered_\(r.status)")
                    case .failure(let f): runner.requestFailed(f.kind)
                    }
                    if !runner.finished { self.refused += 1 }
                }
            }
        }
        poll(runner, deadline: runner.now + 120_000_000_000)
    }

    /// Polls until every waiter is parked on the server, then records the memory figures and finishes.
    private func poll(_ runner: BenchRunner, deadline: UInt64) {
        runner.after(milliseconds: 100) { [weak self] in
            guard let self else { return }
            let n = Double(runner.options.connections - self.refused)
            self.readMemory(runner) { rss, waiting in
                let parked = waiting - self.waitersBefore
                let settled = runner.options.serverPID != nil
                    ? self.waiters.count == runner.options.connections && runner.now - self.startedAt > 2_000_000_000
                    : parked >= n && self.waiters.count + self.dialFailures >= runner.options.connections
                if settled || runner.now > deadline {
                    let count = settled && runner.options.serverPID != nil ? n : parked
                    runner.stats.setFigure("waiters_parked", count)
                    runner.stats.setFigure("server_rss_after_bytes", rss)
                    runner.stats.setFigure("bytes_per_waiter", count > 0 ? (rss - self.rssBefore) / count : 0)
                    runner.stats.setFigure("seconds_to_park_all", Double(runner.now - self.startedAt) / 1e9)
                    for _ in 0..<Int(count) { runner.stats.recordOperation() }
                    runner.finish()
                } else {
                    self.poll(runner, deadline: deadline)
                }
            }
        }
    }

    /// (resident bytes, lock waiters parked) now.
    private func readMemory(_ runner: BenchRunner, _ completion: @escaping (Double, Double) -> Void) {
        if let pid = runner.options.serverPID {
            return completion(MetricsProbe.residentBytes(pid: pid) ?? 0, 0)
        }
        guard let probe else { return }
        MetricsProbe.read(probe, runner) { samples in
            guard let samples, let rss = samples["baton_resident_memory_bytes"] else {
                return runner.fail("the target has no Baton /metrics; pass --server-pid to read /proc")
            }
            completion(rss, samples["baton_lock_waiters"] ?? 0)
        }
    }
}
