// The removals of the key tree, split from Store+Apply: delete, compareAndDelete and expiry of a node, and
// what every removal does — find the node with its slot in the index (by a checked hint, by its kept hash or
// by the key), unhook it from its parent, drop its whole subtree from the index and cancel every TTL in it.
// Invariant: a removed node and all its descendants leave `nodes` and are marked detached (`isAttached`),
// which is what node hints and the store's last-found node rely on.

extension Store {
    func delete(
        _ path: KeyPath, hint: Node?, dir: Bool, recursive: Bool, now: Timestamp, removed: inout [String]
    ) throws(EtcdError) -> Event {
        if path.isRoot { throw EtcdError(.rootReadOnly, cause: "/", index: index) }
        let (node, slot) = try lookupForRemoval(path, hint: hint)
        if let children = node.children {
            // recursive implies dir; hidden children count as content.
            if !dir && !recursive { throw EtcdError(.notFile, cause: path.path, index: index) }
            if !recursive && !children.isEmpty { throw EtcdError(.directoryNotEmpty, cause: path.path, index: index) }
        }
        return remove(node, at: slot, action: .delete, showDir: true, now: now, removed: &removed)
    }

    func compareAndDelete(
        _ path: KeyPath, prevValue: String?, prevIndex: EtcdIndex?, now: Timestamp, removed: inout [String]
    ) throws(EtcdError) -> Event {
        if path.isRoot { throw EtcdError(.rootReadOnly, cause: "/", index: index) }
        let (node, slot) = try lookupForRemoval(path)
        if node.isDir { throw EtcdError(.notFile, cause: path.path, index: index) }
        try compare(node, prevValue: prevValue, prevIndex: prevIndex)
        return remove(node, at: slot, action: .compareAndDelete, showDir: false, now: now, removed: &removed)
    }

    func expireNode(_ path: KeyPath, now: Timestamp, removed: inout [String]) throws(EtcdError) -> Event {
        if path.isRoot { throw EtcdError(.rootReadOnly, cause: "/", index: index) }
        let (node, slot) = try lookupForRemoval(path)
        // etcd's expire event node has neither `dir` nor a value, even for a directory.
        return remove(node, at: slot, action: .expire, showDir: false, now: now, removed: &removed)
    }

    /// `lookup` for a removal, with the node's slot in `nodes` (nil only if it was found by walking, which
    /// the index invariant rules out), so `detach` does not hash the whole key a second time. `hint`: see
    /// `applyMirrored`; an attached hint is found by its kept hash, hashing no String.
    func lookupForRemoval(
        _ path: KeyPath, hint: Node? = nil
    ) throws(EtcdError) -> (Node, Dictionary<NodeKey, Node>.Index?) {
        if let hint, hint.isAttached, let slot = nodes.index(forKey: NodeKey(of: hint)) {
            assert(nodes.values[slot] === hint && find(path) === hint, "\(path.path): the hint is another node")
            return (hint, slot)
        }
        if let slot = nodes.index(forKey: NodeKey(path.path)) { return (nodes.values[slot], slot) }
        return (try lookup(path), nil)
    }

    /// `slot`: where `node` is in `nodes`, taken by the lookup just before (nothing changed `nodes` since).
    func remove(
        _ node: Node, at slot: Dictionary<NodeKey, Node>.Index?, action: EventAction, showDir: Bool, now: Timestamp,
        removed: inout [String]
    ) -> Event {
        let previous = node.view(now: now, recursive: false, sorted: false)
        let view = NodeView(
            key: node.key, isDir: showDir && node.isDir, modifiedIndex: index + 1, createdIndex: node.createdIndex)
        detach(node, at: slot, collect: hub.count > 0, removed: &removed)
        return Event(action: action, node: view, prevNode: previous)
    }

    /// Unhooks a node from its parent, drops its subtree from `nodes` and cancels every TTL in it; when
    /// `collect`, appends the keys of its descendants (their watchers get the removal event too).
    func detach(_ node: Node, at slot: Dictionary<NodeKey, Node>.Index?, collect: Bool, removed: inout [String]) {
        if let slot { nodes.remove(at: slot) }
        node.parent?.children?.removeValue(forKey: node.nameKey)
        node.parent = nil
        cancelTimers(in: node, collect: collect, removed: &removed, isTop: true, indexed: slot == nil)
    }

    /// `indexed: false`: the node has left `nodes` already (its descendants never have).
    func cancelTimers(in node: Node, collect: Bool, removed: inout [String], isTop: Bool, indexed: Bool = true) {
        node.isAttached = false
        if let timer = node.ttlTimer {
            ttlWheel.cancel(timer)
            node.ttlTimer = nil
        }
        if indexed { nodes.removeValue(forKey: NodeKey(of: node)) }
        if collect && !isTop { removed.append(node.key) }
        guard let children = node.children, !children.isEmpty else { return }
        for child in children.values {
            cancelTimers(in: child, collect: collect, removed: &removed, isTop: false)
        }
    }
}
