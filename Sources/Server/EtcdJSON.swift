// Renders the store's values as etcd's JSON, byte for byte: field order key, value, dir, expiration, ttl,
// nodes, modifiedIndex, createdIndex, with Go's omitempty rules (the store already decided what is present:
// nil / false / 0 mean "omitted"). Success bodies have no trailing newline; the error envelope has one, as
// etcd's `Error.Write` adds it.
//
// The fixed fragments are precomputed byte arrays: appending a String literal's UTF-8 view went through a
// generic copy that cost ~200 instructions per fragment, a third of a keys GET's JSON (callgrind).

import HTTP
import Store

package enum EtcdJSON {
    /// `{"action":A,"node":{…}[,"prevNode":{…}]}`, its file nodes from (and into) the server's memo: a version
    /// the memo did not have is written straight into the body, and the memo keeps it there once the body is
    /// complete (see NodeJSONCache).
    package static func event(_ event: borrowing Event, cache: inout NodeJSONCache) -> [UInt8] {
        let hasPrevNode = event.hasPrevNode
        // Patterns rather than `==` on the hot path: ~100 fewer instructions per keys PUT (callgrind).
        if case .get = event.action, !hasPrevNode, let body = cache.getEventBody(event.node) { return body }
        guard hasPrevNode else {
            var w = JSONWriter(capacity: 256)
            w.raw(bytes: Fragment.eventOpen(event.action))
            if let pending = cache.append(event.node, into: &w, tail: .eventClose) {
                cache.remember(pending, event.node, in: w.bytes)
            }
            return w.bytes
        }
        // The previous version is read in place (`Optional.map` lends it): binding it copied the NodeView
        // (retains of its Strings) twice per write (callgrind).
        return event.prevNode.map { prev in
            if let body = cache.repeatedWriteBody(event.action, event.node, previous: prev) { return body }
            var w = JSONWriter(capacity: 256)
            w.raw(bytes: Fragment.eventOpen(event.action))
            let pending = cache.append(event.node, into: &w, previous: prev, tail: .prevNode)
            let previousPending = cache.append(prev, into: &w, tail: .eventClose)
            // In this order: should both versions map to one slot, the newer one stays.
            if let previousPending { cache.remember(previousPending, prev, in: w.bytes) }
            if let pending {
                cache.remember(pending, event.node, in: w.bytes, action: event.action,
                               previousIndexes: (prev.modifiedIndex, prev.createdIndex))
            }
            return w.bytes
        } ?? []
    }

    /// `{"errorCode":C,"message":M[,"cause":X],"index":I}` + newline.
    package static func error(_ error: EtcdError) -> [UInt8] {
        var w = JSONWriter(capacity: 128)
        w.raw("{\"errorCode\":")
        w.integer(Int64(error.code.rawValue))
        w.raw(",\"message\":")
        w.string(error.message)
        if !error.cause.isEmpty {
            w.raw(",\"cause\":")
            w.string(error.cause)
        }
        w.raw(",\"index\":")
        w.unsigned(error.index)
        w.raw("}\n")
        return w.bytes
    }

    /// One node. A string's closing quote travels with the fragment that follows it (`","value":"`), so a
    /// plain file is five fragment appends, two string contents and two numbers (each append is ~90
    /// instructions; writing quotes and names separately was half of a keys GET's JSON, callgrind).
    package static func node(_ n: NodeView, into w: inout JSONWriter) {
        w.raw(bytes: Fragment.keyOpen)
        w.stringContent(n.key)
        // Whether the last thing written is a string still waiting for its closing quote.
        var open = true
        if let value = n.value {
            w.raw(bytes: Fragment.value.after(open))
            w.stringContent(value)
        }
        if n.isDir {
            w.raw(bytes: Fragment.dirTrue.after(open))
            open = false
        }
        if let expiration = n.expiration {
            w.raw(bytes: Fragment.expiration.after(open))
            w.stringContent(TimeFormatting.rfc3339(expiration))
            open = true
        }
        if n.ttl != 0 {
            w.raw(bytes: Fragment.ttl.after(open))
            w.integer(n.ttl)
            open = false
        }
        if let children = n.nodes, !children.isEmpty {
            w.raw(bytes: Fragment.nodesOpen.after(open))
            for (i, child) in children.enumerated() {
                if i > 0 { w.raw(bytes: Fragment.comma) }
                node(child, into: &w)
            }
            w.raw(bytes: Fragment.arrayClose)
            open = false
        }
        if n.modifiedIndex != 0 {
            w.raw(bytes: Fragment.modifiedIndex.after(open))
            w.unsigned(n.modifiedIndex)
            open = false
        }
        if n.createdIndex != 0 {
            w.raw(bytes: Fragment.createdIndex.after(open))
            w.unsigned(n.createdIndex)
            open = false
        }
        w.raw(bytes: Fragment.close.after(open))
    }
}

/// A fixed part of etcd's JSON as bytes, in two spellings: as is, and with the closing quote of the string
/// before it in front.
struct Piece {
    let plain: [UInt8]
    let afterString: [UInt8]

    init(_ text: String) {
        plain = Array(text.utf8)
        afterString = Array(("\"" + text).utf8)
    }

    @inline(__always)
    func after(_ openString: Bool) -> [UInt8] { openString ? afterString : plain }
}

/// The fixed parts of etcd's JSON.
enum Fragment {
    /// Opens the node object and the key string.
    static let keyOpen: [UInt8] = Array(#"{"key":""#.utf8)
    /// Each opens its string value.
    static let value = Piece(#","value":""#)
    static let expiration = Piece(#","expiration":""#)
    static let dirTrue = Piece(#","dir":true"#)
    static let ttl = Piece(#","ttl":"#)
    static let nodesOpen = Piece(#","nodes":["#)
    static let modifiedIndex = Piece(#","modifiedIndex":"#)
    static let createdIndex = Piece(#","createdIndex":"#)
    static let close = Piece(#"}"#)
    static let comma: [UInt8] = Array(#","#.utf8)
    static let arrayClose: [UInt8] = Array(#"]"#.utf8)
    static let prevNode: [UInt8] = Array(#","prevNode":"#.utf8)
    /// A node's closing brace with what follows it in an event: the prevNode field, or the event's end.
    static let closePrevNode: [UInt8] = Array(#"},"prevNode":"#.utf8)
    static let closeClose: [UInt8] = Array(#"}}"#.utf8)

    /// `{"action":"<action>","node":`, one precomputed array per action.
    static func eventOpen(_ action: EventAction) -> [UInt8] {
        switch action {
        case .get: getOpen
        case .set: setOpen
        case .create: createOpen
        case .update: updateOpen
        case .compareAndSwap: compareAndSwapOpen
        case .delete: deleteOpen
        case .compareAndDelete: compareAndDeleteOpen
        case .expire: expireOpen
        }
    }

    private static func opening(_ action: String) -> [UInt8] { Array((#"{"action":""# + action + #"","node":"#).utf8) }
    private static let getOpen = opening("get")
    private static let setOpen = opening("set")
    private static let createOpen = opening("create")
    private static let updateOpen = opening("update")
    private static let compareAndSwapOpen = opening("compareAndSwap")
    private static let deleteOpen = opening("delete")
    private static let compareAndDeleteOpen = opening("compareAndDelete")
    private static let expireOpen = opening("expire")
}
