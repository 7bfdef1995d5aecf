import Testing
import TestSupport
@testable import Store

// The store finds known keys through a key → node index and turns a replaced file into its successor in
// place; these tests pin down that both are invisible: removals take whole subtrees out of every lookup,
// restores and directory conversions are found again, and a canonically equivalent spelling replaces a
// node exactly as etcd's remove-and-create did.

/// Ensure that a recursive delete removes every key of the subtree from lookups, and that they can be
/// created again (not 105).
@Test func deletedSubtreeIsGoneFromEveryLookup() throws {
    let store = Store()
    try store.set("/a/b/c", "1")
    try store.set("/a/d", "2")
    let n = try store.apply(.delete(key: "/a", dir: true, recursive: true), now: t0).index
    #expect(failure { try store.read("/a/b/c") } == EtcdError(.keyNotFound, cause: "/a", index: n))
    #expect(failure { try store.read("/a/d") } == EtcdError(.keyNotFound, cause: "/a", index: n))
    let created = try store.apply(.create(key: "/a/b/c", value: "3", dir: false, expiration: nil), now: t0)
    #expect(created.node.value == "3" && created.prevNode == nil)
    #expect(try store.read("/a/b").nodes?.map(\.key) == ["/a/b/c"])
}

/// Ensure that an expired directory takes its descendants out of lookups.
@Test func expiredDirectoryTakesItsKeysAlong() throws {
    let store = Store()
    try store.set("/t", dir: true, ttl: 1)
    try store.set("/t/x", "1")
    #expect(store.expire(upTo: at(1_000)).count == 1)
    #expect(failure { try store.read("/t/x") }?.code == .keyNotFound)
    #expect(try store.apply(.create(key: "/t/x", value: "2", dir: false, expiration: nil), now: at(1_000)).index > 0)
}

/// Ensure that a file set to a directory is found as one, with children below it.
@Test func fileTurnedDirectoryTakesChildren() throws {
    let store = Store()
    try store.set("/f", "v")
    let n = try store.set("/f", dir: true).index
    try store.set("/f/x", "1")
    let listing = try store.read("/f")
    #expect(listing.isDir && listing.createdIndex == n && listing.nodes?.map(\.key) == ["/f/x"])
}

/// Ensure that replacing a file through a canonically equivalent spelling shows the new spelling, byte for
/// byte, in the event and in the tree, as etcd's remove-and-create does.
@Test func equivalentSpellingReplacesWithTheNewSpelling() throws {
    let store = Store()
    try store.set("/caf\u{E9}/x", "1")
    let event = try store.set("/cafe\u{301}/x", "2")
    #expect(event.node.key.utf8.elementsEqual("/cafe\u{301}/x".utf8))
    #expect(event.prevNode?.key.utf8.elementsEqual("/caf\u{E9}/x".utf8) == true)
    #expect(try store.read("/caf\u{E9}/x").value == "2")
    try store.set("/\u{E9}", "1")
    try store.set("/e\u{301}", "2")
    let names = store.image().entries.map(\.name)
    #expect(names.contains { $0.utf8.elementsEqual("e\u{301}".utf8) })
    #expect(!names.contains { $0.utf8.elementsEqual("\u{E9}".utf8) })
    #expect(try store.read("/\u{E9}").key.utf8.elementsEqual("/e\u{301}".utf8))
}

/// Ensure that a restored tree is found key by key: reads, replacing sets (with prevNode) and 105 on create.
@Test func restoredTreeIsFoundKeyByKey() throws {
    let original = Store()
    try original.set("/a/b", "1")
    try original.set("/a/c/d", "2", ttl: 60)
    let restored = Store()
    try restored.restore(original.image(), now: t0)
    #expect(try restored.read("/a/c/d").value == "2")
    #expect(try restored.set("/a/b", "3").prevNode?.value == "1")
    #expect(failure { try restored.apply(.create(key: "/a/c/d", value: "", dir: false, expiration: nil), now: t0) }?
        .code == .nodeExist)
    #expect(failure { try restored.read("/a/b/x") } == EtcdError(.notDir, cause: "/a/b", index: restored.index))
}

