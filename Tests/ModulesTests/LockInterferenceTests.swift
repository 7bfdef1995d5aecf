import Modules
import Store
import Testing

// The key tree is the source of truth (SPEC §2): writes through `/v2/keys`, TTL expiries, restarts and
// shutdown act on lock queues exactly as lock requests do.
@Suite struct LockInterferenceTests {
    /// Ensure that deleting the holder's entry through the keys API hands the lock to the next waiter.
    @Test func keysDeleteOfHolderHandsOff() throws {
        let h = LockHarness()
        let n = try #require(try h.acquire(ttl: 10).1.index)
        let (waiter, _) = try h.acquire(ttl: 10)
        try h.keys(.delete(key: "/_etcd/mod/lock/foo/\(n)", dir: false, recursive: false))
        #expect(h.wakes(of: waiter) == [.acquired(waiter, n + 2)])
        #expect(h.locks.stats.handoffs == 1)
    }

    /// Ensure that a TTL put on a waiting entry through the keys API makes it expire and fails its waiter.
    @Test func keysTTLOnWaitingEntryExpiresIt() throws {
        let h = LockHarness()
        let n = try #require(try h.acquire(ttl: 10).1.index)
        let (waiter, _) = try h.acquire(value: "w", ttl: 10)
        try h.keys(.update(key: "/_etcd/mod/lock/foo/\(n + 2)", value: "w", expiration: h.now.adding(seconds: 1)))
        #expect(h.wakes(of: waiter).isEmpty)
        h.advance(seconds: 1)
        #expect(h.wakes(of: waiter) == [.failed(waiter, .entryRemoved)])
        #expect(h.holderIndex() == "\(n)")
        #expect(h.locks.stats.expirations == 0)
    }

    /// Ensure that a keys-API value change of a waiting entry is what a later join by value sees.
    @Test func keysValueChangeIsMirrored() throws {
        let h = LockHarness()
        let n = try #require(try h.acquire(ttl: 10).1.index)
        let (first, _) = try h.acquire(value: "old", ttl: 10)
        try h.keys(.update(key: "/_etcd/mod/lock/foo/\(n + 2)", value: "new", expiration: nil))
        let (joined, outcome) = try h.acquire(value: "new", ttl: 10)
        #expect(outcome == .parked)
        #expect(h.treeIndexes() == [n, n + 2])
        try h.release(index: "\(n)")
        #expect(h.wakes(of: first) == [.acquired(first, n + 2)])
        #expect(h.wakes(of: joined) == [.acquired(joined, n + 2)])
        #expect(h.holderValue() == "new")
    }

    /// Ensure that a recursive delete of the lock directory (or an ancestor) fails every waiter and that the
    /// lock works again afterwards.
    @Test func recursiveDeleteOfDirectory() throws {
        let h = LockHarness()
        _ = try h.acquire(ttl: 10)
        let (waiter, _) = try h.acquire(ttl: 10)
        let (other, _) = try h.acquire("bar", ttl: 10)
        let (otherWaiter, _) = try h.acquire("bar", ttl: 10)
        #expect(other.raw > 0)
        try h.keys(.delete(key: "/_etcd/mod/lock/foo", dir: true, recursive: true))
        #expect(h.wakes(of: waiter) == [.failed(waiter, .entryRemoved)])
        #expect(h.wakes(of: otherWaiter).isEmpty)
        #expect(h.holderIndex() == "")
        let again = try h.acquire(ttl: 10).1
        #expect(again.index == h.store.index - 1)
        try h.keys(.delete(key: "/_etcd", dir: true, recursive: true))
        #expect(h.wakes(of: otherWaiter) == [.failed(otherWaiter, .entryRemoved)])
        #expect(h.locks.stats.locksHeld == 0)
        #expect(h.locks.stats.waitersParked == 0)
    }

    /// Ensure that replacing an entry file by a directory through the keys API removes the entry.
    @Test func entryReplacedByDirectory() throws {
        let h = LockHarness()
        let n = try #require(try h.acquire(ttl: 10).1.index)
        let (waiter, _) = try h.acquire(ttl: 10)
        try h.keys(.set(key: "/_etcd/mod/lock/foo/\(n + 2)", value: "", dir: true, expiration: nil))
        #expect(h.wakes(of: waiter) == [.failed(waiter, .entryRemoved)])
        #expect(h.locks.queuedIndexes("foo") == [n])
    }

    /// Ensure that an entry written through the keys API queues like any other and holds when its turn comes.
    @Test func keysCreatedEntryQueues() throws {
        let h = LockHarness()
        let n = try #require(try h.acquire(ttl: 10).1.index)
        try h.keys(.set(key: "/_etcd/mod/lock/foo/999999", value: "manual", dir: false, expiration: nil))
        try h.keys(.set(key: "/_etcd/mod/lock/foo/not-a-number", value: "x", dir: false, expiration: nil))
        let (waiter, _) = try h.acquire(ttl: 10)
        let w = h.store.index
        #expect(h.locks.queuedIndexes("foo") == [n, w, 999_999])
        try h.release(index: "\(n)")
        try h.release(value: "-")
        #expect(h.wakes(of: waiter).count == 1)
        #expect(h.holderValue() == "manual")
        #expect(h.holderIndex() == "999999")
    }

