// WatchFanoutDriver: `--connections` watchers each park `GET /v2/keys/<prefix>/fanout?wait=true`; once the
// server reports them all registered (`baton_watchers` in /metrics, or after 1 s on a server without it),
// one writer PUTs the key. Every watcher's answer is timed from the moment the PUT was written
// (`fanout_each`), and the round's figure is the time until the last watcher was answered (`fanout_all`).
// Rounds repeat (`--rounds`, bounded by `--duration`); each round is one operation.

/// The watch fan-out scenario.
final class WatchFanoutDriver: ScenarioDriver {
    private weak var runner: BenchRunner?
    private var watchers: [ClientConnection?] = []
    private var writer: ClientConnection?
    private var probe: ClientConnection?
    private var dialled = 0
    private var round = 0
    private var answered = 0
    private var writtenAt: UInt64 = 0
    private var watchersBefore: Double = 0
    private var hasMetrics = true

    func start(_ runner: BenchRunner) {
        self.runner = runner
        let n = runner.options.connections
        watchers = Array(repeating: nil, count: n)
        runner.dial(n) { [weak self] writer in
            guard let self else { return }
            guard let writer else { return runner.fail("cannot connect to the target") }
            self.writer = writer
            runner.dial(n + 1) { probe in
                guard let probe else { return runner.fail("cannot connect to the target") }
                self.probe = probe
                MetricsProbe.read(probe, runner) { samples in
                    self.hasMetrics = samples?["baton_watchers"] != nil
                    self.watchersBefore = samples?["baton_watchers"] ?? 0
                    for i in 0..<n { self.dialWatcher(i, runner) }
                }
            }
        }
    }

    func stop() {
        for w in watchers { w?.close() }
        writer?.close()
        probe?.close()
    }

    private var path: String { "/v2/keys/\(runner?.options.keyPrefix ?? "baton-bench")/fanout" }

    private func dialWatcher(_ i: Int, _ runner: BenchRunner) {
        runner.dial(i) { [weak self] connection in
            guard let self else { return }
            guard let connection else { return runner.fail("cannot open watcher connection \(i)") }
            self.watchers[i] = connection
            self.dialled += 1
            if self.dialled == self.watchers.count {
                runner.beginMeasuring()
                self.startRound(runner)
            }
        }
    }

    private func startRound(_ runner: BenchRunner) {
        guard !runner.finished else { return }
        round += 1
        answered = 0
        writtenAt = 0
        let request = runner.builder.make("GET", "\(path)?wait=true")
        for (i, w) in watchers.enumerated() {
            guard let w else { continue }
            w.send(request) { [weak self] result in
                guard let self else { return }
                switch result {
                case .success(let r) where r.status == 200:
                    self.watcherAnswered(runner)
                case .success(let r):
                    // Refused (503 over the server's -max-connections, say): this watcher is out of the run.
                    runner.requestFailed("status_\(r.status)")
                    w.close()
                    self.watchers[i] = nil
                    self.watcherAnswered(runner)
                case .failure(let f):
                    runner.requestFailed(f.kind)
                    self.watchers[i] = nil
                    self.watcherAnswered(runner)
                }
            }
        }
        waitUntilParked(runner, since: runner.now)
    }

    private func waitUntilParked(_ runner: BenchRunner, since: UInt64) {
        runner.after(milliseconds: hasMetrics ? 20 : 1000) { [weak self] in
            guard let self, let probe = self.probe else { return }
            guard self.hasMetrics else { return self.write(runner) }
            MetricsProbe.read(probe, runner) { samples in
                let parked = (samples?["baton_watchers"] ?? 0) - self.watchersBefore
                let live = Double(self.watchers.lazy.compactMap { $0 }.count)
                if parked >= live || runner.now - since > 30_000_000_000 {
                    self.write(runner)
                } else {
                    self.waitUntilParked(runner, since: since)
                }
            }
        }
    }

    private func write(_ runner: BenchRunner) {
        guard let writer, !runner.finished else { return }
        writtenAt = runner.now
        let sentAt = writtenAt
        writer.send(runner.builder.make("PUT", path, body: "value=round-\(round)")) { result in
            switch result {
            case .success(let r) where r.status / 100 == 2: runner.requestAnswered(sentAt: sentAt)
            case .success(let r): runner.requestFailed("status_\(r.status)")
            case .failure(let f): runner.requestFailed(f.kind)
            }
        }
    }

    private func watcherAnswered(_ runner: BenchRunner) {
        guard !runner.finished else { return }
        answered += 1
        let t = runner.now
        if writtenAt > 0 {
            runner.stats.record("fanout_each", nanoseconds: t - writtenAt)
        }
        guard answered == watchers.count else { return }
        if writtenAt > 0 {
            runner.stats.record("fanout_all", nanoseconds: t - writtenAt)
            runner.stats.recordOperation()
        }
        if round >= runner.options.rounds {
            runner.finish()
        } else {
            runner.after(milliseconds: 50) { self.startRound(runner) }
        }
    }
}
