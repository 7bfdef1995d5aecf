// Snapshot and restore of the whole key tree (ARCHITECTURE.md: Persistence builds on these two calls).
// `image()` walks the tree once into a StoreImage; `restore(_:now:)` rebuilds a fresh store from one without
// replaying commands: nodes keep their created/modified indexes (the lock module derives "promoted" from
// them), the global index continues where it was, and every expiration is re-armed as an absolute deadline,
// so a TTL keeps running across a restart and one already past fires on the next tick.
// Invariant after restore: the same as after `apply` (each node with an expiration has one armed timer).

extension Store {
    /// The whole tree as a value (pre-order, root first; children in dictionary order).
    package func image() -> StoreImage {
        var entries: [StoreImage.Entry] = []
        var stack: [Node] = [root]
        while let node = stack.popLast() {
            let children = node.children
            entries.append(StoreImage.Entry(
                name: node.name, value: node.value, isDir: children != nil, expiration: node.expiration,
                createdIndex: node.createdIndex, modifiedIndex: node.modifiedIndex, childCount: children?.count ?? 0))
            if let children {
                // Reversed onto the stack so they come out (and are written) in the order listed.
                let list = Array(children.values)
                for child in list.reversed() { stack.append(child) }
            }
        }
        return StoreImage(index: index, stats: Self.persistentCounters(counters), entries: entries)
    }

    /// Rebuilds the tree of a fresh store (index 0, nothing written yet) from `image`.
    package func restore(_ image: StoreImage, now: Timestamp) throws(StoreImageError) {
        var position = 0
        try restore(index: image.index, stats: image.stats, now: now,
                    expectedCount: image.entries.count) { () throws(StoreImageError) in
            guard position < image.entries.count else { return nil }
            defer { position += 1 }
            return image.entries[position]
        }
    }

    /// Rebuilds the tree of a fresh store from entries pulled one at a time in StoreImage's pre-order (a
    /// snapshot decoder streams them, so recovery never holds a second copy of the tree as an array);
    /// `next` returns nil after the last one. On any error the store is fresh again (a failed snapshot
    /// must not leave half a tree behind for the fallback to the previous one). `expectedCount`, the number
    /// of entries when known, sizes the key index once: growing a million-entry dictionary by doubling
    /// rehashed every key ~20 times, a sixth of recovery's CPU (perf).
    package func restore(
        index imageIndex: EtcdIndex, stats: StoreStats, now: Timestamp, expectedCount: Int? = nil,
        next: () throws(StoreImageError) -> StoreImage.Entry?
    ) throws(StoreImageError) {
        precondition(index == 0 && (root.children?.isEmpty ?? true), "restore needs a fresh store")
        // A quarter more for the log records replayed after the snapshot, which mostly add keys.
        if let expectedCount { nodes.reserveCapacity(expectedCount + expectedCount / 4) }
        do {
            try fill(now: now, next: next)
        } catch {
            for node in nodes.values { node.isAttached = false }
            root.children = [:]
            nodes = [:]
            ttlWheel = TimerWheel(now: now.milliseconds)
            ttlSerial = 0
            throw error
        }
        index = imageIndex
        counters = stats
    }

    private func fill(now: Timestamp, next: () throws(StoreImageError) -> StoreImage.Entry?) throws(StoreImageError) {
        guard let first = try next() else { return }
        guard first.isDir else { throw StoreImageError(description: "the first entry is not the root directory") }
        ttlWheel = TimerWheel(now: now.milliseconds)
        root.children = Dictionary(minimumCapacity: first.childCount)
        // (directory, children still to read) of the path being filled.
        var open: [(node: Node, remaining: Int)] = [(root, first.childCount)]
        while var top = open.last {
            if top.remaining == 0 {
                open.removeLast()
                continue
            }
            guard let entry = try next() else {
                throw StoreImageError(description: "the image ends inside directory \(top.node.key)")
            }
            top.remaining -= 1
            open[open.count - 1] = top
            let parent = top.node
            let key = parent === root ? "/" + entry.name : parent.key + "/" + entry.name
            let node = Node(key: key, name: entry.name, value: entry.value, isDir: false,
                            expiration: entry.expiration, index: entry.createdIndex, parent: parent)
            node.modifiedIndex = entry.modifiedIndex
            if entry.isDir { node.children = Dictionary(minimumCapacity: entry.childCount) }
            if let replaced = parent.adopt(node, as: NodeKey(entry.name)) {
                // A repeated name (a malformed image): the later entry wins, as before; keep `nodes` exact.
                unindex(replaced)
            }
            register(node, as: NodeKey(key))
            if let expiration = entry.expiration {
                ttlSerial &+= 1
                node.ttlSerial = ttlSerial
                node.ttlTimer = ttlWheel.arm(at: expiration.milliseconds, TTLTimer(key: key, serial: ttlSerial))
            }
            if entry.isDir && entry.childCount > 0 { open.append((node, entry.childCount)) }
        }
        var extra = 0
        while try next() != nil { extra += 1 }
        guard extra == 0 else { throw StoreImageError(description: "\(extra) entries after the tree's end") }
    }
}

extension Store {
    /// Drops a subtree that left the tree from `nodes`.
    private func unindex(_ node: Node) {
        node.isAttached = false
        nodes.removeValue(forKey: NodeKey(of: node))
        for child in node.children?.values ?? [:].values { unindex(child) }
    }
}

extension Store {
    /// The counters that replaying the log reproduces: successful writes and expiries. Failed commands are
    /// not logged, so their counters (like gets and watchers) are local to one process.
    package static func persistentCounters(_ stats: StoreStats) -> StoreStats {
        var kept = StoreStats()
        kept.setsSuccess = stats.setsSuccess
        kept.deleteSuccess = stats.deleteSuccess
        kept.updateSuccess = stats.updateSuccess
        kept.createSuccess = stats.createSuccess
        kept.compareAndSwapSuccess = stats.compareAndSwapSuccess
        kept.compareAndDeleteSuccess = stats.compareAndDeleteSuccess
        kept.expireCount = stats.expireCount
        return kept
    }
}

/// A StoreImage whose shape is inconsistent (a snapshot that decoded but does not describe a tree).
package struct StoreImageError: Error, CustomStringConvertible {
    package let description: String

    package init(description: String) {
        self.description = description
    }
}
