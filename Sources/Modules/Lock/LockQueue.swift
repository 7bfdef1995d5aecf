import DequeModule
import Store

/// One entry of a lock queue as the lock module knows it: the tree's value plus who hangs on it.
/// A reference, so the service holds the entry it works on across a store write (the acquisition that
/// created it, the release that found it) without looking it up again or copying its refcounted fields
/// in and out of the queue's dictionary. Only its queue changes `value` (`byValue` indexes it) and
/// `isQueued`.
package final class LockEntry {
    /// The entry's key exactly as the tree reported it when the entry appeared (`<directory>/<index>`):
    /// every command on the entry uses it, so no key is rebuilt per request.
    package let key: String
    /// The entry's node in the tree when a lock request created it (the store's hint for later writes,
    /// `Store.applyMirrored`); nil for entries that appeared through the keys API or a load.
    package var node: Node?
    /// The entry's value in the key tree (`-` for value-less requests, fix B8). Changed by
    /// `LockQueue.setValue` only.
    package internal(set) var value: String
    /// Parked requests sharing this entry, in arrival order (joins by value append here).
    package var waiters: [WaiterID] = []
    /// The `ttl` the latest lock request on this entry asked for; written as the store TTL when the entry
    /// becomes the holder. nil for entries that appeared through the keys API: those are never refreshed.
    package var requestedTTL: Int64?
    /// Created by a lock request: removed from the tree when its last parked requester leaves.
    package var owned: Bool
    /// Has been the head and had its requesters answered; a promoted entry is never promoted again,
    /// which is what keeps renewals from waking anybody (fix B6).
    package var promoted: Bool = false
    /// In its queue's `entries` (false before it is inserted and once it was removed).
    package internal(set) var isQueued = false

    package init(key: String, node: Node? = nil, value: String, requestedTTL: Int64?, owned: Bool) {
        self.key = key
        self.node = node
        self.value = value
        self.requestedTTL = requestedTTL
        self.owned = owned
    }
}

