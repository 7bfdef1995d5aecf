import Modules
import Store
import Testing

// etcd's leader tests (reference §5.2) and the leader cases of §5.6, at service level.
@Suite struct LeaderServiceTests {
    /// Ensure that a leader can be set, read and deleted (TestModLeaderSet).
    @Test func setGetDelete() throws {
        let h = LockHarness()
        let (_, outcome) = try h.setLeader(candidate: "xxx", ttl: 10)
        #expect(outcome.index != nil)
        #expect(try h.leaders.current("foo") == "xxx")
        try h.leaders.remove("foo", candidate: "xxx", now: h.now)
        h.pump()
        #expect(try h.leaders.current("foo") == "")
    }

    /// Ensure that re-issuing the same PUT renews the TTL and returns the same index (TestModLeaderRenew).
    @Test func renewByReissue() throws {
        let h = LockHarness()
        let n = try #require(try h.setLeader(candidate: "xxx", ttl: 2).1.index)
        h.advance(seconds: 1)
        #expect(try h.setLeader(candidate: "xxx", ttl: 3).1 == .acquired(n))
        h.advance(seconds: 2)
        #expect(try h.leaders.current("foo") == "xxx")
        h.advance(seconds: 1)
        #expect(try h.leaders.current("foo") == "")
    }

    /// Ensure that a second candidate hangs until the first is deleted, then leads (reference §5.6).
    @Test func secondCandidateWaitsForDelete() throws {
        let h = LockHarness()
        let n = try #require(try h.setLeader(candidate: "a", ttl: 10).1.index)
        let (b, outcome) = try h.setLeader(candidate: "b", ttl: 10)
        #expect(outcome == .parked)
        #expect(try h.leaders.current("foo") == "a")
        try h.leaders.remove("foo", candidate: "a", now: h.now)
        h.pump()
        #expect(h.wakes(of: b) == [.acquired(b, n + 2)])
        #expect(try h.leaders.current("foo") == "b")
    }

    /// Ensure that a waiting candidate's disconnect removes its candidacy (reference §5.6).
    @Test func waitingCandidateDisconnectRemovesIt() throws {
        let h = LockHarness()
        let n = try #require(try h.setLeader(candidate: "a", ttl: 10).1.index)
        let (b, _) = try h.setLeader(candidate: "b", ttl: 10)
        h.cancel(b)
        #expect(h.treeIndexes() == [n])
        try h.leaders.remove("foo", candidate: "a", now: h.now)
        h.pump()
        #expect(try h.leaders.current("foo") == "")
        #expect(h.wakes(of: b).isEmpty)
    }

    /// Ensure that deleting a waiting candidate by name withdraws it and fails its hanging PUT.
    @Test func deleteWaitingCandidate() throws {
        let h = LockHarness()
        let n = try #require(try h.setLeader(candidate: "a", ttl: 10).1.index)
        let (b, _) = try h.setLeader(candidate: "b", ttl: 10)
        try h.leaders.remove("foo", candidate: "b", now: h.now)
        h.pump()
        #expect(h.wakes(of: b) == [.failed(b, .entryRemoved)])
        #expect(h.treeIndexes() == [n])
        #expect(try h.leaders.current("foo") == "a")
    }

    /// Ensure that several clients with the same name share one entry and are all told at once.
    @Test func sameNameSharesEntry() throws {
        let h = LockHarness()
        let n = try #require(try h.setLeader(candidate: "a", ttl: 10).1.index)
        let (b1, _) = try h.setLeader(candidate: "b", ttl: 10)
        let (b2, _) = try h.setLeader(candidate: "b", ttl: 10)
        #expect(h.treeIndexes() == [n, n + 2])
        try h.leaders.remove("foo", candidate: "a", now: h.now)
        h.pump()
        #expect(h.wakes(of: b1) == [.acquired(b1, n + 2)])
        #expect(h.wakes(of: b2) == [.acquired(b2, n + 2)])
    }

    /// Ensure that removing an unknown candidate is 404 error 100 with cause "Release", and a key never used
    /// reads as nobody leading.
    @Test func unknownCandidateAndUnusedKey() throws {
        let h = LockHarness()
        #expect(try h.leaders.current("never") == "")
        #expect(throws: EtcdError(.keyNotFound, cause: "Release")) {
            try h.leaders.remove("never", candidate: "x", now: h.now)
        }
        _ = try h.setLeader(candidate: "a", ttl: 10)
        #expect(throws: EtcdError(.keyNotFound, cause: "Release")) {
            try h.leaders.remove("foo", candidate: "x", now: h.now)
        }
    }

    /// Ensure that leader keys and lock keys are one namespace: the leader's index is the lock's holder.
    @Test func sharesLockNamespace() throws {
        let h = LockHarness()
        let n = try #require(try h.setLeader(candidate: "a", ttl: 10).1.index)
        #expect(h.holderIndex() == "\(n)")
        #expect(h.holderValue() == "a")
        #expect(try h.acquire(value: "a", ttl: 10).1 == .acquired(n))
    }
}
