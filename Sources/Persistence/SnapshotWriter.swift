// The snapshot job, run by BackgroundWork on libuv's thread pool so the loop never waits for it.
//
// It does not look at the live store at all: it rebuilds a private copy of the tree at `targetIndex` from
// the files — the previous snapshot plus the log records up to `targetIndex`, whose bytes the loop has
// already written and will never change (the plan gives each segment's length as of the hand-over) — then
// writes `snap-<targetIndex>.bin` as temp file → fsync → rename → directory fsync. The live store stays
// on the loop thread, the job shares nothing mutable with it, and every snapshot doubles as a check that
// the log replays. Afterwards it removes what is no longer needed: snapshots older than the two newest
// and the segments wholly covered by the older of those two (kept so a damaged newest snapshot still has
// a fallback).

import Store
import UV

/// Everything the job needs, as immutable values.
package struct SnapshotPlan: Sendable {
    package var directory: DataDirectory
    /// The newest snapshot the loop knows of (the job starts from it), if any.
    package var baseSnapshot: (index: EtcdIndex, name: String)?
    /// Segments in order with the bytes already written to each.
    package var segments: [RecoveryResult.Segment]
    package var targetIndex: EtcdIndex
    /// Snapshots on disk, ascending, before this one.
    package var existingSnapshots: [EtcdIndex]
    package var now: Timestamp
}

/// What the job did.
package struct SnapshotOutcome: Sendable {
    package var index: EtcdIndex
    package var bytes = 0
    package var nodes = 0
    package var removedSegments: [String] = []
    package var removedSnapshots: [EtcdIndex] = []
    package var error: String?
}

/// Builds and writes one snapshot; see the file header.
package enum SnapshotWriter {
    package static func run(_ plan: SnapshotPlan) -> SnapshotOutcome {
        var outcome = SnapshotOutcome(index: plan.targetIndex)
        do throws(PersistenceError) {
            let store = Store(historyCapacity: 1)
            var result = RecoveryResult()
            if let base = plan.baseSnapshot {
                let path = plan.directory.file(base.name)
                try SnapshotCodec.load(try Recovery.read(path), file: path, expectedIndex: base.index, into: store,
                                       now: plan.now)
            }
            try Recovery.replay(plan.directory, plan.segments.map { ($0.firstIndex, $0.name, $0.length) },
                                into: store, now: plan.now, repair: false, result: &result)
            guard store.index == plan.targetIndex else {
                throw PersistenceError(file: "", "replay reached index \(store.index), expected \(plan.targetIndex)")
            }
            let image = store.image()
            let bytes = SnapshotCodec.encode(image)
            outcome.bytes = bytes.count
            outcome.nodes = image.entries.count
            try write(bytes, as: DataDirectory.snapshotName(index: plan.targetIndex), in: plan.directory)
            removeObsolete(plan, &outcome)
        } catch {
            outcome.error = error.description
        }
        return outcome
    }

    /// temp file → fsync → rename → directory fsync: the name appears only for a complete, durable file.
    static func write(_ bytes: [UInt8], as name: String, in directory: DataDirectory) throws(PersistenceError) {
        let temporary = directory.file(name + ".tmp")
        do {
            let fd = try FileSystem.openForWriting(temporary, create: true, truncate: true)
            do {
                try FileSystem.write(fd, bytes[...], at: 0)
                try FileSystem.sync(fd)
            } catch {
                FileSystem.close(fd)
                try? FileSystem.remove(temporary)
                throw error
            }
            FileSystem.close(fd)
            try FileSystem.rename(temporary, to: directory.file(name))
            try FileSystem.syncDirectory(directory.path)
        } catch {
            throw PersistenceError(file: directory.file(name), "cannot write the snapshot: \(error)")
        }
    }

    /// Keeps the new snapshot and the one before it; removes older snapshots and the segments whose records
    /// all lie at or below the older kept snapshot (the next segment starts at most one past it).
    private static func removeObsolete(_ plan: SnapshotPlan, _ outcome: inout SnapshotOutcome) {
        let keepFrom = plan.existingSnapshots.filter { $0 < plan.targetIndex }.last
        for index in plan.existingSnapshots where index < (keepFrom ?? 0) {
            if (try? FileSystem.remove(plan.directory.file(DataDirectory.snapshotName(index: index)))) != nil {
                outcome.removedSnapshots.append(index)
            }
        }
        guard let keepFrom else { return }
        for (i, segment) in plan.segments.enumerated() where i + 1 < plan.segments.count {
            guard plan.segments[i + 1].firstIndex <= keepFrom + 1 else { break }
            if (try? FileSystem.remove(plan.directory.file(segment.name))) != nil {
                outcome.removedSegments.append(segment.name)
            }
        }
    }
}
