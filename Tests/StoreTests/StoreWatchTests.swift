import Testing
@testable import Store

private let w1 = WatcherID(1)
private let w2 = WatcherID(2)

extension Store {
    /// Registers a live watch and checks nothing was answered from the history.
    func watchLive(_ key: String, recursive: Bool = false, stream: Bool = false, since: EtcdIndex? = nil, id: WatcherID = w1) throws {
        let immediate = try watch(key, recursive: recursive, stream: stream, sinceIndex: since, id: id)
        #expect(immediate == nil, "watch on \(key) answered from history")
    }

    func notifiedEvents() -> [Event] { takeNotifications().map(\.1) }
}

/// Ensure that a watch without waitIndex gets the next event on its key and is then removed (TestV2WatchKey).
@Test func watchGetsNextEventOnce() throws {
    let store = Store()
    try store.watchLive("/foo/bar")
    #expect(store.watcherCount == 1 && store.stats.watchers == 1)
    let event = try store.set("/foo/bar", "XXX")
    let notes = store.takeNotifications()
    #expect(notes.count == 1 && notes[0].0 == w1 && notes[0].1 == event)
    #expect(store.watcherCount == 0)
    try store.set("/foo/bar", "YYY")
    #expect(store.takeNotifications().isEmpty)
}

/// Ensure that a future waitIndex skips earlier events (TestV2WatchKeyWithIndex).
@Test func watchWithFutureIndexWaitsForIt() throws {
    let store = Store()
    try store.watchLive("/foo/bar", since: 2)
    try store.set("/foo/bar", "XXX")
    #expect(store.takeNotifications().isEmpty)
    try store.set("/foo/bar", "YYY")
    let events = store.notifiedEvents()
    #expect(events.map(\.node.value) == ["YYY"] && events[0].index == 2)
}

/// Ensure that a waitIndex inside the history answers at once, registering nothing (api.md, reference §4.5).
@Test func watchWithPastIndexAnswersFromHistory() throws {
    let store = Store()
    let n = try store.set("/foo", "1").index
    try store.set("/other", "x")
    try store.set("/foo", "2")
    let first = try store.watch("/foo", recursive: false, stream: false, sinceIndex: n, id: w1)
    #expect(first?.node.value == "1")
    let second = try store.watch("/foo", recursive: false, stream: false, sinceIndex: n + 1, id: w1)
    #expect(second?.node.value == "2" && second?.index == n + 2)
    #expect(store.watcherCount == 0)
    #expect(try store.watch("/foo", recursive: false, stream: false, sinceIndex: n + 3, id: w1) == nil)
    #expect(store.watcherCount == 1)
}

/// Ensure that exact watches see create, update, compareAndSwap, delete and compareAndDelete events on their key
/// (TestStoreWatchCreate/Update/CompareAndSwap/Delete/CompareAndDelete).
@Test func exactWatchSeesEveryActionOnItsKey() throws {
    let store = Store()
    let commands: [(Command, EventAction)] = [
        (.create(key: "/foo", value: "a", dir: false, expiration: nil), .create),
        (.update(key: "/foo", value: "b", expiration: nil), .update),
        (.compareAndSwap(key: "/foo", value: "c", prevValue: "b", prevIndex: nil, expiration: nil), .compareAndSwap),
        (.compareAndDelete(key: "/foo", prevValue: "c", prevIndex: nil), .compareAndDelete),
        (.set(key: "/foo", value: "d", dir: false, expiration: nil), .set),
        (.delete(key: "/foo", dir: false, recursive: false), .delete),
    ]
    for (command, action) in commands {
        try store.watchLive("/foo")
        let event = try store.apply(command, now: t0)
        #expect(store.notifiedEvents() == [event] && event.action == action)
    }
}

/// Ensure that recursive watches see descendants, by path segment only: `/fo` never fires for `/foo`
/// (TestStoreWatchRecursiveCreate, TestWatcher).
@Test func recursiveWatchMatchesWholeSegments() throws {
    let store = Store()
    try store.watchLive("/fo", recursive: true, id: w1)
    try store.watchLive("/foo", recursive: true, id: w2)
    let event = try store.set("/foo/bar", "x")
    let notes = store.takeNotifications()
    #expect(notes.count == 1 && notes[0].0 == w2 && notes[0].1 == event)
    #expect(store.watcherCount == 1)
    try store.watchLive("/", recursive: true, id: w2)
    let next = try store.set("/fo", "y")
    #expect(store.takeNotifications().map(\.0.raw).sorted() == [1, 2])
    #expect(next.node.key == "/fo")
}

