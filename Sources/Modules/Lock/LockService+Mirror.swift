import Store

// How the lock service keeps its queues equal to the key tree, and how a queue's head is promoted.
//
// Every event below `/_etcd/mod/lock` (or removing it) that others caused is mirrored here: the keys API,
// a TTL expiry. (The service's own writes are mirrored by their writer, LockService+Writes.swift, to the
// same effect.) An entry that vanishes wakes its parked requests with `.entryRemoved`; a queue that may
// have a new head is marked dirty and settled once the operation is mirrored, so the promotion `update`
// of a new head never interleaves with the change that caused it.

extension LockService {
    /// Mirrors one event of the key tree.
    func observe(_ event: Event, now: Timestamp) {
        let key = event.node.key
        switch event.action {
        case .get:
            return
        case .delete, .compareAndDelete, .expire:
            if event.prevNode?.isDir != true {
                guard let (directory, index) = LockPath.entry(ofKey: key), let queue = queues[directory],
                    let entry = queue.remove(index)
                else { return }
                vanished(entry, of: queue, expired: event.action == .expire)
                return
            }
            guard LockPath.isLockDirectory(key) || LockPath.removes(key, LockPath.root) else { return }
            for directory in queues.keys.sorted() where LockPath.removes(key, directory) {
                guard let queue = queues.removeValue(forKey: directory) else { continue }
                namedQueues.removeAll()
                for index in queue.indexes() {
                    if let entry = queue.remove(index) { vanished(entry, of: queue, expired: event.action == .expire) }
                }
            }
        case .set, .create, .update, .compareAndSwap:
            guard let (directory, index) = LockPath.entry(ofKey: key) else { return }
            if event.node.isDir {
                // `set dir=true` replaced the entry file by a directory: the entry is gone.
                guard let queue = queues[directory], let entry = queue.remove(index) else { return }
                vanished(entry, of: queue, expired: false)
                return
            }
            let queue = queue(creating: directory, now: now)
            queue.mirror(index, key: key, value: event.node.value ?? "")
            dirty.append(queue)
        }
    }

    /// An entry left the tree: its parked requests learn it (B5) and the queue may have a new head.
    func vanished(_ entry: LockEntry, of queue: LockQueue, expired: Bool) {
        if expired && entry.promoted { counters.expirations += 1 }
        if !entry.waiters.isEmpty { counters.entriesRemoved += 1 }
        for waiter in entry.waiters {
            unpark(waiter)
            wakes.append(.failed(waiter, .entryRemoved))
        }
        dirty.append(queue)
    }

    /// Promotes the head of every dirty queue until none changes any more.
    func settleDirty(now: Timestamp) {
        while let queue = dirty.popLast() {
            settle(queue, now: now)
        }
    }

    /// Makes the head of `queue` the holder if it is not yet: one `update` writes its TTL (etcd's refresh
    /// at acquisition; none for entries that came through the keys API) and its parked requests are woken
    /// with its index. A head whose update fails is gone from the tree and is treated as vanished.
    private func settle(_ queue: LockQueue, now: Timestamp) {
        while let (head, entry) = queue.headEntry(), !entry.promoted {
            if let ttl = entry.requestedTTL {
                // No `dirty` mark for this update: this loop looks at the head again anyway.
                let written: Void? = try? writeUpdate(
                    queue, head, entry, value: entry.value, expiration: Self.expiration(ttl, now), markDirty: false,
                    now: now)
                if written == nil {
                    if let gone = queue.remove(head) { vanished(gone, of: queue, expired: false) }
                    continue
                }
            }
            for waiter in queue.promote(entry) {
                unpark(waiter)
                counters.acquisitions += 1
                counters.handoffs += 1
                wakes.append(.acquired(waiter, head))
            }
            // The head is promoted now, which is where the loop would stop (not looked up again).
            return
        }
    }

    /// The queue of `directory` if the tree has that directory. Names with a hidden (`_`) segment are not
    /// listed by the tree, so the load at start-up could not see them: they are looked up on first use.
    func existingQueue(_ directory: String, now: Timestamp) -> LockQueue? {
        if let queue = queues[directory] { return queue }
        guard Self.hasHiddenSegment(directory) else { return nil }
        return load(directory, now: now)
    }

    /// The queue of `directory`, created (and, for hidden names, loaded) on first sight.
    func queue(creating directory: String, now: Timestamp) -> LockQueue {
        if let queue = existingQueue(directory, now: now) { return queue }
        let queue = LockQueue(directory: directory)
        queues[directory] = queue
        return queue
    }

    /// Builds the mirror of every visible lock directory (one recursive read of the lock root).
    func loadAll() {
        guard let root = try? store.get(LockPath.root, recursive: true, sorted: false, now: Timestamp(milliseconds: 0))
        else { return }
        var pending = [root.node]
        while let node = pending.popLast() {
            guard node.isDir else { continue }
            mirror(listing: node)
            pending.append(contentsOf: (node.nodes ?? []).filter(\.isDir))
        }
    }

    @discardableResult
    private func load(_ directory: String, now: Timestamp) -> LockQueue? {
        guard let listing = try? store.get(directory, recursive: false, sorted: false, now: now),
            listing.node.isDir
        else { return nil }
        return mirror(listing: listing.node)
    }

    /// Mirrors one directory listing. A loaded entry counts as promoted when it was updated after its
    /// creation: the holder's refresh at acquisition is such an update, a waiting entry has none.
    @discardableResult
    private func mirror(listing: NodeView) -> LockQueue {
        let queue = queues[listing.key] ?? LockQueue(directory: listing.key)
        queues[listing.key] = queue
        for child in listing.nodes ?? [] where !child.isDir {
            guard let (_, index) = LockPath.entry(ofKey: child.key), !queue.contains(index) else { continue }
            let entry = LockEntry(key: child.key, value: child.value ?? "", requestedTTL: nil, owned: false)
            entry.promoted = child.modifiedIndex != child.createdIndex
            queue.insert(index, entry)
        }
        return queue
    }

    /// After a restart no request is connected any more: every entry that was waiting (and a head that
    /// was never promoted) is removed, so only holders keep their entries until TTL or release (SPEC §9).
    package func recover(now: Timestamp) {
        for directory in queues.keys.sorted() {
            guard let queue = queues[directory] else { continue }
            let head = queue.head()
            for index in queue.indexes() {
                guard let entry = queue[index], entry.waiters.isEmpty else { continue }
                if index == head && entry.promoted { continue }
                _ = try? writeDelete(queue, index, now: now)
            }
        }
        settleDirty(now: now)
    }

    static func hasHiddenSegment(_ directory: String) -> Bool {
        directory.utf8.count > LockPath.root.utf8.count
            && directory.dropFirst(LockPath.root.count).contains("/_")
    }
}