    /// Ensure that a service started over an existing tree (a restart) knows its queues, and that recovery
    /// removes the entries of requests that were waiting while holders keep their lock until their TTL.
    @Test func restartAndRecover() throws {
        let h = LockHarness()
        let n = try #require(try h.acquire(ttl: 5).1.index)
        _ = try h.acquire(ttl: 10)
        _ = try h.acquire(value: "v", ttl: 10)
        let m = try #require(try h.acquire("_hidden/x", ttl: 0).1.index)
        _ = try h.acquire("_hidden/x", ttl: 0)
        #expect(h.treeIndexes() == [n, n + 2, n + 3])

        let restarted = LockService(store: h.store)
        #expect(restarted.queuedIndexes("foo") == [n, n + 2, n + 3])
        #expect(try restarted.holder("foo", field: "index") == "\(n)")
        restarted.recover(now: h.now)
        restarted.storeDidChange(h.store.takeEvents(), now: h.now)
        #expect(h.treeIndexes() == [n])
        // Hidden names are invisible to the start-up listing: read on first use, not recovered (known gap).
        #expect(try restarted.holder("_hidden/x", field: "index") == "\(m)")
        #expect(restarted.queuedIndexes("_hidden/x") == [m, m + 2])
        #expect(restarted.takeWakes().isEmpty)

        let waiter = WaiterID(77)
        #expect(try restarted.acquire("foo", value: "", ttl: 5, timeout: nil, waiter: waiter, now: h.now) == .parked)
        h.now = h.now.adding(seconds: 5)
        _ = h.store.expire(upTo: h.now)
        restarted.storeDidChange(h.store.takeEvents(), now: h.now)
        #expect(restarted.takeWakes().map(\.waiter) == [waiter])
        #expect(restarted.stats.expirations == 1)
    }

    /// Ensure that shutdown fails every parked request with 503 and removes its entry, but keeps holders.
    @Test func shutdownFailsWaiters() throws {
        let h = LockHarness()
        let n = try #require(try h.acquire(ttl: 10).1.index)
        let (w1, _) = try h.acquire(ttl: 10)
        let (w2, _) = try h.acquire(value: "x", ttl: 10, timeout: 30)
        let (w3, _) = try h.acquire(value: "x", ttl: 10)
        h.locks.shutdown(now: h.now)
        h.pump()
        #expect(h.wakes == [.failed(w1, .shuttingDown), .failed(w2, .shuttingDown), .failed(w3, .shuttingDown)])
        #expect(h.treeIndexes() == [n])
        #expect(h.locks.stats.waitersParked == 0)
        #expect(h.locks.nextDeadline == nil)
    }

    /// Ensure that cancelling an answered or unknown waiter does nothing, and a holder's disconnect leaves
    /// its entry to its TTL.
    @Test func cancelAfterAnswerIsHarmless() throws {
        let h = LockHarness()
        let (holder, outcome) = try h.acquire(ttl: 10)
        let n = try #require(outcome.index)
        h.cancel(holder)
        h.cancel(WaiterID(424242))
        #expect(h.treeIndexes() == [n])
        let (timedOut, _) = try h.acquire(ttl: 10, timeout: 1)
        h.advance(seconds: 1)
        #expect(h.wakes(of: timedOut) == [.failed(timedOut, .timedOut)])
        let before = h.store.index
        h.cancel(timedOut)
        #expect(h.store.index == before)
    }

    /// Ensure that lock names are cleaned like paths, nested names are separate locks, and the empty name
    /// is the lock root itself.
    @Test func namesAndNesting() throws {
        let h = LockHarness()
        let a = try #require(try h.acquire("a", ttl: 10).1.index)
        let ab = try #require(try h.acquire("a/b", ttl: 10).1.index)
        #expect(try h.acquire("/./x/../a/", value: "", ttl: 10).1 == .parked)
        #expect(h.holderIndex("a") == "\(a)")
        #expect(h.holderIndex("a/b") == "\(ab)")
        #expect(h.holderIndex("../../a/b") == "\(ab)")
        let root = try #require(try h.acquire("", ttl: 10).1.index)
        #expect(h.holderIndex("") == "\(root)")
        #expect(h.node("", root)?.key == "/_etcd/mod/lock/\(root)")
        #expect(LockPath.directory(forName: "../../../etc") == "/_etcd/mod/lock/etc")
    }

    /// Ensure that a timeout of one joined request takes only its share: the others keep waiting on the
    /// entry and are woken with it; a request answered before its timeout is never failed afterwards.
    @Test func joinedTimeoutTakesOnlyItsShare() throws {
        let h = LockHarness()
        let n = try #require(try h.acquire(ttl: 10).1.index)
        let (patient, _) = try h.acquire(value: "j", ttl: 10)
        let (hasty, _) = try h.acquire(value: "j", ttl: 10, timeout: 1)
        let (lucky, _) = try h.acquire(value: "k", ttl: 10, timeout: 5)
        h.advance(seconds: 1)
        #expect(h.wakes(of: hasty) == [.failed(hasty, .timedOut)])
        #expect(h.treeIndexes() == [n, n + 2, n + 3])
        try h.release(index: "\(n)")
        #expect(h.wakes(of: patient) == [.acquired(patient, n + 2)])
        try h.release(value: "j")
        #expect(h.wakes(of: lucky) == [.acquired(lucky, n + 3)])
        h.advance(seconds: 10)
        #expect(h.wakes(of: lucky).count == 1)
        #expect(h.locks.stats.timeouts == 1)
        #expect(h.locks.nextDeadline == nil)
    }
}
