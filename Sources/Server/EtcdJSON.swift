// Renders the store's values as etcd's JSON, byte for byte: field order key, value, dir, expiration, ttl,
// nodes, modifiedIndex, createdIndex, with Go's omitempty rules (the store already decided what is present:
// nil / false / 0 mean "omitted"). Success bodies have no trailing newline; the error envelope has one, as
// etcd's `Error.Write` adds it.

import HTTP
import Store

package enum EtcdJSON {
    /// `{"action":A,"node":{…}[,"prevNode":{…}]}`.
    package static func event(_ event: Event) -> [UInt8] {
        var w = JSONWriter(capacity: 256)
        w.raw("{\"action\":")
        w.string(event.action.rawValue)
        w.raw(",\"node\":")
        node(event.node, into: &w)
        if let prev = event.prevNode {
            w.raw(",\"prevNode\":")
            node(prev, into: &w)
        }
        w.raw("}")
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
        w.raw("{\"key\":")
        w.string(n.key)
        if let value = n.value {
            w.raw(",\"value\":")
            w.string(value)
        }
        if n.isDir { w.raw(",\"dir\":true") }
        if let expiration = n.expiration {
            w.raw(",\"expiration\":")
            w.string(TimeFormatting.rfc3339(expiration))
        }
        if n.ttl != 0 {
            w.raw(",\"ttl\":")
            w.integer(n.ttl)
        }
        if let children = n.nodes, !children.isEmpty {
            w.raw(",\"nodes\":[")
            for (i, child) in children.enumerated() {
                if i > 0 { w.raw(",") }
                node(child, into: &w)
            }
            w.raw("]")
        }
        if n.modifiedIndex != 0 {
            w.raw(",\"modifiedIndex\":")
            w.unsigned(n.modifiedIndex)
        }
        if n.createdIndex != 0 {
            w.raw(",\"createdIndex\":")
            w.unsigned(n.createdIndex)
        }
        w.raw("}")
    }
}
