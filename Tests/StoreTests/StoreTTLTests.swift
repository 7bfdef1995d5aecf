import Testing
@testable import Store

/// Ensure that a key expires exactly at its deadline, with its own index, an expire event without value and
/// the full previous node (reference §4.8).
@Test func keyExpiresAtDeadline() throws {
    let store = Store()
    let n = try store.set("/foo", "bar", ttl: 2).index
    #expect(store.nextExpiry != nil && store.nextExpiry! <= at(2_000))
    #expect(store.expire(upTo: at(1_999)).isEmpty)
    let events = store.expire(upTo: at(2_000))
    #expect(events == [Event(
        action: .expire, node: NodeView(key: "/foo", modifiedIndex: n + 1, createdIndex: n),
        prevNode: NodeView(key: "/foo", value: "bar", expiration: at(2_000), modifiedIndex: n, createdIndex: n))])
    #expect(store.index == n + 1 && store.keysWithTTL == 0 && store.nextExpiry == nil)
    #expect(failure { try store.read("/foo") }?.code == .keyNotFound)
    #expect(store.stats.expireCount == 1)
    #expect(store.takeCommands().last == .expire(key: "/foo"))
}

/// Ensure that an update's TTL replaces the old one: the key survives its first deadline and expires at the
/// new one (TestStoreUpdateValueTTL).
@Test func updatedTTLReplacesOldDeadline() throws {
    let store = Store()
    try store.set("/foo", "bar", ttl: 1)
    _ = try store.apply(.update(key: "/foo", value: "baz", expiration: at(3_000)), now: at(500))
    #expect(store.expire(upTo: at(1_000)).isEmpty)
    #expect(try store.read("/foo", now: at(1_000)).value == "baz")
    #expect(store.expire(upTo: at(3_000)).map(\.node.key) == ["/foo"])
}

/// Ensure that a directory TTL removes the directory with its subtree and disarms the children's timers
/// (TestStoreUpdateDirTTL, TestV2WatchKeyInDir).
@Test func directoryTTLRemovesSubtree() throws {
    let store = Store()
    let n = try store.set("/dir", dir: true, ttl: 1).index
    try store.set("/dir/a", "1", ttl: 10)
    try store.set("/dir/b/c", "2")
    let events = store.expire(upTo: at(1_000))
    #expect(events.count == 1)
    #expect(events[0].node == NodeView(key: "/dir", modifiedIndex: n + 3, createdIndex: n))
    #expect(events[0].prevNode?.isDir == true && events[0].prevNode?.nodes == nil)
    #expect(store.keysWithTTL == 0)
    #expect(store.expire(upTo: at(20_000)).isEmpty)
}

/// Ensure that keys expiring together are removed oldest deadline first, each with its own consecutive index
/// (TestStoreWatchExpire).
@Test func simultaneousExpiriesGetConsecutiveIndexes() throws {
    let store = Store()
    let n = try store.set("/b", "2", ttl: 2).index
    try store.set("/a", "1", ttl: 1)
    try store.set("/c", "3", ttl: 1)
    let events = store.expire(upTo: at(5_000))
    #expect(events.map(\.node.key) == ["/a", "/c", "/b"])
    #expect(events.map(\.index) == [n + 3, n + 4, n + 5])
    #expect(store.stats.expireCount == 3)
}

/// Ensure that a zero or negative ttl is due at once: shown with expiration but no ttl, gone at next expire.
@Test func pastDeadlineExpiresAtNextSweep() throws {
    let store = Store()
    let zero = try store.set("/zero", "z", ttl: 0)
    #expect(zero.node.expiration == t0 && zero.node.ttl == 0)
    try store.set("/neg", "n", ttl: -5)
    #expect(store.nextExpiry != nil && store.nextExpiry! <= t0)
    #expect(store.expire(upTo: t0).map(\.node.key) == ["/neg", "/zero"])
}

/// Ensure that replacing or deleting a node disarms its timer, so an old deadline never removes a new node.
@Test func replacedNodeKeepsNoStaleTimer() throws {
    let store = Store()
    try store.set("/k", "old", ttl: 1)
    try store.set("/k", "new")
    #expect(store.keysWithTTL == 0)
    #expect(store.expire(upTo: at(5_000)).isEmpty)
    #expect(try store.read("/k").value == "new")
}

/// Ensure that an expiry replayed from the log as a command removes the node like the timer would.
@Test func expireCommandReplays() throws {
    let store = Store()
    let n = try store.set("/k", "v", ttl: 100).index
    let event = try store.apply(.expire(key: "/k"), now: at(100_000))
    #expect(event.action == .expire && event.index == n + 1)
    #expect(store.keysWithTTL == 0)
    #expect(failure { try store.apply(.expire(key: "/k"), now: at(100_000)) }?.code == .keyNotFound)
}
