import Testing
@testable import Store

/// Ensure that a missing key fails 100 with the path up to the first missing component (TestV2GetKey,
/// reference §4.4), and that a set key reads back with its value and index.
@Test func getMissingKeyThenItsValue() throws {
    let store = Store()
    #expect(failure { try store.read("/foo/bar") } == EtcdError(.keyNotFound, cause: "/foo", index: 0))
    let n = try store.set("/foo/bar", "XXX").index
    let event = try store.get("/foo/bar", recursive: false, sorted: false, now: t0)
    #expect(event.action == .get)
    #expect(event.node == NodeView(key: "/foo/bar", value: "XXX", modifiedIndex: n, createdIndex: n))
    #expect(failure { try store.read("/foo/baz/x") } == EtcdError(.keyNotFound, cause: "/foo/baz", index: n))
}

/// Ensure that reading through a file fails 104 with the file's path.
@Test func getThroughFileIsNotADirectory() throws {
    let store = Store()
    let n = try store.set("/foo", "bar").index
    #expect(failure { try store.read("/foo/bar/baz") } == EtcdError(.notDir, cause: "/foo", index: n))
}

/// Ensure that a recursive GET returns the whole subtree with ttls (TestV2GetKeyRecursively).
@Test func getRecursiveListsSubtree() throws {
    let store = Store()
    let n = try store.set("/foo/x", "XXX", ttl: 10).index
    try store.set("/foo/y/z", "YYY", ttl: 10)
    let node = try store.read("/foo", recursive: true)
    #expect(node.isDir && node.modifiedIndex == n && node.value == nil)
    let children = try #require(node.nodes)
    #expect(children.map(\.key) == ["/foo/x", "/foo/y"])
    #expect(children[0].value == "XXX" && children[0].ttl == 10 && children[0].expiration == at(10_000))
    #expect(children[1].isDir)
    #expect(children[1].nodes?.map(\.key) == ["/foo/y/z"])
    #expect(children[1].nodes?.first?.value == "YYY")
}

/// Ensure that a directory GET lists direct children without their own `nodes` and hides `_` children at every
/// level; a TTL child reports its ttl (TestStoreGetDirectory).
@Test func getDirectoryHidesHiddenChildren() throws {
    let store = Store()
    try store.set("/foo", dir: true)
    try store.set("/foo/bar", "X")
    try store.set("/foo/_hidden", "*")
    try store.set("/foo/baz", dir: true)
    try store.set("/foo/baz/bat", "Y")
    try store.set("/foo/baz/_hidden", "*")
    try store.set("/foo/baz/ttl", "Y", ttl: 3)
    let flat = try store.read("/foo")
    #expect(flat.nodes?.map(\.key) == ["/foo/bar", "/foo/baz"])
    #expect(flat.nodes?[1].nodes == nil)
    let deep = try store.read("/foo", recursive: true)
    let baz = try #require(deep.nodes?[1].nodes)
    #expect(baz.map(\.key) == ["/foo/baz/bat", "/foo/baz/ttl"])
    #expect(baz[1].ttl == 3)
    #expect(try store.read("/foo/_hidden").value == "*")
}

/// Ensure that `sorted` orders every level byte-wise, so `/q/10` < `/q/11` < `/q/9` (TestStoreGetSorted, §4.4).
@Test func getSortedIsLexicographicAtEveryLevel() throws {
    let store = Store()
    for name in ["9", "11", "10"] { try store.set("/q/\(name)", name) }
    for name in ["z", "a", "m"] { try store.set("/q/0/\(name)", name) }
    let node = try store.read("/q", recursive: true)
    #expect(node.nodes?.map(\.key) == ["/q/0", "/q/10", "/q/11", "/q/9"])
    #expect(node.nodes?[0].nodes?.map(\.key) == ["/q/0/a", "/q/0/m", "/q/0/z"])
}

/// Ensure that the root reads as a directory without indexes, and an empty directory lists no `nodes`.
@Test func getRootAndEmptyDirectory() throws {
    let store = Store()
    #expect(try store.read("/") == NodeView(key: "/", isDir: true, modifiedIndex: 0, createdIndex: 0))
    let n = try store.set("/empty", dir: true).index
    let root = try store.read("/", recursive: true)
    #expect(root.nodes == [NodeView(key: "/empty", isDir: true, modifiedIndex: n, createdIndex: n)])
}

/// Ensure that the ttl shown is rounded up and can go negative before the sweep (reference §4.8).
@Test func ttlIsRoundedUp() throws {
    let store = Store()
    try store.set("/k", "v", ttl: 5)
    #expect(try store.read("/k", now: at(1)).ttl == 5)
    #expect(try store.read("/k", now: at(4_001)).ttl == 1)
    #expect(try store.read("/k", now: at(5_000)).ttl == 0)
    #expect(try store.read("/k", now: at(6_500)).ttl == -1)
}
