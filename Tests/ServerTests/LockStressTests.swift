// A shortened run of the lock torture test (Tests/Stress/lock_stress.py): 200 clients, 10 locks, 6 s of random
// TTL expiries, disconnects, joins and timeouts, checked against a stream watch of the lock tree. The full
// acceptance run (1,000 clients, 60 s) is the same script with its defaults; see README.

import Foundation
import Testing

@Suite struct LockStressTests {
    /// Ensure that under contention there are never two holders, FIFO holds, and nothing is left hanging.
    @Test func contentionKeepsMutualExclusionAndFIFO() throws {
        let baton = try BatonProcess()
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Stress/lock_stress.py")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", script.path, "--port", "\(baton.port)", "--clients", "200", "--duration", "6", "--seed", "7"]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "\(text)")
        #expect(text.contains("RESULT: ok"), "\(text)")
    }
}
