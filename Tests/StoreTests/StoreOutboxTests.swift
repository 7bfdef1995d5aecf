import Testing
@testable import Store

// What the store queues for its observers and its log: `observedKey` narrows `takeEvents` to one subtree
// (with its ancestors), `recordsCommands` off empties `takeCommands`, and `applyMirrored` writes like
// `apply` but leaves its event out of `takeEvents` while the history keeps it.

/// Ensure that with `observedKey` set only events of that key, below it or of its ancestors are queued,
/// compared by segment (a sibling sharing the prefix bytes is not).
@Test func observedKeyNarrowsTakeEvents() throws {
    let store = Store()
    store.observedKey = "/_etcd/mod/lock"
    try store.set("/a", "1")
    try store.set("/_etcd/mod/lockx", "1")
    try store.set("/_etcd/mod/lo", "1")
    #expect(store.takeEvents().isEmpty)
    let entry = try store.apply(.createInOrder(directory: "/_etcd/mod/lock/x", value: "v", dir: false, expiration: nil), now: t0)
    let removal = try store.apply(.delete(key: "/_etcd", dir: true, recursive: true), now: t0)
    #expect(store.takeEvents() == [entry, removal])
    try store.set("/_etcd/mod/lock", "file")
    #expect(store.takeEvents().map(\.node.key) == ["/_etcd/mod/lock"])
    store.observedKey = nil
    try store.set("/b", "2")
    #expect(store.takeEvents().map(\.node.key) == ["/b"])
}

/// Ensure that `recordsCommands` off keeps `takeCommands` empty while the writes themselves are unchanged.
@Test func commandsAreDroppedWhenNotRecorded() throws {
    let store = Store()
    store.recordsCommands = false
    let event = try store.set("/a", "1")
    #expect(store.takeCommands().isEmpty)
    #expect(store.index == event.index && store.takeEvents() == [event])
    store.recordsCommands = true
    try store.set("/a", "2")
    #expect(store.takeCommands() == [.set(key: "/a", value: "2", dir: false, expiration: nil)])
}

/// Ensure that `applyMirrored` consumes an index, reports it with the key written, keeps the event out of
/// `takeEvents` but in the history (a watch from that index gets it), and records the command.
@Test func mirroredWritesSkipTheEventQueueOnly() throws {
    let store = Store()
    let written = try store.applyMirrored(
        .createInOrder(directory: "/q", value: "v", dir: false, expiration: nil), now: t0)
    #expect(written.index == 1 && written.key == "/q/1" && store.index == 1)
    let update = try store.applyMirrored(
        .update(key: written.key, value: "w", expiration: nil), now: t0, reportedKey: true)
    #expect(update.index == 2 && update.key == "/q/1")
    #expect(store.takeEvents().isEmpty)
    #expect(store.takeCommands().count == 2)
    let seen = try store.watch("/q/1", recursive: false, stream: false, sinceIndex: 2, id: WatcherID(1))
    #expect(seen?.action == .update && seen?.node.value == "w")
    #expect(try store.read("/q/1").value == "w")
}
