// Writes a big data directory directly in baton's snapshot format (Persistence/SnapshotCodec.swift), so a
// black-box test can start the real binary on a tree of hundreds of thousands of keys in a second instead of
// PUTting them one by one. Kept deliberately independent of the server's code (the test target sees only
// the binary): if the format changes, recovery of this file fails loudly and so does the test.

import Foundation

enum SnapshotFileBuilder {
    /// `snap-<count+1>.bin` holding `/big/k0 … /big/k<count-1>` (value "v<i>", created at index i+2 under the
    /// directory created at 1); the store's index is count + 1.
    static func writeBigTree(in directory: String, count: Int) throws -> Int {
        var w: [UInt8] = Array("BATONSN1".utf8)
        w.reserveCapacity(count * 24)
        let index = UInt64(count + 1)
        varint(&w, index)
        // StoreStats order: gets s/f, sets s/f, delete s/f, update s/f, create s/f, CAS s/f, CAD s/f, expire.
        for counter in [0, 0, index, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0] as [UInt64] { varint(&w, counter) }
        varint(&w, UInt64(count + 2))
        entry(&w, dir: true, name: "", value: "", created: 0, children: 1)
        entry(&w, dir: true, name: "big", value: "", created: 1, children: count)
        for i in 0..<count { entry(&w, dir: false, name: "k\(i)", value: "v\(i)", created: UInt64(i + 2), children: 0) }
        let crc = crc32c(w)
        for shift in stride(from: 0, to: 32, by: 8) { w.append(UInt8(truncatingIfNeeded: crc >> UInt32(shift))) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let name = "snap-" + String(repeating: "0", count: 20 - String(index).count) + String(index) + ".bin"
        try Data(w).write(to: URL(fileURLWithPath: directory).appendingPathComponent(name))
        return Int(index)
    }

    private static func entry(_ w: inout [UInt8], dir: Bool, name: String, value: String, created: UInt64,
                              children: Int) {
        w.append(dir ? 1 : 0)
        varint(&w, UInt64(name.utf8.count)); w.append(contentsOf: name.utf8)
        varint(&w, UInt64(value.utf8.count)); w.append(contentsOf: value.utf8)
        varint(&w, created)
        varint(&w, created)
        if dir { varint(&w, UInt64(children)) }
    }

    private static func varint(_ w: inout [UInt8], _ value: UInt64) {
        var v = value
        while v >= 0x80 {
            w.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        w.append(UInt8(v))
    }

    /// CRC-32C (Castagnoli, reflected 0x82F63B78), bitwise table.
    private static func crc32c(_ bytes: [UInt8]) -> UInt32 {
        let table: [UInt32] = (0..<256).map { n in
            var c = UInt32(n)
            for _ in 0..<8 { c = c & 1 != 0 ? 0x82F6_3B78 ^ (c >> 1) : c >> 1 }
            return c
        }
        var crc: UInt32 = 0xFFFF_FFFF
        for b in bytes { crc = table[Int((crc ^ UInt32(b)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}
