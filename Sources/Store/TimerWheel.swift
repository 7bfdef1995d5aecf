// A hierarchical timing wheel with 1 ms ticks and time passed in (Kafka's TimingWheel, h2o's timerwheel,
// Linux kernel/time/timer.c). Loop-owned, not thread-safe.
//
// Layout: 11 levels of 64 slots; level L slot s holds timers whose deadline first differs from `now` in the
// six bits [6L, 6L+6) and has value s there. So level 0 holds exact milliseconds of the current 64 ms block,
// level 1 the remaining 64 ms blocks of the current 4 s block, and so on up to 2^64 ms. Placement depends only
// on (deadline, now), which gives the two invariants `validate()` checks: every linked timer sits where
// `place(deadline)` says, and every timer below level L fires before any timer at level L.
// `advance(to:)` empties the slots time has passed and re-files ("cascades") the one slot it lands in, so a
// timer fires exactly at the first advance whose time is ≥ its deadline — no coarse granularity.
// Deadlines already due at arm time go to a separate `due` list that the next advance drains.
//
// Costs: arm O(1), cancel O(1) (doubly linked slab entries, stale handles are generation-checked), advance
// O(levels + fired + cascaded) plus sorting what fires, so entries never cross more than 11 levels.
// Entries live in arrays linked by Int32 indexes: no per-timer allocation once the slab has grown.

/// Names one armed timer; stale once it fired or was cancelled (then `cancel` is a no-op).
package struct TimerHandle: Hashable, Sendable {
    fileprivate let entry: Int32
    fileprivate let generation: UInt32
}

