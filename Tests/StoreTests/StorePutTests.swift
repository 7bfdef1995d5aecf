import Testing
@testable import Store

/// Ensure that a set creates a file with equal indexes and no prevNode (TestV2SetKey).
@Test func setCreatesFile() throws {
    let store = Store()
    let event = try store.set("/foo/bar", "XXX")
    let n = event.index
    #expect(n == 1 && store.index == n)
    #expect(event == Event(action: .set, node: NodeView(key: "/foo/bar", value: "XXX", modifiedIndex: n, createdIndex: n)))
    #expect(try store.read("/foo") == NodeView(
        key: "/foo", isDir: true, nodes: [NodeView(key: "/foo/bar", value: "XXX", modifiedIndex: n, createdIndex: n)],
        modifiedIndex: n, createdIndex: n))
}

/// Ensure that an empty value is kept and shown as "" (TestV2SetKeyCASWithEmptyValueSuccess).
@Test func setEmptyValue() throws {
    let store = Store()
    let event = try store.set("/foo/bar", "")
    #expect(event.node.value == "")
}

/// Ensure that a directory set shows `dir` and no value (TestV2SetDirectory).
@Test func setDirectory() throws {
    let store = Store()
    let event = try store.set("/foo", "ignored", dir: true)
    #expect(event.node == NodeView(key: "/foo", isDir: true, modifiedIndex: event.index, createdIndex: event.index))
}

/// Ensure that a set with a ttl reports the absolute expiration and the ttl (TestV2SetKeyWithTTL).
@Test func setWithTTL() throws {
    let store = Store()
    let event = try store.set("/foo/bar", "XXX", ttl: 20)
    #expect(event.node.ttl == 20 && event.node.expiration == at(20_000))
    #expect(store.keysWithTTL == 1)
}

/// Ensure that a set over a file replaces the node (new createdIndex, TTL dropped) and reports the old one
/// in prevNode (TestSet).
@Test func setReplacesFile() throws {
    let store = Store()
    let n = try store.set("/foo", "bar", ttl: 10).index
    let event = try store.set("/foo", "baz", now: at(1_500))
    #expect(event.node == NodeView(key: "/foo", value: "baz", modifiedIndex: n + 1, createdIndex: n + 1))
    #expect(event.prevNode == NodeView(
        key: "/foo", value: "bar", expiration: at(10_000), ttl: 9, modifiedIndex: n, createdIndex: n))
    #expect(store.keysWithTTL == 0)
}

/// Ensure that a file may be replaced by a directory but a directory can't be set (102), reference §4.6.
@Test func setConvertsFileToDirectoryButNotBack() throws {
    let store = Store()
    let n = try store.set("/foo", "bar").index
    let event = try store.set("/foo", dir: true)
    #expect(event.node.isDir && event.prevNode?.value == "bar")
    #expect(failure { try store.set("/foo", "x") } == EtcdError(.notFile, cause: "/foo", index: n + 1))
    #expect(failure { try store.set("/foo", dir: true) } == EtcdError(.notFile, cause: "/foo", index: n + 1))
}

/// Ensure that writing under a file fails 104 with the file path and creates nothing.
@Test func setThroughFileIsNotADirectory() throws {
    let store = Store()
    let n = try store.set("/a/file", "x").index
    #expect(failure { try store.set("/a/file/b/c", "y") } == EtcdError(.notDir, cause: "/a/file", index: n))
    #expect(store.index == n)
}

/// Ensure that create succeeds once and then fails 105 with cause = key and the current index
/// (TestV2CreateKeySuccess/Fail, TestStoreCreateFailsIfExists).
@Test func createFailsIfExists() throws {
    let store = Store()
    let event = try store.apply(.create(key: "/foo/bar", value: "XXX", dir: false, expiration: nil), now: t0)
    #expect(event.action == .create && event.node.value == "XXX")
    try store.set("/other", "x")
    #expect(failure { try store.apply(.create(key: "/foo/bar", value: "XXX", dir: false, expiration: nil), now: t0) }
        == EtcdError(.nodeExist, cause: "/foo/bar", index: event.index + 1))
    #expect(failure { try store.apply(.create(key: "/foo", value: "", dir: true, expiration: nil), now: t0) }?.code
        == .nodeExist)
}

