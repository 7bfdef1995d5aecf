// The server's side of durability (SPEC §9): recovery at start, the log's feed, group commit once per loop
// iteration, and the gate that keeps responses back until the log batch they depend on is durable.
//
// The gate: every response (and stream chunk) is stamped with the store's index when it was produced
// (`responseRequirement`); a connection writes a slot only when that index is ≤ `durableIndex`, else it
// registers in `durabilityWaiters` and is flushed when the batch completes. So a write is acknowledged only
// after its fdatasync, and no read, watch notification or lock wake-up shows state a crash could take back.
// `-sync=none` and `-memory` never wait. When the log cannot be written (full disk, EIO), the responses
// waiting for the failed batch become 500 / error 300 (their outcome is unknown), further writes are
// refused the same way until a retry succeeds, and reads are served from memory meanwhile.

import HTTP
import Logging
import Persistence
import Store
import UV

extension BatonServer {
    /// Opens the data directory and recovers `store` from it (before the lock module reads the tree).
    static func openJournal(config: ServerConfig, loop: Loop, store: Store, now: Timestamp,
                            log: Logger) throws(ServerStartError) -> Journal? {
        guard let path = config.dataDirectory else { return nil }
        var options = JournalOptions(directory: DataDirectory(path: path))
        options.sync = config.syncWrites ? .always : .none
        options.snapshotCount = max(1, config.snapshotCount)
        options.failWritesAfterBytes = config.failWritesAfterBytes
        let started = Loop.hrtimeNanoseconds()
        let journal: Journal
        do {
            journal = try Journal(options: options, loop: loop, store: store, now: now)
        } catch {
            throw ServerStartError(description: "cannot recover data dir \"\(path)\": \(error)")
        }
        let r = journal.recovery
        let ms = Double(Loop.hrtimeNanoseconds() - started) / 1e6
        for warning in r.warnings { log.warning("\(warning)") }
        if let torn = r.tornTail {
            log.warning("discarded a torn log tail: \(torn.bytes) bytes at \(torn.file) offset \(torn.offset)")
        }
        let from = r.snapshotIndex.map { "snapshot \($0) + " } ?? ""
        log.info("recovered index \(r.lastIndex) from \(from)\(r.recordsReplayed) log records in \(Int(ms.rounded())) ms (data dir \(path), sync \(options.sync.rawValue))")
        return journal
    }

    /// Wires the log's callbacks and removes the queue entries of requests that died with the old process.
    func startDurability() {
        guard let journal else { return }
        journal.onDurable = { [unowned self] _ in self.releaseDurabilityWaiters() }
        journal.onFailure = { [unowned self] message in self.journalFailed(message) }
        journal.onRecovered = { [unowned self] in
            self.log.notice("write-ahead log writable again; accepting writes")
        }
        journal.onSnapshot = { [unowned self] outcome in
            if let error = outcome.error {
                self.log.error("snapshot at index \(outcome.index) failed: \(error)")
            } else {
                self.log.info("snapshot at index \(outcome.index): \(outcome.nodes) nodes, \(outcome.bytes) bytes; removed \(outcome.removedSegments.count) segments, \(outcome.removedSnapshots.count) snapshots")
            }
        }
        locks.recover(now: timestamp)
        settle()
    }

    /// The log's feed: every command applied since the last call.
    func journalAppend(_ commands: [Command]) {
        guard let journal, !commands.isEmpty else { return }
        journal.append(commands, lastIndex: store.index)
    }

    /// Group commit: one batch per loop iteration.
    func commitIteration() {
        journal?.commit(now: timestamp)
    }

    /// What a response produced now must wait for (0 when nothing ever waits).
    var responseRequirement: EtcdIndex {
        guard let journal, journal.options.sync == .always else { return 0 }
        return store.index
    }

    /// The highest index a response may depend on and still be written.
    var durableIndex: EtcdIndex {
        guard let journal, journal.options.sync == .always, journal.failure == nil else { return .max }
        return journal.durableIndex
    }

    func awaitDurability(_ connection: Connection) {
        durabilityWaiters[connection.id] = connection
    }

    private func releaseDurabilityWaiters() {
        let waiting = durabilityWaiters
        durabilityWaiters = [:]
        for connection in waiting.values { connection.flush() }
    }

    private func journalFailed(_ message: String) {
        log.error("write-ahead log write failed: \(message); refusing writes until it can be written again")
        let durable = journal?.durableIndex ?? 0
        let response = errorResponse(logUnavailable(message))
        for connection in durabilityWaiters.values { connection.replaceUndurable(above: durable, with: response) }
        releaseDurabilityWaiters()
    }

    private func logUnavailable(_ message: String) -> EtcdError {
        EtcdError(.raftInternal, cause: "write-ahead log: \(message)", index: store.index)
    }

    /// While the log cannot be written, a request that could write is answered with error 300 at once.
    func durabilityRefusal(_ request: Request) -> Response? {
        guard let failure = journal?.failure else { return nil }
        switch request.method {
        case .get, .head, .options: return nil
        default: return errorResponse(logUnavailable(failure))
        }
    }

    /// Final flush at shutdown.
    func closeJournal() {
        journal?.close()
    }
}
