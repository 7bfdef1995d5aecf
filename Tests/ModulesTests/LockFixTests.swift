import Modules
import Store
import Testing

// The six deliberate fixes of etcd's lock bugs (SPEC §2, reference §1.9). Each test says which etcd
// version fails it and why.
@Suite struct LockFixTests {
    /// Ensure that a waiter neither spins nor fails when the lock is older than the 1000-event history
    /// (fix 1). Fails on v0.2/v0.3: the waiter watched from the lock directory's creation index, so the
    /// history answered at once and it re-read the queue in a tight loop (B1, #575), and once the directory
    /// was older than the history every waiter failed with "lock watch error: 401" (B2, #503/#587).
    @Test func waiterSurvivesOldHistoryWithoutSpinning() throws {
        let h = LockHarness()
        let n = try #require(try h.acquire(ttl: 0).1.index)
        let (waiter, _) = try h.acquire(ttl: 10)
        let before = h.store.index
        for i in 0..<1500 {
            try h.keys(.set(key: "/other/\(i % 7)", value: "\(i)", dir: false, expiration: nil))
        }
        h.advance(seconds: 3600)
        #expect(h.store.index == before + 1500)
        #expect(h.wakes(of: waiter).isEmpty)
        #expect(h.locks.isParked(waiter))
        try h.release(index: "\(n)")
        #expect(h.wakes(of: waiter) == [.acquired(waiter, n + 2)])
    }

    /// Ensure that a waiting entry has no TTL while its request waits, so a waiter with ttl=2 is still
    /// queued after 4 s, and that its TTL starts when it becomes the holder (fix 2). Fails on the v0.4 code:
    /// its keep-alive refreshed the lock directory instead of the entry, so the entry expired after 2 s while
    /// the request kept waiting (B7, reproduced: it later answered 200 for an entry that no longer existed).
    @Test func waitingEntryDoesNotExpire() throws {
        let h = LockHarness()
        let n = try #require(try h.acquire(ttl: 10).1.index)
        let (waiter, _) = try h.acquire(ttl: 2)
        #expect(h.node("foo", n + 2)?.expiration == nil)
        h.advance(seconds: 4)
        #expect(h.treeIndexes() == [n, n + 2])
        try h.release(index: "\(n)")
        #expect(h.wakes(of: waiter) == [.acquired(waiter, n + 2)])
        #expect(h.node("foo", n + 2)?.expiration == Timestamp(milliseconds: h.now.milliseconds + 2000))
        h.advance(seconds: 2)
        #expect(h.holderIndex() == "")
    }

    /// Ensure that waiting with ttl=0 or ttl=1 writes nothing while it waits (fix 2). Fails on v0.2/v0.3:
    /// the keep-alive re-wrote the entry every ⌊ttl/2⌋ s, which is 0 for these TTLs — a tight write loop (B3).
    @Test func waitingWithTinyTTLWritesNothing() throws {
        let h = LockHarness()
        let n = try #require(try h.acquire(ttl: 0).1.index)
        let (w0, _) = try h.acquire(ttl: 0)
        let (w1, _) = try h.acquire(ttl: 1)
        let before = h.store.index
        h.advance(seconds: 10)
        #expect(h.store.index == before)
        try h.release(index: "\(n)")
        #expect(h.wakes(of: w0) == [.acquired(w0, n + 2)])
        #expect(h.node("foo", n + 2)?.expiration == nil)
        try h.release(index: "\(n + 2)")
        #expect(h.wakes(of: w1) == [.acquired(w1, n + 3)])
    }

    /// Ensure that renewing the holder (PUT by index or value) and re-acquiring it (POST with its value)
    /// never wake the waiter behind it (fix 3). Fails on the v0.4 code: each waiter took the first change of
    /// its predecessor's key — a renewal included — as "acquired", giving two holders at once (B6, #664).
    @Test func renewingHolderWakesNobody() throws {
        let h = LockHarness()
        let n = try #require(try h.acquire(value: "holder", ttl: 5).1.index)
        let (waiter, _) = try h.acquire(ttl: 5)
        try h.renew(index: "\(n)", ttl: 5)
        try h.renew(value: "holder", ttl: 5)
        #expect(try h.acquire(value: "holder", ttl: 5).1 == .acquired(n))
        h.advance(seconds: 4)
        #expect(h.wakes(of: waiter).isEmpty)
        #expect(h.holderIndex() == "\(n)")
        h.advance(seconds: 1)
        #expect(h.wakes(of: waiter).count == 1)
        #expect(h.holderIndex() != "\(n)")
    }

