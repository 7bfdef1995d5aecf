import Store

// The lock service's own path to the key tree: how a request finds its queue, and the three commands the
// service issues (create an entry, update an entry, delete an entry), each mirrored on its queue at once.
//
// Why not mirror these through `observe` like everybody else's events: the service already knows which
// queue and which entry its command touched, so parsing the event's key back (find the last `/`, check the
// lock root prefix, hash the directory) was pure overhead on every lock request. The effect on the mirror
// is exactly what `observe` would do with the same event: a created or updated file is mirrored with its
// value and the queue is marked dirty; a deleted entry leaves its queue and its parked requests learn it.
// Every command here goes through `Store.applyMirrored`: its event never reaches `storeDidChange`. The
// store hands back the node it wrote; the queue keeps its directory's node and each entry its own, and
// passes them back as hints, so these writes skip the store's lookups by key (a stale hint is ignored).

extension LockService {
    /// The directory of lock `name` and its queue, nil while the tree has no such directory.
    /// A name seen before costs one dictionary lookup on its bytes and no String: the directory the store
    /// is given must be spelled exactly as this request spelled the name.
    func resolve(_ name: LockName, now: Timestamp) -> (directory: String, queue: LockQueue?) {
        let key = LockNameKey(name)
        if let hit = namedQueues[key] {
            assert(queues[hit.directory] === hit.queue, "the name cache points at a queue that left the mirror")
            return (hit.directory, hit.queue)
        }
        let directory = LockPath.directory(forName: name.text)
        guard let queue = existingQueue(directory, now: now) else { return (directory, nil) }
        remember(key, directory, queue)
        return (directory, queue)
    }

    /// Caches `name` → `queue` (which must be in `queues`). Bounded by the number of queues: many
    /// spellings of the same few locks (`a`, `/a`, `a/`) cannot grow it without limit.
    func remember(_ name: LockNameKey, _ directory: String, _ queue: LockQueue) {
        if namedQueues.count >= 2 * queues.count + 64 { namedQueues.removeAll(keepingCapacity: true) }
        namedQueues[name.owned] = NamedQueue(directory: directory, queue: queue)
    }

    /// Creates a value-carrying in-order entry in `directory` (etcd's `AddChild`) and mirrors it on the
    /// queue: `known`, or the one created now (for a hidden directory, loaded from the tree, which already
    /// lists the new entry; `mirror` then leaves it as it is).
    func writeEntry(
        in directory: String, _ known: LockQueue?, value: String, ttl: Int64, now: Timestamp
    ) throws(EtcdError) -> (LockQueue, EtcdIndex, LockEntry) {
        let hint = known?.directoryNode
        let written = try store.applyMirrored(
            .createInOrder(directory: directory, value: value, dir: false, expiration: nil), now: now, hint: hint)
        let queue = known ?? queue(creating: directory, now: now)
        if hint?.isAttached != true { queue.directoryNode = written.node?.parentNode }
        let entry = queue.mirrorOwned(written.index, key: written.key, node: written.node, value: value, ttl: ttl)
        dirty.append(queue)
        return (queue, written.index, entry)
    }

    /// Rewrites `entry` (entry `index` of `queue`, as the mirror has it now) with `value` and `expiration`
    /// (nil = none) and mirrors the new value. `markDirty: false` is for `settle`, which promotes the
    /// head after its own update anyway.
    func writeUpdate(
        _ queue: LockQueue, _ index: EtcdIndex, _ entry: LockEntry, value: String, expiration: Timestamp?,
        markDirty: Bool = true, now: Timestamp
    ) throws(EtcdError) {
        // An entry's key is always one the store reported (LockEntry.key).
        _ = try store.applyMirrored(
            .update(key: entry.key, value: value, expiration: expiration), now: now, reportedKey: true, hint: entry.node)
        if value != entry.value { queue.setValue(value, of: index) }
        if markDirty { dirty.append(queue) }
    }

    /// Deletes entry `index` of `queue`; the entry leaves the mirror and its parked requests are woken
    /// with `.entryRemoved` (B5), as for a delete through the keys API.
    /// `entry`: the live entry `index` when the caller holds it already.
    func writeDelete(_ queue: LockQueue, _ index: EtcdIndex, entry: LockEntry? = nil, now: Timestamp) throws(EtcdError) {
        let known = entry ?? queue[index]
        _ = try store.applyMirrored(
            .delete(key: known?.key ?? LockPath.entryKey(queue.directory, index), dir: false, recursive: false),
            now: now, reportedKey: known != nil, hint: known?.node)
        if let entry = queue.remove(index) { vanished(entry, of: queue, expired: false) }
    }
}
