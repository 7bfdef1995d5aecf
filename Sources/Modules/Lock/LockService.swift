import Store

// The lock module: etcd 0.x's `/mod/v2/lock` as FIFO queues of in-order keys in the key tree.
//
// Lifecycle of a request (the shape of redis `blocked.c`):
//   acquire  → the request's entry is the head: `.acquired(index)` at once (one `update` writes the TTL);
//              a join by value onto the holder renews it and answers at once; otherwise the request is
//              parked on its entry (`.parked`), or with `timeout=0` its entry is removed again (`.failed`).
//   wake     → whenever the head of a queue goes away (release, keys-API delete, TTL expiry), the next entry
//              is promoted: one `update` gives it its TTL and every request parked on it is queued as a
//              `LockWake.acquired`. The server collects wakes with `takeWakes()` after each call.
//   timeout  → `expireTimeouts(now:)` fails parked requests whose `timeout` elapsed (`.timedOut`).
//   cancel   → the client went away: `cancel(_:now:)` drops its share of the entry; the entry goes with
//              its last parked requester and the entries behind it move up at once.
//   vanish   → a parked request whose entry disappeared from the tree is woken with `.entryRemoved` (B5).
//
// Invariants: the key tree is the source of truth. `queues` mirrors every entry file below
// `/_etcd/mod/lock`, kept current from the events the server passes to `storeDidChange` (the store only
// queues events that may concern the lock root: `Store.observedKey`). The service's own commands (create,
// update, delete of one entry of a queue it holds) are mirrored on that queue by the writer itself,
// without parsing the event's key back, and applied with `Store.applyMirrored`, so they never come back.
// `namedQueues` caches lock names to queues so a request resolves its queue with one lookup; it only ever
// points at queues that are in `queues`.
// A waiting entry carries no TTL in the tree while a request hangs on it (B3/B7); its TTL is written
// when it becomes the head. Only the promotion of a new head wakes anyone (B1, B2, B6). The service never
// reads a clock and never touches a connection: it holds `WaiterID`s and returns what happened.