/// Ensure that a non-recursive watch on a directory fires only for the directory itself (reference §4.5).
@Test func nonRecursiveDirectoryWatchIgnoresChildren() throws {
    let store = Store()
    try store.set("/dir", dir: true)
    try store.watchLive("/dir")
    try store.set("/dir/child", "x")
    #expect(store.takeNotifications().isEmpty)
    let event = try store.apply(.update(key: "/dir", value: "", expiration: at(9_000)), now: t0)
    #expect(store.notifiedEvents() == [event])
}

/// Ensure that deleting or expiring an ancestor notifies watchers of descendants with the ancestor's event,
/// hidden descendants included (TestV2WatchKeyInDir, reference §4.5).
@Test func ancestorRemovalNotifiesDescendantWatchers() throws {
    let store = Store()
    try store.set("/keyindir", dir: true, ttl: 1)
    try store.set("/keyindir/bar", "XXX")
    try store.set("/keyindir/_hidden/deep", "h")
    try store.watchLive("/keyindir/bar", id: w1)
    try store.watchLive("/keyindir/_hidden/deep", id: w2)
    try store.watchLive("/keyindir/not/yet", id: WatcherID(3))
    let expired = store.expire(upTo: at(1_000))
    let notes = store.takeNotifications()
    #expect(notes.map(\.0.raw).sorted() == [1, 2])
    #expect(notes.allSatisfy { $0.1 == expired[0] && $0.1.action == .expire && $0.1.node.key == "/keyindir" })
    #expect(store.watcherCount == 1)
    try store.set("/a/b/c", "x")
    try store.watchLive("/a/b/c", id: w1)
    let deleted = try store.apply(.delete(key: "/a", dir: true, recursive: true), now: t0)
    #expect(store.notifiedEvents() == [deleted])
}

/// Ensure that a recursive watch does not see events that reach a key through a hidden segment below it, while
/// watching the hidden key itself or inside a hidden directory does (TestStoreWatch*WithHiddenKey,
/// TestStoreWatchRecursiveCreateDeeperThanHiddenKey).
@Test func hiddenKeysAreFilteredForWatchersAbove() throws {
    let store = Store()
    try store.watchLive("/foo", recursive: true, id: w1)
    try store.set("/foo/_bar", "x")
    try store.set("/foo/_bar/../_baz/quux", "y")
    _ = try store.apply(.delete(key: "/foo/_bar", dir: false, recursive: false), now: t0)
    #expect(store.takeNotifications().isEmpty)
    try store.watchLive("/_foo", id: w2)
    let hidden = try store.apply(.create(key: "/_foo", value: "bar", dir: false, expiration: nil), now: t0)
    #expect(store.notifiedEvents() == [hidden])
    try store.watchLive("/_deep/bar", recursive: true, id: w2)
    let deeper = try store.set("/_deep/bar/baz", "q")
    #expect(store.notifiedEvents() == [deeper])
    let visible = try store.set("/foo/visible", "v")
    #expect(store.notifiedEvents() == [visible])
}

/// Ensure that a hidden key expiring is not seen by a recursive root watch, the next visible expiry is
/// (TestStoreWatchExpireWithHiddenKey).
@Test func hiddenExpiryIsFilteredForRecursiveRootWatch() throws {
    let store = Store()
    try store.apply(.create(key: "/_foo", value: "bar", dir: false, expiration: at(500)), now: t0)
    try store.apply(.create(key: "/foofoo", value: "barbarbar", dir: false, expiration: at(1_000)), now: t0)
    try store.watchLive("/", recursive: true)
    #expect(store.expire(upTo: at(600)).count == 1)
    #expect(store.takeNotifications().isEmpty)
    #expect(store.expire(upTo: at(1_000)).count == 1)
    #expect(store.notifiedEvents().map(\.node.key) == ["/foofoo"])
}

