import Modules
import Store
import Testing

// Input and key-tree errors of the lock API (reference §1.7, §5.6; SPEC §2 fix 6 for the key-tree ones).
@Suite struct LockErrorTests {
    /// Ensure that a negative ttl is error 202 with cause Acquire/Renew and writes nothing.
    @Test func negativeTTL() throws {
        let h = LockHarness()
        #expect(throws: EtcdError(.ttlNaN, cause: "Acquire")) { try h.acquire(ttl: -1) }
        #expect(h.store.index == 0)
        let n = try #require(try h.acquire(ttl: 10).1.index)
        #expect(throws: EtcdError(.ttlNaN, cause: "Renew")) { try h.renew(index: "\(n)", ttl: -1) }
        #expect(EtcdError(.ttlNaN).httpStatus == 400)
    }

    /// Ensure that renew and release without index and value are error 207, release with both 208.
    @Test func indexOrValueRequired() throws {
        let h = LockHarness()
        let n = try #require(try h.acquire(value: "v", ttl: 10).1.index)
        #expect(throws: EtcdError(.indexOrValueRequired, cause: "Renew")) { try h.renew(ttl: 10) }
        #expect(throws: EtcdError(.indexOrValueRequired, cause: "Release")) { try h.release() }
        #expect(throws: EtcdError(.indexOrValueRequired, cause: "Release")) { try h.release(index: "", value: "") }
        #expect(throws: EtcdError(.indexValueMutex, cause: "Release")) { try h.release(index: "\(n)", value: "v") }
        #expect(h.treeIndexes() == [n])
    }

    /// Ensure that renew/release by an unknown value is 404 error 100 with cause Renew/Release and index 0.
    @Test func unknownValue() throws {
        let h = LockHarness()
        _ = try h.acquire(value: "v", ttl: 10)
        #expect(throws: EtcdError(.keyNotFound, cause: "Renew")) { try h.renew(value: "w", ttl: 10) }
        #expect(throws: EtcdError(.keyNotFound, cause: "Release")) { try h.release(value: "w") }
        #expect(throws: EtcdError(.keyNotFound, cause: "Release")) { try h.release("other", value: "w") }
    }

    /// Ensure that renew/release by an unknown (or non-numeric) index is 404 error 100 with the entry path
    /// as cause and the store index — the JSON envelope, not etcd's plain-text 500 (fix 6, B9).
    @Test func unknownIndex() throws {
        let h = LockHarness()
        let n = try #require(try h.acquire(ttl: 10).1.index)
        let index = h.store.index
        #expect(throws: EtcdError(.keyNotFound, cause: "/_etcd/mod/lock/foo/999", index: index)) {
            try h.release(index: "999")
        }
        #expect(throws: EtcdError(.keyNotFound, cause: "/_etcd/mod/lock/foo/abc", index: index)) {
            try h.renew(index: "abc", ttl: 5)
        }
        #expect(throws: EtcdError(.keyNotFound, cause: "/_etcd/mod/lock/foo/0\(n)", index: index)) {
            try h.release(index: "0\(n)")
        }
        #expect(throws: EtcdError(.keyNotFound, cause: "/_etcd/mod/lock/bar/\(n)", index: index)) {
            try h.release("bar", index: "\(n)")
        }
        #expect(EtcdError(.keyNotFound).httpStatus == 404)
    }

    /// Ensure that GET with a bad field is error 209 while held, and "" while free or never used.
    @Test func invalidField() throws {
        let h = LockHarness()
        #expect(try h.locks.holder("foo", field: "bogus") == "")
        let n = try #require(try h.acquire(ttl: 10).1.index)
        #expect(throws: EtcdError(.invalidField, cause: "Get")) { try h.locks.holder("foo", field: "bogus") }
        #expect(try h.locks.holder("foo", field: "") == "-")
        #expect(try h.locks.holder("foo", field: "value") == "-")
        try h.release(index: "\(n)")
        #expect(try h.locks.holder("foo", field: "bogus") == "")
    }

    /// Ensure that a key-tree failure of the acquire itself (the lock directory is a file) surfaces as
    /// the key tree's own error (104, HTTP 400), not as a plain-text 500 (fix 6, B9).
    @Test func keyTreeErrorOnAcquire() throws {
        let h = LockHarness()
        try h.keys(.set(key: "/_etcd/mod/lock/file", value: "x", dir: false, expiration: nil))
        do {
            _ = try h.acquire("file", ttl: 10)
            Issue.record("acquire into a file succeeded")
        } catch {
            #expect(error.code == .notDir)
            #expect(error.httpStatus == 400)
        }
        #expect(h.locks.stats.waitersParked == 0)
    }

    /// Ensure that the failure texts and statuses are etcd v0.4's (and 503 for shutdown).
    @Test func failureTexts() {
        #expect(LockFailure.notAcquired.message == "failed to acquire lock")
        #expect(LockFailure.timedOut.message == "lock watch closed")
        #expect(LockFailure.entryRemoved.message == "lock entry removed")
        #expect(LockFailure.shuttingDown.message == "server is shutting down")
        #expect([LockFailure.notAcquired, .timedOut, .entryRemoved].allSatisfy { $0.httpStatus == 500 })
        #expect(LockFailure.shuttingDown.httpStatus == 503)
    }
}