/// Ensure that update keeps createdIndex and sets, then removes, the TTL (TestV2UpdateKeySuccess(WithTTL)).
@Test func updateKeepsCreatedIndexAndReplacesTTL() throws {
    let store = Store()
    let n = try store.set("/foo", "XXX").index
    let withTTL = try store.apply(.update(key: "/foo", value: "XXX", expiration: at(1_000_000)), now: t0)
    #expect(withTTL.action == .update)
    #expect(withTTL.node == NodeView(
        key: "/foo", value: "XXX", expiration: at(1_000_000), ttl: 1000, modifiedIndex: n + 1, createdIndex: n))
    let without = try store.apply(.update(key: "/foo", value: "XXX", expiration: nil), now: at(1_000))
    #expect(without.node == NodeView(key: "/foo", value: "XXX", modifiedIndex: n + 2, createdIndex: n))
    // The deliberate fix: prevNode shows the previous expiration, not the new one (reference §4.8).
    #expect(without.prevNode?.expiration == at(1_000_000) && without.prevNode?.ttl == 999)
    #expect(store.keysWithTTL == 0)
}

/// Ensure that an update to an empty value keeps the node with value "" (TestStoreUpdateValue).
@Test func updateToEmptyValue() throws {
    let store = Store()
    try store.set("/foo", "bar")
    let event = try store.apply(.update(key: "/foo", value: "", expiration: nil), now: t0)
    #expect(event.node.value == "" && event.prevNode?.value == "bar")
    #expect(try store.read("/foo").value == "")
}

/// Ensure that update fails 100 on missing keys with the first missing component
/// (TestV2UpdateKeyFailOnValue, TestV2UpdateKeyFailOnMissingDirectory).
@Test func updateMissingKeyFails() throws {
    let store = Store()
    #expect(failure { try store.apply(.update(key: "/foo", value: "YYY", expiration: nil), now: t0) }
        == EtcdError(.keyNotFound, cause: "/foo", index: 0))
    #expect(failure { try store.apply(.update(key: "/foo/bar", value: "YYY", expiration: nil), now: t0) }
        == EtcdError(.keyNotFound, cause: "/foo", index: 0))
    let n = try store.set("/foo", dir: true).index
    #expect(failure { try store.apply(.update(key: "/foo/bar", value: "YYY", expiration: nil), now: t0) }
        == EtcdError(.keyNotFound, cause: "/foo/bar", index: n))
}

/// Ensure that a directory can't get a value (102) but can get its TTL refreshed (TestStoreUpdateFailsIfDirectory).
@Test func updateDirectory() throws {
    let store = Store()
    let n = try store.set("/foo", dir: true).index
    #expect(failure { try store.apply(.update(key: "/foo", value: "baz", expiration: nil), now: t0) }
        == EtcdError(.notFile, cause: "/foo", index: n))
    let event = try store.apply(.update(key: "/foo", value: "", expiration: at(5_000)), now: t0)
    #expect(event.node == NodeView(key: "/foo", isDir: true, expiration: at(5_000), ttl: 5, modifiedIndex: n + 1, createdIndex: n))
}

/// Ensure that compareAndSwap by index and by value succeeds, keeps createdIndex and replaces the value
/// (TestV2SetKeyCASOnIndexSuccess, TestV2SetKeyCASOnValueSuccess).
@Test func compareAndSwapSucceeds() throws {
    let store = Store()
    let n = try store.set("/foo/bar", "XXX").index
    let byIndex = try store.apply(
        .compareAndSwap(key: "/foo/bar", value: "YYY", prevValue: nil, prevIndex: n, expiration: nil), now: t0)
    #expect(byIndex.action == .compareAndSwap)
    #expect(byIndex.node == NodeView(key: "/foo/bar", value: "YYY", modifiedIndex: n + 1, createdIndex: n))
    #expect(byIndex.prevNode?.value == "XXX")
    let byValue = try store.apply(
        .compareAndSwap(key: "/foo/bar", value: "ZZZ", prevValue: "YYY", prevIndex: nil, expiration: nil), now: t0)
    #expect(byValue.node.value == "ZZZ" && byValue.index == n + 2)
    let unconditional = try store.apply(
        .compareAndSwap(key: "/foo/bar", value: "W", prevValue: nil, prevIndex: 0, expiration: nil), now: t0)
    #expect(unconditional.node.value == "W")
}