    /// Ensure that a waiter that disconnects loses its entry and the entries behind it move up at once,
    /// one hand-off at a time (fix 4). Fails on the v0.4 code: the successor of a leaving waiter took the
    /// deletion of its predecessor as "acquired" although the holder still held (#664: the 2nd and 3rd of
    /// three POSTs returned together).
    @Test func disconnectRemovesEntryAndSuccessorsMoveUp() throws {
        let h = LockHarness()
        let n = try #require(try h.acquire(ttl: 10).1.index)
        let (second, _) = try h.acquire(ttl: 10)
        let (third, _) = try h.acquire(ttl: 10)
        let (fourth, _) = try h.acquire(ttl: 10)
        h.cancel(second)
        #expect(h.treeIndexes() == [n, n + 3, n + 4])
        #expect(h.wakes(of: third).isEmpty)
        try h.release(index: "\(n)")
        #expect(h.wakes(of: third) == [.acquired(third, n + 3)])
        #expect(h.wakes(of: fourth).isEmpty)
        #expect(h.wakes(of: second).isEmpty)
    }

    /// Ensure that a joined entry stays while any of its requests waits and goes with the last one (fix 4).
    /// Fails on v0.4 code (the first joined request to leave deleted the shared entry under the others) and on
    /// v0.2/v0.3 (a joined request's disconnect was ignored, so an entry could outlive all its requesters).
    @Test func joinedEntryGoesWithLastRequester() throws {
        let h = LockHarness()
        let n = try #require(try h.acquire(value: "A", ttl: 10).1.index)
        let (b1, _) = try h.acquire(value: "B", ttl: 10)
        let (b2, _) = try h.acquire(value: "B", ttl: 10)
        let (b3, _) = try h.acquire(value: "B", ttl: 10)
        #expect(h.treeIndexes() == [n, n + 2])
        h.cancel(b1)
        h.cancel(b3)
        #expect(h.treeIndexes() == [n, n + 2])
        try h.release(value: "A")
        #expect(h.wakes(of: b2) == [.acquired(b2, n + 2)])
        #expect(h.wakes(of: b1).isEmpty && h.wakes(of: b3).isEmpty)

        let (c1, _) = try h.acquire(value: "C", ttl: 10)
        let (c2, _) = try h.acquire(value: "C", ttl: 10)
        h.cancel(c1)
        h.cancel(c2)
        #expect(h.treeIndexes() == [n + 2])
    }

    /// Ensure that a waiter whose entry is deleted through the keys API or released by index is answered
    /// "lock entry removed", never 200 (fix 5). Fails on every etcd version: the waiter's predecessor lookup
    /// found no predecessor once its own index was gone and reported it as the new holder (B5).
    @Test func vanishedEntryIsNeverSuccess() throws {
        let h = LockHarness()
        let n = try #require(try h.acquire(ttl: 10).1.index)
        let (byKeys, _) = try h.acquire(ttl: 10)
        let (byIndex, _) = try h.acquire(ttl: 10)
        try h.keys(.delete(key: "/_etcd/mod/lock/foo/\(n + 2)", dir: false, recursive: false))
        #expect(h.wakes(of: byKeys) == [.failed(byKeys, .entryRemoved)])
        try h.release(index: "\(n + 3)")
        #expect(h.wakes(of: byIndex) == [.failed(byIndex, .entryRemoved)])
        try h.release(index: "\(n)")
        #expect(h.wakes.allSatisfy { if case .acquired = $0 { false } else { true } })
        #expect(h.locks.stats.entriesRemoved == 2)
        #expect(h.holderIndex() == "")
    }

    /// Ensure that an unknown index is the JSON envelope with 404 (fix 6). Fails on every etcd version: the
    /// handler's type switch missed go-etcd's pointer errors and sent `500 100: Key not found (…) [n]` as text.
    @Test func keyTreeErrorsKeepTheirStatus() throws {
        let h = LockHarness()
        _ = try h.acquire(ttl: 10)
        do {
            try h.release(index: "12345")
            Issue.record("release of an unknown index succeeded")
        } catch {
            #expect(error.code == .keyNotFound)
            #expect(error.httpStatus == 404)
            #expect(error.cause == "/_etcd/mod/lock/foo/12345")
        }
    }

    /// Ensure that a value-less holder's value stays `-` after acquisition. Fails on the v0.4 code, whose
    /// refresh at acquisition wrote "" (B8).
    @Test func valuelessHolderKeepsDash() throws {
        let h = LockHarness()
        let n = try #require(try h.acquire(ttl: 10).1.index)
        let (waiter, _) = try h.acquire(ttl: 10)
        try h.release(index: "\(n)")
        #expect(h.wakes(of: waiter) == [.acquired(waiter, n + 2)])
        #expect(h.node("foo", n + 2)?.value == "-")
        #expect(h.holderValue() == "-")
    }
}
