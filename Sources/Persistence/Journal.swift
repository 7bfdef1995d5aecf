// The write-ahead log as the loop sees it: the server appends every applied command (in index order), and
// once per loop iteration `commit` pwrites everything appended since the last batch into the page cache
// (microseconds, on the loop) and, with `.always`, starts ONE fdatasync on libuv's thread pool covering all
// of it (group commit). While a sync runs, later batches are written and wait for the next sync;
// `onDurable(index)` reports each completed sync, and the server releases the responses that waited. Snapshots are handed to SnapshotWriter on the thread pool every
// `snapshotCount` records; the segment is rolled at that point so older segments can be deleted whole.
//
// Invariants: `activeLength` is the number of bytes of whole records written to the active segment; at
// most one sync is in flight and the segment is never rolled under it; a failed write (ENOSPC, EIO) leaves
// its batch in `pending`, the journal turns `failure` on (the server refuses writes) and a retry timer
// first cuts the file back to `activeLength` — no partial record may stay in the middle of the log — then
// writes and syncs again. A failed sync is retried the same way (nothing acknowledged depended on it).

#if canImport(Glibc)
import Glibc
#endif
import Store
import UV

/// How a write is acknowledged.
package enum SyncMode: String, Sendable, CaseIterable {
    /// After its batch was written and fdatasync'ed (group commit).
    case always
    /// At once; the log is written every iteration but only synced when a segment closes.
    case none
}

/// Settings of the log.
package struct JournalOptions: Sendable {
    package var directory: DataDirectory
    package var sync: SyncMode = .always
    package var snapshotCount = 10_000
    /// A segment is closed (and a new one started) once it is this large.
    package var segmentBytes = 64 << 20
    /// Fault injection for tests: after this many log bytes (this process), every write fails with ENOSPC.
    package var failWritesAfterBytes: Int?
    /// Milliseconds between retries of a failed write.
    package var retryMilliseconds: UInt64 = 1000
    /// Zeros written ahead of the records in the active segment (0: none).
    package var preallocationBytes = 1 << 20

    package init(directory: DataDirectory) {
        self.directory = directory
    }
}