/// Ensure that compare failures fail 101 with etcd v0.4's cause formats and the current index
/// (TestV2SetKeyCASOn{Index,Value,ValueAndIndex,ValueMatchAndIndex,IndexMatchAndValue}Fail).
@Test func compareAndSwapFailureCauses() throws {
    let store = Store()
    let n = try store.set("/foo/bar", "XXX").index
    func cas(_ prevValue: String?, _ prevIndex: EtcdIndex?) -> EtcdError? {
        failure { try store.apply(
            .compareAndSwap(key: "/foo/bar", value: "YYY", prevValue: prevValue, prevIndex: prevIndex, expiration: nil),
            now: t0) }
    }
    #expect(cas(nil, n + 9) == EtcdError(.testFailed, cause: "[\(n + 9) != \(n)]", index: n))
    #expect(cas("AAA", nil) == EtcdError(.testFailed, cause: "[AAA != XXX]", index: n))
    #expect(cas("AAA", n + 1) == EtcdError(.testFailed, cause: "[AAA != XXX] [\(n + 1) != \(n)]", index: n))
    #expect(cas("XXX", n + 1) == EtcdError(.testFailed, cause: "[\(n + 1) != \(n)]", index: n))
    #expect(cas("AAA", n) == EtcdError(.testFailed, cause: "[AAA != XXX]", index: n))
    #expect(try store.read("/foo/bar").value == "XXX")
}

/// Ensure that compareAndSwap fails 100 on a missing key, 102 on a directory and 107 on the root.
@Test func compareAndSwapOnMissingDirectoryAndRoot() throws {
    let store = Store()
    let n = try store.set("/dir", dir: true).index
    func cas(_ key: String) -> EtcdError? {
        failure { try store.apply(.compareAndSwap(key: key, value: "v", prevValue: "x", prevIndex: nil, expiration: nil), now: t0) }
    }
    #expect(cas("/missing") == EtcdError(.keyNotFound, cause: "/missing", index: n))
    #expect(cas("/dir") == EtcdError(.notFile, cause: "/dir", index: n))
    #expect(cas("/") == EtcdError(.rootReadOnly, cause: "/", index: n))
}

/// Ensure that in-order keys are named by the index their write gets, under the given directory
/// (TestV2CreateUnique), and that a file as the directory fails 104.
@Test func createInOrderNamesByIndex() throws {
    let store = Store()
    let first = try store.apply(.createInOrder(directory: "/foo/bar", value: "", dir: false, expiration: nil), now: t0)
    let n = first.index
    #expect(first.action == .create)
    #expect(first.node == NodeView(key: "/foo/bar/\(n)", value: "", modifiedIndex: n, createdIndex: n))
    let second = try store.apply(.createInOrder(directory: "/foo/bar", value: "", dir: false, expiration: nil), now: t0)
    #expect(second.node.key == "/foo/bar/\(n + 1)")
    let third = try store.apply(.createInOrder(directory: "/foo/baz", value: "", dir: true, expiration: nil), now: t0)
    #expect(third.node.key == "/foo/baz/\(n + 2)" && third.node.isDir)
    let root = try store.apply(.createInOrder(directory: "/", value: "r", dir: false, expiration: nil), now: t0)
    #expect(root.node.key == "/\(n + 3)")
    try store.set("/file", "x")
    #expect(failure { try store.apply(.createInOrder(directory: "/file", value: "", dir: false, expiration: nil), now: t0) }
        == EtcdError(.notDir, cause: "/file", index: n + 4))
}

/// Ensure that every write to the root fails 107 and changes nothing (TestRootRdOnly).
@Test func rootIsReadOnly() throws {
    let store = Store()
    let commands: [Command] = [
        .set(key: "/", value: "", dir: true, expiration: nil), .set(key: "", value: "x", dir: false, expiration: nil),
        .create(key: "/", value: "", dir: true, expiration: nil), .update(key: "/", value: "", expiration: nil),
        .compareAndSwap(key: "/", value: "", prevValue: nil, prevIndex: nil, expiration: nil),
        .delete(key: "/", dir: true, recursive: true), .compareAndDelete(key: "/", prevValue: "x", prevIndex: nil),
        .set(key: "/a/..", value: "", dir: false, expiration: nil),
    ]
    for command in commands {
        #expect(failure { try store.apply(command, now: t0) } == EtcdError(.rootReadOnly, cause: "/", index: 0))
    }
    #expect(store.index == 0 && store.takeEvents().isEmpty && store.takeCommands().isEmpty)
}
