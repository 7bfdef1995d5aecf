// etcd's key tree (v0.4 `store/`), pure and deterministic: `now` is always passed in and nothing here reads a
// clock, starts work or touches I/O. Every mutation is a `Command` applied by `apply` (or `applyMirrored`), so
// live requests, log replay and tests run the same code. Reads and watch registrations are the only other
// entry points.
//
// Invariants: `index` grows by exactly one per successful command and each such command yields one event
// (history, watchers, and — unless switched off, see below — `takeEvents` and `takeCommands`); a failed
// command changes nothing but a fail counter.
// Each node with an expiration has exactly one armed wheel timer; removing a subtree cancels its timers.
// `nodes` holds every node of the tree but the root, and nothing else, under its key (lookups by key are one
// hash; the tree itself serves listings, error causes and creation).
// The caller drains `takeNotifications`, `takeEvents` and `takeCommands` after each call that mutates
// (they grow until taken). Two switches keep those queues empty when nobody needs their content, so a plain
// keys-API write copies its event and command nowhere and the drains find nothing: `recordsCommands` (off
// when no log is written) and `observedKey` (only events that may concern that subtree are queued); and a
// write through `applyMirrored` (its writer is the observer and mirrors it itself) queues no event either.

/// The key tree with its history, watchers, TTL timers and statistics.
package final class Store {
    struct TTLTimer {
        var key: String
        var serial: UInt64
    }

    let root = Node(key: "/", name: "", value: "", isDir: true, expiration: nil, index: 0, parent: nil)
    /// Every node but the root by its key, so finding a known key costs one hash instead of one String and
    /// one hash per segment (most requests name a key that exists). Invariant: holds exactly the nodes of the
    /// tree — `put` and `fill` add, `detach` removes whole subtrees. Only misses walk the tree (for errors
    /// and to create). Swift compares Strings by canonical equivalence, and with "/" splitting nothing apart
    /// that is the same as comparing segment by segment, so a hit here is what the walk would find.
    /// Keyed by NodeKey (the String with its hash kept): removals and growth never re-hash a String.
    var nodes: [NodeKey: Node] = [:]
    /// The node `find` answered last and the key it was asked under: a client that reads or writes one key
    /// again and again (a heartbeat, a poll, a benchmark's PUT) then costs a String comparison instead of
    /// hashing the key and probing `nodes` (~450 instructions per keys GET or PUT; callgrind). Valid while
    /// the node is in the tree (`isAttached`, cleared by every removal): `nodes` maps all keys equal to
    /// `lastFoundKey` to this one attached node, and only a removal ends that.
    private var lastFoundKey = ""
    private var lastFoundNode: Node?
    /// Current etcd index (`X-Etcd-Index`).
    package internal(set) var index: EtcdIndex = 0
    var history: EventHistory
    var hub = WatcherHub()
    var ttlWheel = TimerWheel<TTLTimer>(now: 0)
    var ttlSerial: UInt64 = 0
    var counters = StoreStats()
    var events = Outbox<Event>()
    var commands = Outbox<Command>()
    /// Whether applied commands are queued for `takeCommands`. The write-ahead log is their only reader: a
    /// server without one turns this off at start, and then every command is dropped instead of copied
    /// (retaining its strings) and thrown away after each request.
    package var recordsCommands = true
    /// When set, `takeEvents` only hands out the events of this key, of keys below it, and of its ancestors
    /// (whose removal removes it): the lock module watches its own subtree only, and every other write's
    /// event was copied into the queue, handed over and looked at for nothing. Compared byte-wise, as the
    /// lock module compares keys. nil: every event.
    package var observedKey: String?

    package init(historyCapacity: Int = 1000) {
        history = EventHistory(capacity: historyCapacity)
    }

    /// A GET: files with their value, directories with their visible children (whole subtree if `recursive`),
    /// children sorted byte-wise at every level if `sorted`.
    package func get(_ key: String, recursive: Bool, sorted: Bool, now: Timestamp) throws(EtcdError) -> Event {
        let node: Node
        do {
            node = try lookup(KeyPath(key))
        } catch {
            counters.getsFail += 1
            throw error
        }
        counters.getsSuccess += 1
        return Event(action: .get, node: node.view(now: now, recursive: recursive, sorted: sorted, listChildren: true))
    }

    /// Register a long-poll (or stream) watch. Returns an event at once when `sinceIndex` hits the history
    /// (then nothing is registered, unless stream); nil when registered. Errors: 401 when too old.
    /// A stream that hits the history is registered for what follows, and the other matching history events
    /// are queued as its notifications (etcd's stream went silent there).
    package func watch(
        _ key: String, recursive: Bool, stream: Bool, sinceIndex: EtcdIndex?, id: WatcherID
    ) throws(EtcdError) -> Event? {
        let path = KeyPath(key).path
        let since = (sinceIndex ?? 0) == 0 ? index + 1 : sinceIndex!
        let found = try history.scan(
            key: path, recursive: recursive, from: since, currentIndex: index, limit: stream ? Int.max : 1)
        guard let first = found.first else {
            hub.add(id, key: path, recursive: recursive, stream: stream, sinceIndex: since)
            return nil
        }
        if stream {
            hub.add(id, key: path, recursive: recursive, stream: true, sinceIndex: index + 1)
            for event in found.dropFirst() { hub.enqueue(id, event) }
        }
        return first
    }

    /// The client went away; idempotent.
    package func removeWatcher(_ id: WatcherID) {
        hub.remove(id)
    }

    /// Notifications fired since the last call, in order; one-shot watchers are already removed.
    /// (The server drains all three after every request, so the usual empty case returns at once.)
    package func takeNotifications() -> [(WatcherID, Event)] {
        hub.pending.isEmpty ? [] : hub.takePending()
    }

    /// Every mutation event since the last call that concerns `observedKey` and was not applied with
    /// `applyMirrored` (the lock module observes these).
    package func takeEvents() -> [Event] {
        events.take()
    }

    /// Every successfully applied command since the last call, in order (what the write-ahead log records);
    /// always empty while `recordsCommands` is off.
    package func takeCommands() -> [Command] {
        commands.take()
    }

    /// The earliest time `expire(upTo:)` has work (may be a little early, never late); nil if no TTL armed.
    package var nextExpiry: Timestamp? {
        ttlWheel.nextDeadline.map { Timestamp(milliseconds: $0) }
    }

    /// Expires every node whose deadline ≤ now, oldest deadline first, each as `apply(.expire(key))`.
    package func expire(upTo now: Timestamp) -> [Event] {
        let fired = ttlWheel.advance(to: now.milliseconds)
        var expired: [Event] = []
        for timer in fired {
            // A node removed by an earlier expiry of this batch (its ancestor) or re-armed since is skipped.
            guard let node = find(KeyPath(timer.key)), node.ttlSerial == timer.serial, node.ttlTimer != nil else {
                continue
            }
            node.ttlTimer = nil
            if let event = try? apply(.expire(key: timer.key), now: now) { expired.append(event) }
        }
        return expired
    }

    /// Every counter of `/v2/stats/store`, watchers included.
    package var stats: StoreStats {
        var stats = counters
        stats.watchers = hub.count
        return stats
    }

    package var keysWithTTL: Int { ttlWheel.count }
    package var watcherCount: Int { hub.count }

    // MARK: - Tree walking

    /// etcd's `internalGet`: 100 with the path up to the first missing component, 104 through a file.
    func lookup(_ path: KeyPath) throws(EtcdError) -> Node {
        if let node = find(path) { return node }
        // A miss: walk the tree only to name what is missing, as etcd does.
        var node = root
        var segments = path.segments()
        while let name = segments.next() {
            guard let children = node.children else { throw EtcdError(.notDir, cause: node.key, index: index) }
            guard let child = children[NodeKey(name)] else {
                throw EtcdError(.keyNotFound, cause: segments.pathSoFar, index: index)
            }
            node = child
        }
        return node
    }

    func find(_ path: KeyPath) -> Node? {
        if path.isRoot { return root }
        if let node = lastFoundNode, node.isAttached, lastFoundKey == path.path { return node }
        guard let node = nodes[NodeKey(path.path)] else { return nil }
        lastFoundKey = path.path
        lastFoundNode = node
        return node
    }

    /// Adds `node` to the index under `key` (its key, hashed by the caller) and keeps the hash on the node.
    func register(_ node: Node, as key: NodeKey) {
        node.keyHash = key.hash
        nodes[key] = node
    }

    /// Whether the event of a write to `key` goes to `takeEvents` (see `observedKey`).
    func isObserved(_ key: String) -> Bool {
        guard let observedKey else { return true }
        return Self.concerns(key, observedKey)
    }

    /// Whether an event of `key` may concern an observer of `observed`: `key` is `observed`, below it, or
    /// one of its ancestors ("/" included). Bytes, not Characters: a combining mark after "/" must not hide
    /// a separator, and it is how the lock module matches keys.
    static func concerns(_ key: String, _ observed: String) -> Bool {
        let k = key.utf8.span, o = observed.utf8.span
        let (short, long) = k.count <= o.count ? (k, o) : (o, k)
        for i in 0..<short.count where short[i] != long[i] { return false }
        // `short` is a prefix of `long`: equal, or it ends where a segment of `long` ends ("/" is everyone's).
        return short.count == long.count || short.count == 1 || long[short.count] == UInt8(ascii: "/")
    }
}