/// The loop-side write-ahead log; see the file header.
package final class Journal {
    let loop: Loop
    package let options: JournalOptions
    private var segments: [RecoveryResult.Segment]
    private var activeFD: FileDescriptor?
    private var activeLength = 0
    /// Bytes of the active segment already zero-filled (≥ activeLength): records are written over zeros, so
    /// the file's size (metadata) changes once per chunk instead of with every fdatasync.
    private var filledLength = 0
    private var directoryFD: FileDescriptor
    /// The active segment was created and the directory entry is not yet synced.
    private var directorySyncNeeded = false
    private var pending = ByteWriter(capacity: 64 << 10)
    private var pendingFirst: EtcdIndex?
    private var pendingRecords = 0
    private var syncInFlight = false
    private var closed = false
    private var rollRequested = false
    private var snapshotRunning = false
    private var snapshots: [EtcdIndex]
    private var recordsSinceSnapshot: Int
    private var failBudget: Int?
    private var retryTimer: LoopTimer?

    /// Highest index appended / written to the file / written and synced.
    package private(set) var appendedIndex: EtcdIndex
    package private(set) var writtenIndex: EtcdIndex
    package private(set) var durableIndex: EtcdIndex
    /// Set while writes fail; cleared by a successful retry.
    package private(set) var failure: String?

    package var onDurable: ((EtcdIndex) -> Void)?
    package var onFailure: ((String) -> Void)?
    package var onRecovered: (() -> Void)?
    /// A snapshot finished (or failed): for the log.
    package var onSnapshot: ((SnapshotOutcome) -> Void)?

    /// Recovers `store` (fresh) from the directory and opens the log for appending after its last record.
    package init(options: JournalOptions, loop: Loop, store: Store, now: Timestamp) throws(PersistenceError) {
        self.loop = loop
        self.options = options
        let dir = options.directory
        do { try FileSystem.makeDirectory(dir.path) } catch {
            throw PersistenceError(file: dir.path, "cannot create the data directory: \(error)")
        }
        recovery = try Recovery.recover(dir, into: store, now: now, repair: true)
        segments = recovery.segments
        snapshots = recovery.snapshots
        recordsSinceSnapshot = recovery.recordsReplayed
        appendedIndex = store.index
        writtenIndex = store.index
        durableIndex = store.index
        failBudget = options.failWritesAfterBytes
        do {
            directoryFD = try FileSystem.openDirectory(dir.path)
            if let last = segments.last {
                activeFD = try FileSystem.openForWriting(dir.file(last.name), create: false)
                activeLength = last.length
                filledLength = last.length
            } else {
                try openSegment(firstIndex: store.index + 1)
                try FileSystem.sync(directoryFD)
                directorySyncNeeded = false
            }
        } catch {
            throw PersistenceError(file: dir.path, "cannot open the log: \(error)")
        }
    }

    /// What start-up recovery found.
    package let recovery: RecoveryResult

    private func openSegment(firstIndex: EtcdIndex) throws(UVError) {
        let name = DataDirectory.segmentName(firstIndex: firstIndex)
        activeFD = try FileSystem.openForWriting(options.directory.file(name), create: true, truncate: true)
        activeLength = 0
        filledLength = 0
        segments.append(.init(firstIndex: firstIndex, name: name, length: 0))
        directorySyncNeeded = true
    }

    // MARK: Appending and group commit

    /// Appends the commands that took the store to `lastIndex` (consecutive indexes ending there).
    package func append(_ commands: [Command], lastIndex: EtcdIndex) {
        guard !commands.isEmpty else { return }
        var index = lastIndex - EtcdIndex(commands.count) + 1
        if pendingFirst == nil { pendingFirst = index }
        for command in commands {
            WALRecord.append(index: index, command, to: &pending)
            index += 1
        }
        pendingRecords += commands.count
        appendedIndex = lastIndex
    }

    /// Once per loop iteration: starts a snapshot when due, writes the pending records into the page cache
    /// (pwrite: microseconds, on the loop), then — unless one is still running — starts one fdatasync on the
    /// thread pool that covers everything written so far. Writes continue while a sync runs; the next sync
    /// covers them (group commit, pipelined).
    package func commit(now: Timestamp) {
        guard failure == nil, !closed else { return }
        if recordsSinceSnapshot >= options.snapshotCount && !snapshotRunning && writtenIndex > (snapshots.last ?? 0) {
            startSnapshot(now: now)
        }
        if let first = pendingFirst {
            if rollRequested || activeLength >= options.segmentBytes {
                // The old segment's fd must not close under a running sync: wait for it (next iteration).
                if syncInFlight { return }
                do throws(UVError) { try rollSegment(firstIndex: first) } catch {
                    return fail("cannot start a new log segment: \(error)")
                }
            }
            writePending()
        }
        startSync()
    }

    private func writePending() {
        guard let fd = activeFD, pendingFirst != nil else { return }
        let batch = pending.bytes
        var allowed = batch.count
        if let budget = failBudget {
            allowed = min(budget, batch.count)
            failBudget = budget - allowed
        }
        do throws(UVError) {
            if options.preallocationBytes > 0 && activeLength + batch.count > filledLength {
                // Zeros ahead of the records (page cache, on the loop: ~0.1 ms per MiB); recovery reads a
                // zero tail as the end of the log.
                let target = activeLength + batch.count + options.preallocationBytes
                try FileSystem.write(fd, [UInt8](repeating: 0, count: target - filledLength)[...], at: Int64(filledLength))
                filledLength = target
            }
            // A full disk (injected): part of the batch may land, then the write fails.
            try FileSystem.write(fd, batch[0..<allowed], at: Int64(activeLength))
            if allowed < batch.count {
                cutBack(fd)
                return fail("write: no space left on device (ENOSPC, injected)")
            }
        } catch {
            cutBack(fd)
            return fail(error.description)
        }
        activeLength += batch.count
        writtenIndex = appendedIndex
        recordsSinceSnapshot += pendingRecords
        pending = ByteWriter(capacity: min(max(batch.count, 64 << 10), 4 << 20))
        pendingFirst = nil
        pendingRecords = 0
        if options.sync == .none {
            durableIndex = writtenIndex
            onDurable?(durableIndex)
        }
    }

    /// After a failed write: cut the partial batch off at once (the retry would too, but a crash before it
    /// must not find half a record in the zero-filled space, where it would look like damage, not a tear).
    private func cutBack(_ fd: FileDescriptor) {
        if (try? FileSystem.truncate(fd, to: Int64(activeLength))) != nil { filledLength = activeLength }
    }

    private func startSync() {
        guard options.sync == .always, !syncInFlight, writtenIndex > durableIndex, let fd = activeFD else { return }
        let target = writtenIndex
        var operations: [FileOperation] = [.dataSync(fd)]
        let syncsDirectory = directorySyncNeeded
        if syncsDirectory { operations.append(.sync(directoryFD)) }
        syncInFlight = true
        FileRequestChain.run(on: loop, operations) { [self] error in
            syncInFlight = false
            if let error { return fail(error.description) }
            if syncsDirectory { directorySyncNeeded = false }
            durableIndex = max(durableIndex, target)
            onDurable?(durableIndex)
        }
    }

    private func fail(_ message: String) {
        let first = failure == nil
        failure = message
        if first { onFailure?(message) }
        if retryTimer == nil {
            let timer = LoopTimer(loop: loop)
            timer.start(afterMilliseconds: options.retryMilliseconds, repeatMilliseconds: options.retryMilliseconds) {
                [unowned self] in self.retry()
            }
            retryTimer = timer
        }
    }

    /// Cuts the active segment back to its last whole record (a failed write may have left part of one),
    /// then writes and syncs again; the log is writable once both worked.
    private func retry() {
        guard failure != nil, !syncInFlight, let fd = activeFD else { return }
        do throws(UVError) { try FileSystem.truncate(fd, to: Int64(activeLength)) } catch { return }
        filledLength = activeLength
        // Whatever was written but not synced when the failure hit is synced again from scratch.
        failure = nil
        commit(now: Timestamp(milliseconds: 0))
        guard failure == nil else { return }
        retryTimer?.close()
        retryTimer = nil
        onRecovered?()
    }

    /// Closes the active segment (synced: with `.none` this is where its data reaches the disk) and starts
    /// `wal-<firstIndex>.log`.
    private func rollSegment(firstIndex: EtcdIndex) throws(UVError) {
        rollRequested = false
        if let fd = activeFD {
            // With `.always` every batch was synced already; with `.none` this is the segment's one sync.
            // Drop the zeros ahead (only the last segment may end in a zero tail).
            if filledLength > activeLength { try FileSystem.truncate(fd, to: Int64(activeLength)) }
            if options.sync == .none { try FileSystem.dataSync(fd) }
            FileSystem.close(fd)
            segments[segments.count - 1].length = activeLength
        }
        try openSegment(firstIndex: firstIndex)
        if options.sync == .none {
            try FileSystem.sync(directoryFD)
            directorySyncNeeded = false
        }
    }

    // MARK: Snapshots

    private func startSnapshot(now: Timestamp) {
        var written = segments
        if !written.isEmpty { written[written.count - 1].length = activeLength }
        let base = snapshots.last.map { (index: $0, name: DataDirectory.snapshotName(index: $0)) }
        let plan = SnapshotPlan(directory: options.directory, baseSnapshot: base, segments: written,
                                targetIndex: writtenIndex, existingSnapshots: snapshots, now: now)
        snapshotRunning = true
        recordsSinceSnapshot = 0
        // Records after the snapshot go to a fresh segment, so the old ones can later be deleted whole.
        rollRequested = true
        BackgroundWork.run(on: loop, { SnapshotWriter.run(plan) }) { [self] outcome in
            snapshotRunning = false
            if outcome.error == nil {
                snapshots.removeAll { outcome.removedSnapshots.contains($0) }
                snapshots.append(outcome.index)
                segments.removeAll { outcome.removedSegments.contains($0.name) }
            }
            onSnapshot?(outcome)
        }
    }

    package var isSnapshotRunning: Bool { snapshotRunning }

    // MARK: Shutdown

    /// Final flush: waits for the batch in flight, writes and syncs what is pending, closes the files.
    /// Called after the loop stopped serving; the loop is run here only to complete our own requests.
    /// A running snapshot job is NOT waited for (it can take seconds on a big tree and shutdown has a 2 s
    /// budget): the log alone is authoritative, the job only ever adds a complete, synced snapshot before it
    /// deletes anything, and a temp file it leaves behind is removed at the next start. The process must
    /// then exit without joining libuv's thread pool (`isSnapshotRunning` tells the server).
    package func close() {
        while syncInFlight { loop.runOnce(noWait: false) }
        retryTimer?.close()
        retryTimer = nil
        if failure == nil { writePending() }
        closed = true
        if let fd = activeFD {
            if filledLength > activeLength { try? FileSystem.truncate(fd, to: Int64(activeLength)) }
            try? FileSystem.dataSync(fd)
            FileSystem.close(fd)
            activeFD = nil
        }
        if directorySyncNeeded { try? FileSystem.sync(directoryFD) }
        FileSystem.close(directoryFD)
    }
}
