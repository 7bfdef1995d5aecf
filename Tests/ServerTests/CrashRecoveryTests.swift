// Durability against the real binary (SPEC §9, issue 7): `kill -9` at random moments under a write load,
// then restart and check that every acknowledged write is there and nothing unacknowledged is half-applied;
// TTLs keep running across a restart; waiting lock entries of the dead process are removed, holders kept;
// a damaged log stops start-up naming file and offset; a full disk refuses writes but keeps reads.
// BATON_CRASH_ITERATIONS / BATON_CRASH_SEED override the default 50 rounds with seed 7 (Tests/crash-soak.sh).

import TestSupport
import Foundation
import Testing

@Suite struct CrashRecoveryTests {
    /// Ensure that kill -9 at random moments under a write load (with snapshots every 25 commands, so
    /// crashes also hit snapshot writing and segment removal) never loses an acknowledged write, never
    /// shows a value that was not sent whole, and the index never goes back.
    @Test func killNineUnderLoadKeepsEveryAcknowledgedWrite() throws {
        let env = ProcessInfo.processInfo.environment
        let rounds = Int(env["BATON_CRASH_ITERATIONS"] ?? "") ?? 50
        var random = SplitMix64(seed: UInt64(env["BATON_CRASH_SEED"] ?? "") ?? 7)
        let dir = TemporaryDataDirectory()
        defer { dir.remove() }
        let ledger = CrashLedger()
        for round in 0..<rounds {
            let baton = try BatonProcess(["-data-dir", dir.path, "-snapshot-count", "25"])
            try CrashLoad.verify(baton, ledger, context: "round \(round)")
            let load = CrashLoad.start(port: baton.port, round: round, writers: 3, ledger: ledger)
            usleep(UInt32(random.next(in: 2...40) * 1000))
            baton.stop(signal: SIGKILL)
            load.wait()
        }
        let baton = try BatonProcess(["-data-dir", dir.path])
        try CrashLoad.verify(baton, ledger, context: "final")
        #expect(ledger.unexpected.isEmpty, "\(ledger.unexpected.prefix(5))")
        #expect(ledger.acknowledged.count > rounds, "the load hardly wrote anything")
        #expect(dir.files().contains { $0.hasPrefix("snap-") }, "no snapshot was written")
    }

    /// Ensure that a TTL is an absolute deadline that keeps running across a crash: the key comes back with
    /// the same expiration and then expires on time.
    @Test func ttlKeepsRunningAcrossRestart() throws {
        let dir = TemporaryDataDirectory()
        defer { dir.remove() }
        var baton = try BatonProcess(["-data-dir", dir.path])
        let put = try baton.request("PUT", "/v2/keys/lease?ttl=2", body: "value=x")
        let expiration = (put.json["node"] as? [String: Any])?["expiration"] as? String
        #expect(put.status == 201 && expiration != nil)
        baton.stop(signal: SIGKILL)
        baton = try BatonProcess(["-data-dir", dir.path])
        let after = try baton.request("GET", "/v2/keys/lease")
        let node = after.json["node"] as? [String: Any]
        #expect(after.status == 200)
        #expect(node?["expiration"] as? String == expiration)
        #expect((node?["ttl"] as? Int ?? 99) <= 2)
        usleep(2_300_000)
        #expect(try baton.request("GET", "/v2/keys/lease").status == 404)
    }

    /// Ensure that after a crash the lock holder keeps its lock and fencing index, the entry of a request
    /// that was waiting is removed, and the index continues after the old one.
    @Test func recoveryKeepsHoldersAndDropsWaiters() throws {
        let dir = TemporaryDataDirectory()
        defer { dir.remove() }
        var baton = try BatonProcess(["-data-dir", dir.path])
        let holder = try baton.request("POST", "/mod/v2/lock/job?ttl=30&value=a")
        #expect(holder.status == 200)
        let waiter = try baton.client()
        try waiter.sendRequest("POST", "/mod/v2/lock/job?ttl=30&value=b")
        var listing = try CrashLoad.files(baton, "/_etcd/mod/lock/job")
        for _ in 0..<100 where listing.files.count < 2 {
            usleep(10_000)
            listing = try CrashLoad.files(baton, "/_etcd/mod/lock/job")
        }
        #expect(listing.files.count == 2)
        baton.stop(signal: SIGKILL)
        waiter.close()
        baton = try BatonProcess(["-data-dir", dir.path])
        #expect(try baton.request("GET", "/mod/v2/lock/job?field=index").text == holder.text)
        #expect(try baton.request("GET", "/mod/v2/lock/job").text == "a")
        let recovered = try CrashLoad.files(baton, "/_etcd/mod/lock/job")
        #expect(Array(recovered.files.values) == ["a"])
        #expect(recovered.index > listing.index)
    }

