// The single mutation path of the key tree: `apply` validates a Command against the tree, mutates it, and
// records the outcome (index, history, watcher notifications, observed events, the command itself, stats).
// Validation always finishes before the first change, so a thrown error leaves the tree untouched.
// Semantics follow etcd v0.4 `store.go` (reference §4.6–4.10); the deliberate fix is that `prevNode` reports
// the previous expiration, not the new one. Removals (delete, compareAndDelete, expiry) are in Store+Remove.

extension Store {
    /// The only mutation path. Validates, mutates, appends to history, queues watcher notifications and the
    /// applied command, returns the event. Failures throw and change nothing except the fail counters.
    @discardableResult
    package func apply(_ command: Command, now: Timestamp) throws(EtcdError) -> Event {
        var written: Node? = nil
        let event = try perform(command, now: now, written: &written)
        // The key is taken out first: handing `event.node.key` straight to the call made the optimiser copy
        // and destroy the whole Event around it (outlined, ~200 instructions).
        let key = event.node.key
        if isObserved(key) { events.append(event) }
        history.append(event)
        return event
    }

    /// `apply` for a writer that mirrors its own writes and needs only the new index and the node written
    /// (the lock module): the event stays out of `takeEvents` (it would only be skipped there), and it
    /// moves into the history instead of being copied there and then destroyed by the caller.
    /// `reportedKey`: the command's key is one this store reported (an event's or a listing's node key),
    /// hence clean, and is not scanned again (asserted in debug builds). Used for update and delete only.
    /// `hint`: a node an earlier `applyMirrored` returned for the same key — the directory of a
    /// createInOrder, the file of an update or delete (reportedKey then). While it is still in the tree it
    /// *is* what looking the key up would find (one node per key; a node that left is flagged), so the
    /// lookup, one hash of the whole key, is skipped; a stale hint is ignored. Returns the node created or updated (nil for a
    /// removal), to be passed back as the next hint.
    package func applyMirrored(
        _ command: Command, now: Timestamp, reportedKey: Bool = false, hint: Node? = nil
    ) throws(EtcdError) -> (index: EtcdIndex, key: String, node: Node?) {
        var written: Node? = nil
        let event = try perform(command, now: now, reportedKey: reportedKey, hint: hint, written: &written)
        let result = (event.index, event.node.key, written)
        history.append(event)
        return result
    }

    /// Everything `apply` does but queueing the event and keeping it in the history. `hint` and `written`:
    /// see `applyMirrored`.
    private func perform(
        _ command: Command, now: Timestamp, reportedKey: Bool = false, hint: Node? = nil, written: inout Node?
    ) throws(EtcdError) -> Event {
        let event: Event
        var removedPaths: [String] = []
        do {
            switch command {
            case let .set(key, value, dir, expiration):
                event = try put(KeyPath(key), value: value, dir: dir, expiration: expiration, replace: true, now: now)
            case let .create(key, value, dir, expiration):
                event = try put(KeyPath(key), value: value, dir: dir, expiration: expiration, replace: false, now: now)
            case let .createInOrder(directory, value, dir, expiration):
                if let hint, hint.isAttached, hint.isDir {
                    assert(find(KeyPath(directory)) === hint, "\(directory): the hint is another node")
                    event = try createInOrder(
                        KeyPath(clean: directory), parent: hint, value: value, dir: dir, expiration: expiration,
                        now: now, written: &written)
                } else {
                    event = try createInOrder(
                        KeyPath(directory), parent: nil, value: value, dir: dir, expiration: expiration, now: now,
                        written: &written)
                }
            case let .update(key, value, expiration):
                let path = reportedKey ? KeyPath(clean: key) : KeyPath(key)
                let node: Node
                if let hint, hint.isAttached {
                    assert(find(path) === hint, "\(key): the hint is another node")
                    node = hint
                } else {
                    node = try lookup(path)
                }
                event = try update(path, node, value: value, expiration: expiration, now: now)
                written = node
            case let .compareAndSwap(key, value, prevValue, prevIndex, expiration):
                event = try compareAndSwap(
                    KeyPath(key), value: value, prevValue: prevValue, prevIndex: prevIndex, expiration: expiration,
                    now: now)
            case let .delete(key, dir, recursive):
                let path = reportedKey ? KeyPath(clean: key) : KeyPath(key)
                event = try delete(path, hint: hint, dir: dir, recursive: recursive, now: now, removed: &removedPaths)
            case let .compareAndDelete(key, prevValue, prevIndex):
                event = try compareAndDelete(
                    KeyPath(key), prevValue: prevValue, prevIndex: prevIndex, now: now, removed: &removedPaths)
            case let .expire(key):
                event = try expireNode(KeyPath(key), now: now, removed: &removedPaths)
            }
        } catch {
            count(command, success: false)
            throw error
        }
        count(command, success: true)
        index = event.index
        hub.notify(event, removedPaths: removedPaths)
        if recordsCommands { commands.append(command) }
        return event
    }

