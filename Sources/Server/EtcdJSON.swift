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
    /// `{"action":A,"node":{…}[,"prevNode":{…}]}`.
    package static func event(_ event: Event) -> [UInt8] {
        var w = JSONWriter(capacity: 256)
        w.raw(bytes: Fragment.actionOpen)
        w.raw(bytes: Fragment.action(event.action))
        w.raw(bytes: Fragment.node)
        node(event.node, into: &w)
        if let prev = event.prevNode {
            w.raw(bytes: Fragment.prevNode)
            node(prev, into: &w)
        }
        w.raw(bytes: Fragment.close)
        return w.bytes
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

    package static func node(_ n: NodeView, into w: inout JSONWriter) {
        w.raw(bytes: Fragment.keyOpen)
        w.string(n.key)
        if let value = n.value {
            w.raw(bytes: Fragment.value)
            w.string(value)
        }
        if n.isDir { w.raw(bytes: Fragment.dirTrue) }
        if let expiration = n.expiration {
            w.raw(bytes: Fragment.expiration)
            w.string(TimeFormatting.rfc3339(expiration))
        }
        if n.ttl != 0 {
            w.raw(bytes: Fragment.ttl)
            w.integer(n.ttl)
        }
        if let children = n.nodes, !children.isEmpty {
            w.raw(bytes: Fragment.nodesOpen)
            for (i, child) in children.enumerated() {
                if i > 0 { w.raw(bytes: Fragment.comma) }
                node(child, into: &w)
            }
            w.raw(bytes: Fragment.arrayClose)
        }
        if n.modifiedIndex != 0 {
            w.raw(bytes: Fragment.modifiedIndex)
            w.unsigned(n.modifiedIndex)
        }
        if n.createdIndex != 0 {
            w.raw(bytes: Fragment.createdIndex)
            w.unsigned(n.createdIndex)
        }
        w.raw(bytes: Fragment.close)
    }
}

/// The fixed parts of etcd's JSON as bytes.
enum Fragment {
    static let actionOpen: [UInt8] = Array(#"{"action":"#.utf8)
    static let keyOpen: [UInt8] = Array(#"{"key":"#.utf8)
    static let value: [UInt8] = Array(#","value":"#.utf8)
    static let dirTrue: [UInt8] = Array(#","dir":true"#.utf8)
    static let expiration: [UInt8] = Array(#","expiration":"#.utf8)
    static let ttl: [UInt8] = Array(#","ttl":"#.utf8)
    static let nodesOpen: [UInt8] = Array(#","nodes":["#.utf8)
    static let comma: [UInt8] = Array(#","#.utf8)
    static let arrayClose: [UInt8] = Array(#"]"#.utf8)
    static let modifiedIndex: [UInt8] = Array(#","modifiedIndex":"#.utf8)
    static let createdIndex: [UInt8] = Array(#","createdIndex":"#.utf8)
    static let node: [UInt8] = Array(#","node":"#.utf8)
    static let prevNode: [UInt8] = Array(#","prevNode":"#.utf8)
    static let close: [UInt8] = Array(#"}"#.utf8)

    /// The action quoted (`"get"`, `"set"`, …), one precomputed array per action.
    static func action(_ action: EventAction) -> [UInt8] {
        switch action {
        case .get: getQuoted
        case .set: setQuoted
        case .create: createQuoted
        case .update: updateQuoted
        case .compareAndSwap: compareAndSwapQuoted
        case .delete: deleteQuoted
        case .compareAndDelete: compareAndDeleteQuoted
        case .expire: expireQuoted
        }
    }

    private static let getQuoted: [UInt8] = Array(#""get""#.utf8)
    private static let setQuoted: [UInt8] = Array(#""set""#.utf8)
    private static let createQuoted: [UInt8] = Array(#""create""#.utf8)
    private static let updateQuoted: [UInt8] = Array(#""update""#.utf8)
    private static let compareAndSwapQuoted: [UInt8] = Array(#""compareAndSwap""#.utf8)
    private static let deleteQuoted: [UInt8] = Array(#""delete""#.utf8)
    private static let compareAndDeleteQuoted: [UInt8] = Array(#""compareAndDelete""#.utf8)
    private static let expireQuoted: [UInt8] = Array(#""expire""#.utf8)
}
