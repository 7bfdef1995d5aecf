// Snapshots and recovery from real files: image round trips, replay equals live, snapshot + log, torn-tail
// repair, gaps and damage reported with file and offset.

import Testing
@testable import Persistence
@testable import Store
import UV

/// A live store after a random workload, plus its log split into two segments in `dir`.
private func liveStoreWithLog(in dir: TemporaryDirectory, seed: UInt64, count: Int) -> (Store, [Command]) {
    let store = Store()
    let commands = runRandomWorkload(store, seed: seed, count: count)
    let half = commands.count / 2
    dir.write(DataDirectory.segmentName(firstIndex: 1), segmentBytes(Array(commands[..<half])).bytes)
    dir.write(DataDirectory.segmentName(firstIndex: EtcdIndex(half + 1)),
              segmentBytes(Array(commands[half...]), first: EtcdIndex(half + 1)).bytes)
    return (store, commands)
}

/// Ensure that a snapshot image survives encode → decode → restore: same nodes, indexes, expirations,
/// global index and write counters, and restored TTLs still fire.
@Test func snapshotRoundTrip() throws {
    let store = Store()
    runRandomWorkload(store, seed: 21, count: 500)
    try store.apply(.set(key: "/ttl/x", value: "soon", dir: false, expiration: t0.adding(seconds: 1)), now: t0)
    let image = store.image()
    let decoded = try SnapshotCodec.decode(SnapshotCodec.encode(image), file: "snap")
    #expect(decoded == image)
    let restored = Store()
    try restored.restore(decoded, now: t0)
    #expect(fingerprint(restored) == fingerprint(store))
    #expect(restored.keysWithTTL == store.keysWithTTL)
    let expired = restored.expire(upTo: t0.adding(seconds: 2))
    #expect(expired.contains { $0.node.key == "/ttl/x" })
    #expect(restored.index > image.index)
}

/// Ensure that replaying the log into a fresh store reproduces the live store exactly (tree, indexes,
/// expirations, counters).
@Test func replayEqualsLive() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let (live, commands) = liveStoreWithLog(in: dir, seed: 22, count: 2000)
    let replayed = Store()
    let result = try Recovery.recover(dir.directory, into: replayed, now: t0, repair: true)
    #expect(result.recordsReplayed == commands.count)
    #expect(result.lastIndex == live.index)
    #expect(fingerprint(replayed) == fingerprint(live))
}

/// Ensure that a snapshot written by the background job plus the log after it recovers the same store, and
/// that the job removes only what the previous snapshot no longer needs.
@Test func snapshotPlusLogEqualsLive() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let (live, commands) = liveStoreWithLog(in: dir, seed: 23, count: 1500)
    let half = commands.count / 2
    let segments = [RecoveryResult.Segment(firstIndex: 1, name: DataDirectory.segmentName(firstIndex: 1),
                                           length: dir.read(DataDirectory.segmentName(firstIndex: 1)).count)]
    // Snapshot of the first segment only (what the loop hands over before rolling).
    let first = SnapshotWriter.run(SnapshotPlan(directory: dir.directory, baseSnapshot: nil, segments: segments,
                                                targetIndex: EtcdIndex(half), existingSnapshots: [], now: t0))
    #expect(first.error == nil)
    #expect(first.removedSegments.isEmpty)
    #expect(dir.names().contains(DataDirectory.snapshotName(index: EtcdIndex(half))))
    let recovered = Store()
    let result = try Recovery.recover(dir.directory, into: recovered, now: t0, repair: true)
    #expect(result.snapshotIndex == EtcdIndex(half))
    #expect(result.recordsReplayed == commands.count - half)
    #expect(fingerprint(recovered) == fingerprint(live))
}

/// Ensure that a damaged newest snapshot is skipped (with a warning) for the log, never trusted.
@Test func damagedSnapshotFallsBack() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let (live, _) = liveStoreWithLog(in: dir, seed: 24, count: 300)
    var bytes = SnapshotCodec.encode(live.image())
    bytes[bytes.count / 2] ^= 1
    dir.write(DataDirectory.snapshotName(index: live.index), bytes)
    let recovered = Store()
    let result = try Recovery.recover(dir.directory, into: recovered, now: t0, repair: true)
    #expect(result.snapshotIndex == nil)
    #expect(result.warnings.count == 1 && result.warnings[0].contains("checksum"))
    #expect(fingerprint(recovered) == fingerprint(live))
}

/// Ensure that a snapshot with a valid checksum whose tree breaks off midway (decoded straight into the
/// store) is skipped for the log and leaves no half-restored nodes behind.
@Test func inconsistentSnapshotLeavesNoHalfTree() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let (live, _) = liveStoreWithLog(in: dir, seed: 25, count: 300)
    var image = live.image()
    image.entries.removeLast(image.entries.count / 2)
    dir.write(DataDirectory.snapshotName(index: live.index), SnapshotCodec.encode(image))
    let recovered = Store()
    let result = try Recovery.recover(dir.directory, into: recovered, now: t0, repair: true)
    #expect(result.snapshotIndex == nil)
    #expect(result.warnings.count == 1 && result.warnings[0].contains("inconsistent snapshot"))
    #expect(fingerprint(recovered) == fingerprint(live))
}

/// Ensure that recovery discards a torn last record, cuts it off the file, and continues the index after
/// the last whole record.
@Test func recoveryRepairsTornTail() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let commands: [Command] = (0..<5).map { .set(key: "/k\($0)", value: "v", dir: false, expiration: nil) }
    let (bytes, offsets) = segmentBytes(commands)
    let name = DataDirectory.segmentName(firstIndex: 1)
    dir.write(name, Array(bytes[0..<(offsets[4] + 7)]))
    let store = Store()
    let result = try Recovery.recover(dir.directory, into: store, now: t0, repair: true)
    #expect(store.index == 4)
    #expect(result.tornTail?.offset == offsets[4])
    #expect(dir.read(name).count == offsets[4])
}

/// Ensure that a record in the middle of the log that fails its checksum stops recovery with the file and
/// offset, and so does a gap in the indexes.
@Test func damageAndGapsStopRecovery() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let commands: [Command] = (0..<5).map { .set(key: "/k\($0)", value: "v", dir: false, expiration: nil) }
    var (bytes, offsets) = segmentBytes(commands)
    bytes[offsets[2] + 14] ^= 0xFF
    let name = DataDirectory.segmentName(firstIndex: 1)
    dir.write(name, bytes)
    #expect {
        try Recovery.recover(dir.directory, into: Store(), now: t0, repair: true)
    } throws: { error in
        (error as? PersistenceError)?.description == "\(dir.path)/\(name) at offset \(offsets[2]): record checksum mismatch (damaged log)"
    }
    dir.write(name, segmentBytes(commands, first: 2).bytes)
    #expect {
        try Recovery.recover(dir.directory, into: Store(), now: t0, repair: true)
    } throws: { error in
        (error as? PersistenceError)?.description.contains("expected 1 (a gap in the log)") == true
    }
}
