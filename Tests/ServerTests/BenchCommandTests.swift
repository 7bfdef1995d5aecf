// Black-box tests of `baton bench` (issue 6): the real binary loads a real server and its summary is read
// back as JSON. Runs are short (a few hundred requests) so the suite stays fast.
import Foundation
import Testing

/// Runs `baton bench <arguments> --json` and returns its parsed summary.
private func bench(_ arguments: [String]) throws -> [String: Any] {
    let process = Process()
    process.executableURL = BatonProcess.binaryURL
    process.arguments = ["bench"] + arguments + ["--json", "--no-progress"]
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0,
          let json = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
        throw BatonTestError("bench failed (\(process.terminationStatus)): \(String(decoding: data, as: UTF8.self))")
    }
    return json
}

/// Ensure that the lock-cycle scenario completes acquire+release cycles against Baton without errors.
@Test func benchLockCycleRunsAgainstBaton() throws {
    let server = try BatonProcess()
    defer { server.stop() }
    let r = try bench(["--target", "http://127.0.0.1:\(server.port)", "-s", "lock-cycle", "-c", "4", "-n", "200"])
    #expect(r["requests"] as? Int == 200)
    #expect((r["operations"] as? Int ?? 0) >= 96)  // up to one cycle per connection can be cut off by -n
    #expect((r["errors"] as? [String: Any])?.isEmpty == true)
    let acquisitions = try server.request("GET", "/metrics").text
    #expect(acquisitions.contains("baton_lock_acquisitions_total"))
}

/// Ensure that lock-contended measures hand-offs and sees no two holders of one lock.
@Test func benchLockContendedMeasuresHandoff() throws {
    let server = try BatonProcess()
    defer { server.stop() }
    let r = try bench(["--target", "http://127.0.0.1:\(server.port)", "-s", "lock-contended", "-c", "10", "-n", "300"])
    #expect((r["errors"] as? [String: Any])?.isEmpty == true)
    let handoff = r["handoff_ms"] as? [String: Any]
    #expect((handoff?["count"] as? Int ?? 0) > 50)
}

/// Ensure that get works against a plain path (any HTTP server) and that hanging-waiters reports memory.
@Test func benchGetPathAndHangingWaiters() throws {
    let server = try BatonProcess()
    defer { server.stop() }
    let get = try bench(["--target", "http://127.0.0.1:\(server.port)/health", "-s", "get", "-c", "2", "-n", "100"])
    #expect(get["requests"] as? Int == 100)
    let hang = try bench(["--target", "http://127.0.0.1:\(server.port)", "-s", "hanging-waiters", "-c", "50"])
    #expect(hang["waiters_parked"] as? Double == 50)
    #expect(hang["bytes_per_waiter"] != nil)
    // Every waiter disconnected at the end of the run, so its entry goes (the server may still be reading
    // the last EOFs when bench exits, hence the short poll).
    var drained = false
    for _ in 0..<100 where !drained {
        drained = try server.request("GET", "/metrics").text.contains("baton_lock_waiters 0\n")
        if !drained { usleep(20_000) }
    }
    #expect(drained)
}

/// Ensure that every watcher of watch-fanout is answered by each round's one write.
@Test func benchWatchFanoutAnswersEveryWatcher() throws {
    let server = try BatonProcess()
    defer { server.stop() }
    let r = try bench(["--target", "http://127.0.0.1:\(server.port)", "-s", "watch-fanout", "-c", "20", "--rounds", "2"])
    #expect(r["operations"] as? Int == 2)
    #expect((r["fanout_each_ms"] as? [String: Any])?["count"] as? Int == 40)
}
