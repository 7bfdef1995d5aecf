// A memo of rendered file nodes: `{"key":…,"value":…,"modifiedIndex":…,"createdIndex":…}` for the last few
// file versions rendered, so a version is turned into JSON once however often it is shown.
//
// Why: a version is shown again and again — every read of an unchanged key, every watcher it wakes, and the
// `prevNode` of the write that replaces it (a keys PUT renders the new version as `node` and the version it
// rendered one write ago as `prevNode`). Rendering one node is ~2,000 instructions; a hit is one append. A
// read also keeps the whole `{"action":"get","node":…}` body in the slot, so the next read of the same
// version answers with that array as it is.
//
// Invariant: a slot's bytes are exactly `EtcdJSON.node` of a view with the slot's key, value and indexes and
// nothing else (no dir flag, no TTL, no children), and its get body wraps those bytes. A lookup hits only
// when all four fields are equal (see `same` for the Strings), so the cache is a memo of a pure function and
// never serves anything stale, whatever the store did in between. Only such plain file views are cached (a
// TTL's `ttl` changes with time), and only small ones, so the memo holds a few hundred KiB at most. Slots are
// chosen by modifiedIndex: each write has its own index, so recent versions rarely collide.
//
// A write that keeps a key's value (a refresh, a heartbeat, a benchmark's PUT) renders a new version that
// differs from the one it replaces only in its indexes: the new version's JSON then starts with the cached
// bytes of its `prevNode` up to `"modifiedIndex":` (each slot knows where that is), followed by the two new
// numbers, instead of being escaped and assembled again (~1,800 of a keys PUT's instructions; callgrind).
// This is still the pure function: same key, same value → same bytes up to the indexes.

import HTTP
import Store

/// Rendered JSON of recently shown file versions, direct-mapped by modifiedIndex.
package struct NodeJSONCache {
    private struct Slot {
        /// 0 = empty: no file has index 0 (only the root, a directory).
        var modifiedIndex: EtcdIndex = 0
        var createdIndex: EtcdIndex = 0
        var key = ""
        var value = ""
        var json: [UInt8] = []
        /// How many bytes of `json` come before the modifiedIndex digits: `{"key":…,"value":…,"modifiedIndex":`.
        var prefixCount = 0
        /// `{"action":"get","node":<json>}`, made on the first read of this version; empty until then.
        var getBody: [UInt8] = []
    }

    package static let slotCount = 256
    /// Larger nodes (key and value unescaped plus the 94 bytes around them) are not kept: their cost is the
    /// copy of their bytes, which a hit would not save. Escapes can make a kept one up to 6x larger.
    package static let maxCachedBytes = 1024
    // Fields are read in place (`slots[i].json`): copying a whole Slot out retained and released six fields.
    private var slots = [Slot](repeating: Slot(), count: slotCount)

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
    /// `previous`: the version `node` replaced (an event's prevNode), whose bytes may serve as its prefix.
    package mutating func node(_ node: borrowing NodeView, into w: inout JSONWriter, previous: borrowing NodeView? = nil) {
        guard let slot = slot(for: node, previous: previous) else {
            EtcdJSON.node(node, into: &w)
            return
        }
        w.raw(bytes: slots[slot].json)
    }

    /// The whole body of a `get` of `node` (`{"action":"get","node":…}`), or nil when `node` is not a plain
    /// file: a read of an unchanged key then answers with the very same array, no writer and no copy.
    package mutating func getEventBody(_ node: NodeView) -> [UInt8]? {
        guard let slot = slot(for: node) else { return nil }
        if slots[slot].getBody.isEmpty {
            var body = Fragment.eventOpen(.get)
            body.append(contentsOf: slots[slot].json)
            body.append(contentsOf: Fragment.close.plain)
            slots[slot].getBody = body
        }
        return slots[slot].getBody
    }

    /// The slot holding `node`'s JSON, rendered into it now if it was not there; nil when `node` is not a
    /// plain file or is larger than `maxCachedBytes`.
    private mutating func slot(for node: NodeView, previous: NodeView? = nil) -> Int? {
        guard let value = node.value, Self.isPlainFile(node) else { return nil }
        let slot = Self.slotIndex(node.modifiedIndex)
        if holds(slot, node, value) { return slot }
        // The JSON is 94 bytes at most around the key and value, more only where they need escapes.
        let plainSize = 94 + node.key.utf8.count + value.utf8.count
        guard plainSize <= Self.maxCachedBytes else { return nil }
        // The slot's previous bytes make room for the new ones: their buffer is reused (no allocation) unless
        // an answer still shares it, when copy-on-write gives this one its own.
        var recycled: [UInt8] = []
        swap(&recycled, &slots[slot].json)
        recycled.removeAll(keepingCapacity: true)
        var rendered = JSONWriter(reusing: recycled, capacity: plainSize)
        let prefixCount: Int
        if let previous, let previousValue = previous.value, Self.isPlainFile(previous),
           Self.same(previous.key, node.key), Self.same(previousValue, value),
           case let previousSlot = Self.slotIndex(previous.modifiedIndex), previousSlot != slot,
           holds(previousSlot, previous, previousValue)
        {
            // Same key and value as the cached previous version: only the indexes differ.
            prefixCount = slots[previousSlot].prefixCount
            rendered.raw(bytes: slots[previousSlot].json, count: prefixCount)
            if node.modifiedIndex == node.createdIndex {
                // A set or create: one index, written twice.
                ResponseEncoder.appendDecimalTwice(node.modifiedIndex, separatedBy: Fragment.createdIndex.plain,
                                                   to: &rendered.bytes)
            } else {
                rendered.unsigned(node.modifiedIndex)
                rendered.raw(bytes: Fragment.createdIndex.plain)
                rendered.unsigned(node.createdIndex)
            }
            rendered.raw(bytes: Fragment.close.plain)
        } else {
            EtcdJSON.node(node, into: &rendered)
            // Everything after the prefix: the modifiedIndex digits, `,"createdIndex":`, its digits and `}`.
            prefixCount = rendered.bytes.count - ResponseEncoder.decimalDigits(node.modifiedIndex)
                - Fragment.createdIndex.plain.count - ResponseEncoder.decimalDigits(node.createdIndex) - 1
        }
        // Field by field: building a whole new Slot destroyed and copied every field of the old one.
        slots[slot].modifiedIndex = node.modifiedIndex
        slots[slot].createdIndex = node.createdIndex
        slots[slot].key = node.key
        slots[slot].value = value
        slots[slot].json = rendered.bytes
        slots[slot].prefixCount = prefixCount
        if !slots[slot].getBody.isEmpty { slots[slot].getBody = [] }
        return slot
    }

    /// Whether `slot` holds exactly this version of a plain file.
    @inline(__always)
    private func holds(_ slot: Int, _ node: NodeView, _ value: String) -> Bool {
        slots[slot].modifiedIndex == node.modifiedIndex && slots[slot].createdIndex == node.createdIndex
            && Self.same(slots[slot].key, node.key) && Self.same(slots[slot].value, value)
    }

    /// A file (the caller has its value) with nothing but key, value and indexes in its JSON (cacheable:
    /// nothing changes with time).
    @inline(__always)
    private static func isPlainFile(_ node: NodeView) -> Bool {
        !node.isDir && node.expiration == nil && node.ttl == 0 && node.nodes == nil
            && node.modifiedIndex != 0 && node.createdIndex != 0
    }

    @inline(__always)
    private static func slotIndex(_ modifiedIndex: EtcdIndex) -> Int {
        Int(truncatingIfNeeded: modifiedIndex % EtcdIndex(slotCount))
    }
}
