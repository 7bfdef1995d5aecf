import TestSupport
import Modules
import Store
import Testing


/// The model: what every request was told, checked against the key tree after every step.
private struct Model {
    struct Waiting {
        let name: String
        let entry: EtcdIndex
        let deadline: Timestamp?
    }

    var waiting: [WaiterID: Waiting] = [:]
    /// Per lock: every index handed out as "acquired", in order.
    var acquisitions: [String: [EtcdIndex]] = [:]
    var answered = 0
}

// Random arrivals, joins, departures, timeouts, TTL expiries, releases and keys-API deletes (of entries and
// of whole lock directories), with names spelled several ways, against a model: never two holders,
// acquisitions in FIFO (index) order, every parked request answered exactly once or cancelled, and the
// service's queues equal to the key tree after every step.
@Suite struct LockPropertyTests {
    static let names = ["a", "b", "c/d"]
    /// Other spellings of the same locks: requests resolve names through a cache, which must not care.
    static let spellings = ["a": ["a", "/a", "a/", "./a", "x/../a"], "b": ["b", "b//"], "c/d": ["c/d", "c//d", "/c/./d"]]
    static let values = ["", "", "", "x", "y", "z"]

    /// Ensure that under thousands of random operations no lock ever has two holders, acquisitions follow
    /// queue order, no wake-up is lost and every parked request is answered once.
    @Test(arguments: [1 as UInt64, 42, 20_240_601])
    func randomOperationsKeepInvariants(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let h = LockHarness()
        var model = Model()
        var seenWakes = 0

        func absorb() throws {
            for wake in h.wakes[seenWakes...] {
                let removed = model.waiting.removeValue(forKey: wake.waiter)
                let waiting = try #require(removed, "wake for \(wake) that was not parked")
                model.answered += 1
                switch wake {
                case .acquired(_, let index):
                    #expect(index == waiting.entry)
                    model.acquisitions[waiting.name, default: []].append(index)
                case .failed(_, .timedOut):
                    let deadline = try #require(waiting.deadline)
                    #expect(deadline <= h.now)
                case .failed(_, .entryRemoved):
                    #expect(!h.treeIndexes(waiting.name).contains(waiting.entry))
                case .failed(_, let failure):
                    Issue.record("unexpected \(failure)")
                }
            }
            seenWakes = h.wakes.count
        }

        /// Every invariant, as a list of violations (one `#expect` per step keeps 7,500 steps fast in debug).
        func violations() -> [String] {
            var problems: [String] = []
            var trees: [String: [EtcdIndex]] = [:]
            for name in Self.names { trees[name] = h.treeIndexes(name) }
            for name in Self.names {
                let tree = trees[name] ?? []
                if h.locks.queuedIndexes(name) != tree { problems.append("\(name): mirror differs from the tree") }
                let acquired = model.acquisitions[name] ?? []
                // FIFO: indexes handed out never go down (equal = a join or a re-acquire of the same entry).
                if !zip(acquired, acquired.dropFirst()).allSatisfy({ $0 <= $1 }) {
                    problems.append("\(name): acquisitions out of order \(acquired.suffix(5))")
                }
                // One holder: an entry that was handed out and still exists is the head, never a later one.
                if !Set(acquired).isDisjoint(with: tree.dropFirst()) { problems.append("\(name): two holders \(tree)") }
                if let head = tree.first, h.holderIndex(name) != "\(head)" { problems.append("\(name): GET != head") }
            }
            // No lost wake-up: a parked request's entry exists and is not the head.
            var present: [String: Set<EtcdIndex>] = [:]
            for name in Self.names { present[name] = Set(trees[name] ?? []) }
            for (waiter, waiting) in model.waiting {
                if present[waiting.name]?.contains(waiting.entry) != true { problems.append("\(waiter): entry gone") }
                if trees[waiting.name]?.first == waiting.entry { problems.append("\(waiter): at the head, not woken") }
            }
            if h.locks.stats.waitersParked != model.waiting.count { problems.append("parked count differs") }
            return problems
        }

        func check() {
            let problems = violations()
            #expect(problems.isEmpty, "\(problems)")
        }

        for _ in 0..<2500 {
            let name = random.pick(Self.names)
            let spelled = random.pick(Self.spellings[name] ?? [name])
            switch random.below(100) {
            case 0..<40:
                let value = random.pick(Self.values)
                let ttl = Int64(random.pick([0, 1, 2, 5]))
                let timeout = random.pick([nil, nil, 0, 1, 3, -1] as [Int64?])
                let (waiter, outcome) = try h.acquire(spelled, value: value, ttl: ttl, timeout: timeout)
                switch outcome {
                case .acquired(let index):
                    model.acquisitions[name, default: []].append(index)
                case .parked:
                    let tree = h.treeIndexes(name)
                    let entry: EtcdIndex
                    if value.isEmpty {
                        entry = h.store.index
                    } else {
                        entry = try #require(tree.first { h.node(name, $0)?.value == value })
                    }
                    let deadline = timeout.flatMap { $0 > 0 ? h.now.adding(seconds: $0) : nil }
                    model.waiting[waiter] = Model.Waiting(name: name, entry: entry, deadline: deadline)
                case .failed(let failure):
                    #expect(failure == .notAcquired)
                    #expect(timeout == 0)
                }
            case 40..<52:
                if let waiter = model.waiting.keys.sorted(by: { $0.raw < $1.raw }).first(where: { _ in random.below(3) == 0 }) {
                    h.cancel(waiter)
                    model.waiting[waiter] = nil
                }
            case 52..<72:
                h.advance(seconds: Double(random.below(3000)) / 1000)
            case 72..<84:
                if let head = h.treeIndexes(name).first { try h.release(spelled, index: "\(head)") }
            case 84..<90:
                if let head = h.treeIndexes(name).first { try h.renew(spelled, index: "\(head)", ttl: 2) }
            case 90..<95:
                let tree = h.treeIndexes(name)
                if !tree.isEmpty {
                    let victim = tree[random.below(tree.count)]
                    try h.keys(.delete(key: LockPath.entryKey(LockPath.directory(forName: name), victim), dir: false,
                        recursive: false))
                }
            case 95..<97:
                // The whole lock directory goes through the keys API: its queue leaves the mirror (and the
                // name cache), and the next request on the name starts a new one.
                _ = try? h.keys(.delete(key: LockPath.directory(forName: name), dir: true, recursive: true))
            default:
                let value = random.pick(["x", "y", "z"])
                try? h.release(spelled, value: value)
            }
            try absorb()
            check()
        }

        // Drain: holders release and time passes until every parked request has been answered.
        var rounds = 0
        while !model.waiting.isEmpty && rounds < 10_000 {
            for name in Self.names {
                if let head = h.treeIndexes(name).first { try h.release(name, index: "\(head)") }
            }
            h.advance(seconds: 1)
            try absorb()
            check()
            rounds += 1
        }
        #expect(model.waiting.isEmpty)
        #expect(model.answered > 100)
        #expect(h.locks.stats.handoffs > 50)
    }
}