/// Ensure that two keys expiring together get consecutive indexes and the second can be fetched with
/// waitIndex (TestStoreWatchExpire).
@Test func watchExpireThenFetchSecondFromHistory() throws {
    let store = Store()
    try store.apply(.create(key: "/foo", value: "bar", dir: false, expiration: at(500)), now: t0)
    let n = try store.apply(.create(key: "/foofoo", value: "barbarbar", dir: false, expiration: at(500)), now: t0).index
    try store.watchLive("/", recursive: true)
    #expect(store.expire(upTo: at(500)).count == 2)
    let first = store.notifiedEvents()
    #expect(first.map(\.action) == [.expire] && first.map(\.node.key) == ["/foo"] && first[0].index == n + 1)
    let second = try store.watch("/", recursive: true, stream: false, sinceIndex: n + 2, id: w1)
    #expect(second?.action == .expire && second?.node.key == "/foofoo")
}

/// Ensure that a stream watcher stays registered and sees successive events once each (TestStoreWatchStream).
@Test func streamWatcherSeesSuccessiveEvents() throws {
    let store = Store()
    try store.watchLive("/foo", stream: true)
    let a = try store.apply(.create(key: "/foo", value: "bar", dir: false, expiration: nil), now: t0)
    #expect(store.notifiedEvents() == [a])
    let b = try store.apply(.update(key: "/foo", value: "baz", expiration: nil), now: t0)
    let c = try store.apply(.delete(key: "/foo", dir: false, recursive: false), now: t0)
    #expect(store.notifiedEvents() == [b, c])
    #expect(store.watcherCount == 1)
    store.removeWatcher(w1)
    store.removeWatcher(w1)
    #expect(store.watcherCount == 0)
    try store.set("/foo", "x")
    #expect(store.takeNotifications().isEmpty)
}

/// Ensure that a stream whose waitIndex hits the history gets the first event at once, the later matching
/// history events as notifications, and then live events (etcd's stream went silent here, reference §4.5).
@Test func streamFromHistoryContinuesLive() throws {
    let store = Store()
    let n = try store.set("/s", "1").index
    try store.set("/other", "x")
    try store.set("/s", "2")
    let first = try store.watch("/s", recursive: false, stream: true, sinceIndex: n, id: w1)
    #expect(first?.node.value == "1")
    #expect(store.notifiedEvents().map(\.node.value) == ["2"])
    try store.set("/s", "3")
    #expect(store.notifiedEvents().map(\.node.value) == ["3"])
}

/// Ensure that a waitIndex older than the history fails 401 with etcd's cause and the current index.
@Test func tooOldWaitIndexIsCleared() throws {
    let store = Store()
    for i in 0..<1010 { try store.set("/k", "\(i)") }
    let current = store.index
    let oldest = current - 999
    #expect(failure { try store.watch("/k", recursive: false, stream: false, sinceIndex: oldest - 1, id: w1) }
        == EtcdError(.eventIndexCleared, cause: "the requested history has been cleared [\(oldest)/\(oldest - 1)]",
            index: current))
    #expect(try store.watch("/k", recursive: false, stream: false, sinceIndex: oldest, id: w1)?.index == oldest)
    #expect(store.watcherCount == 0)
}

/// Ensure that one set notifies 10,000 watchers of its key, each exactly once, and leaves none registered.
@Test func tenThousandWatchersAllNotified() throws {
    let store = Store()
    for raw in 0..<10_000 { try store.watchLive("/hot", id: WatcherID(UInt64(raw))) }
    for raw in stride(from: 0, to: 10_000, by: 2) { store.removeWatcher(WatcherID(UInt64(raw))) }
    for raw in stride(from: 0, to: 10_000, by: 2) { try store.watchLive("/hot", id: WatcherID(UInt64(raw))) }
    #expect(store.watcherCount == 10_000)
    let event = try store.set("/hot", "v")
    let notes = store.takeNotifications()
    #expect(notes.count == 10_000)
    #expect(Set(notes.map(\.0)).count == 10_000)
    #expect(notes.allSatisfy { $0.1 == event })
    #expect(store.watcherCount == 0)
}

/// Ensure that a re-registered id replaces its earlier watch instead of being notified twice.
@Test func reusedWatcherIDIsNotifiedOnce() throws {
    let store = Store()
    try store.watchLive("/a", id: w1)
    try store.watchLive("/a", id: w1)
    store.removeWatcher(w1)
    try store.watchLive("/a", id: w1)
    try store.set("/a", "x")
    #expect(store.takeNotifications().count == 1)
}
