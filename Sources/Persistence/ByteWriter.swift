// Little-endian, varint-based encoding of log records and snapshots: the writing half. Unsigned integers are
// LEB128 varints (most indexes fit in 1–4 bytes), strings are a varint byte count and their UTF-8 bytes,
// fixed-width fields (record headers, checksums) are little-endian. ByteReader is the exact inverse.

/// Appends encoded values to a byte array.
package struct ByteWriter {
    package var bytes: [UInt8]

    package init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    package init(appendingTo bytes: [UInt8]) {
        self.bytes = bytes
    }

    @inline(__always)
    package mutating func byte(_ value: UInt8) {
        bytes.append(value)
    }

    package mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    /// Zig-zag, so small negative numbers stay short.
    package mutating func signed(_ value: Int64) {
        varint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    package mutating func string(_ value: String) {
        var value = value
        value.makeContiguousUTF8()
        varint(UInt64(value.utf8.count))
        bytes.append(contentsOf: value.utf8)
    }

    package mutating func fixed32(_ value: UInt32) {
        bytes.append(UInt8(truncatingIfNeeded: value))
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
        bytes.append(UInt8(truncatingIfNeeded: value >> 16))
        bytes.append(UInt8(truncatingIfNeeded: value >> 24))
    }

    package mutating func fixed64(_ value: UInt64) {
        fixed32(UInt32(truncatingIfNeeded: value))
        fixed32(UInt32(truncatingIfNeeded: value >> 32))
    }

    /// Overwrites 4 bytes at `offset` (a header filled in once the payload is known).
    package mutating func setFixed32(_ value: UInt32, at offset: Int) {
        bytes[offset] = UInt8(truncatingIfNeeded: value)
        bytes[offset + 1] = UInt8(truncatingIfNeeded: value >> 8)
        bytes[offset + 2] = UInt8(truncatingIfNeeded: value >> 16)
        bytes[offset + 3] = UInt8(truncatingIfNeeded: value >> 24)
    }
}
