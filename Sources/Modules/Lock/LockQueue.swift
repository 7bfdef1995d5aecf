import DequeModule
import Store

/// One entry of a lock queue as the lock module knows it: the tree's value plus who hangs on it.
package struct LockEntry: Equatable {
    /// The entry's value in the key tree (`-` for value-less requests, fix B8).
    package var value: String
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

    package init(value: String, requestedTTL: Int64?, owned: Bool) {
        self.value = value
        self.requestedTTL = requestedTTL
        self.owned = owned
    }
}

/// The mirror of one lock directory `/_etcd/mod/lock/<name>`: its entries ordered by index.
///
/// Invariants: `entries` holds exactly the entry files of the directory in the key tree (after the
/// lock service has observed the tree's events); `order` is sorted ascending, contains every key of
/// `entries` once and may also contain indexes that were removed since (lazy deletion, skipped at the
/// head and compacted when they outnumber the live ones). `byValue` lists the live entries of every value
/// except `-` in ascending order; `-` is looked up by walking `order`, because all value-less entries
/// share it and a long list would make every hand-off O(n).
package final class LockQueue {
    package let directory: String
    package private(set) var entries: [EtcdIndex: LockEntry] = [:]
    private var order: Deque<EtcdIndex> = []
    private var byValue: [String: [EtcdIndex]] = [:]

    package init(directory: String) { self.directory = directory }

    package var isEmpty: Bool { entries.isEmpty }
    package var count: Int { entries.count }

    /// The holder: the entry with the numerically smallest index.
    package func head() -> EtcdIndex? {
        while let first = order.first {
            if entries[first] != nil { return first }
            order.removeFirst()
        }
        return nil
    }

    /// Live indexes in queue order.
    package func indexes() -> [EtcdIndex] { order.filter { entries[$0] != nil } }

    /// The first entry (queue order) whose value is exactly `value`.
    package func first(withValue value: String) -> EtcdIndex? {
        if value == "-" { return order.first { entries[$0]?.value == "-" } }
        return byValue[value]?.first
    }

    package subscript(index: EtcdIndex) -> LockEntry? {
        get { entries[index] }
        set {
            guard let newValue else {
                remove(index)
                return
            }
            if let old = entries[index] {
                if old.value != newValue.value {
                    unindexValue(old.value, index)
                    indexValue(newValue.value, index)
                }
                entries[index] = newValue
            } else {
                insert(index, newValue)
            }
        }
    }

    /// Removes an entry; returns it (with its waiters) when it existed.
    @discardableResult
    package func remove(_ index: EtcdIndex) -> LockEntry? {
        guard let old = entries.removeValue(forKey: index) else { return nil }
        unindexValue(old.value, index)
        if order.first == index {
            order.removeFirst()
        } else if order.count > 2 * entries.count + 32 {
            order = Deque(order.filter { entries[$0] != nil })
        }
        return old
    }

    private func insert(_ index: EtcdIndex, _ entry: LockEntry) {
        entries[index] = entry
        indexValue(entry.value, index)
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
