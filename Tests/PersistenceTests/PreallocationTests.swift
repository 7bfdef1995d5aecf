// The journal writes records over zeros it wrote ahead (so fdatasync rarely has to update the file's size):
// a zero tail must read as the end of the log, a clean close and a segment roll must leave no zeros behind,
// and a record torn inside that space by a power loss (a sector of it never written) must be discarded,
// not reported as damage — in the last segment only.

import Foundation
import Testing
@testable import Persistence
@testable import Store
import UV

/// Ensure that the active segment is zero-filled ahead of its records, that recovering it as a crash leaves
/// it (all records, no torn-tail warning) works, and that a clean close cuts the zeros off.
@Test func journalWritesAheadZerosAndCloseCutsThem() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let loop = try Loop()
    let store = Store()
    let journal = try Journal(options: JournalOptions(directory: dir.directory), loop: loop, store: store, now: t0)
    for i in 0..<50 {
        try store.apply(.set(key: "/k\(i)", value: "v\(i)", dir: false, expiration: nil), now: t0)
        journal.append(store.takeCommands(), lastIndex: store.index)
        journal.commit(now: t0)
        while journal.durableIndex < store.index { loop.runOnce(noWait: false) }
    }
    let name = DataDirectory.segmentName(firstIndex: 1)
    let live = dir.read(name)
    let records = try WALRecord.scan(live, file: name, isLast: true) { _, _, _ in }
    #expect(records.records == 50 && records.zeroTail)
    #expect(live.count > records.validLength && live.count >= journal.options.preallocationBytes)

    // What a kill -9 leaves: recovery replays everything and reports no torn tail.
    let copy = TemporaryDirectory()
    defer { copy.remove() }
    copy.write(name, live)
    let recovered = Store()
    let result = try Recovery.recover(copy.directory, into: recovered, now: t0, repair: true)
    #expect(result.tornTail == nil && result.recordsReplayed == 50)
    #expect(fingerprint(recovered) == fingerprint(store))
    #expect(copy.read(name).count == records.validLength)

    journal.close()
    #expect(dir.read(name).count == records.validLength)
    _ = loop.close()
}

/// Ensure that a last-segment record with a sector of its bytes still zero (a power loss tore the batch in
/// the zero-filled space) is a torn tail, while the same bytes in an earlier segment are damage.
@Test func recordWithZeroSectorIsTornOnlyInLastSegment() throws {
    let commands = (0..<40).map { Command.set(key: "/key/\($0)", value: String(repeating: "x", count: 20), dir: false, expiration: nil) }
    let (bytes, offsets) = segmentBytes(commands)
    #expect(bytes.count > 1024)
    // The record that crosses offset 1024: its part after 1024 never reached the disk.
    let victim = offsets.lastIndex { $0 < 1024 }!
    var torn = bytes + [UInt8](repeating: 0, count: 2000)
    let victimEnd = victim + 1 < offsets.count ? offsets[victim + 1] : bytes.count
    for i in 1024..<victimEnd { torn[i] = 0 }
    let scan = try WALRecord.scan(torn, file: "wal-1.log", isLast: true) { _, _, _ in }
    #expect(scan.records == victim && scan.validLength == offsets[victim] && !scan.zeroTail)
    #expect(throws: PersistenceError.self) {
        try WALRecord.scan(torn, file: "wal-1.log", isLast: false) { _, _, _ in }
    }
    // A zero tail after the last record is accepted as write-ahead space, not as a torn record.
    let clean = try WALRecord.scan(bytes + [UInt8](repeating: 0, count: 700), file: "wal-1.log", isLast: true) { _, _, _ in }
    #expect(clean.records == 40 && clean.zeroTail)
}

/// Ensure that an earlier segment may end in zeros (a roll's unsynced truncation) when no record is missing,
/// and that zeros standing in for its last records are caught as a gap in the indexes.
@Test func zeroTailInEarlierSegmentIsAcceptedUnlessRecordsAreMissing() throws {
    let commands = (0..<10).map { Command.set(key: "/k\($0)", value: "v", dir: false, expiration: nil) }
    let (first, offsets) = segmentBytes(Array(commands[..<5]))
    let (second, _) = segmentBytes(Array(commands[5...]), first: 6)
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    dir.write(DataDirectory.segmentName(firstIndex: 1), first + [UInt8](repeating: 0, count: 4096))
    dir.write(DataDirectory.segmentName(firstIndex: 6), second + [UInt8](repeating: 0, count: 4096))
    let store = Store()
    let result = try Recovery.recover(dir.directory, into: store, now: t0, repair: true)
    #expect(store.index == 10 && result.tornTail == nil)

    var lost = first
    for i in offsets[4]..<lost.count { lost[i] = 0 }
    dir.write(DataDirectory.segmentName(firstIndex: 1), lost + [UInt8](repeating: 0, count: 4096))
    dir.write(DataDirectory.segmentName(firstIndex: 6), second)
    #expect(throws: PersistenceError.self) {
        try Recovery.recover(dir.directory, into: Store(), now: t0, repair: true)
    }
}