/// A generic hierarchical timer wheel; deadlines and `now` are milliseconds on any monotone scale.
package struct TimerWheel<Payload> {
    private struct Entry {
        var deadline: Int64
        var sequence: UInt64
        var next: Int32
        var prev: Int32
        /// The list the entry is linked into, or `-1` when free.
        var list: Int32
        var generation: UInt32
    }

    private static var levels: Int { 11 }
    private static var dueList: Int { 11 * 64 }

    private var entries: [Entry] = []
    private var payloads: [Payload?] = []
    private var heads: [Int32]
    private var tails: [Int32]
    private var occupied: [UInt64]
    private var freeHead: Int32 = -1
    private var nextSequence: UInt64 = 0
    /// Time of the last advance: every timer with deadline ≤ now has fired (or sits in the due list).
    package private(set) var now: Int64
    package private(set) var count: Int = 0

    package init(now: Int64) {
        self.now = now
        heads = Array(repeating: -1, count: Self.dueList + 1)
        tails = heads
        occupied = Array(repeating: 0, count: Self.levels)
    }

    /// Maps signed time onto unsigned bits in order, so that negative times compare correctly.
    private static func bits(_ time: Int64) -> UInt64 {
        UInt64(bitPattern: time) ^ (1 << 63)
    }

    private static func time(_ bits: UInt64) -> Int64 {
        Int64(bitPattern: bits ^ (1 << 63))
    }

    private func place(_ deadline: Int64) -> Int {
        if deadline <= now { return Self.dueList }
        let d = Self.bits(deadline)
        let level = (63 - (d ^ Self.bits(now)).leadingZeroBitCount) / 6
        return level * 64 + Int((d >> UInt64(6 * level)) & 63)
    }

    /// Arms a timer; a deadline at or before `now` fires at the next `advance`. O(1).
    package mutating func arm(at deadline: Int64, _ payload: Payload) -> TimerHandle {
        let index: Int32
        if freeHead >= 0 {
            index = freeHead
            freeHead = entries[Int(index)].next
            entries[Int(index)].deadline = deadline
            entries[Int(index)].sequence = nextSequence
            payloads[Int(index)] = payload
        } else {
            index = Int32(entries.count)
            entries.append(Entry(deadline: deadline, sequence: nextSequence, next: -1, prev: -1, list: -1, generation: 0))
            payloads.append(payload)
        }
        nextSequence &+= 1
        link(index, into: place(deadline))
        count += 1
        return TimerHandle(entry: index, generation: entries[Int(index)].generation)
    }

    /// Moves an empty wheel's time forward to `newNow` (never back), keeping its slab and lists: with no
    /// timer armed there is nothing to fire or re-file. (Building a new wheel instead allocated and filled
    /// its ~1,400 list heads and regrew the slab, ~10,000 instructions, each time a store's last TTL went.)
    package mutating func jump(to newNow: Int64) {
        precondition(count == 0, "jump over \(count) armed timers")
        if newNow > now { now = newNow }
    }

    /// Disarms a timer. O(1); a handle that already fired or was cancelled is ignored.
    package mutating func cancel(_ handle: TimerHandle) {
        let index = Int(handle.entry)
        guard index < entries.count, entries[index].generation == handle.generation, entries[index].list >= 0 else {
            return
        }
        unlink(handle.entry)
        release(handle.entry)
        count -= 1
    }

    /// Collects every payload whose deadline ≤ now (sorted by deadline, then arm order) and moves time forward.
    /// Time never moves backwards: an earlier `now` only drains timers that were already due.
    package mutating func advance(to newNow: Int64) -> [Payload] {
        var fired: [(deadline: Int64, sequence: UInt64, index: Int32)] = []
        collect(list: Self.dueList, into: &fired)
        if newNow > now {
            let from = Self.bits(now)
            let to = Self.bits(newNow)
            var landing = -1
            for level in 0..<Self.levels {
                let shift = UInt64(6 * level)
                if (to >> (shift + 6)) != (from >> (shift + 6)) {
                    // The new time lies beyond this level's block, so everything filed here is due.
                    var bitmap = occupied[level]
                    while bitmap != 0 {
                        collect(list: level * 64 + bitmap.trailingZeroBitCount, into: &fired)
                        bitmap &= bitmap - 1
                    }
                    continue
                }
                let fromSlot = Int((from >> shift) & 63)
                let toSlot = Int((to >> shift) & 63)
                if toSlot > fromSlot + 1 {
                    // Slots strictly between are wholly in the past; only ones above `fromSlot` can be occupied.
                    var bitmap = occupied[level] & ~(UInt64.max << UInt64(toSlot)) & (UInt64.max << UInt64(fromSlot + 1))
                    while bitmap != 0 {
                        collect(list: level * 64 + bitmap.trailingZeroBitCount, into: &fired)
                        bitmap &= bitmap - 1
                    }
                }
                if toSlot > fromSlot { landing = level * 64 + toSlot }
                break
            }
            now = newNow
            if landing >= 0 {
                // The slot time lands in: fire what is due, re-file the rest relative to the new time (lower level).
                var index = heads[landing]
                heads[landing] = -1
                tails[landing] = -1
                occupied[landing / 64] &= ~(1 << UInt64(landing % 64))
                while index >= 0 {
                    let next = entries[Int(index)].next
                    let entry = entries[Int(index)]
                    if entry.deadline <= newNow {
                        fired.append((entry.deadline, entry.sequence, index))
                    } else {
                        link(index, into: place(entry.deadline))
                    }
                    index = next
                }
            }
        }
        if fired.isEmpty { return [] }
        if fired.count > 1 {
            fired.sort { ($0.deadline, $0.sequence) < ($1.deadline, $1.sequence) }
        }
        var result: [Payload] = []
        result.reserveCapacity(fired.count)
        for item in fired {
            result.append(payloads[Int(item.index)]!)
            release(item.index)
        }
        count -= fired.count
        return result
    }

    /// When `advance` next has something to do: exact for the due list and level 0, otherwise the start of the
    /// earliest occupied slot (≤ the true deadline; an advance there cascades and sharpens the answer).
    package var nextDeadline: Int64? {
        if heads[Self.dueList] >= 0 {
            var earliest = Int64.max
            var index = heads[Self.dueList]
            while index >= 0 {
                earliest = min(earliest, entries[Int(index)].deadline)
                index = entries[Int(index)].next
            }
            return earliest
        }
        let from = Self.bits(now)
        for level in 0..<Self.levels where occupied[level] != 0 {
            let shift = UInt64(6 * level)
            let slot = UInt64(occupied[level].trailingZeroBitCount)
            let block = (from >> (shift + 6)) << (shift + 6)
            return Self.time(block | (slot << shift))
        }
        return nil
    }

    // MARK: - Lists

    private mutating func link(_ index: Int32, into list: Int) {
        entries[Int(index)].list = Int32(list)
        entries[Int(index)].next = -1
        let tail = tails[list]
        entries[Int(index)].prev = tail
        if tail >= 0 {
            entries[Int(tail)].next = index
        } else {
            heads[list] = index
            if list < Self.dueList { occupied[list / 64] |= 1 << UInt64(list % 64) }
        }
        tails[list] = index
    }

    private mutating func unlink(_ index: Int32) {
        let entry = entries[Int(index)]
        let list = Int(entry.list)
        if entry.prev >= 0 { entries[Int(entry.prev)].next = entry.next } else { heads[list] = entry.next }
        if entry.next >= 0 { entries[Int(entry.next)].prev = entry.prev } else { tails[list] = entry.prev }
        if heads[list] < 0 && list < Self.dueList { occupied[list / 64] &= ~(1 << UInt64(list % 64)) }
        entries[Int(index)].list = -1
    }

    /// Returns an entry to the free list and invalidates its handles.
    private mutating func release(_ index: Int32) {
        entries[Int(index)].list = -1
        entries[Int(index)].generation &+= 1
        entries[Int(index)].next = freeHead
        payloads[Int(index)] = nil
        entries[Int(index)].prev = -1
        freeHead = index
    }

    /// Detaches a whole list, queueing its entries (still holding their payloads) as fired.
    private mutating func collect(list: Int, into fired: inout [(deadline: Int64, sequence: UInt64, index: Int32)]) {
        var index = heads[list]
        while index >= 0 {
            let entry = entries[Int(index)]
            fired.append((entry.deadline, entry.sequence, index))
            entries[Int(index)].list = -1
            index = entry.next
        }
        heads[list] = -1
        tails[list] = -1
        if list < Self.dueList { occupied[list / 64] &= ~(1 << UInt64(list % 64)) }
    }

    // MARK: - Debugging

    /// Precondition-checks every invariant: links, placement, occupancy bits, free list and count.
    package func validate() {
        var linked = 0
        for list in 0...Self.dueList {
            var index = heads[list]
            var prev: Int32 = -1
            while index >= 0 {
                let entry = entries[Int(index)]
                precondition(entry.list == Int32(list), "entry \(index) filed in \(entry.list), found in \(list)")
                precondition(entry.prev == prev, "broken back link at entry \(index)")
                if list == Self.dueList {
                    precondition(entry.deadline <= now, "due entry \(index) not due")
                } else {
                    precondition(place(entry.deadline) == list, "entry \(index) misplaced: \(list) vs \(place(entry.deadline))")
                }
                precondition(payloads[Int(index)] != nil, "armed entry \(index) without payload")
                linked += 1
                prev = index
                index = entry.next
            }
            precondition(tails[list] == prev, "tail of list \(list) is wrong")
            if list < Self.dueList {
                let bit = occupied[list / 64] & (1 << UInt64(list % 64)) != 0
                precondition(bit == (heads[list] >= 0), "occupancy bit of list \(list) is wrong")
            }
        }
        precondition(linked == count, "count \(count) but \(linked) entries linked")
        var free = 0
        var index = freeHead
        while index >= 0 {
            precondition(entries[Int(index)].list == -1, "free entry \(index) is linked")
            free += 1
            index = entries[Int(index)].next
        }
        precondition(free + linked == entries.count, "leaked entries: \(entries.count - free - linked)")
    }

    /// A readable summary: time, count and the occupied slots with their deadlines.
    package func dump() -> String {
        var out = "TimerWheel now=\(now) count=\(count) slab=\(entries.count)\n"
        for list in 0...Self.dueList where heads[list] >= 0 {
            let name = list == Self.dueList ? "due" : "L\(list / 64)[\(list % 64)]"
            var deadlines: [Int64] = []
            var index = heads[list]
            while index >= 0 {
                deadlines.append(entries[Int(index)].deadline)
                index = entries[Int(index)].next
            }
            out += "  \(name): \(deadlines.map(String.init).joined(separator: " "))\n"
        }
        return out
    }
}
