// A memo of rendered file nodes: `{"key":…,"value":…,"modifiedIndex":…,"createdIndex":…}` for the last few
// file versions rendered, so a version is turned into JSON once however often it is shown.
//
// Why: a version is shown again and again — every read of an unchanged key, every watcher it wakes, and the
// `prevNode` of the write that replaces it (a keys PUT renders the new version as `node` and the version it
// rendered one write ago as `prevNode`). Rendering one node is ~2,000 instructions; a hit is one append.
//
// Invariant: a slot's bytes are exactly `EtcdJSON.node` of a view with the slot's key, value and indexes and
// nothing else (no dir flag, no TTL, no children). A lookup hits only when all four fields are equal (see
// `same` for the Strings), so the cache is a memo of a pure function and never serves anything stale,
// whatever the store did in between.
// Only such plain file views are cached (a TTL's `ttl` changes with time), and only small ones, so the memo
// holds at most `slotCount` × `maxCachedBytes` of JSON. Slots are chosen by modifiedIndex: each write has its
// own index, so recent versions rarely collide.

import HTTP
import Store

/// Rendered JSON of recently shown file versions, direct-mapped by modifiedIndex.
package struct NodeJSONCache {
    private struct Slot {
        var key: String
        var value: String
        var modifiedIndex: EtcdIndex
        var createdIndex: EtcdIndex
        var json: [UInt8]
    }

    package static let slotCount = 256
    /// Larger renderings are not kept: their cost is the copy of their bytes, which a hit would not save.
    package static let maxCachedBytes = 1024
    private var slots: [Slot?] = Array(repeating: nil, count: slotCount)

    package init() {}

    /// Whether two Strings are the same text for this memo: equal and of equal UTF-8 length. String `==` is
    /// canonical equivalence; the length check tells apart the spellings that matter here ("é" and
    /// "e\u{301}"). Canonically equal strings of equal length and different bytes (combining marks in
    /// another order) would still compare equal, but they cannot meet in one slot with equal indexes: a
    /// modifiedIndex names one write, which stored one spelling of its key and one value. (A byte-wise
    /// `elementsEqual` of the UTF-8 views cost more than rendering the node.)
    @inline(__always)
    private static func same(_ a: String, _ b: String) -> Bool {
        a.utf8.count == b.utf8.count && a == b
    }

    /// Appends the JSON of `node` to `w`, from the memo when this exact version was rendered recently.
    package mutating func node(_ node: NodeView, into w: inout JSONWriter) {
        guard let value = node.value, !node.isDir, node.expiration == nil, node.ttl == 0, node.nodes == nil else {
            EtcdJSON.node(node, into: &w)
            return
        }
        let slot = Int(truncatingIfNeeded: node.modifiedIndex % EtcdIndex(Self.slotCount))
        if let cached = slots[slot], cached.modifiedIndex == node.modifiedIndex,
           cached.createdIndex == node.createdIndex, Self.same(cached.key, node.key), Self.same(cached.value, value)
        {
            w.raw(bytes: cached.json)
            return
        }
        var rendered = JSONWriter(capacity: 64 + node.key.utf8.count + value.utf8.count)
        EtcdJSON.node(node, into: &rendered)
        w.raw(bytes: rendered.bytes)
        guard rendered.bytes.count <= Self.maxCachedBytes else { return }
        slots[slot] = Slot(key: node.key, value: value, modifiedIndex: node.modifiedIndex,
                           createdIndex: node.createdIndex, json: rendered.bytes)
    }
}