    /// Ensure that a flipped byte in the middle of the log stops start-up with one clear line naming the
    /// file and the offset of the damaged record, instead of starting with data silently missing.
    @Test func damagedLogStopsStartup() throws {
        let dir = TemporaryDataDirectory()
        defer { dir.remove() }
        let baton = try BatonProcess(["-data-dir", dir.path])
        for i in 0..<20 { _ = try baton.request("PUT", "/v2/keys/k\(i)", body: "value=\(i)") }
        #expect(baton.stop().status == 0)
        let segment = try #require(dir.files().first { $0.hasPrefix("wal-") })
        let url = URL(fileURLWithPath: dir.path + "/" + segment)
        var bytes = try Data(contentsOf: url)
        bytes[bytes.count / 2] ^= 0x01
        try bytes.write(to: url)
        do {
            _ = try BatonProcess(["-data-dir", dir.path])
            Issue.record("the server started on a damaged log")
        } catch {
            let text = "\(error)"
            #expect(text.contains("\(segment) at offset "), "\(text)")
            #expect(text.contains("checksum mismatch"), "\(text)")
        }
    }

    /// Ensure that a log cut short inside its last record (a torn append) starts, keeps every whole record
    /// and says what it discarded.
    @Test func tornLastRecordIsDiscarded() throws {
        let dir = TemporaryDataDirectory()
        defer { dir.remove() }
        var baton = try BatonProcess(["-data-dir", dir.path])
        for i in 0..<10 { _ = try baton.request("PUT", "/v2/keys/k\(i)", body: "value=\(i)") }
        baton.stop()
        let segment = try #require(dir.files().last { $0.hasPrefix("wal-") })
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: dir.path + "/" + segment))
        try handle.truncate(atOffset: try handle.seekToEnd() - 5)
        try handle.close()
        baton = try BatonProcess(["-data-dir", dir.path])
        #expect(baton.log.contains("discarded a torn log tail"))
        let files = try CrashLoad.files(baton, "/").files
        #expect((0..<9).allSatisfy { files["/k\($0)"] == String($0) })
    }

    /// Ensure that when the log cannot be written (an injected ENOSPC after a few KB), writes get a 500 with
    /// error 300 naming the failure, reads keep working, and nothing acknowledged is lost after a crash.
    @Test func fullDiskRefusesWritesKeepsReads() throws {
        let dir = TemporaryDataDirectory()
        defer { dir.remove() }
        var baton = try BatonProcess(["-data-dir", dir.path, "-fail-writes-after", "3000"])
        var acknowledged: [Int] = []
        var refusal: HTTPTestResponse?
        for i in 0..<200 {
            let r = try baton.request("PUT", "/v2/keys/full/k\(i)", body: "value=\(i)")
            if r.status == 201 { acknowledged.append(i); continue }
            refusal = r
            break
        }
        let refused = try #require(refusal)
        #expect(refused.status == 500)
        #expect(refused.json["errorCode"] as? Int == 300)
        #expect((refused.json["cause"] as? String ?? "").contains("ENOSPC"))
        #expect(acknowledged.count > 5)
        let again = try baton.request("PUT", "/v2/keys/full/more", body: "value=x")
        #expect(again.status == 500 && again.json["errorCode"] as? Int == 300)
        let read = try baton.request("GET", "/v2/keys/full/k0")
        #expect(read.status == 200)
        baton.stop(signal: SIGKILL)
        baton = try BatonProcess(["-data-dir", dir.path])
        let files = try CrashLoad.files(baton, "/full").files
        for i in acknowledged { #expect(files["/full/k\(i)"] == String(i), "acknowledged k\(i) lost") }
    }

    /// Ensure that snapshots replace old segments and that a restart from snapshot + log, with -sync=none and
    /// a clean shutdown (final flush), has every write.
    @Test func snapshotsAndSyncNoneSurviveRestart() throws {
        let dir = TemporaryDataDirectory()
        defer { dir.remove() }
        var baton = try BatonProcess(["-data-dir", dir.path, "-snapshot-count", "10"])
        for i in 0..<100 { _ = try baton.request("PUT", "/v2/keys/s/k\(i)", body: "value=\(i)") }
        #expect(baton.stop().status == 0)
        let files = dir.files()
        // Two snapshots are kept; a job still running at shutdown is abandoned (the log has every write) and
        // may have renamed its file before removing the oldest, which the next snapshot then removes. A
        // loaded machine makes that likely: allow the one extra file only when the log says so.
        let abandoned = baton.log.contains("a snapshot job was still running")
        let snapshots = files.filter { $0.hasPrefix("snap-") }.count
        #expect(snapshots >= 1 && snapshots <= (abandoned ? 3 : 2), "\(files)")
        #expect(files.filter { $0.hasPrefix("wal-") }.count < (abandoned ? 7 : 6), "\(files)")
        baton = try BatonProcess(["-data-dir", dir.path])
        #expect(baton.log.contains("from snapshot"))
        let keys = try CrashLoad.files(baton, "/s").files
        #expect((0..<100).allSatisfy { keys["/s/k\($0)"] == String($0) })
    }
}
