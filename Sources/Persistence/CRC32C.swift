// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of every log record and snapshot, as in
// ext4, iSCSI and etcd's WAL. Slicing-by-8: eight 256-entry tables let the loop consume 8 bytes per step,
// which keeps checksumming far below the cost of the I/O it guards (recovery reads whole segments).
// Check value: crc32c("123456789") == 0xE3069283.

/// CRC-32C over byte arrays; see the file header.
package enum CRC32C {
    /// tables[k * 256 + b]: the CRC of byte b followed by k zero bytes.
    static let tables: [UInt32] = {
        var t = [UInt32](repeating: 0, count: 8 * 256)
        for b in 0..<256 {
            var crc = UInt32(b)
            for _ in 0..<8 { crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
            t[b] = crc
        }
        for k in 1..<8 {
            for b in 0..<256 {
                let previous = t[(k - 1) * 256 + b]
                t[k * 256 + b] = (previous >> 8) ^ t[Int(previous & 0xFF)]
            }
        }
        return t
    }()

    /// The CRC of `bytes[range]`, continuing from `crc` (0 to start).
    package static func checksum(_ bytes: [UInt8], _ range: Range<Int>, continuing crc: UInt32 = 0) -> UInt32 {
        let t = tables.span
        let data = bytes.span.extracting(range)
        // Each step reads its eight bytes as one little-endian word (bounds-checked `RawSpan` load; no pointer
        // leaves UV): assembling it from eight byte loads was most of the loop (callgrind).
        let raw = data.bytes
        var c = ~crc
        var i = 0
        let end = data.count
        while end - i >= 8 {
            let word = UInt64(littleEndian: raw.unsafeLoadUnaligned(fromByteOffset: i, as: UInt64.self))
            let lo = c ^ UInt32(truncatingIfNeeded: word)
            let hi = UInt32(truncatingIfNeeded: word >> 32)
            c = t[7 * 256 + Int(lo & 0xFF)] ^ t[6 * 256 + Int((lo >> 8) & 0xFF)]
                ^ t[5 * 256 + Int((lo >> 16) & 0xFF)] ^ t[4 * 256 + Int(lo >> 24)]
                ^ t[3 * 256 + Int(hi & 0xFF)] ^ t[2 * 256 + Int((hi >> 8) & 0xFF)]
                ^ t[1 * 256 + Int((hi >> 16) & 0xFF)] ^ t[Int(hi >> 24)]
            i += 8
        }
        while i < end {
            c = (c >> 8) ^ t[Int((c ^ UInt32(data[i])) & 0xFF)]
            i += 1
        }
        return ~c
    }

    package static func checksum(_ bytes: [UInt8]) -> UInt32 {
        checksum(bytes, 0..<bytes.count)
    }
}