/// The lock service: acquire, renew, release and read etcd-style locks; parks and wakes waiters by id.
package final class LockService {
    /// A request hanging on an entry.
    struct Parked {
        let queue: LockQueue
        let entry: EtcdIndex
        var timer: TimerHandle?
        var deadline: Timestamp?
    }

    /// The cleaned directory of a lock name and the queue of that directory.
    struct NamedQueue {
        let directory: String
        let queue: LockQueue
    }

    let store: Store
    /// Every known queue directory → its mirror (kept even when empty, as the directory stays in the tree).
    var queues: [String: LockQueue] = [:]
    /// Lock names → their queue, so a request neither cleans its name nor builds the directory path.
    /// Emptied whenever a queue leaves `queues` (a directory deleted under the lock root) and when it
    /// outgrows `queues` (many spellings of few names), so it never keeps a dead queue.
    var namedQueues: [LockNameKey: NamedQueue] = [:]
    var parked: [WaiterID: Parked] = [:]
    var wakes: [LockWake] = []
    /// Queues whose head may need promoting once the current operation has been mirrored.
    var dirty: [LockQueue] = []
    var timers: TimerWheel<WaiterID>?
    var counters = LockStats()

    /// Builds the mirror from the lock directories already in `store` (after recovery, say).
    package init(store: Store) {
        self.store = store
        // Events elsewhere in the tree never change a queue; the store need not even queue them.
        store.observedKey = LockPath.root
        loadAll()
    }

    /// POST /mod/v2/lock/<name>?ttl=&value=&timeout=. `value` is "" when absent; `timeout` nil or negative
    /// waits forever, 0 tries once, S > 0 gives up after S seconds. Errors are the key tree's (B9).
    package func acquire(
        _ name: LockName, value: String, ttl: Int64, timeout: Int64?, waiter: WaiterID, now: Timestamp
    ) throws(EtcdError) -> AcquireOutcome {
        guard ttl >= 0 else { throw EtcdError(.ttlNaN, cause: "Acquire") }
        assert(parked[waiter] == nil, "\(waiter) is already parked")
        let (directory, known) = resolve(name, now: now)
        if !value.isEmpty, let queue = known, let index = queue.first(withValue: value) {
            return try join(queue, index, ttl: ttl, timeout: timeout, waiter: waiter, now: now)
        }
        let (queue, index, entry) = try writeEntry(
            in: directory, known, value: value.isEmpty ? "-" : value, ttl: ttl, now: now)
        if known == nil { remember(LockNameKey(name), directory, queue) }
        settleDirty(now: now)
        guard entry.isQueued else { return .failed(.entryRemoved) }
        if entry.promoted {
            counters.acquisitions += 1
            return .acquired(index)
        }
        if timeout == 0 {
            _ = try? writeDelete(queue, index, now: now)
            settleDirty(now: now)
            return .failed(.notAcquired)
        }
        queue.addWaiter(waiter, to: index)
        park(waiter, on: queue, index, timeout: timeout, now: now)
        return .parked
    }

    /// A request whose value names an existing entry: renew it when it holds, else wait on it too.
    private func join(
        _ queue: LockQueue, _ index: EtcdIndex, ttl: Int64, timeout: Int64?, waiter: WaiterID, now: Timestamp
    ) throws(EtcdError) -> AcquireOutcome {
        guard let entry = queue[index] else { return .failed(.entryRemoved) }
        // A promoted entry already answered its requests as the holder; joining it must not park (it will
        // never be promoted again), even if a keys-API entry was slipped in ahead of it.
        if queue.head() == index || entry.promoted {
            try writeUpdate(queue, index, entry, value: entry.value, expiration: Self.expiration(ttl, now), now: now)
            queue.setRequestedTTL(ttl, of: index)
            settleDirty(now: now)
            counters.acquisitions += 1
            return .acquired(index)
        }
        if timeout == 0 { return .failed(.notAcquired) }
        queue.setRequestedTTL(ttl, of: index)
        queue.addWaiter(waiter, to: index)
        park(waiter, on: queue, index, timeout: timeout, now: now)
        return .parked
    }

    /// PUT /mod/v2/lock/<name>?ttl=&index=|value=. With both, the index wins and the value is rewritten
    /// (etcd's quirk). A waiting entry with parked requesters only remembers the new `ttl` for when it
    /// becomes the holder, so it still cannot expire while they wait (B3/B7).
    package func renew(_ name: LockName, index: String?, value: String?, ttl: Int64, now: Timestamp) throws(EtcdError) {
        guard ttl >= 0 else { throw EtcdError(.ttlNaN, cause: "Renew") }
        let index = Self.nonEmpty(index)
        let value = Self.nonEmpty(value)
        guard index != nil || value != nil else { throw EtcdError(.indexOrValueRequired, cause: "Renew") }
        let (queue, target, _) = try find(name, index: index, value: value, cause: "Renew", now: now)
        guard let entry = queue[target] else { return }
        let newValue = value ?? entry.value
        if entry.promoted || entry.waiters.isEmpty {
            try writeUpdate(queue, target, entry, value: newValue, expiration: Self.expiration(ttl, now), now: now)
        } else {
            queue.setRequestedTTL(ttl, of: target)
            if newValue != entry.value {
                try writeUpdate(queue, target, entry, value: newValue, expiration: nil, now: now)
            }
        }
        settleDirty(now: now)
    }

    /// DELETE /mod/v2/lock/<name>?index=|value= (query string only; an empty parameter counts as absent).
    package func release(_ name: LockName, index: String?, value: String?, now: Timestamp) throws(EtcdError) {
        let index = Self.nonEmpty(index)
        let value = Self.nonEmpty(value)
        guard index != nil || value != nil else { throw EtcdError(.indexOrValueRequired, cause: "Release") }
        guard index == nil || value == nil else { throw EtcdError(.indexValueMutex, cause: "Release") }
        let (queue, target, entry) = try find(name, index: index, value: value, cause: "Release", now: now)
        try writeDelete(queue, target, entry: entry, now: now)
        settleDirty(now: now)
    }

    /// GET /mod/v2/lock/<name>[?field=index|value]: the holder's value (`-` for value-less holders) or
    /// index; "" when nobody holds the lock, for any field, a lock never used included.
    package func holder(_ name: LockName, field: String?) throws(EtcdError) -> String {
        guard let queue = resolve(name, now: Timestamp(milliseconds: 0)).queue, let head = queue.head(),
            let entry = queue[head]
        else { return "" }
        switch field {
        case nil, "", "value": return entry.value
        case "index": return String(head)
        default: throw EtcdError(.invalidField, cause: "Get")
        }
    }

    /// The waiter's client went away (or the server drops it): its share of its entry is removed; the
    /// entry goes with its last requester. Unknown or already answered waiters are ignored; a holder's
    /// disconnect does nothing (its TTL does).
    package func cancel(_ waiter: WaiterID, now: Timestamp) {
        guard let record = unpark(waiter) else { return }
        leave(record, waiter, now: now)
        settleDirty(now: now)
    }

    /// Mirrors the key tree's events (every mutation batch, in order, except this service's own writes)
    /// and promotes new heads.
    package func storeDidChange(_ events: [Event], now: Timestamp) {
        for position in events.indices { observe(events[position], now: now) }
        settleDirty(now: now)
    }

    /// Fails every parked request whose `timeout` has elapsed at `now`.
    package func expireTimeouts(now: Timestamp) {
        guard timers != nil else { return }
        for waiter in timers!.advance(to: now.milliseconds) {
            guard let record = parked[waiter], let deadline = record.deadline, deadline <= now else { continue }
            _ = unpark(waiter)
            leave(record, waiter, now: now)
            counters.timeouts += 1
            wakes.append(.failed(waiter, .timedOut))
        }
        settleDirty(now: now)
    }

    /// When `expireTimeouts` next has work (never late, possibly early); nil when no timeout is armed.
    package var nextDeadline: Timestamp? {
        guard let timers, timers.count > 0, let next = timers.nextDeadline else { return nil }
        return Timestamp(milliseconds: next)
    }

    /// The parked requests to answer now, in the order they were decided; clears the list.
    package func takeWakes() -> [LockWake] {
        // The server asks after every request; most have woken nobody.
        if wakes.isEmpty { return [] }
        defer { wakes.removeAll(keepingCapacity: true) }
        return wakes
    }

    /// The server is stopping: every parked request fails with `.shuttingDown` and its entry is removed.
    /// Holders keep their entries (and TTLs), as they would across a restart.
    package func shutdown(now: Timestamp) {
        for waiter in parked.keys.sorted(by: { $0.raw < $1.raw }) {
            guard let record = unpark(waiter) else { continue }
            leave(record, waiter, now: now)
            wakes.append(.failed(waiter, .shuttingDown))
        }
        settleDirty(now: now)
    }

    package var stats: LockStats {
        var stats = counters
        stats.waitersParked = parked.count
        stats.locksHeld = queues.values.reduce(0) { $0 + ($1.head() == nil ? 0 : 1) }
        return stats
    }

    /// The indexes queued on lock `name`, holder first (for the dashboard, metrics and tests).
    package func queuedIndexes(_ name: LockName) -> [EtcdIndex] {
        resolve(name, now: Timestamp(milliseconds: 0)).queue?.indexes() ?? []
    }

    /// Whether `waiter` is currently parked.
    package func isParked(_ waiter: WaiterID) -> Bool { parked[waiter] != nil }

    // MARK: - Helpers

    /// The entry a renew/release names. Unknown index: 404 error 100 with the entry path as cause and the
    /// store index (what the keys API would say, B9); unknown value: 404 error 100 cause `Renew`/`Release`.
    /// An entry found by index comes with itself (the lookup that proves it exists reads it).
    private func find(
        _ name: LockName, index: String?, value: String?, cause: String, now: Timestamp
    ) throws(EtcdError) -> (LockQueue, EtcdIndex, LockEntry?) {
        let (directory, queue) = resolve(name, now: now)
        if let index {
            guard let queue, let number = LockPath.canonicalIndex(index), let entry = queue[number] else {
                throw EtcdError(.keyNotFound, cause: directory + "/" + index, index: store.index)
            }
            return (queue, number, entry)
        }
        guard let queue, let value, let number = queue.first(withValue: value) else {
            throw EtcdError(.keyNotFound, cause: cause)
        }
        return (queue, number, nil)
    }

    private func park(_ waiter: WaiterID, on queue: LockQueue, _ index: EtcdIndex, timeout: Int64?, now: Timestamp) {
        var record = Parked(queue: queue, entry: index)
        if let timeout, timeout > 0, let deadline = Self.later(now, seconds: timeout) {
            if timers == nil { timers = TimerWheel(now: now.milliseconds) }
            record.timer = timers!.arm(at: deadline.milliseconds, waiter)
            record.deadline = deadline
        }
        parked[waiter] = record
    }

    /// Forgets a parked request and its timer; its entry is left alone.
    @discardableResult
    func unpark(_ waiter: WaiterID) -> Parked? {
        guard let record = parked.removeValue(forKey: waiter) else { return nil }
        if let timer = record.timer { timers?.cancel(timer) }
        return record
    }

    /// Takes an unparked request's share of its entry away; removes an entry created by a lock request
    /// once nobody waits on it any more (never the holder's: promoted entries have no waiters).
    private func leave(_ record: Parked, _ waiter: WaiterID, now: Timestamp) {
        let queue = record.queue
        guard let entry = queue.removeWaiter(waiter, from: record.entry) else { return }
        guard entry.waiters.isEmpty, entry.owned, !entry.promoted else { return }
        if (try? writeDelete(queue, record.entry, now: now)) == nil {
            queue.remove(record.entry)
            dirty.append(queue)
        }
    }

    static func nonEmpty(_ string: String?) -> String? {
        guard let string, !string.isEmpty else { return nil }
        return string
    }

    /// `now + seconds`, or nil when that is beyond any representable time (then: never).
    static func later(_ now: Timestamp, seconds: Int64) -> Timestamp? {
        let (milliseconds, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        guard !overflow else { return nil }
        let (deadline, overflow2) = now.milliseconds.addingReportingOverflow(milliseconds)
        guard !overflow2 else { return nil }
        return Timestamp(milliseconds: deadline)
    }

    /// The store expiration for a lock `ttl`: none for 0 (etcd: a permanent entry).
    static func expiration(_ ttl: Int64, _ now: Timestamp) -> Timestamp? {
        ttl == 0 ? nil : later(now, seconds: ttl)
    }
}
