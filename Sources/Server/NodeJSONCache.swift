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
// nothing else (no dir flag, no TTL, no children), its get body wraps those bytes, and a slot marked
// `writeBody` holds a write's whole body whose prevNode shares its bytes up to the modifiedIndex digits. A
// lookup hits only when all four fields are equal (see `same` for the Strings), so the cache is a memo of a
// pure function and never serves anything stale, whatever the store did in between. Arrays it holds are
// never changed in place (a body made from another is a copy). Only such plain file views are cached (a
// TTL's `ttl` changes with time), and only small ones (a node, its get body, and a body at most 1 KiB larger
// than the node per slot), so the memo holds a few hundred KiB in practice and a few MiB at worst. Slots are
// chosen by modifiedIndex: each write has its own index, so recent versions rarely collide.
//
// A version first shown inside an event body is written straight into that body, and its slot keeps the body
// array with the range where the node lies (`storage[start..<end]`), instead of rendering it into an array of
// its own and copying it into the body (an allocation or a buffer reset and two more appends per write;
// callgrind). The body is immutable once made, so sharing it is safe; a body much larger than the node (a
// large prevNode) is not kept: the node's bytes are copied out instead, which bounds the memo's size.
//
// A write that keeps a key's value (a refresh, a heartbeat, a benchmark's PUT) renders a new version that
// differs from the one it replaces only in its indexes: the new version's JSON then starts with the cached
// bytes of its `prevNode` up to `"modifiedIndex":` (each slot knows where that is), followed by the two new
// numbers, instead of being escaped and assembled again (~1,800 of a keys PUT's instructions; callgrind).
// This is still the pure function: same key, same value → same bytes up to the indexes.
//
// A run of such writes (the same key and value written again and again) goes one step further: the body of
// the write before, `{"action":A,"node":J(v),"prevNode":J(q)}` with J(q) sharing J(v)'s prefix (its slot
// notes this as `writeBody`), has exactly the layout of the next one whenever the action is the same and
// every index has as many digits as the one it replaces; the new body is that array with its four numbers
// overwritten in place (one copy and a few digit stores instead of five appends and the digits rendered
// again; ~600 instructions per PUT, callgrind).

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
        /// Holds the JSON at `start..<end`: an array of its own, or the body of the answer that first showed it.
        var storage: [UInt8] = []
        var start = 0
        var end = 0
        /// How many bytes from `start` come before the modifiedIndex digits: `{"key":…,"value":…,"modifiedIndex":`.
        var prefixCount = 0
        /// `{"action":"get","node":<json>}`, made on the first read of this version; empty until then.
        var getBody: [UInt8] = []
        /// Set when `storage` is a write's body `{"action":A,"node":<json>,"prevNode":<q>}` whose `<q>` starts
        /// with this version's prefix: A, and q's modifiedIndex and createdIndex.
        var writeBody: Optional<(action: EventAction, modifiedIndex: EtcdIndex, createdIndex: EtcdIndex)> = nil
    }

    /// A version written into a body by `append` and to be remembered once the body is complete.
    package struct Pending {
        fileprivate let slot: Int
        fileprivate let start: Int
        fileprivate let end: Int
        fileprivate let prefixCount: Int
        /// Written from the previous version's prefix (so it shares that version's key and value).
        fileprivate let fromPrevious: Bool
    }

    /// What follows a node in an event body: the `prevNode` field or the end of the event. A node written
    /// here ends with `}`, which then travels with this fragment (one append fewer).
    package enum Tail {
        case prevNode
        case eventClose

        var bytes: [UInt8] {
            switch self {
            case .prevNode: Fragment.prevNode
            case .eventClose: Fragment.close.plain
            }
        }

        var afterNodeClose: [UInt8] {
            switch self {
            case .prevNode: Fragment.closePrevNode
            case .eventClose: Fragment.closeClose
            }
        }
    }

    package static let slotCount = 256
    /// Larger nodes (key and value unescaped plus the 94 bytes around them) are not kept: their cost is the
    /// copy of their bytes, which a hit would not save. Escapes can make a kept one up to 6x larger.
    package static let maxCachedBytes = 1024
    // Fields are read in place (`slots[i].storage`): copying a whole Slot out retained and released its fields.
    private var slots = [Slot](repeating: Slot(), count: slotCount)
    /// The slot remembered last (see `lastValue`).
    private var lastSlot = 0

    package init() {}

    /// The value of the version remembered last (or of whatever replaced it in its slot): the value a keys
    /// PUT most likely writes again, offered to the form so that it can share this String instead of making
    /// an equal one (`FormValues.value(_:reusing:)` checks the bytes; any String is a correct candidate).
    package var lastValue: String { slots[lastSlot].value }

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

    /// Appends the JSON of `node` (from the memo when this exact version was rendered recently) and then
    /// `tail` to `w`. `previous`: the version `node` replaced (an event's prevNode), whose bytes may serve as
    /// its prefix. When the version is not in the memo but can be kept,
    /// it is written into `w` and the answer says where: pass it to `remember` with the finished bytes.
    package mutating func append(_ node: borrowing NodeView, into w: inout JSONWriter,
                                 previous: NodeView? = nil, tail: Tail? = nil) -> Pending? {
        guard let value = node.value, Self.isPlainFile(node) else {
            EtcdJSON.node(node, into: &w)
            if let tail { w.raw(bytes: tail.bytes) }
            return nil
        }
        let slot = Self.slotIndex(node.modifiedIndex)
        if holds(slot, node, value) {
            w.raw(bytes: slots[slot].storage[slots[slot].start..<slots[slot].end])
            if let tail { w.raw(bytes: tail.bytes) }
            return nil
        }
        // Larger versions are written but not kept (see maxCachedBytes).
        let keep = 94 + node.key.utf8.count + value.utf8.count <= Self.maxCachedBytes
        let start = w.bytes.count
        let prefixCount: Int
        if keep, let previous, let previousValue = previous.value, Self.isPlainFile(previous),
           Self.same(previous.key, node.key), Self.same(previousValue, value),
           case let previousSlot = Self.slotIndex(previous.modifiedIndex), previousSlot != slot,
           holds(previousSlot, previous, previousValue)
        {
            // Same key and value as the cached previous version: only the indexes differ.
            prefixCount = slots[previousSlot].prefixCount
            let from = slots[previousSlot].start
            w.raw(bytes: slots[previousSlot].storage[from..<(from + prefixCount)])
            if node.modifiedIndex == node.createdIndex {
                // A set or create: one index, written twice.
                ResponseEncoder.appendDecimalTwice(node.modifiedIndex, separatedBy: Fragment.createdIndex.plain,
                                                   to: &w.bytes)
            } else {
                w.unsigned(node.modifiedIndex)
                w.raw(bytes: Fragment.createdIndex.plain)
                w.unsigned(node.createdIndex)
            }
        } else {
            EtcdJSON.node(node, into: &w)
            // Everything after the prefix: the modifiedIndex digits, `,"createdIndex":`, its digits and `}`.
            prefixCount = w.bytes.count - start - ResponseEncoder.decimalDigits(node.modifiedIndex)
                - Fragment.createdIndex.plain.count - ResponseEncoder.decimalDigits(node.createdIndex) - 1
            // Its `}` is written: the tail follows on its own.
            if let tail { w.raw(bytes: tail.bytes) }
            guard keep else { return nil }
            return Pending(slot: slot, start: start, end: w.bytes.count - (tail?.bytes.count ?? 0),
                           prefixCount: prefixCount, fromPrevious: false)
        }
        w.raw(bytes: tail?.afterNodeClose ?? Fragment.close.plain)
        return Pending(slot: slot, start: start, end: w.bytes.count - (tail?.bytes.count ?? 0), prefixCount: prefixCount,
                       fromPrevious: true)
    }

    /// Keeps the version `append` wrote at `pending` in `bytes` (the finished body). A body much larger than
    /// the node is not kept alive for it: the node's bytes are copied out. `action` and `previousIndexes`:
    /// when `bytes` is the body of an event with this action whose prevNode (with these indexes) was appended
    /// right after the node (`tail: .prevNode`), so that a node written from its prefix makes a `writeBody`.
    package mutating func remember(_ pending: Pending, _ node: borrowing NodeView, in bytes: [UInt8],
                                   action: EventAction? = nil,
                                   previousIndexes: (modified: EtcdIndex, created: EtcdIndex) = (0, 0)) {
        let slot = pending.slot
        // Field by field: building a whole new Slot destroyed and copied every field of the old one.
        slots[slot].modifiedIndex = node.modifiedIndex
        slots[slot].createdIndex = node.createdIndex
        slots[slot].key = node.key
        slots[slot].value = node.value ?? ""
        slots[slot].prefixCount = pending.prefixCount
        if !slots[slot].getBody.isEmpty { slots[slot].getBody = [] }
        lastSlot = slot
        slots[slot].writeBody = nil
        if bytes.count - (pending.end - pending.start) <= Self.maxCachedBytes {
            slots[slot].storage = bytes
            slots[slot].start = pending.start
            slots[slot].end = pending.end
            if pending.fromPrevious, let action, pending.start == Fragment.eventOpen(action).count {
                slots[slot].writeBody = (action, previousIndexes.modified, previousIndexes.created)
            }
        } else {
            slots[slot].storage = Array(bytes[pending.start..<pending.end])
            slots[slot].start = 0
            slots[slot].end = pending.end - pending.start
        }
    }

    /// The body of `{"action":action,"node":node,"prevNode":previous}` made from the body that showed
    /// `previous` (see `writeBody`), or nil when that body is not in the memo or has another layout.
    package mutating func repeatedWriteBody(_ action: EventAction, _ node: borrowing NodeView,
                                            previous: borrowing NodeView) -> [UInt8]? {
        let previousSlot = Self.slotIndex(previous.modifiedIndex)
        guard let template = slots[previousSlot].writeBody, template.action == action,
              let value = node.value, Self.isPlainFile(node), let previousValue = previous.value,
              Self.isPlainFile(previous)
        else { return nil }
        let modifiedDigits = ResponseEncoder.decimalDigits(previous.modifiedIndex)
        let createdDigits = ResponseEncoder.decimalDigits(previous.createdIndex)
        let slot = Self.slotIndex(node.modifiedIndex)
        guard slot != previousSlot, ResponseEncoder.decimalDigits(template.modifiedIndex) == modifiedDigits,
              ResponseEncoder.decimalDigits(template.createdIndex) == createdDigits,
              ResponseEncoder.decimalDigits(node.modifiedIndex) == modifiedDigits,
              ResponseEncoder.decimalDigits(node.createdIndex) == createdDigits,
              holds(previousSlot, previous, previousValue), Self.same(previous.key, node.key),
              Self.same(previousValue, value)
        else { return nil }
        // The node where `previous` was, then `previous` where its own previous version was. Each digit run
        // ends `createdEnd` bytes before the end of its node's JSON (the createdIndex's) or
        // `modifiedEnd` bytes before it (the modifiedIndex's).
        let start = slots[previousSlot].start, end = slots[previousSlot].end
        let prefixCount = slots[previousSlot].prefixCount
        let createdEnd = end - 1
        let modifiedEnd = createdEnd - createdDigits - Fragment.createdIndex.plain.count
        let shift = end - start + Fragment.prevNode.count
        // Copied on the first store (the memo still holds the original).
        var body = slots[previousSlot].storage
        ResponseEncoder.overwriteDecimals((node.modifiedIndex, node.createdIndex),
                                          replacing: (previous.modifiedIndex, previous.createdIndex),
                                          endingAt: modifiedEnd, createdEnd, in: &body)
        ResponseEncoder.overwriteDecimals((previous.modifiedIndex, previous.createdIndex),
                                          replacing: (template.modifiedIndex, template.createdIndex),
                                          endingAt: modifiedEnd + shift, createdEnd + shift, in: &body)
        remember(Pending(slot: slot, start: start, end: end, prefixCount: prefixCount, fromPrevious: true), node,
                 in: body, action: action, previousIndexes: (previous.modifiedIndex, previous.createdIndex))
        return body
    }

    /// The whole body of a `get` of `node` (`{"action":"get","node":…}`), or nil when `node` is not a plain
    /// file: a read of an unchanged key then answers with the very same array, no writer and no copy.
    package mutating func getEventBody(_ node: NodeView) -> [UInt8]? {
        guard let value = node.value, Self.isPlainFile(node) else { return nil }
        let slot = Self.slotIndex(node.modifiedIndex)
        if !holds(slot, node, value) {
            guard 94 + node.key.utf8.count + value.utf8.count <= Self.maxCachedBytes else { return nil }
            // A version not shown yet: its get body is rendered and kept (its node bytes within it).
            var w = JSONWriter(capacity: 128 + node.key.utf8.count + value.utf8.count)
            w.raw(bytes: Fragment.eventOpen(.get))
            guard let pending = append(node, into: &w, tail: .eventClose) else { return nil }
            remember(pending, node, in: w.bytes)
            slots[slot].getBody = w.bytes
            return w.bytes
        }
        if slots[slot].getBody.isEmpty {
            var body = Fragment.eventOpen(.get)
            body.append(contentsOf: slots[slot].storage[slots[slot].start..<slots[slot].end])
            body.append(contentsOf: Fragment.close.plain)
            slots[slot].getBody = body
        }
        return slots[slot].getBody
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
