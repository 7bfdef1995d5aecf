// What a keys operation answers and what watchers receive: etcd's `{"action","node","prevNode"}`.
// Views are computed at operation time (ttl included) and never change afterwards, so the history can hand
// out the very same Event a live watcher got.
// The optional fields are spelled `Optional<T>`, not `T?`: a `var x: T?` is implicitly initialised to nil
// before the init body runs, the body then assigns over it, and the optimiser could no longer build the
// value in place — every Event and NodeView built was copied whole and the original destroyed (outlined
// copy and destroy, ~250 instructions per Event, on every read and write).

/// The `action` field of an event.
package enum EventAction: String, Sendable {
    case get, set, create, update, compareAndSwap, delete, compareAndDelete, expire

    /// Compared by case. Without this, `==` on actions resolved to the standard library's generic
    /// `RawRepresentable` one in other modules: a witness call comparing the raw Strings (callgrind). Inlinable
    /// so that other modules compile it to a compare, not a call.
    @inlinable
    package static func == (a: EventAction, b: EventAction) -> Bool {
        switch (a, b) {
        case (.get, .get), (.set, .set), (.create, .create), (.update, .update), (.compareAndSwap, .compareAndSwap),
             (.delete, .delete), (.compareAndDelete, .compareAndDelete), (.expire, .expire):
            true
        default:
            false
        }
    }
}

/// Exactly what the JSON shows (the renderer omits nil/false/0/empty fields, in this field order).
package struct NodeView: Equatable, Sendable {
    package var key: String
    /// Files: the value ("" allowed, shown); nil = omitted (dirs, delete/expire event nodes).
    package var value: Optional<String>
    package var isDir: Bool
    package var expiration: Optional<Timestamp>
    /// ceil((expiration - now) / 1 s) computed at operation time; 0 = omitted.
    package var ttl: Int64
    /// Directory listing (nil = omitted; an empty directory lists nil, like etcd's omitempty).
    package var nodes: Optional<[NodeView]>
    /// 0 = omitted (only the root has 0).
    package var modifiedIndex: EtcdIndex
    package var createdIndex: EtcdIndex

    package init(
        key: String, value: String? = nil, isDir: Bool = false, expiration: Timestamp? = nil, ttl: Int64 = 0,
        nodes: [NodeView]? = nil, modifiedIndex: EtcdIndex, createdIndex: EtcdIndex
    ) {
        self.key = key
        self.value = value
        self.isDir = isDir
        self.expiration = expiration
        self.ttl = ttl
        self.nodes = nodes
        self.modifiedIndex = modifiedIndex
        self.createdIndex = createdIndex
    }
}

/// One keys-API result or one watch notification.
package struct Event: Equatable, Sendable {
    package var action: EventAction
    package var node: NodeView
    package var prevNode: Optional<NodeView>

    package init(action: EventAction, node: NodeView, prevNode: NodeView? = nil) {
        self.action = action
        self.node = node
        self.prevNode = prevNode
    }

    /// Whether there is a prevNode, without copying it (`prevNode == nil` copied the whole view).
    package var hasPrevNode: Bool {
        switch prevNode {
        case .none: false
        case .some: true
        }
    }

    /// The index history and watch matching use: the node's modifiedIndex (the write's own index).
    package var index: EtcdIndex { node.modifiedIndex }
}
