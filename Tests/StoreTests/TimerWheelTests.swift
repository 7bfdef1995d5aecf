import Testing
@testable import Store

/// A fixed-seed generator (SplitMix64) so every failure reproduces.
struct SplitMix64: RandomNumberGenerator {
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

/// The oracle: live timers kept sorted by (deadline, arm order).
private struct SortedOracle {
    struct Timer { var deadline: Int64; var sequence: Int; var handle: TimerHandle }
    var timers: [Timer] = []

    func position(_ deadline: Int64, _ sequence: Int) -> Int {
        var low = 0
        var high = timers.count
        while low < high {
            let mid = (low + high) / 2
            if (timers[mid].deadline, timers[mid].sequence) < (deadline, sequence) { low = mid + 1 } else { high = mid }
        }
        return low
    }

    mutating func insert(_ timer: Timer) { timers.insert(timer, at: position(timer.deadline, timer.sequence)) }

    mutating func remove(_ timer: Timer) {
        let at = position(timer.deadline, timer.sequence)
        precondition(timers[at].sequence == timer.sequence)
        timers.remove(at: at)
    }

    mutating func popDue(_ now: Int64) -> [Timer] {
        var count = 0
        while count < timers.count && timers[count].deadline <= now { count += 1 }
        defer { timers.removeFirst(count) }
        return Array(timers[0..<count])
    }
}

#if DEBUG
private let randomOperations = 300_000   // release builds run 1_500_000
#else
private let randomOperations = 1_500_000
#endif

/// Ensure that the wheel fires exactly what a sorted-array oracle fires, in the same order, over many random
/// arm/cancel/advance operations with deadlines from 1 ms to years ahead and in the past.
@Test func wheelMatchesSortedOracle() {
    var random = SplitMix64(seed: 0xBA70_0001)
    let start: Int64 = 1_700_000_000_123
    var wheel = TimerWheel<Int>(now: start)
    var oracle = SortedOracle()
    var now = start
    var sequence = 0
    var staleHandles: [TimerHandle] = []
    var fired = 0
    for step in 0..<randomOperations {
        let roll = random.next() % 100
        if roll < 45 {
            let span: Int64
            switch random.next() % 10 {
            case 0: span = -Int64(random.next() % 5000)
            case 1...5: span = Int64(random.next() % 200)
            case 6, 7: span = Int64(random.next() % 20_000)
            case 8: span = Int64(random.next() % 5_000_000)
            default: span = Int64(random.next() % 100_000_000_000)
            }
            let deadline = now + span
            let handle = wheel.arm(at: deadline, sequence)
            oracle.insert(.init(deadline: deadline, sequence: sequence, handle: handle))
            sequence += 1
        } else if roll < 60 {
            if !oracle.timers.isEmpty {
                let victim = oracle.timers[Int(random.next() % UInt64(oracle.timers.count))]
                wheel.cancel(victim.handle)
                oracle.remove(victim)
                staleHandles.append(victim.handle)
            }
            if let stale = staleHandles.randomElement(using: &random) { wheel.cancel(stale) }
            if staleHandles.count > 64 { staleHandles.removeFirst(32) }
        } else {
            let jump: Int64
            switch random.next() % 20 {
            case 0: jump = Int64(random.next() % 100_000)
            case 1: jump = 0
            case 2: jump = -Int64(random.next() % 10)
            default: jump = Int64(random.next() % 8)
            }
            now += jump
            if let next = wheel.nextDeadline, let earliest = oracle.timers.first {
                #expect(next <= earliest.deadline, "nextDeadline \(next) after the earliest \(earliest.deadline)")
            }
            #expect((wheel.nextDeadline == nil) == oracle.timers.isEmpty)
            let got = wheel.advance(to: now)
            now = max(now, wheel.now)
            let due = oracle.popDue(now)
            let expected = due.map(\.sequence)
            if got != expected {
                Issue.record("step \(step): advance to \(now) fired \(got.prefix(8)) expected \(expected.prefix(8))")
                return
            }
            staleHandles.append(contentsOf: due.prefix(4).map(\.handle))
            fired += got.count
        }
        if oracle.timers.count > 20_000 {
            // Keep the oracle's array moves cheap: jump far ahead, which also exercises big cascades.
            now += 50_000_000_000
            let got = wheel.advance(to: now)
            if got != oracle.popDue(now).map(\.sequence) { Issue.record("big jump mismatch at step \(step)"); return }
            fired += got.count
        }
        if step % 10_000 == 0 { wheel.validate() }
        if wheel.count != oracle.timers.count {
            Issue.record("step \(step): count \(wheel.count) vs oracle \(oracle.timers.count)")
            return
        }
    }
    wheel.validate()
    #expect(fired > randomOperations / 10)
}
