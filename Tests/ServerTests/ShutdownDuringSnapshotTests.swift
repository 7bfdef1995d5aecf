// Shutdown budget (issue 7 follow-up): SIGTERM while a snapshot job runs on a big tree must not wait for the
// job — exit 0 within 2 s — and a restart must recover every acknowledged write from the log.

import Foundation
import Testing

@Suite struct ShutdownDuringSnapshotTests {
    /// Ensure that SIGTERM during a snapshot of a 400,000-key tree exits 0 within 2 s without waiting for
    /// the job, and that a restart recovers the tree and every acknowledged write.
    @Test func sigtermDuringSnapshotExitsWithinBudget() throws {
        let dir = TemporaryDataDirectory()
        defer { dir.remove() }
        let count = 400_000
        let base = try SnapshotFileBuilder.writeBigTree(in: dir.path, count: count)
        // -snapshot-count 3: the member record plus two PUTs start a job that rebuilds the whole tree.
        var baton = try BatonProcess(["-data-dir", dir.path, "-snapshot-count", "3"])
        #expect(baton.log.contains("recovered index \(base) from snapshot \(base)"))
        for i in 0..<5 {
            let r = try baton.request("PUT", "/v2/keys/acked/k\(i)", body: "value=\(i)")
            #expect(r.status == 201)
        }
        let stop = baton.stop()
        #expect(stop.status == 0)
        #expect(stop.seconds < 2, "shutdown took \(stop.seconds) s")
        #expect(baton.log.contains("snapshot job was still running"), "the job had finished: \(baton.log)")

        baton = try BatonProcess(["-data-dir", dir.path])
        #expect(!dir.files().contains { $0.hasSuffix(".tmp") }, "\(dir.files())")
        let acked = try CrashLoad.files(baton, "/acked")
        #expect(acked.files == Dictionary(uniqueKeysWithValues: (0..<5).map { ("/acked/k\($0)", String($0)) }))
        #expect(acked.index >= base + 6)
        let last = try baton.request("GET", "/v2/keys/big/k\(count - 1)")
        #expect(last.status == 200 && last.text.contains("\"value\":\"v\(count - 1)\""))
        #expect(baton.stop().status == 0)
    }
}
