// Micro benchmarks of Baton's hot paths (issue 6 item 2, issue 3's performance section): the HTTP request
// parser, the JSON writer, the key tree at 1M keys, the timer wheel with 1M armed timers, and the lock
// service's queue. Each benchmark body runs `benchmark.scaledIterations` operations so ns/op is readable
// directly; setup work (filling a store, arming a million timers) is excluded with start/stopMeasurement.
// Run from Benchmarks/: `swift package benchmark` (baseline: `swift package --disable-sandbox benchmark baseline update default`).
import Benchmark
import HTTP
import Modules
import Store

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal, .instructions],
        warmupIterations: 3,
        scalingFactor: .kilo,
        maxDuration: .seconds(2),
        maxIterations: 200)

    parserBenchmarks()
    jsonBenchmarks()
    keyTreeBenchmarks()
    timerWheelBenchmarks()
    lockBenchmarks()
}

// MARK: - HTTP parser

private let getRequest = Array(("GET /v2/keys/baton-bench/get HTTP/1.1\r\nHost: 127.0.0.1:4001\r\n"
    + "User-Agent: Go-http-client/1.1\r\nAccept-Encoding: gzip\r\n\r\n").utf8)
private let putRequest = Array(("PUT /v2/keys/baton-bench/put HTTP/1.1\r\nHost: 127.0.0.1:4001\r\n"
    + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 23\r\n\r\nvalue=baton-bench-value").utf8)
private let lockRequest = Array("POST /mod/v2/lock/baton-bench-cycle-7?ttl=60&value=worker%207 HTTP/1.1\r\nHost: 127.0.0.1:4001\r\n\r\n".utf8)

private func parserBenchmarks() {
    for (name, bytes) in [("GET", getRequest), ("PUT form body", putRequest), ("POST lock query", lockRequest)] {
        Benchmark("HTTP parse \(name)") { benchmark in
            var parser = RequestParser()
            for _ in benchmark.scaledIterations {
                blackHole(parser.parse(bytes, from: 0))
            }
        }
    }
    // 16 pipelined GETs in one buffer, parsed one after the other as a connection does.
    let pipelined = Array(repeating: getRequest, count: 16).flatMap { $0 }
    Benchmark("HTTP parse 16 pipelined GETs", configuration: .init(scalingFactor: .one)) { benchmark in
        var parser = RequestParser()
        for _ in benchmark.scaledIterations {
            var start = 0
            while case .complete(_, let consumed) = parser.parse(pipelined, from: start) { start += consumed }
            precondition(start == pipelined.count)
        }
    }
}

// MARK: - JSON writer

private func jsonBenchmarks() {
    Benchmark("JSON write etcd set event") { benchmark in
        for i in benchmark.scaledIterations {
            var w = JSONWriter(capacity: 256)
            w.raw("{\"action\":\"set\",\"node\":{\"key\":")
            w.string("/baton-bench/put")
            w.raw(",\"value\":")
            w.string("baton-bench-value")
            w.raw(",\"modifiedIndex\":")
            w.integer(Int64(i))
            w.raw(",\"createdIndex\":")
            w.integer(Int64(i))
            w.raw("},\"prevNode\":{\"key\":")
            w.string("/baton-bench/put")
            w.raw(",\"value\":")
            w.string("baton-bench-value")
            w.raw(",\"modifiedIndex\":")
            w.integer(Int64(i - 1))
            w.raw(",\"createdIndex\":")
            w.integer(Int64(i - 1))
            w.raw("}}\n")
            blackHole(w.bytes)
        }
    }
    let messy = "line\nbreak <tag> & \"quoted\" \\ tab\t ünïcødé \u{2028} \u{01}"
    Benchmark("JSON write string needing escapes") { benchmark in
        for _ in benchmark.scaledIterations {
            var w = JSONWriter(capacity: 128)
            w.string(messy)
            blackHole(w.bytes)
        }
    }
}

// MARK: - Key tree

private let now = Timestamp(milliseconds: 1_700_000_000_000)

/// A store holding `count` keys /bench/d<i % 1000>/k<i>.
private func filledStore(_ count: Int) -> Store {
    let store = Store()
    for i in 0..<count {
        _ = try! store.apply(.set(key: "/bench/d\(i % 1000)/k\(i)", value: "v\(i)", dir: false, expiration: nil), now: now)
    }
    _ = store.takeEvents()
    return store
}

private func keyTreeBenchmarks() {
    let million = 1_000_000
    nonisolated(unsafe) var store: Store?
    let setup: Benchmark.BenchmarkSetupHook = { if store == nil { store = filledStore(million) } }
    Benchmark("KeyTree get at 1M keys", configuration: .init(setup: setup)) { benchmark in
        let store = store!
        var rng = SplitMix(seed: 1)
        for _ in benchmark.scaledIterations {
            let i = Int(rng.next() % UInt64(million))
            blackHole(try! store.get("/bench/d\(i % 1000)/k\(i)", recursive: false, sorted: false, now: now))
        }
    }
    Benchmark("KeyTree set (overwrite) at 1M keys", configuration: .init(setup: setup)) { benchmark in
        let store = store!
        var rng = SplitMix(seed: 2)
        for _ in benchmark.scaledIterations {
            let i = Int(rng.next() % UInt64(million))
            blackHole(try! store.apply(.set(key: "/bench/d\(i % 1000)/k\(i)", value: "w", dir: false, expiration: nil), now: now))
        }
        _ = store.takeEvents()
    }
    Benchmark("KeyTree build 1M keys (per key)", configuration: .init(scalingFactor: .one, maxIterations: 3)) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(filledStore(million))
        }
    }
}