    private func count(_ command: Command, success: Bool) {
        switch command {
        case .set: if success { counters.setsSuccess += 1 } else { counters.setsFail += 1 }
        case .create, .createInOrder: if success { counters.createSuccess += 1 } else { counters.createFail += 1 }
        case .update: if success { counters.updateSuccess += 1 } else { counters.updateFail += 1 }
        case .compareAndSwap:
            if success { counters.compareAndSwapSuccess += 1 } else { counters.compareAndSwapFail += 1 }
        case .delete: if success { counters.deleteSuccess += 1 } else { counters.deleteFail += 1 }
        case .compareAndDelete:
            if success { counters.compareAndDeleteSuccess += 1 } else { counters.compareAndDeleteFail += 1 }
        case .expire: if success { counters.expireCount += 1 }
        }
    }

    // MARK: - Commands

    /// set (`replace`) and create: etcd's `internalCreate`.
    private func put(
        _ path: KeyPath, value: String, dir: Bool, expiration: Timestamp?, replace: Bool, now: Timestamp
    ) throws(EtcdError) -> Event {
        if path.isRoot { throw EtcdError(.rootReadOnly, cause: "/", index: index) }
        let next = index + 1
        if let existing = find(path) {
            // Its ancestors are directories, so this is the first thing etcd's walk would trip over.
            if !replace { throw EtcdError(.nodeExist, cause: path.path, index: index) }
            if existing.isDir { throw EtcdError(.notFile, cause: path.path, index: index) }
            let previous = existing.view(now: now, recursive: false, sorted: false)
            // etcd removes the file and creates a new node (new createdIndex, no TTL carried over). Turning the
            // same object into that new node is indistinguishable and saves freeing and allocating a node and
            // re-hashing its name and key (a file has no subtree, so only its own timer goes).
            // The new node shows the key as this request spelled it (String equality, hence the lookup, is
            // canonical equivalence; the bytes may differ).
            existing.key = path.path
            if !Self.hasLastSegment(path.path, existing.name) { existing.name = path.parentAndName().name }
            existing.value = dir ? "" : value
            if dir { existing.children = [:] }
            existing.createdIndex = next
            existing.modifiedIndex = next
            setTTL(existing, expiration, now: now)
            return Event(
                action: .set, node: existing.view(now: now, recursive: false, sorted: false), prevNode: previous)
        }
        let (parentKey, name) = path.parentAndName()
        var parent: Node
        if let known = parentKey == "/" ? root : nodes[NodeKey(parentKey)] {
            // Its ancestors are directories, so a file here is the first one etcd's walk would meet.
            guard known.isDir else { throw EtcdError(.notDir, cause: known.key, index: index) }
            parent = known
        } else {
            parent = try makeDirectories(for: path, index: next)
        }
        let node = Node(
            key: path.path, name: name, value: dir ? "" : value, isDir: dir, expiration: nil, index: next,
            parent: parent)
        parent.adopt(node, as: NodeKey(name))
        register(node, as: NodeKey(path.path))
        setTTL(node, expiration, now: now)
        return Event(action: replace ? .set : .create, node: node.view(now: now, recursive: false, sorted: false))
    }

    /// POST to a directory: `put` (create) of `<directory>/<index + 1>`. The parent and the name are known
    /// here, so the key is built once and neither re-cleaned nor split again, and whether it exists is
    /// asked of the parent's children (hashing the short name) instead of `nodes` (hashing the whole key):
    /// a missing parent has no children, and a file parent is reported first by `put` too (nothing can
    /// exist below a file). This is every lock acquire's write. `parent`: the directory node when the
    /// caller knows it (a checked hint), else it is looked up.
    private func createInOrder(
        _ directory: KeyPath, parent hint: Node?, value: String, dir: Bool, expiration: Timestamp?, now: Timestamp,
        written: inout Node?
    ) throws(EtcdError) -> Event {
        let next = index + 1
        let name = String(next)
        // "/" + name is a small string (no allocation), so the key costs one allocation and one copy.
        let key = directory.isRoot ? "/" + name : directory.path + ("/" + name)
        let parent: Node
        if let known = hint ?? (directory.isRoot ? root : nodes[NodeKey(directory.path)]) {
            guard known.isDir else { throw EtcdError(.notDir, cause: known.key, index: index) }
            parent = known
        } else {
            parent = try makeDirectories(for: KeyPath(clean: key), index: next)
        }
        let node = Node(
            key: key, name: name, value: dir ? "" : value, isDir: dir, expiration: nil, index: next, parent: parent)
        // One hash of the name for the check and the insertion; a name taken already (a keys-API write can
        // name a file like a future index) is put back untouched. (Directories made just now are empty, so
        // nothing was created before this can throw.)
        let nameKey = NodeKey(name)
        if let existing = parent.adopt(node, as: nameKey) {
            parent.children![nameKey] = existing
            throw EtcdError(.nodeExist, cause: key, index: index)
        }
        register(node, as: NodeKey(key))
        setTTL(node, expiration, now: now)
        written = node
        return Event(action: .create, node: node.view(now: now, recursive: false, sorted: false))
    }

