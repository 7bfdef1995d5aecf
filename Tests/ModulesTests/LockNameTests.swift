import TestSupport
import Modules
import Store
import Testing

// How lock names become queue directories, and the name → queue cache in front of that: byte-wise fast
// paths must give exactly what the general (Character-wise `path.Clean`) code gives, and the cache must
// behave as if every request cleaned its name again.
@Suite struct LockNameTests {
    /// Ensure that the byte-wise fast path of `directory(forName:)` agrees with the general cleaning for
    /// random names over an alphabet of separators, dots, combining marks and look-alikes.
    @Test func fastPathMatchesGeneralCleaning() {
        var random = SplitMix64(seed: 7)
        let alphabet = ["a", "b", "/", "/", ".", ".", "_", "\u{301}", "\u{e9}", "K", "\u{212A}", "\u{600}", "é"]
        for _ in 0..<20_000 {
            let name = (0..<random.below(9)).map { _ in random.pick(alphabet) }.joined()
            let expected = name.isEmpty ? LockPath.root : LockPath.cleanedDirectory(name)
            let actual = LockPath.directory(forName: name)
            #expect(Array(actual.utf8) == Array(expected.utf8), "name \(Array(name.unicodeScalars))")
            if LockPath.isClean(name) { #expect(Array(actual.utf8) == Array((LockPath.root + "/" + name).utf8)) }
        }
        #expect(LockPath.directory(forName: "a/./b") == "/_etcd/mod/lock/a/b")
        #expect(LockPath.directory(forName: "...") == "/_etcd/mod/lock/...")
        #expect(LockPath.directory(forName: "/") == "/_etcd/mod/lock")
    }

    /// Ensure that entry indexes are canonical decimals within EtcdIndex (an overflowing name is no entry).
    @Test func canonicalIndexes() {
        #expect(LockPath.canonicalIndex("0") == 0)
        #expect(LockPath.canonicalIndex("18446744073709551615") == EtcdIndex.max)
        #expect(LockPath.canonicalIndex("18446744073709551616") == nil)
        #expect(LockPath.canonicalIndex("") == nil)
        #expect(LockPath.canonicalIndex("+1") == nil)
        #expect(LockPath.canonicalIndex("٣") == nil)
        #expect(LockPath.entry(ofKey: "/_etcd/mod/lock") == nil)
        #expect(LockPath.entry(ofKey: "/_etcd/mod/lock/_x/0")! == ("/_etcd/mod/lock/_x", 0))
    }

    /// Ensure that every spelling of a lock name reaches the same queue, and that an entry's key is spelled
    /// the way the request that created it spelled the name (canonically equal names share the queue, as
    /// the key tree's nodes do, but keep their own bytes).
    @Test func spellingsShareOneQueueAndKeepTheirBytes() throws {
        let h = LockHarness()
        let first = try #require(try h.acquire("e\u{301}", ttl: 10).1.index)
        let (_, second) = try h.acquire("\u{e9}", ttl: 10)
        #expect(second == .parked)
        #expect(h.locks.queuedIndexes("/e\u{301}/") == [first, first + 2])
        #expect(h.holderIndex("\u{e9}") == "\(first)")
        let keys = try h.store.get(LockPath.directory(forName: "e\u{301}"), recursive: false, sorted: true, now: h.now)
            .node.nodes?.map { Array($0.key.utf8) } ?? []
        #expect(keys == [Array("/_etcd/mod/lock/e\u{301}/\(first)".utf8), Array("/_etcd/mod/lock/\u{e9}/\(first + 2)".utf8)])
        // The Kelvin sign is canonically a K: one queue, two spellings of keys.
        let k = try #require(try h.acquire("K", ttl: 10).1.index)
        #expect(try h.acquire("\u{212A}", ttl: 10).1 == .parked)
        #expect(h.locks.queuedIndexes("K") == [k, k + 2])
        #expect(h.node("\u{212A}", k + 2).map { Array($0.key.utf8) } == Array("/_etcd/mod/lock/\u{212A}/\(k + 2)".utf8))
    }

    /// Ensure that a lock directory removed through the keys API is forgotten by name too: the next request
    /// on that name starts a new queue in the tree instead of acting on the removed one.
    @Test func removedDirectoryIsForgotten() throws {
        let h = LockHarness()
        let old = try #require(try h.acquire("gone", ttl: 10).1.index)
        try h.keys(.delete(key: "/_etcd/mod/lock/gone", dir: true, recursive: true))
        #expect(h.holderIndex("gone") == "")
        #expect(h.locks.queuedIndexes("gone") == [])
        let new = try #require(try h.acquire("gone", ttl: 10).1.index)
        #expect(new > old)
        #expect(h.treeIndexes("gone") == [new])
        try h.release("gone", index: "\(new)")
        #expect(h.treeIndexes("gone") == [])
        // Removing an ancestor of the lock root removes every queue below it.
        let again = try #require(try h.acquire("gone", ttl: 10).1.index)
        try h.keys(.delete(key: "/_etcd", dir: true, recursive: true))
        #expect(h.locks.queuedIndexes("gone") == [])
        #expect(throws: EtcdError.self) { try h.release("gone", index: "\(again)") }
        #expect(try h.acquire("gone", ttl: 10).1.index != nil)
    }

    /// Ensure that a release by an unknown index names the entry as the request spelled the lock.
    @Test func unknownIndexCauseUsesTheRequestSpelling() throws {
        let h = LockHarness()
        _ = try h.acquire("n", ttl: 10)
        do {
            try h.release("/n/", index: "99")
            Issue.record("released an unknown index")
        } catch {
            #expect(error.cause == "/_etcd/mod/lock/n/99")
            #expect(error.code == .keyNotFound)
        }
    }

    /// Ensure that a name given as bytes that are not UTF-8 reaches the queue of its repaired spelling (the
    /// String the route made of such bytes before names were looked up by their bytes), before and after the
    /// name cache knows those bytes.
    @Test func invalidUTF8BytesNameTheRepairedLock() throws {
        let h = LockHarness()
        let bytes: [UInt8] = [0x61, 0xFF]
        let first = try #require(
            try h.locks.acquire(LockName(bytes: bytes[...]), value: "", ttl: 10, timeout: nil, waiter: h.newWaiter(), now: h.now)
                .index)
        #expect(h.holderIndex("a\u{FFFD}") == "\(first)")
        #expect(try h.locks.holder(LockName(bytes: [0x61, 0xFF]), field: "index") == "\(first)")
        #expect(try h.locks.holder(LockName(bytes: [0x61, 0xFE]), field: "index") == "\(first)")
        #expect(try h.locks.holder(LockName(bytes: [0x61, 0xEF, 0xBF, 0xBD]), field: "index") == "\(first)")
        try h.locks.release(LockName(bytes: [0x61, 0xFF]), index: "\(first)", value: nil, now: h.now)
        #expect(h.holderIndex("a\u{FFFD}") == "")
    }
}
