// The record format: CRC-32C, the command codec, and how a segment scan treats torn tails and damage.

import TestSupport
import Testing
@testable import Persistence
@testable import Store

/// Ensure that CRC-32C matches the standard check value and is the same byte-wise as 8 bytes at a time.
@Test func crc32cCheckValue() {
    #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
    var rng = SplitMix64(seed: 7)
    let bytes = (0..<1000).map { _ in UInt8.random(in: 0...255, using: &rng) }
    var chained: UInt32 = 0
    for i in 0..<bytes.count { chained = CRC32C.checksum(bytes, i..<(i + 1), continuing: chained) }
    #expect(chained == CRC32C.checksum(bytes))
    // A range inside the array, at every start offset mod 8 and with a tail, equals the CRC of its copy.
    for start in 0..<9 {
        #expect(CRC32C.checksum(bytes, start..<(start + 37)) == CRC32C.checksum(Array(bytes[start..<(start + 37)])))
    }
}

/// Ensure that every command case, with and without its optional fields, survives encode → decode.
@Test func commandCodecRoundTrip() throws {
    let exp = Timestamp(milliseconds: 1_700_000_123_456)
    let commands: [Command] = [
        .set(key: "/a", value: "1", dir: false, expiration: nil), .set(key: "/d", value: "", dir: true, expiration: exp),
        .create(key: "/ü/ñ", value: "x y", dir: false, expiration: Timestamp(milliseconds: -5)),
        .createInOrder(directory: "/q", value: "-", dir: false, expiration: exp),
        .update(key: "/a", value: "", expiration: nil), .update(key: "/a", value: "2", expiration: exp),
        .compareAndSwap(key: "/a", value: "3", prevValue: "2", prevIndex: 9, expiration: exp),
        .compareAndSwap(key: "/a", value: "3", prevValue: nil, prevIndex: nil, expiration: nil),
        .delete(key: "/d", dir: true, recursive: true), .delete(key: "/a", dir: false, recursive: false),
        .compareAndDelete(key: "/a", prevValue: "3", prevIndex: nil),
        .compareAndDelete(key: "/a", prevValue: nil, prevIndex: UInt64.max), .expire(key: "/t"),
    ]
    for command in commands {
        var w = ByteWriter()
        CommandCodec.encode(command, into: &w)
        var r = ByteReader(w.bytes)
        #expect(try CommandCodec.decode(&r) == command)
        #expect(r.isAtEnd)
    }
}

/// Ensure that cutting the log at every byte offset inside its last three records keeps exactly the whole
/// records before the cut and reports the rest as a torn tail (never an error).
@Test func tornTailAtEveryOffsetIsDiscarded() throws {
    let commands = runRandomWorkload(Store(), seed: 11, count: 40)
    let (bytes, offsets) = segmentBytes(commands)
    let ends = Array(offsets.dropFirst()) + [bytes.count]
    for cut in offsets[offsets.count - 3]...bytes.count {
        var seen: [EtcdIndex] = []
        let scan = try WALRecord.scan(Array(bytes[0..<cut]), file: "wal-1.log", isLast: true) { index, _, _ in
            seen.append(index)
        }
        let whole = ends.filter { $0 <= cut }.count
        #expect(seen == (0..<whole).map { EtcdIndex($0) + 1 }, "cut at \(cut)")
        #expect(scan.validLength == (whole == 0 ? 0 : ends[whole - 1]))
        #expect(scan.validLength + scan.tornBytes == cut)
    }
}

/// Ensure that a torn tail is accepted only in the last segment: in an earlier one it is damage.
@Test func tornTailInEarlierSegmentIsAnError() {
    let (bytes, _) = segmentBytes([.set(key: "/a", value: "1", dir: false, expiration: nil)])
    #expect(throws: PersistenceError.self) {
        try WALRecord.scan(Array(bytes.dropLast()), file: "wal-1.log", isLast: false) { _, _, _ in }
    }
}

/// Ensure that a zero-filled tail (a file extended but never written) is a torn tail.
@Test func zeroFilledTailIsDiscarded() throws {
    let (bytes, _) = segmentBytes([.set(key: "/a", value: "1", dir: false, expiration: nil)])
    let scan = try WALRecord.scan(bytes + [UInt8](repeating: 0, count: 100), file: "w", isLast: true) { _, _, _ in }
    #expect(scan.records == 1 && scan.tornBytes == 100)
}

/// Ensure that flipping any single byte of any record — the last one included — stops the scan with an
/// error naming the file and the offset of the damaged record (never silent loss).
@Test func flippedByteIsReportedWithFileAndOffset() {
    let commands = runRandomWorkload(Store(), seed: 12, count: 12)
    let (bytes, offsets) = segmentBytes(commands)
    for position in 0..<bytes.count {
        var damaged = bytes
        damaged[position] ^= 0x20
        let recordStart = offsets.last { $0 <= position }!
        do {
            try WALRecord.scan(damaged, file: "/d/wal-7.log", isLast: true) { _, _, _ in }
            Issue.record("flip at \(position) went unnoticed")
        } catch {
            #expect(error.file == "/d/wal-7.log")
            #expect(error.offset == recordStart, "flip at \(position)")
            #expect(error.description.contains("/d/wal-7.log at offset \(recordStart)"))
        }
    }
}