/// The mirror of one lock directory `/_etcd/mod/lock/<name>`: its entries ordered by index.
///
/// Invariants: `entries` holds exactly the entry files of the directory in the key tree (after the
/// lock service has observed the tree's events), each with `isQueued` set; `order` is sorted ascending,
/// contains every key of `entries` once and may also contain indexes that were removed since (lazy
/// deletion, skipped at the head and compacted when they outnumber the live ones). `byValue` lists the
/// live entries of every value except `-` in ascending order; `-` is looked up by walking `order`,
/// because all value-less entries share it and a long list would make every hand-off O(n).
package final class LockQueue {
    package let directory: String
    /// The directory's node as the store last reported it (a hint for creating entries; the store checks
    /// it is still in the tree), nil until the service's first write there.
    package var directoryNode: Node?
    /// Keyed by `EntryIndex` (the index with a cheap seeded mix): hashing a UInt64 key with a full
    /// Hasher was most of each of the four lookups a lock cycle makes here.
    private var entries: [EntryIndex: LockEntry] = [:]
    private var order: Deque<EtcdIndex> = []
    private var byValue: [String: [EtcdIndex]] = [:]

    package init(directory: String) { self.directory = directory }

    package var isEmpty: Bool { entries.isEmpty }
    package var count: Int { entries.count }

    /// Whether `index` is a live entry.
    package func contains(_ index: EtcdIndex) -> Bool { entries.index(forKey: EntryIndex(index)) != nil }

    /// The holder: the entry with the numerically smallest index.
    package func head() -> EtcdIndex? {
        while let first = order.first {
            if contains(first) { return first }
            order.removeFirst()
        }
        return nil
    }

    /// The holder and its entry (one lookup fewer than `head()` then `self[head]`).
    package func headEntry() -> (index: EtcdIndex, entry: LockEntry)? {
        while let first = order.first {
            if let entry = entries[EntryIndex(first)] { return (first, entry) }
            order.removeFirst()
        }
        return nil
    }

    /// Live indexes in queue order.
    package func indexes() -> [EtcdIndex] { order.filter { contains($0) } }

    /// The first entry (queue order) whose value is exactly `value`.
    package func first(withValue value: String) -> EtcdIndex? {
        if value == "-" { return order.first { entries[EntryIndex($0)]?.value == "-" } }
        return byValue[value]?.first
    }

    /// The live entry `index`; setting inserts, replaces (keeping `byValue` in step) or removes (nil).
    package subscript(index: EtcdIndex) -> LockEntry? {
        get { entries[EntryIndex(index)] }
        set {
            guard let newValue else {
                remove(index)
                return
            }
            if let old = entries[EntryIndex(index)] {
                if old === newValue { return }
                remove(index)
            }
            insert(index, newValue)
        }
    }

    /// Whether entry `index` has become the holder; nil when there is no such entry.
    package func isPromoted(_ index: EtcdIndex) -> Bool? { entries[EntryIndex(index)]?.promoted }

    /// Mirrors a file the tree reported (created, set or updated): a new entry that no lock request owns
    /// yet, or the new value of a known one.
    package func mirror(_ index: EtcdIndex, key: String, value: String) {
        if let entry = entries[EntryIndex(index)] {
            setValue(value, of: entry, index)
        } else {
            insert(index, LockEntry(key: key, value: value, requestedTTL: nil, owned: false))
        }
    }

    /// Mirrors the entry a lock request just created, asking for `ttl`: removed again when its requesters
    /// leave. (The entry is usually new here; a hidden directory loaded on first use already lists it.)
    /// Returns the entry as queued.
    @discardableResult
    package func mirrorOwned(_ index: EtcdIndex, key: String, node: Node?, value: String, ttl: Int64) -> LockEntry {
        let fresh = LockEntry(key: key, node: node, value: value, requestedTTL: ttl, owned: true)
        // One hash lookup in the usual case: store the new entry, and only if one was there already
        // (loaded with the directory) put it back with the request's ttl and ownership.
        guard let loaded = entries.updateValue(fresh, forKey: EntryIndex(index)) else {
            fresh.isQueued = true
            indexValue(value, index)
            insertOrder(index)
            return fresh
        }
        entries[EntryIndex(index)] = loaded
        loaded.requestedTTL = ttl
        loaded.owned = true
        loaded.node = node
        setValue(value, of: loaded, index)
        return loaded
    }

    /// Changes the value of a live entry, keeping `byValue` in step.
    package func setValue(_ value: String, of index: EtcdIndex) {
        guard let entry = entries[EntryIndex(index)] else { return }
        setValue(value, of: entry, index)
    }

    /// `setValue` for an entry the caller holds (`entry` is live entry `index`).
    package func setValue(_ value: String, of entry: LockEntry, _ index: EtcdIndex) {
        assert(entries[EntryIndex(index)] === entry, "entry \(index) is not this one")
        let old = entry.value
        guard old != value else { return }
        unindexValue(old, index)
        indexValue(value, index)
        entry.value = value
    }

    /// Records the `ttl` the latest lock request on the entry asked for.
    package func setRequestedTTL(_ ttl: Int64, of index: EtcdIndex) { entries[EntryIndex(index)]?.requestedTTL = ttl }

    /// Parks `waiter` on the entry (joins append in arrival order).
    package func addWaiter(_ waiter: WaiterID, to index: EtcdIndex) { entries[EntryIndex(index)]?.waiters.append(waiter) }

    /// Takes `waiter`'s share of the entry away; returns the entry.
    package func removeWaiter(_ waiter: WaiterID, from index: EtcdIndex) -> LockEntry? {
        guard let entry = entries[EntryIndex(index)] else { return nil }
        entry.waiters.removeAll { $0 == waiter }
        return entry
    }

    /// Makes the entry the holder; returns the requests that were parked on it (its list is emptied), or
    /// nil when there is no such entry.
    package func promote(_ index: EtcdIndex) -> [WaiterID]? {
        guard let entry = entries[EntryIndex(index)] else { return nil }
        return promote(entry)
    }

    /// `promote` for a live entry the caller holds.
    package func promote(_ entry: LockEntry) -> [WaiterID] {
        assert(entry.isQueued, "promoting an entry that left its queue")
        entry.promoted = true
        var waiters: [WaiterID] = []
        swap(&waiters, &entry.waiters)
        return waiters
    }

    /// Removes an entry; returns it (with its waiters) when it existed.
    @discardableResult
    package func remove(_ index: EtcdIndex) -> LockEntry? {
        guard let old = entries.removeValue(forKey: EntryIndex(index)) else { return nil }
        old.isQueued = false
        unindexValue(old.value, index)
        if order.first == index {
            order.removeFirst()
        } else if order.count > 2 * entries.count + 32 {
            order = Deque(order.filter { contains($0) })
        }
        return old
    }

    /// Adds an entry that is not in the queue yet (an index is never reused, so usually at the tail).
    package func insert(_ index: EtcdIndex, _ entry: LockEntry) {
        assert(!contains(index), "entry \(index) is already queued")
        assert(!entry.isQueued, "an entry is in one queue at most")
        entries[EntryIndex(index)] = entry
        entry.isQueued = true
        indexValue(entry.value, index)
        insertOrder(index)
    }

    /// Puts a new live index into `order` (usually at the tail; never twice).
    private func insertOrder(_ index: EtcdIndex) {
        if let last = order.last, last >= index {
            let slot = lowerBound(index)
            if slot == order.count || order[slot] != index { order.insert(index, at: slot) }
        } else {
            order.append(index)
        }
    }

    private func lowerBound(_ index: EtcdIndex) -> Int {
        var low = 0
        var high = order.count
        while low < high {
            let mid = (low + high) / 2
            if order[mid] < index { low = mid + 1 } else { high = mid }
        }
        return low
    }

    private func indexValue(_ value: String, _ index: EtcdIndex) {
        guard value != "-" else { return }
        var list = byValue.removeValue(forKey: value) ?? []
        if let last = list.last, last > index {
            var slot = list.count
            while slot > 0 && list[slot - 1] > index { slot -= 1 }
            list.insert(index, at: slot)
        } else {
            list.append(index)
        }
        byValue[value] = list
    }

    private func unindexValue(_ value: String, _ index: EtcdIndex) {
        guard value != "-", var list = byValue.removeValue(forKey: value) else { return }
        list.removeAll { $0 == index }
        if !list.isEmpty { byValue[value] = list }
    }
}

/// A queue's key for entry indexes. Indexes are handed out by the server (consecutive, not chosen by
/// clients), so a multiply-xorshift of the index and the table's seed spreads them well; UInt64's own
/// hashing runs SipHash over them (~100 instructions a lookup).
private struct EntryIndex: Hashable {
    let index: EtcdIndex

    init(_ index: EtcdIndex) { self.index = index }

    func hash(into hasher: inout Hasher) { hasher.combine(index) }

    func _rawHashValue(seed: Int) -> Int { SeededMix.hash(index, seed: seed) }
}
