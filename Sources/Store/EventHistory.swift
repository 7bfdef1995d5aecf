// The last `capacity` events of all keys and actions (etcd keeps 1000), for `waitIndex` watches.
// Invariant: every mutation consumes exactly one index and yields exactly one event, so the retained events
// have consecutive indexes and an index maps to a ring position by subtraction.

/// A ring buffer of events with etcd's scan semantics.
struct EventHistory {
    let capacity: Int
    private var ring: [Event] = []
    /// Ring position of the oldest retained event once the ring is full.
    private var start = 0

    init(capacity: Int) {
        self.capacity = max(1, capacity)
        ring.reserveCapacity(min(self.capacity, 1024))
    }

    var isEmpty: Bool { ring.isEmpty }
    /// Index of the oldest retained event (0 when empty).
    var startIndex: EtcdIndex { ring.isEmpty ? 0 : ring[start].index }
    var lastIndex: EtcdIndex { ring.isEmpty ? 0 : ring[(start + ring.count - 1) % ring.count].index }

    /// Consuming: a caller done with `event` (Store.applyMirrored) hands it over without a copy.
    mutating func append(_ event: consuming Event) {
        if ring.count < capacity {
            ring.append(event)
        } else {
            ring[start] = event
            start += 1
            if start == capacity { start = 0 }
        }
    }

    /// Matching events with index ≥ `index`, oldest first; at most `limit`. Throws 401 when `index` is older
    /// than the oldest retained event (`index` in the error = `currentIndex`). An index beyond the newest
    /// event yields nothing (the caller waits for it live).
    /// Matching: the key itself; descendants when `recursive` (prefix `key + "/"`); and — consistent with live
    /// notification — the removal (delete/expire) of an ancestor directory. Hidden keys are not filtered here,
    /// as in etcd's `scan`.
    func scan(key: String, recursive: Bool, from index: EtcdIndex, currentIndex: EtcdIndex, limit: Int) throws(EtcdError) -> [Event] {
        if ring.isEmpty { return [] }
        let oldest = startIndex
        if index < oldest {
            throw EtcdError(
                .eventIndexCleared, cause: "the requested history has been cleared [\(oldest)/\(index)]",
                index: currentIndex)
        }
        if index > lastIndex { return [] }
        let prefix = key == "/" ? "/" : key + "/"
        var found: [Event] = []
        var offset = Int(index - oldest)
        while offset < ring.count {
            let event = ring[(start + offset) % ring.count]
            let eventKey = event.node.key
            var matches = eventKey == key || (recursive && eventKey.hasPrefix(prefix))
            if !matches, event.action == .delete || event.action == .expire {
                matches = eventKey == "/" || key.hasPrefix(eventKey + "/")
            }
            if matches {
                found.append(event)
                if found.count >= limit { break }
            }
            offset += 1
        }
        return found
    }
}
