// `baton bench`: the built-in load generator (SPEC §8). Parses and validates the flags into BenchOptions,
// runs the scenario on one libuv loop in this thread (LoadGenerator), and prints the summary — text, or one
// JSON object with `--json`. A live progress line goes to stderr while it runs, on a terminal only.

import ArgumentParser
import Foundation
import LoadGenerator

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Load-test Baton (or any HTTP server, scenario get).",
        discussion: "Scenarios:\n" + Scenario.allCases.map { "  \($0.rawValue): \($0.summary)" }.joined(separator: "\n"))

    @Option(name: both("target"), help: "Server URL, http://host:port[/path] (IP literal or localhost).")
    var target = "http://127.0.0.1:4001"
    @Option(name: [.customShort("s"), .customLong("scenario", withSingleDash: true), .customLong("scenario")],
            help: "Workload: \(Scenario.allCases.map(\.rawValue).joined(separator: ", ")).")
    var scenario = "get"
    @Option(name: [.customShort("c"), .customLong("connections", withSingleDash: true), .customLong("connections")],
            help: "Concurrent connections (watchers, waiters or candidates in those scenarios).")
    var connections = 50
    @Option(name: [.customShort("d"), .customLong("duration", withSingleDash: true), .customLong("duration")],
            help: "Measured time: 10s, 500ms, 1m or seconds (default 10s; leader 5s).")
    var duration: String?
    @Option(name: [.customShort("n"), .customLong("requests", withSingleDash: true), .customLong("requests")],
            help: "Stop after this many answered requests (then no default duration).")
    var requests: Int?
    @Option(name: both("pipeline"), help: "Requests in flight per connection (get, put).")
    var pipeline = 1
    @Option(name: both("keys"), help: "Locks (lock-contended) or leader keys (leader) shared by the connections.")
    var keys = 1
    @Option(name: both("ttl"), help: "TTL in seconds of lock entries and leader keys (default 60; leader 1).")
    var ttl: Int?
    @Option(name: both("hold-ms"), help: "lock-contended: milliseconds a holder keeps the lock.")
    var holdMs = 0
    @Option(name: both("rounds"), help: "watch-fanout: write rounds.")
    var rounds = 5
    @Option(name: both("source-addresses"),
            help: "Source addresses 127.0.0.1..N to spread connections over (default: one per 20,000 connections).")
    var sourceAddresses: Int?
    @Option(name: both("server-pid"), help: "hanging-waiters: read the server's RSS from /proc/<pid> instead of /metrics.")
    var serverPid: Int32?
    @Option(name: both("key-prefix"), help: "Prefix of every key the benchmark touches (lock and leader names also get a per-run tag).")
    var keyPrefix = "baton-bench"
    @Flag(name: both("json"), help: "Print the summary as one JSON object.")
    var json = false
    @Flag(name: both("no-progress"), help: "No live progress line, even on a terminal.")
    var noProgress = false

    func run() throws {
        guard let url = BenchTarget(url: target) else { fail("invalid --target \"\(target)\": want http://host:port[/path]") }
        guard let kind = Scenario(rawValue: scenario) else {
            fail("unknown --scenario \"\(scenario)\"; one of \(Scenario.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard connections > 0, pipeline > 0, keys > 0, rounds > 0, holdMs >= 0 else {
            fail("--connections, --pipeline, --keys and --rounds must be positive")
        }
        var options = BenchOptions(target: url, scenario: kind)
        options.connections = connections
        options.pipeline = pipeline
        options.keys = keys
        options.ttlSeconds = ttl ?? (kind == .leader ? 1 : 60)
        guard options.ttlSeconds > 0 else { fail("--ttl must be positive") }
        options.holdMilliseconds = holdMs
        options.rounds = rounds
        options.sourceAddresses = sourceAddresses
        options.serverPID = serverPid
        options.keyPrefix = keyPrefix
        options.requests = requests
        if let duration {
            guard let seconds = Self.seconds(duration), seconds > 0 else { fail("invalid --duration \"\(duration)\"") }
            options.durationSeconds = seconds
        } else if requests != nil || kind == .watchFanout {
            options.durationSeconds = nil
        } else {
            options.durationSeconds = kind == .leader ? 5 : 10
        }
        options.progress = !noProgress && isatty(STDERR_FILENO) != 0
        let runner: BenchRunner
        do { runner = try BenchRunner(options: options) } catch { fail(error.description) }
        guard let report = runner.run() else { fail(runner.failure ?? "the benchmark failed") }
        print(json ? report.json : report.text)
    }

    /// "10s", "500ms", "2m", "1.5" (seconds).
    static func seconds(_ text: String) -> Double? {
        if text.hasSuffix("ms") { return Double(text.dropLast(2)).map { $0 / 1000 } }
        if text.hasSuffix("s") { return Double(text.dropLast()) }
        if text.hasSuffix("m") { return Double(text.dropLast()).map { $0 * 60 } }
        return Double(text)
    }
}