    /// The parent directory of `path`, creating the missing ones; 104 (before creating anything) when a file
    /// is on the way. Only called when the parent does not exist yet.
    private func makeDirectories(for path: KeyPath, index next: EtcdIndex) throws(EtcdError) -> Node {
        var segments = path.segments()
        var name = segments.next()!
        var parent = root
        while !segments.isAtLast, let child = parent.child(name) {
            guard child.isDir else { throw EtcdError(.notDir, cause: child.key, index: index) }
            parent = child
            name = segments.next()!
        }
        while !segments.isAtLast {
            let key = segments.pathSoFar
            let directory = Node(
                key: key, name: name, value: "", isDir: true, expiration: nil, index: next, parent: parent)
            parent.adopt(directory, as: NodeKey(name))
            register(directory, as: NodeKey(key))
            parent = directory
            name = segments.next()!
        }
        return parent
    }

    /// Whether the clean, non-root `path` ends in "/" + `name`, byte for byte.
    static func hasLastSegment(_ path: String, _ name: String) -> Bool {
        let p = path.utf8.span, n = name.utf8.span
        let start = p.count - n.count
        guard start > 0, p[start - 1] == UInt8(ascii: "/") else { return false }
        for i in 0..<n.count where p[start + i] != n[i] { return false }
        return true
    }

    /// `node`: what `lookup(path)` finds (the caller looked it up, or holds it as a checked hint).
    private func update(
        _ path: KeyPath, _ node: Node, value: String, expiration: Timestamp?, now: Timestamp
    ) throws(EtcdError) -> Event {
        if path.isRoot { throw EtcdError(.rootReadOnly, cause: "/", index: index) }
        if node.isDir && !value.isEmpty { throw EtcdError(.notFile, cause: path.path, index: index) }
        let previous = node.view(now: now, recursive: false, sorted: false)
        if !node.isDir { node.value = value }
        node.modifiedIndex = index + 1
        setTTL(node, expiration, now: now)
        return Event(action: .update, node: node.view(now: now, recursive: false, sorted: false), prevNode: previous)
    }

    private func compareAndSwap(
        _ path: KeyPath, value: String, prevValue: String?, prevIndex: EtcdIndex?, expiration: Timestamp?,
        now: Timestamp
    ) throws(EtcdError) -> Event {
        if path.isRoot { throw EtcdError(.rootReadOnly, cause: "/", index: index) }
        let node = try lookup(path)
        if node.isDir { throw EtcdError(.notFile, cause: path.path, index: index) }
        try compare(node, prevValue: prevValue, prevIndex: prevIndex)
        let previous = node.view(now: now, recursive: false, sorted: false)
        node.value = value
        node.modifiedIndex = index + 1
        setTTL(node, expiration, now: now)
        return Event(
            action: .compareAndSwap, node: node.view(now: now, recursive: false, sorted: false), prevNode: previous)
    }

    // MARK: - Helpers

    /// etcd's `Compare`: nil/"" and nil/0 are not compared; the cause names only what differs.
    func compare(_ node: Node, prevValue: String?, prevIndex: EtcdIndex?) throws(EtcdError) {
        let valueMatch = (prevValue ?? "").isEmpty || node.value == prevValue
        let indexMatch = (prevIndex ?? 0) == 0 || node.modifiedIndex == prevIndex
        if valueMatch && indexMatch { return }
        let valueCause = "[\(prevValue ?? "") != \(node.value)]"
        let indexCause = "[\(prevIndex ?? 0) != \(node.modifiedIndex)]"
        let cause = valueMatch ? indexCause : indexMatch ? valueCause : valueCause + " " + indexCause
        throw EtcdError(.testFailed, cause: cause, index: index)
    }

    /// Replaces a node's TTL: cancels the old timer, arms the new deadline, or makes the node permanent.
    private func setTTL(_ node: Node, _ expiration: Timestamp?, now: Timestamp) {
        if let timer = node.ttlTimer {
            ttlWheel.cancel(timer)
            node.ttlTimer = nil
        }
        node.expiration = expiration
        guard let expiration else { return }
        if ttlWheel.count == 0 && now.milliseconds > ttlWheel.now {
            // An empty wheel can jump to the present for free, which keeps `nextExpiry` sharp.
            ttlWheel.jump(to: now.milliseconds)
        }
        ttlSerial &+= 1
        node.ttlSerial = ttlSerial
        node.ttlTimer = ttlWheel.arm(at: expiration.milliseconds, TTLTimer(key: node.key, serial: ttlSerial))
    }
}
