import Testing
@testable import Store

/// Ensure that every operation bumps its own success or fail counter, expiries count, and watchers are the
/// live registrations (TestStoreStats*, reference §4.12).
@Test func statsCountEveryOperation() throws {
    let store = Store()
    var expected = StoreStats()
    try store.set("/foo", "bar")
    _ = failure { try store.set("/foo/x", "y") }
    expected.setsSuccess = 1
    expected.setsFail = 1
    _ = try store.read("/foo")
    _ = failure { try store.read("/nope") }
    expected.getsSuccess = 1
    expected.getsFail = 1
    try store.apply(.create(key: "/c", value: "", dir: false, expiration: nil), now: t0)
    try store.apply(.createInOrder(directory: "/q", value: "", dir: false, expiration: nil), now: t0)
    _ = failure { try store.apply(.create(key: "/c", value: "", dir: false, expiration: nil), now: t0) }
    expected.createSuccess = 2
    expected.createFail = 1
    try store.apply(.update(key: "/foo", value: "baz", expiration: nil), now: t0)
    _ = failure { try store.apply(.update(key: "/nope", value: "baz", expiration: nil), now: t0) }
    expected.updateSuccess = 1
    expected.updateFail = 1
    try store.apply(.compareAndSwap(key: "/foo", value: "q", prevValue: "baz", prevIndex: nil, expiration: nil), now: t0)
    _ = failure { try store.apply(.compareAndSwap(key: "/foo", value: "q", prevValue: "zz", prevIndex: nil, expiration: nil), now: t0) }
    expected.compareAndSwapSuccess = 1
    expected.compareAndSwapFail = 1
    try store.apply(.compareAndDelete(key: "/foo", prevValue: "q", prevIndex: nil), now: t0)
    _ = failure { try store.apply(.compareAndDelete(key: "/foo", prevValue: "q", prevIndex: nil), now: t0) }
    expected.compareAndDeleteSuccess = 1
    expected.compareAndDeleteFail = 1
    try store.apply(.delete(key: "/c", dir: false, recursive: false), now: t0)
    _ = failure { try store.apply(.delete(key: "/c", dir: false, recursive: false), now: t0) }
    expected.deleteSuccess = 1
    expected.deleteFail = 1
    try store.set("/ttl", "t", ttl: 1)
    expected.setsSuccess += 1
    _ = store.expire(upTo: at(1_000))
    expected.expireCount = 1
    _ = try store.watch("/w", recursive: false, stream: false, sinceIndex: nil, id: WatcherID(7))
    expected.watchers = 1
    #expect(store.stats == expected)
}

/// Ensure that `takeEvents` and `takeCommands` hand out every successful mutation once, in order.
@Test func mutationsAreObservableOnce() throws {
    let store = Store()
    let a = try store.set("/a", "1", ttl: 1)
    _ = failure { try store.set("/a/b", "x") }
    let expired = store.expire(upTo: at(1_000))
    #expect(store.takeEvents() == [a] + expired)
    #expect(store.takeEvents().isEmpty)
    #expect(store.takeCommands() == [.set(key: "/a", value: "1", dir: false, expiration: at(1_000)), .expire(key: "/a")])
    #expect(store.takeCommands().isEmpty)
}

/// Ensure that replaying the applied commands into a fresh store rebuilds the same tree and index.
@Test func replayingCommandsRebuildsTheTree() throws {
    let store = Store()
    try store.set("/dir/a", "1", ttl: 5)
    try store.apply(.createInOrder(directory: "/queue", value: "x", dir: false, expiration: nil), now: t0)
    try store.apply(.update(key: "/dir/a", value: "2", expiration: at(9_000)), now: t0)
    try store.set("/dir/b", "b", ttl: 1)
    _ = store.expire(upTo: at(1_000))
    let replica = Store()
    for command in store.takeCommands() { try replica.apply(command, now: at(1_000)) }
    #expect(replica.index == store.index)
    #expect(try replica.read("/", recursive: true, now: at(1_000)) == store.read("/", recursive: true, now: at(1_000)))
    #expect(replica.keysWithTTL == 1)
}
