// A detached, immutable picture of the whole key tree at one index: what a snapshot file holds. It is a plain
// Sendable value (no Node references), so it can be encoded and written away from the loop thread.
// Layout: nodes in pre-order, the root first; a directory is followed by its `childCount` children (each
// with its own subtree), so keys are rebuilt from names while reading and nothing is stored twice.
// Kept: values, directories, absolute expirations, created/modified indexes, the global index and the
// success counters. Not kept: the event history (etcd's did not survive a restart either), watchers, and
// the read and failure counters (failed commands are not logged, so replay could not reproduce them).

/// The key tree as a value; see the file header.
package struct StoreImage: Equatable, Sendable {
    /// One node; `name` is "" for the root.
    package struct Entry: Equatable, Sendable {
        package var name: String
        package var value: String
        package var isDir: Bool
        package var expiration: Timestamp?
        package var createdIndex: EtcdIndex
        package var modifiedIndex: EtcdIndex
        /// Number of direct children that follow (directories only).
        package var childCount: Int

        package init(name: String, value: String, isDir: Bool, expiration: Timestamp?, createdIndex: EtcdIndex,
                     modifiedIndex: EtcdIndex, childCount: Int) {
            self.name = name
            self.value = value
            self.isDir = isDir
            self.expiration = expiration
            self.createdIndex = createdIndex
            self.modifiedIndex = modifiedIndex
            self.childCount = childCount
        }
    }

    /// The store's index when the image was taken.
    package var index: EtcdIndex
    /// Success and expiry counters (`Store.persistentCounters`); the others are local to a process.
    package var stats: StoreStats
    /// Pre-order, root first.
    package var entries: [Entry]

    package init(index: EtcdIndex, stats: StoreStats, entries: [Entry]) {
        self.index = index
        self.stats = stats
        self.entries = entries
    }

    /// Every node as `key → (value, dir, expiration, created, modified)` lines sorted by key: a canonical
    /// form for comparing two trees whatever their children's order (tests: replay equals live).
    package var canonicalLines: [String] {
        var lines: [String] = []
        var position = 0
        func visit(prefix: String) {
            let entry = entries[position]
            position += 1
            let key = prefix.isEmpty && entry.name.isEmpty ? "/" : prefix + "/" + entry.name
            lines.append("\(key) dir=\(entry.isDir) value=\(entry.value) exp=\(entry.expiration?.milliseconds ?? -1) "
                + "c=\(entry.createdIndex) m=\(entry.modifiedIndex)")
            for _ in 0..<entry.childCount { visit(prefix: key == "/" ? "" : key) }
        }
        if !entries.isEmpty { visit(prefix: "") }
        return lines.sorted()
    }
}
