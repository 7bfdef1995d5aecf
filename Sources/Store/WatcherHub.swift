// Registered watches, by watched path, and the notifications they produce (etcd's `watcher_hub.go`).
// An event on key K is offered to watchers of every ancestor path of K and of K itself; a removal also
// offers it to watchers of every removed descendant path. A watcher takes the event when it is at K, is
// recursive, or watches a removed path — and the event's index ≥ its sinceIndex; watchers above K do not see
// events that reach K through a hidden (`_`) segment below them. One-shot watchers leave the hub as they
// fire; stream watchers stay and never see the same event twice.
// Removal by id is O(1): per-path lists are compacted lazily, entries carry a serial so a reused id is
// never confused with its earlier registration.

/// The set of live watches and the queue of notifications not yet taken.
struct WatcherHub {
    private struct Registration {
        var key: String
        var recursive: Bool
        var stream: Bool
        var sinceIndex: EtcdIndex
        var serial: UInt64
        var lastDelivered: EtcdIndex = 0
    }

    private struct PathWatchers {
        var entries: [(id: WatcherID, serial: UInt64)] = []
        var live = 0

        mutating func append(_ id: WatcherID, serial: UInt64) {
            entries.append((id, serial))
            live += 1
        }
    }

    private var registrations: [WatcherID: Registration] = [:]
    private var byPath: [String: PathWatchers] = [:]
    private var nextSerial: UInt64 = 0
    private(set) var pending: [(WatcherID, Event)] = []

    var count: Int { registrations.count }

    mutating func add(_ id: WatcherID, key: String, recursive: Bool, stream: Bool, sinceIndex: EtcdIndex) {
        nextSerial &+= 1
        let registration = Registration(
            key: key, recursive: recursive, stream: stream, sinceIndex: sinceIndex, serial: nextSerial)
        // One hash of the id and one of the path per registration (a 10,000-watcher fan-out registers 10,000).
        if let replaced = registrations.updateValue(registration, forKey: id) { unlink(replaced) }
        byPath[key, default: PathWatchers()].append(id, serial: nextSerial)
    }

    mutating func remove(_ id: WatcherID) {
        guard let registration = registrations.removeValue(forKey: id) else { return }
        unlink(registration)
    }

    /// Drops a registration (already gone from `registrations`) from its path's count; its entry there is
    /// dead from now on (its serial no longer matches) and is compacted away lazily.
    private mutating func unlink(_ registration: Registration) {
        guard var list = byPath.removeValue(forKey: registration.key) else { return }
        list.live -= 1
        if list.live == 0 { return }
        if list.entries.count > 2 * list.live + 16 { compact(&list) }
        byPath[registration.key] = list
    }

    /// Queues an event for a stream watcher outside the live path (history replay at registration).
    mutating func enqueue(_ id: WatcherID, _ event: Event) {
        pending.append((id, event))
        registrations[id]?.lastDelivered = event.index
    }

    mutating func takePending() -> [(WatcherID, Event)] {
        defer { pending = [] }
        return pending
    }

    /// Offers `event` to every interested watcher; `removedPaths` are the descendants a removal took away.
    mutating func notify(_ event: Event, removedPaths: [String]) {
        if registrations.isEmpty { return }
        for path in removedPaths { offer(event, at: path, deleted: true) }
        let key = event.node.key
        offer(event, at: "/", deleted: false)
        var end = key.utf8.index(after: key.utf8.startIndex)
        while end < key.utf8.endIndex {
            if key.utf8[end] == UInt8(ascii: "/") {
                offer(event, at: String(key[..<end]), deleted: false)
            }
            end = key.utf8.index(after: end)
        }
        if key != "/" { offer(event, at: key, deleted: false) }
    }

    private mutating func offer(_ event: Event, at path: String, deleted: Bool) {
        guard var list = byPath.removeValue(forKey: path) else { return }
        let original = path == event.node.key
        if original || deleted || !KeyPath.isHidden(watchPath: path, key: event.node.key) {
            let index = event.index
            var dead = 0
            // A fan-out queues one notification per live watcher: grow once, not ~log2(n) times (but still
            // geometrically, so many small offers in a row stay amortised O(1)).
            let needed = pending.count + list.live
            if needed > pending.capacity { pending.reserveCapacity(max(needed, 2 * pending.capacity)) }
            for (id, serial) in list.entries {
                // One hash per watcher: the dictionary index serves the checks, the update and the removal.
                guard let slot = registrations.index(forKey: id), registrations.values[slot].serial == serial else {
                    dead += 1
                    continue
                }
                let registration = registrations.values[slot]
                guard registration.recursive || original || deleted, index >= registration.sinceIndex,
                    registration.lastDelivered != index
                else { continue }
                pending.append((id, event))
                if registration.stream {
                    registrations.values[slot].lastDelivered = index
                } else {
                    registrations.remove(at: slot)
                    list.live -= 1
                    dead += 1
                }
            }
            if list.live == 0 { return }
            if dead > 0 { compact(&list) }
        }
        byPath[path] = list
    }

    private func compact(_ list: inout PathWatchers) {
        let registrations = self.registrations
        list.entries.removeAll { entry in registrations[entry.id]?.serial != entry.serial }
    }
}
