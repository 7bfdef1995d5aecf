import Modules
import Store

/// A store, a lock service and a hand-driven clock, wired the way the server wires them: after every
/// mutation batch the store's events go to `storeDidChange`, and wakes are collected after every call.
final class LockHarness {
    let store = Store()
    let locks: LockService
    let leaders: LeaderService
    var now = Timestamp(milliseconds: 1_700_000_000_000)
    /// Every wake delivered so far, in order.
    private(set) var wakes: [LockWake] = []
    private var nextWaiter: UInt64 = 0

    init() {
        locks = LockService(store: store)
        leaders = LeaderService(locks: locks)
    }

    func newWaiter() -> WaiterID {
        nextWaiter += 1
        return WaiterID(nextWaiter)
    }

    /// POST /mod/v2/lock/<name>?value=&ttl=&timeout= from a fresh request.
    @discardableResult
    func acquire(_ name: String = "foo", value: String = "", ttl: Int64, timeout: Int64? = nil)
        throws(EtcdError) -> (WaiterID, AcquireOutcome)
    {
        let waiter = newWaiter()
        let outcome = try locks.acquire(name, value: value, ttl: ttl, timeout: timeout, waiter: waiter, now: now)
        pump()
        return (waiter, outcome)
    }

    /// PUT /mod/v2/leader/<name>?name=&ttl=
    @discardableResult
    func setLeader(_ name: String = "foo", candidate: String, ttl: Int64, timeout: Int64? = nil)
        throws(EtcdError) -> (WaiterID, AcquireOutcome)
    {
        let waiter = newWaiter()
        let outcome = try leaders.set(name, candidate: candidate, ttl: ttl, timeout: timeout, waiter: waiter, now: now)
        pump()
        return (waiter, outcome)
    }

    func release(_ name: String = "foo", index: String? = nil, value: String? = nil) throws(EtcdError) {
        try locks.release(name, index: index, value: value, now: now)
        pump()
    }

    func renew(_ name: String = "foo", index: String? = nil, value: String? = nil, ttl: Int64) throws(EtcdError) {
        try locks.renew(name, index: index, value: value, ttl: ttl, now: now)
        pump()
    }

    func cancel(_ waiter: WaiterID) {
        locks.cancel(waiter, now: now)
        pump()
    }

    /// A keys-API write (`/v2/keys/...`), observed like any other.
    @discardableResult
    func keys(_ command: Command) throws(EtcdError) -> Event {
        let event = try store.apply(command, now: now)
        pump()
        return event
    }

    /// GET ?field=index (the holder's index, "" when none).
    func holderIndex(_ name: String = "foo") -> String { (try? locks.holder(name, field: "index")) ?? "<error>" }

    func holderValue(_ name: String = "foo") -> String { (try? locks.holder(name, field: nil)) ?? "<error>" }

    /// Lets `seconds` pass: key TTLs fire, then lock timeouts, each followed by the event hand-over.
    func advance(seconds: Double) {
        now = Timestamp(milliseconds: now.milliseconds + Int64(seconds * 1000))
        _ = store.expire(upTo: now)
        pump()
        locks.expireTimeouts(now: now)
        pump()
    }

    func pump() {
        locks.storeDidChange(store.takeEvents(), now: now)
        wakes += locks.takeWakes()
    }

    /// The wakes delivered to `waiter` (normally zero or one).
    func wakes(of waiter: WaiterID) -> [LockWake] { wakes.filter { $0.waiter == waiter } }

    /// The entry indexes of lock `name` as the key tree lists them, ascending.
    func treeIndexes(_ name: String = "foo") -> [EtcdIndex] {
        let directory = LockPath.directory(forName: name)
        guard let listing = try? store.get(directory, recursive: false, sorted: false, now: now) else { return [] }
        return (listing.node.nodes ?? []).compactMap { LockPath.entry(ofKey: $0.key)?.index }.sorted()
    }

    /// The entry node of lock `name` with `index`, as the key tree has it.
    func node(_ name: String = "foo", _ index: EtcdIndex) -> NodeView? {
        try? store.get(LockPath.entryKey(LockPath.directory(forName: name), index), recursive: false, sorted: false,
            now: now).node
    }
}

extension AcquireOutcome {
    /// The index of an `.acquired` outcome.
    var index: EtcdIndex? {
        if case .acquired(let index) = self { return index }
        return nil
    }
}