/// Ensure that taken events and commands stay intact while the store reuses its buffers for the next ones.
@Test func takenBatchesAreUnaffectedByLaterWrites() throws {
    let store = Store()
    try store.set("/k", "1")
    let first = store.takeEvents()
    let firstCommands = store.takeCommands()
    try store.set("/k", "2")
    let second = store.takeEvents()
    try store.set("/k", "3")
    try store.set("/k", "4")
    let third = store.takeEvents()
    #expect(first.map(\.node.value) == ["1"] && firstCommands.count == 1)
    #expect(second.map(\.node.value) == ["2"])
    #expect(third.map(\.node.value) == ["3", "4"])
    #expect(store.takeCommands().count == 3 && store.takeEvents().isEmpty && store.takeCommands().isEmpty)
}

/// Ensure that a path's segments, prefixes and cleanliness are computed from its bytes.
@Test func segmentsAndPrefixesFollowTheBytes() {
    #expect(KeyPath("/").components.isEmpty && KeyPath("/").prefix(0) == "/")
    #expect(KeyPath("/a/bb/ccc").prefix(1) == "/a" && KeyPath("/a/bb/ccc").prefix(3) == "/a/bb/ccc")
    #expect(KeyPath("/a/bb/ccc").parentAndName() == ("/a/bb", "ccc"))
    #expect(KeyPath("/a").parentAndName() == ("/", "a"))
    for clean in ["/", "/a", "/a/b", "/.a/..b/...", "/a./b.."] { #expect(KeyPath.isClean(clean), "\(clean)") }
    for dirty in ["", "a", "//", "/a/", "/a//b", "/.", "/a/..", "/./a"] { #expect(!KeyPath.isClean(dirty), "\(dirty)") }
}

/// Ensure that the store's last-found memo (`find`) never answers with a node that left the tree: over
/// 5,000 seeded steps of sets (some with a TTL), reads, file deletes, recursive directory deletes and
/// expiries, every read of a key agrees with a model of which files exist and what they hold.
@Test func lastFoundNodeNeverOutlivesItsKey() throws {
    var random = SplitMix64(seed: 2026_11_26)
    let store = Store()
    let files = ["/a/x", "/a/y", "/a/b/z", "/c", "/d/x"]
    var model: [String: (value: String, expires: Int64?)] = [:]
    var clock: Int64 = 0
    for step in 0..<5_000 {
        let key = files.randomElement(using: &random)!
        // A read first, so the memo holds the key the mutation may remove.
        if Bool.random(using: &random) { _ = try? store.read(key, now: at(clock)) }
        switch Int.random(in: 0..<10, using: &random) {
        case 0...3:
            let ttl: Int64? = Int.random(in: 0..<4, using: &random) == 0 ? 1 : nil
            try store.set(key, "v\(step)", ttl: ttl, now: at(clock))
            model[key] = ("v\(step)", ttl.map { clock + $0 * 1000 })
        case 4, 5:
            let deleted = (try? store.apply(.delete(key: key, dir: false, recursive: false), now: at(clock))) != nil
            #expect(deleted == (model[key] != nil), "delete \(key) at step \(step)")
            model[key] = nil
        case 6:
            let directory = ["/a", "/a/b", "/d"].randomElement(using: &random)!
            _ = try? store.apply(.delete(key: directory, dir: true, recursive: true), now: at(clock))
            for file in model.keys where file.hasPrefix(directory + "/") { model[file] = nil }
        case 7:
            clock += 600
            _ = store.expire(upTo: at(clock))
            for (file, entry) in model where entry.expires.map({ $0 <= clock }) == true { model[file] = nil }
        default:
            break
        }
        for file in files {
            let read = try? store.read(file, now: at(clock))
            #expect(read?.value == model[file]?.value, "\(file) at step \(step)")
            if read?.value != model[file]?.value { return }
        }
    }
}
