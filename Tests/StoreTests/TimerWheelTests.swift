import TestSupport
import Testing
@testable import Store


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
private let randomOperations = 2_000_000   // release builds run 5_000_000
#else
private let randomOperations = 5_000_000
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
            if wheel.count == 0 && random.next() % 4 == 0 {
                // An empty wheel may skip ahead instead (what the store does when it arms a TTL).
                wheel.jump(to: now)
                now = max(now, wheel.now)
                if step % 64 == 0 { wheel.validate() }
                continue
            }
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

/// Ensure that a deadline already past at arm time fires at the next advance, even without time moving.
@Test func pastDeadlineFiresAtNextAdvance() {
    var wheel = TimerWheel<String>(now: 1_000)
    _ = wheel.arm(at: 1_000, "now")
    _ = wheel.arm(at: 10, "past")
    _ = wheel.arm(at: 1_001, "next")
    #expect(wheel.nextDeadline == 10)
    #expect(wheel.advance(to: 1_000) == ["past", "now"])
    #expect(wheel.nextDeadline == 1_001)
    #expect(wheel.advance(to: 999) == [])
    #expect(wheel.advance(to: 1_001) == ["next"])
    #expect(wheel.count == 0 && wheel.nextDeadline == nil)
    wheel.validate()
}

/// Ensure that equal deadlines fire in arm order, across levels and cascades.
@Test func equalDeadlinesFireInArmOrder() {
    var wheel = TimerWheel<Int>(now: 0)
    _ = wheel.arm(at: 100_000, 0)
    _ = wheel.arm(at: 5, 1)
    #expect(wheel.advance(to: 99_990) == [1])
    _ = wheel.arm(at: 100_000, 2)
    _ = wheel.arm(at: 99_995, 3)
    wheel.validate()
    #expect(wheel.advance(to: 100_000) == [3, 0, 2])
}

/// Ensure that cancelling works once, stale handles (fired or cancelled, slot reused) are ignored.
@Test func cancelIsIdempotentAndIgnoresStaleHandles() {
    var wheel = TimerWheel<String>(now: 0)
    let a = wheel.arm(at: 50, "a")
    wheel.cancel(a)
    wheel.cancel(a)
    let b = wheel.arm(at: 60, "b")
    wheel.cancel(a)
    #expect(wheel.count == 1)
    #expect(wheel.advance(to: 60) == ["b"])
    wheel.cancel(b)
    _ = wheel.arm(at: 70, "c")
    wheel.cancel(b)
    #expect(wheel.advance(to: 100) == ["c"])
    wheel.validate()
    #expect(wheel.dump().contains("count=0"))
}

/// Ensure that nextDeadline never lies after the earliest deadline and converges to it by advancing there.
@Test func nextDeadlineIsNeverLate() {
    var wheel = TimerWheel<Int>(now: 1_700_000_000_000)
    let deadline: Int64 = 1_700_000_000_000 + 3_600_000 + 17
    _ = wheel.arm(at: deadline, 1)
    var wakeups = 0
    var fired: [Int] = []
    while fired.isEmpty {
        let next = wheel.nextDeadline!
        #expect(next <= deadline)
        fired = wheel.advance(to: next)
        wakeups += 1
    }
    #expect(wheel.now == deadline && fired == [1] && wakeups <= 11)
}

#if DEBUG
private let millionTimers = 100_000   // release builds arm 1_000_000
#else
private let millionTimers = 1_000_000
#endif

/// Ensure that with many timers armed (a million in release builds) and advance called every millisecond,
/// every timer fires exactly at its deadline.
@Test func manyTimersFireOnTime() {
    var random = SplitMix64(seed: 42)
    let start: Int64 = 1_700_000_000_000
    var wheel = TimerWheel<Int64>(now: start)
    let horizon: Int64 = 20_000
    for _ in 0..<millionTimers {
        let deadline = start + 1 + Int64(random.next() % UInt64(horizon))
        _ = wheel.arm(at: deadline, deadline)
    }
    var late = 0
    for now in (start + 1)...(start + horizon) {
        for deadline in wheel.advance(to: now) where deadline != now { late += 1 }
    }
    #expect(late == 0)
    #expect(wheel.count == 0)
    wheel.validate()
}

/// Ensure that IDTimerWheel (the Server's non-generic wheel) forwards to TimerWheel<UInt64> exactly: same
/// firing order, cancellation, due-at-arm handling and nextDeadline through a seeded random sequence.
@Test func idTimerWheelMatchesTheGenericWheel() {
    var generic = TimerWheel<UInt64>(now: 1_000)
    var wrapped = IDTimerWheel(now: 1_000)
    var random = SplitMix64(seed: 7)
    var handles: [(TimerHandle, TimerHandle)] = []
    var now: Int64 = 1_000
    for id in 0..<5_000 as Range<UInt64> {
        switch random.next() % 4 {
        case 0, 1:
            let deadline = now + Int64(random.next() % 10_000) - 100
            handles.append((generic.arm(at: deadline, id), wrapped.arm(at: deadline, id)))
        case 2:
            if !handles.isEmpty {
                let (a, b) = handles.remove(at: Int(random.next() % UInt64(handles.count)))
                generic.cancel(a)
                wrapped.cancel(b)
            }
        default:
            now += Int64(random.next() % 500)
            #expect(generic.advance(to: now) == wrapped.advance(to: now))
        }
        #expect(generic.nextDeadline == wrapped.nextDeadline && generic.count == wrapped.count && generic.now == wrapped.now)
    }
}

/// Ensure that an empty wheel jumped ahead keeps working: it reuses its slab (handles from before the jump
/// stay stale), never moves back, and files and fires timers relative to its new time.
@Test func emptyWheelJumpsAhead() {
    var wheel = TimerWheel<String>(now: 1_000)
    let old = wheel.arm(at: 5_000, "old")
    wheel.cancel(old)
    wheel.jump(to: 900)
    #expect(wheel.now == 1_000)
    wheel.jump(to: 1_000_000)
    #expect(wheel.now == 1_000_000 && wheel.count == 0 && wheel.nextDeadline == nil)
    let new = wheel.arm(at: 1_000_064, "new")
    _ = wheel.arm(at: 999_999, "due")
    wheel.cancel(old)
    #expect(wheel.count == 2)
    wheel.validate()
    #expect(wheel.advance(to: 1_000_063) == ["due"])
    #expect(wheel.advance(to: 1_000_064) == ["new"])
    wheel.cancel(new)
    #expect(wheel.count == 0)
    wheel.validate()
}
