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

/// Ensure that a node handed back as a hint is only trusted while it is in the tree: a hint for a
/// directory that was removed and made again, or for a file removed with its directory, leads to the
/// same result (success, or error 100 with the same cause) as a write without hint.
@Test func staleHintsAreIgnored() throws {
    let store = Store()
    let first = try store.applyMirrored(
        .createInOrder(directory: "/q", value: "v", dir: false, expiration: nil), now: t0)
    let directory = try #require(first.node?.parentNode)
    #expect(directory.path == "/q" && directory.isAttached)
    let second = try store.applyMirrored(
        .createInOrder(directory: "/q", value: "v", dir: false, expiration: nil), now: t0, hint: directory)
    #expect(second.key == "/q/2" && second.node?.parentNode === directory)
    let updated = try store.applyMirrored(
        .update(key: "/q/2", value: "w", expiration: at(5_000)), now: t0, reportedKey: true, hint: second.node)
    #expect(updated.node === second.node)
    #expect(try store.read("/q/2").value == "w")

    try store.apply(.delete(key: "/q", dir: true, recursive: true), now: t0)
    #expect(!directory.isAttached && second.node?.isAttached == false && second.node?.parentNode == nil)
    #expect(store.keysWithTTL == 0)
    // The file is gone with its directory: the hint changes nothing about the error.
    let stale = failure {
        try store.applyMirrored(
            .update(key: "/q/2", value: "x", expiration: nil), now: t0, reportedKey: true, hint: second.node)
    }
    #expect(stale?.code == .keyNotFound && stale?.cause == "/q")
    // A new /q: the old directory's node must not receive the entry.
    try store.set("/q", dir: true)
    let third = try store.applyMirrored(
        .createInOrder(directory: "/q", value: "v", dir: false, expiration: nil), now: t0, hint: directory)
    #expect(third.node?.parentNode !== directory && third.node?.parentNode?.isAttached == true)
    #expect(try store.read("/q").nodes?.map(\.key) == [third.key])
    #expect(directory.child("\(third.index)") == nil)
}

/// Ensure that an in-order create into a directory whose next name a keys-API write took already fails
/// with 105 and leaves that file and the directory untouched, with or without a directory hint.
@Test func inOrderCreateOverAnExistingNameChangesNothing() throws {
    let store = Store()
    let first = try store.applyMirrored(
        .createInOrder(directory: "/q", value: "v", dir: false, expiration: nil), now: t0)
    let directory = try #require(first.node?.parentNode)
    try store.set("/q/3", "taken")  // index 2: the next in-order name is "3"
    let error = failure {
        try store.applyMirrored(
            .createInOrder(directory: "/q", value: "v", dir: false, expiration: nil), now: t0, hint: directory)
    }
    #expect(error?.code == .nodeExist && error?.cause == "/q/3" && error?.index == 2)
    #expect(try store.read("/q/3").value == "taken")
    #expect(store.index == 2)
    #expect(try store.read("/q").nodes?.map(\.key) == ["/q/1", "/q/3"])
}

/// Ensure that a delete with its file's node as hint removes exactly that file from the tree and the key
/// index (a later create of the same key is a new node), and that the same hint once stale changes
/// nothing about the error.
@Test func deleteByHintLeavesNoTrace() throws {
    let store = Store()
    let entry = try store.applyMirrored(
        .createInOrder(directory: "/q", value: "v", dir: false, expiration: at(1_000)), now: t0)
    let node = try #require(entry.node)
    let removed = try store.applyMirrored(
        .delete(key: entry.key, dir: false, recursive: false), now: t0, reportedKey: true, hint: node)
    #expect(removed.index == 2 && !node.isAttached && store.keysWithTTL == 0)
    #expect(failure { try store.read(entry.key) }?.code == .keyNotFound)
    #expect(try store.read("/q").nodes == nil)
    let again = failure {
        try store.applyMirrored(
            .delete(key: entry.key, dir: false, recursive: false), now: t0, reportedKey: true, hint: node)
    }
    #expect(again?.code == .keyNotFound && again?.cause == entry.key && again?.index == 2)
    let recreated = try store.set(entry.key, "w")
    #expect(recreated.node.createdIndex == 3)
    #expect(try store.read(entry.key).value == "w")
}
