import Testing
@testable import Store

/// Ensure that deleting a file answers the new index with the full previous node (TestV2DeleteKey).
@Test func deleteFile() throws {
    let store = Store()
    let n = try store.set("/foo/bar", "XXX").index
    let event = try store.apply(.delete(key: "/foo/bar", dir: false, recursive: false), now: t0)
    #expect(event == Event(
        action: .delete, node: NodeView(key: "/foo/bar", modifiedIndex: n + 1, createdIndex: n),
        prevNode: NodeView(key: "/foo/bar", value: "XXX", modifiedIndex: n, createdIndex: n)))
    #expect(failure { try store.read("/foo/bar") } == EtcdError(.keyNotFound, cause: "/foo/bar", index: n + 1))
    #expect(failure { try store.apply(.delete(key: "/foo/bar", dir: false, recursive: false), now: t0) }
        == EtcdError(.keyNotFound, cause: "/foo/bar", index: n + 1))
}

/// Ensure that an empty directory needs dir=true (else 102) and shows `dir` in node and prevNode
/// (TestV2DeleteEmptyDirectory, TestStoreDeleteDiretoryFailsIfNonRecursiveAndDir).
@Test func deleteEmptyDirectory() throws {
    let store = Store()
    let n = try store.set("/foo", dir: true).index
    #expect(failure { try store.apply(.delete(key: "/foo", dir: false, recursive: false), now: t0) }
        == EtcdError(.notFile, cause: "/foo", index: n))
    let event = try store.apply(.delete(key: "/foo", dir: true, recursive: false), now: t0)
    #expect(event == Event(
        action: .delete, node: NodeView(key: "/foo", isDir: true, modifiedIndex: n + 1, createdIndex: n),
        prevNode: NodeView(key: "/foo", isDir: true, modifiedIndex: n, createdIndex: n)))
}

/// Ensure that a non-empty directory needs recursive (else 108), hidden children included
/// (TestV2DeleteNonEmptyDirectory, TestStoreDeleteDiretory).
@Test func deleteNonEmptyDirectory() throws {
    let store = Store()
    let n = try store.set("/foo/_bar", dir: true).index
    #expect(failure { try store.apply(.delete(key: "/foo", dir: true, recursive: false), now: t0) }
        == EtcdError(.directoryNotEmpty, cause: "/foo", index: n))
    let event = try store.apply(.delete(key: "/foo", dir: true, recursive: true), now: t0)
    #expect(event.node == NodeView(key: "/foo", isDir: true, modifiedIndex: n + 1, createdIndex: n))
    #expect(event.prevNode?.nodes == nil)
    #expect(failure { try store.read("/foo/_bar") }?.code == .keyNotFound)
}

/// Ensure that recursive implies dir (TestV2DeleteDirectoryRecursiveImpliesDir) and cancels TTLs below.
@Test func deleteRecursiveImpliesDir() throws {
    let store = Store()
    try store.set("/foo/a", "1", ttl: 5)
    try store.set("/foo/b/c", "2", ttl: 7)
    #expect(store.keysWithTTL == 2)
    let event = try store.apply(.delete(key: "/foo", dir: false, recursive: true), now: t0)
    #expect(event.action == .delete && event.node.isDir)
    #expect(store.keysWithTTL == 0 && store.nextExpiry == nil)
    #expect(store.expire(upTo: at(10_000)).isEmpty)
}

/// Ensure that compareAndDelete by index and by value succeeds with a dir-less node (TestV2DeleteKeyCADOn*Success).
@Test func compareAndDeleteSucceeds() throws {
    let store = Store()
    let n = try store.set("/foo", "XXX").index
    let byIndex = try store.apply(.compareAndDelete(key: "/foo", prevValue: nil, prevIndex: n), now: t0)
    #expect(byIndex == Event(
        action: .compareAndDelete, node: NodeView(key: "/foo", modifiedIndex: n + 1, createdIndex: n),
        prevNode: NodeView(key: "/foo", value: "XXX", modifiedIndex: n, createdIndex: n)))
    try store.set("/foo", "XXX")
    let byValue = try store.apply(.compareAndDelete(key: "/foo", prevValue: "XXX", prevIndex: nil), now: t0)
    #expect(byValue.action == .compareAndDelete && byValue.index == n + 3)
}

/// Ensure that compareAndDelete failures are 101 with the CAS cause format, and 102 on a directory
/// (TestV2DeleteKeyCADOnIndexFail, …OnValueFail, TestStoreCompareAndDeleteDiretoryFail).
@Test func compareAndDeleteFails() throws {
    let store = Store()
    let n = try store.set("/foo", "XXX").index
    #expect(failure { try store.apply(.compareAndDelete(key: "/foo", prevValue: nil, prevIndex: 100), now: t0) }
        == EtcdError(.testFailed, cause: "[100 != \(n)]", index: n))
    #expect(failure { try store.apply(.compareAndDelete(key: "/foo", prevValue: "YYY", prevIndex: nil), now: t0) }
        == EtcdError(.testFailed, cause: "[YYY != XXX]", index: n))
    try store.set("/dir", dir: true)
    #expect(failure { try store.apply(.compareAndDelete(key: "/dir", prevValue: "x", prevIndex: nil), now: t0) }
        == EtcdError(.notFile, cause: "/dir", index: n + 1))
    #expect(try store.read("/foo").value == "XXX")
}