// MARK: - Timer wheel

private func timerWheelBenchmarks() {
    let million = 1_000_000
    let start: Int64 = 1_700_000_000_000
    // Arm and cancel with a million other timers armed (the steady state of a busy server).
    nonisolated(unsafe) var armed: TimerWheel<Int64>?
    Benchmark("TimerWheel arm+cancel with 1M armed", configuration: .init(setup: {
        if armed == nil {
            var wheel = TimerWheel<Int64>(now: start)
            var rng = SplitMix(seed: 3)
            for _ in 0..<million { let d = start + 1 + Int64(rng.next() % 3_600_000); _ = wheel.arm(at: d, d) }
            armed = wheel
        }
    })) { benchmark in
        var rng = SplitMix(seed: 4)
        for _ in benchmark.scaledIterations {
            let d = start + 1 + Int64(rng.next() % 3_600_000)
            let handle = armed!.arm(at: d, d)
            armed!.cancel(handle)
        }
    }
    // Arm 1M timers over 60 s, then advance 1 ms at a time until all fired, checking each fired within one
    // tick of its deadline. Reported per timer (scaled by 1M): arm + advance share.
    Benchmark("TimerWheel 1M timers arm+advance (per timer)",
              configuration: .init(scalingFactor: .mega, maxDuration: .seconds(20), maxIterations: 3)) { benchmark in
        var wheel = TimerWheel<Int64>(now: start)
        var rng = SplitMix(seed: 5)
        for _ in benchmark.scaledIterations {
            let d = start + 1 + Int64(rng.next() % 60_000)
            _ = wheel.arm(at: d, d)
        }
        var fired = 0
        var late = 0
        var t = start
        while wheel.count > 0 {
            t += 1
            for deadline in wheel.advance(to: t) {
                fired += 1
                if deadline > t || t - deadline >= 1 { late += 1 }
            }
        }
        precondition(fired == benchmark.scaledIterations.count && late == 0,
                     "timer wheel: \(fired) fired, \(late) not within one tick of their deadline")
    }
}

// MARK: - Lock service (queues in the key tree)

private func lockBenchmarks() {
    Benchmark("Lock acquire+release uncontended") { benchmark in
        let store = Store()
        let locks = LockService(store: store)
        var waiter: UInt64 = 0
        for i in benchmark.scaledIterations {
            waiter += 1
            let outcome = try! locks.acquire("bench-\(i & 63)", value: "", ttl: 60, timeout: nil,
                                             waiter: WaiterID(waiter), now: now)
            guard case .acquired(let index) = outcome else { fatalError("not acquired: \(outcome)") }
            locks.storeDidChange(store.takeEvents(), now: now)
            try! locks.release("bench-\(i & 63)", index: String(index), value: nil, now: now)
            locks.storeDidChange(store.takeEvents(), now: now)
            blackHole(locks.takeWakes())
        }
    }
    // 100 parked waiters on one lock: each release hands the lock to the next (a wake), which re-queues.
    Benchmark("Lock hand-off with 100 waiters") { benchmark in
        let store = Store()
        let locks = LockService(store: store)
        var waiter: UInt64 = 0
        var holder: EtcdIndex = 0
        func acquire() {
            waiter += 1
            let outcome = try! locks.acquire("contended", value: "", ttl: 60, timeout: nil, waiter: WaiterID(waiter), now: now)
            if case .acquired(let index) = outcome { holder = index }
            locks.storeDidChange(store.takeEvents(), now: now)
        }
        for _ in 0..<101 { acquire() }
        for _ in benchmark.scaledIterations {
            try! locks.release("contended", index: String(holder), value: nil, now: now)
            locks.storeDidChange(store.takeEvents(), now: now)
            guard case .acquired(_, let index)? = locks.takeWakes().first else { fatalError("no hand-off") }
            holder = index
            acquire()
        }
    }
}

/// A tiny deterministic generator (SplitMix64) so runs are comparable.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
