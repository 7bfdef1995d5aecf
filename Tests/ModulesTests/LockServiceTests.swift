import Modules
import Store
import Testing

// etcd's own lock tests (reference §5.1, `mod/lock/v2/tests/mod_lock_test.go`) at service level: indexes
// relative to the first acquire (N), time advanced by hand instead of sleeping.
@Suite struct LockServiceTests {
    /// Ensure that a lock can be acquired and released (TestModLockAcquireAndRelease).
    @Test func acquireAndRelease() throws {
        let h = LockHarness()
        let (_, outcome) = try h.acquire(ttl: 10)
        let n = try #require(outcome.index)
        #expect(h.holderIndex() == "\(n)")
        try h.release(index: "\(n)")
        #expect(h.holderIndex() == "")
        #expect(h.treeIndexes().isEmpty)
        #expect(throws: Never.self) { try h.store.get(LockPath.directory(forName: "foo"), recursive: false, sorted: false, now: h.now) }
    }

    /// Ensure that a second acquire hangs until the first is released and then gets N+2 (N+1 is the first
    /// holder's refresh at acquisition) (TestModLockBlockUntilAcquire).
    @Test func blockUntilAcquire() throws {
        let h = LockHarness()
        let n = try #require(try h.acquire(ttl: 10).1.index)
        let (second, parked) = try h.acquire(ttl: 10)
        #expect(parked == .parked)
        h.advance(seconds: 1)
        #expect(h.holderIndex() == "\(n)")
        #expect(h.wakes(of: second).isEmpty)
        try h.release(index: "\(n)")
        #expect(h.wakes(of: second) == [.acquired(second, n + 2)])
        #expect(h.holderIndex() == "\(n + 2)")
        try h.release(index: "\(n + 2)")
        #expect(h.holderIndex() == "")
    }

    /// Ensure that the holder's TTL expiry hands the lock to the next waiter (TestModLockExpireAndRelease).
    @Test func expireAndRelease() throws {
        let h = LockHarness()
        let n = try #require(try h.acquire(ttl: 2).1.index)
        let (second, _) = try h.acquire(ttl: 10)
        h.advance(seconds: 1)
        #expect(h.holderIndex() == "\(n)")
        #expect(h.wakes(of: second).isEmpty)
        h.advance(seconds: 1)
        #expect(h.wakes(of: second) == [.acquired(second, n + 2)])
        #expect(h.holderIndex() == "\(n + 2)")
        #expect(h.locks.stats.expirations == 1)
    }

    /// Ensure that renewing by index pushes the expiry back by the new TTL (TestModLockRenew).
    @Test func renew() throws {
        let h = LockHarness()
        let n = try #require(try h.acquire(ttl: 3).1.index)
        h.advance(seconds: 2)
        #expect(h.holderIndex() == "\(n)")
        try h.renew(index: "\(n)", ttl: 3)
        h.advance(seconds: 2)
        #expect(h.holderIndex() == "\(n)")
        h.advance(seconds: 2)
        #expect(h.holderIndex() == "")
    }

    /// Ensure that a lock acquired with a value reports it and can be released by it
    /// (TestModLockAcquireAndReleaseByValue).
    @Test func acquireAndReleaseByValue() throws {
        let h = LockHarness()
        _ = try #require(try h.acquire(value: "XXX", ttl: 10).1.index)
        #expect(h.holderValue() == "XXX")
        try h.release(value: "XXX")
        #expect(h.holderValue() == "")
    }

    /// Ensure that a waiter with timeout=1 gives up after a second with "lock watch closed" and its entry
    /// is removed, while the holder keeps the lock (TestModLockAcquireTimeout).
    @Test func acquireTimeout() throws {
        let h = LockHarness()
        let n = try #require(try h.acquire(value: "first", ttl: 10).1.index)
        let (second, outcome) = try h.acquire(value: "second", ttl: 10, timeout: 1)
        #expect(outcome == .parked)
        let deadline = try #require(h.locks.nextDeadline)
        #expect(deadline > h.now && deadline.milliseconds <= h.now.milliseconds + 1000)
        h.advance(seconds: 0.999)
        #expect(h.wakes(of: second).isEmpty)
        h.advance(seconds: 0.001)
        #expect(h.wakes(of: second) == [.failed(second, .timedOut)])
        #expect(LockFailure.timedOut.message == "lock watch closed")
        #expect(LockFailure.timedOut.httpStatus == 500)
        #expect(h.treeIndexes() == [n])
        #expect(h.holderIndex() == "\(n)")
        #expect(h.locks.stats.timeouts == 1)
        try h.release(value: "first")
        #expect(h.holderIndex() == "")
    }

    /// Ensure that timeout=0 on a free lock acquires it at once (TestModLockAcquireNoWait).
    @Test func acquireNoWait() throws {
        let h = LockHarness()
        let n = try #require(try h.acquire(value: "first", ttl: 10, timeout: 0).1.index)
        h.advance(seconds: 1)
        #expect(h.holderIndex() == "\(n)")
        try h.release(index: "\(n)")
        #expect(h.holderIndex() == "")
    }

    /// Ensure that timeout=0 on a held lock fails at once with "failed to acquire lock" and leaves no entry
    /// behind (TestModLockAcquireNoWaitWhileLocked).
    @Test func acquireNoWaitWhileLocked() throws {
        let h = LockHarness()
        let n = try #require(try h.acquire(value: "first", ttl: 10).1.index)
        let (_, outcome) = try h.acquire(value: "second", ttl: 10, timeout: 0)
        #expect(outcome == .failed(.notAcquired))
        #expect(LockFailure.notAcquired.message == "failed to acquire lock")
        #expect(h.treeIndexes() == [n])
        #expect(h.locks.stats.waitersParked == 0)
        h.advance(seconds: 1)
        #expect(h.holderIndex() == "\(n)")
        try h.release(index: "\(n)")
        #expect(h.holderIndex() == "")
    }
}
