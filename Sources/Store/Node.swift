// One node of the key tree: a file (value) or a directory (children by name). Nodes are loop-owned reference
// objects so the tree can be edited in place; the root has indexes 0 and is never written.
// Invariant: `ttlTimer` is non-nil exactly when `expiration` is non-nil and the node is in the tree;
// `isAttached` is true exactly while the node is in the tree (a removal clears it on the whole subtree).
// The class is `package` so a writer can hand a node back as a hint (`Store.applyMirrored`); its fields
// stay internal: outside the store a node is an opaque handle plus its key.

/// A key-tree node.
package final class Node {
    // Mutable only so a replacing `set` can turn a file into its successor in place (see Store.put).
    var key: String
    var name: String
    var value: String
    /// Non-nil for directories, keyed by name with the name's hash kept (NodeKey): a child leaves its
    /// parent without its name being hashed again. (This and `expiration` are spelled `Optional<…>`, not
    /// `?`, so init does not first store an implicit nil and then assign over it; see Event.swift.)
    var children: Optional<[NodeKey: Node]>
    var expiration: Optional<Timestamp>
    var ttlTimer: TimerHandle?
    /// Tells a fired wheel entry apart from a newer TTL of the same node.
    var ttlSerial: UInt64 = 0
    var createdIndex: EtcdIndex
    var modifiedIndex: EtcdIndex
    /// `key`'s String hash, set when the node enters `Store.nodes` (see NodeKey). A canonically equal
    /// respelling of the key (Store.put) hashes the same, so it stays valid.
    var keyHash = 0
    /// `name`'s String hash, set when the node enters its parent's `children` (see `adopt`).
    var nameHash = 0
    // unowned, not weak: a weak reference gives every node a side table (an extra allocation and slow-path
    // reference counting), which was a tenth of recovering a million keys. Safe because a node is detached
    // (parent = nil) before its parent can go, and a removed subtree is only ever freed, never walked up.
    unowned var parent: Node?
    /// Cleared when the node leaves the tree (with its subtree), so a node kept as a hint by a writer can be
    /// checked in O(1): attached means `nodes[key]` is this very node.
    package internal(set) var isAttached = true

    init(key: String, name: String, value: String, isDir: Bool, expiration: Timestamp?, index: EtcdIndex, parent: Node?) {
        self.key = key
        self.name = name
        self.value = value
        self.children = isDir ? [:] : nil
        self.expiration = expiration
        self.createdIndex = index
        self.modifiedIndex = index
        self.parent = parent
    }

    var isDir: Bool { children != nil }

    /// The child called `name` (nil for a file or a missing name).
    func child(_ name: String) -> Node? { children?[NodeKey(name)] }

    /// Files `child` under its name `key` (hashed by the caller) and keeps the hash on the child. Returns
    /// the child that had that name before, which is replaced.
    @discardableResult
    func adopt(_ child: Node, as key: NodeKey) -> Node? {
        child.nameHash = key.hash
        return children!.updateValue(child, forKey: key)
    }

    /// The key `self` is filed under in its parent's `children`.
    var nameKey: NodeKey { NodeKey(key: name, hash: nameHash) }

    /// The node's key as the tree shows it (clean).
    package var path: String { key }
    /// The directory holding the node while it is in the tree (nil for the root and once it left: the
    /// parent of a removed subtree's node may be gone).
    package var parentNode: Node? { isAttached ? parent : nil }
    var isHidden: Bool { KeyPath.isHidden(name: name) }

    /// etcd's `Repr`: the node itself; directories list their visible children only when `recursive`
    /// (`listChildren` forces one level, as a GET does for the directory it reads).
    func view(now: Timestamp, recursive: Bool, sorted: Bool, listChildren: Bool = false) -> NodeView {
        let isDir = children != nil
        let ttl = expiration.map { $0.ttlSeconds(from: now) } ?? 0
        guard isDir && (recursive || listChildren) else {
            // Every write's event and most reads: built in place, not copied out of a `var` (~250 instructions).
            return NodeView(
                key: key, value: isDir ? nil : value, isDir: isDir, expiration: expiration, ttl: ttl,
                modifiedIndex: modifiedIndex, createdIndex: createdIndex)
        }
        var view = NodeView(
            key: key, isDir: true, expiration: expiration, ttl: ttl, modifiedIndex: modifiedIndex,
            createdIndex: createdIndex)
        if let children {
            var listed: [NodeView] = []
            listed.reserveCapacity(children.count)
            for child in children.values where !child.isHidden {
                listed.append(child.view(now: now, recursive: recursive, sorted: sorted))
            }
            if sorted {
                // Go compares strings byte-wise; UTF-8 byte order is what etcd shows (`/q/10` < `/q/9`).
                listed.sort { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            }
            view.nodes = listed.isEmpty ? nil : listed
        }
        return view
    }
}
