// BenchRunner: runs one scenario on one libuv loop in the calling thread, like the server (no threads).
//
// Phases: the driver dials and prepares (setup requests are not measured), then calls `beginMeasuring()`,
// which resets the stats and arms the `--duration` timer; the run ends at that timer, at `--requests`
// answered requests, or when the driver calls `finish()`. Finishing closes every connection (so parked
// requests on the server are cleaned up by its disconnect handling) and stops the loop. A progress line is
// printed once a second while measuring, when asked.
import Glibc
import UV

/// Drives a ScenarioDriver and produces its BenchReport.
package final class BenchRunner {
    package let loop: Loop
    package let options: BenchOptions
    package let stats = BenchStats()
    package let builder: RequestBuilder
    private let sources: [String]
    private var driver: (any ScenarioDriver)?
    private var measureStart: UInt64 = 0
    private var measureEnd: UInt64?
    private var measuring = false
    package private(set) var finished = false
    private var progressTimer: LoopTimer?
    private var durationTimer: LoopTimer?
    private var lastProgress: (at: UInt64, requests: Int, operations: Int) = (0, 0, 0)
    private var dialsInFlight = 0
    private var dialQueue: [(Int, (ClientConnection?) -> Void)] = []
    private var dialQueueStart = 0
    /// Connects started at once; more wait in `dialQueue` so that 100,000 dials do not flood the backlog.
    private let maxDialsInFlight = 256
    /// Why the run failed as a whole (setup impossible), printed instead of a report.
    package private(set) var failure: String?
    /// The prefix of this run's lock and leader names: `--key-prefix` plus a tag of this run. A run stops
    /// with some locks still held (the cycle between acquire and release, a contended lock's holder); under
    /// the same names the next run would wait for their TTLs to expire, which made an occasional round of a
    /// repeated benchmark 5-7x slower.
    package let namePrefix: String

    package init(options: BenchOptions) throws(UVError) {
        loop = try Loop()
        self.options = options
        builder = RequestBuilder(target: options.target)
        sources = options.sourceHosts
        namePrefix = options.keyPrefix + "-" + String(Loop.hrtimeNanoseconds() % 1_000_000_007, radix: 36)
    }

    /// Runs the scenario to its end and returns the report (or nil with `failure` set).
    package func run() -> BenchReport? {
        UV.Process.ignoreSIGPIPE()
        UV.Process.raiseFileDescriptorLimit()
        let driver = makeDriver()
        self.driver = driver
        driver.start(self)
        if !finished { loop.run() }
        _ = loop.close()
        if failure != nil { return nil }
        let end = measureEnd ?? Loop.hrtimeNanoseconds()
        let elapsed = measuring || measureEnd != nil ? Double(end - measureStart) / 1e9 : 0
        return BenchReport(options: options, elapsedSeconds: elapsed, stats: stats)
    }

    private func makeDriver() -> any ScenarioDriver {
        switch options.scenario {
        case .get, .put, .lockCycle, .etcd3LockCycle: return ClosedLoopDriver()
        case .lockContended: return LockContendedDriver()
        case .leader: return LeaderDriver()
        case .watchFanout: return WatchFanoutDriver()
        case .hangingWaiters: return HangingWaitersDriver()
        }
    }

    /// Monotonic nanoseconds.
    package var now: UInt64 { Loop.hrtimeNanoseconds() }

    /// Starts the measured phase: stats reset, duration timer armed, progress line started.
    package func beginMeasuring() {
        guard !finished, !measuring else { return }
        measuring = true
        stats.reset()
        measureStart = now
        lastProgress = (measureStart, 0, 0)
        // hanging-waiters ends when every waiter is parked, however long that takes.
        if let seconds = options.durationSeconds, options.scenario != .hangingWaiters {
            let timer = LoopTimer(loop: loop)
            durationTimer = timer
            timer.start(afterMilliseconds: UInt64(max(1, seconds * 1000)), repeatMilliseconds: 0) { [weak self] in
                self?.finish()
            }
        }
        if options.progress {
            let timer = LoopTimer(loop: loop)
            progressTimer = timer
            timer.start(afterMilliseconds: 1000, repeatMilliseconds: 1000) { [weak self] in self?.printProgress() }
        }
    }

    package var isMeasuring: Bool { measuring && !finished }

    /// Records an answered request; ends the run at `--requests`.
    package func requestAnswered(sentAt: UInt64) {
        guard isMeasuring else { return }
        stats.recordRequest(nanoseconds: now &- sentAt)
        if let limit = options.requests, stats.requests >= limit { finish() }
    }

    /// Records a failed request or a response with an unexpected status.
    package func requestFailed(_ kind: String) {
        if isMeasuring { stats.recordError(kind) }
    }

    /// Ends the run: the driver closes its connections and the loop stops.
    package func finish() {
        guard !finished else { return }
        finished = true
        if measuring { measureEnd = now }
        durationTimer?.close()
        progressTimer?.close()
        if options.progress && measuring { writeStandardError("\r\u{1B}[K") }
        driver?.stop()
        dialQueue.removeAll()
        loop.stop()
    }

    /// Ends the run without a report.
    package func fail(_ why: String) {
        failure = why
        finish()
    }

    /// Dials connection number `index` (its source address is chosen round-robin); nil after a failure,
    /// which is counted as `connect_<ERRNO>`.
    package func dial(_ index: Int, _ completion: @escaping (ClientConnection?) -> Void) {
        guard !finished else { return }
        if dialsInFlight >= maxDialsInFlight {
            dialQueue.append((index, completion))
            return
        }
        dialsInFlight += 1
        let source = sources.isEmpty ? nil : sources[index % sources.count]
        ClientConnection.connect(loop: loop, host: options.target.host, port: options.target.port,
                                 sourceHost: source) { [weak self] result in
            guard let self else { return }
            self.dialsInFlight -= 1
            switch result {
            case .success(let connection):
                if self.finished { connection.close() } else { completion(connection) }
            case .failure(let error):
                if !self.finished {
                    self.stats.recordError("connect_\(error.name)")
                    completion(nil)
                }
            }
            self.dialNext()
        }
    }

    private func dialNext() {
        guard dialQueueStart < dialQueue.count, dialsInFlight < maxDialsInFlight else {
            if dialQueueStart == dialQueue.count {
                dialQueue.removeAll()
                dialQueueStart = 0
            }
            return
        }
        let (index, completion) = dialQueue[dialQueueStart]
        dialQueueStart += 1
        dial(index, completion)
    }

    /// Runs `body` after `milliseconds` on the loop (retries, holds, polling).
    package func after(milliseconds: UInt64, _ body: @escaping () -> Void) {
        guard !finished else { return }
        let timer = LoopTimer(loop: loop)
        timer.start(afterMilliseconds: milliseconds, repeatMilliseconds: 0) { [weak self, timer] in
            timer.close()
            if self?.finished == false { body() }
        }
    }

    private func printProgress() {
        let t = now
        let dt = Double(t - lastProgress.at) / 1e9
        let rate = dt > 0 ? Double(stats.requests - lastProgress.requests) / dt : 0
        let opRate = dt > 0 ? Double(stats.operations - lastProgress.operations) / dt : 0
        lastProgress = (t, stats.requests, stats.operations)
        var line = "[\(format(Double(t - measureStart) / 1e9, 0))s] \(format(rate, 0)) req/s"
        if stats.operations > 0 { line += ", \(format(opRate, 0)) ops/s" }
        line += ", \(stats.requests) requests, \(stats.errorCount) errors"
        if stats.latency.totalCount > 0 {
            line += ", p99 \(format(Double(stats.latency.valueAtPercentile(99)) / 1e6, 3)) ms"
        }
        writeStandardError("\r\u{1B}[K" + line)
    }
}

/// A scenario's connections and logic; the runner owns it for the run.
package protocol ScenarioDriver: AnyObject {
    /// Dials, prepares, then calls `runner.beginMeasuring()`.
    func start(_ runner: BenchRunner)
    /// Closes every connection (the run is over).
    func stop()
}

/// Unbuffered write to fd 2 (the progress line must appear at once, and stdout carries the report).
func writeStandardError(_ text: String) {
    let bytes = Array(text.utf8)
    _ = Glibc.write(STDERR_FILENO, bytes, bytes.count)
}
