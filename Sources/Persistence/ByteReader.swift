// The reading half of ByteWriter's encoding. Every read checks the bounds it was given and throws
// `ByteReader.Failure` instead of trapping, because the bytes come from disk and may be damaged.

/// Reads encoded values from `bytes[position..<end]`.
package struct ByteReader {
    /// Why a value could not be read.
    package enum Failure: Error, Equatable {
        case truncated
        case malformed(String)
    }

    package let bytes: [UInt8]
    package var position: Int
    package let end: Int

    package init(_ bytes: [UInt8], from start: Int = 0, to end: Int? = nil) {
        self.bytes = bytes
        self.position = start
        self.end = end ?? bytes.count
    }

    package var isAtEnd: Bool { position >= end }

    @inline(__always)
    package mutating func byte() throws(Failure) -> UInt8 {
        guard position < end else { throw .truncated }
        defer { position += 1 }
        return bytes[position]
    }

    package mutating func varint() throws(Failure) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try byte()
            if shift == 63 && b > 1 { throw .malformed("varint overflow") }
            result |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return result }
            shift += 7
            if shift > 63 { throw .malformed("varint too long") }
        }
    }

    package mutating func signed() throws(Failure) -> Int64 {
        let v = try varint()
        return Int64(bitPattern: v >> 1) ^ -Int64(bitPattern: v & 1)
    }

    package mutating func count() throws(Failure) -> Int {
        let v = try varint()
        guard v <= UInt64(end - position) || v <= UInt64(Int32.max) else { throw .malformed("count too large") }
        return Int(v)
    }

    package mutating func string() throws(Failure) -> String {
        let length = try varint()
        guard length <= UInt64(end - position) else { throw .truncated }
        let start = position
        position += Int(length)
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    package mutating func fixed32() throws(Failure) -> UInt32 {
        guard end - position >= 4 else { throw .truncated }
        let p = position
        position += 4
        return UInt32(bytes[p]) | UInt32(bytes[p + 1]) << 8 | UInt32(bytes[p + 2]) << 16 | UInt32(bytes[p + 3]) << 24
    }

    package mutating func fixed64() throws(Failure) -> UInt64 {
        let lo = try fixed32()
        let hi = try fixed32()
        return UInt64(lo) | UInt64(hi) << 32
    }

    /// A little-endian UInt32 at an absolute offset, without moving.
    package static func fixed32(_ bytes: [UInt8], at p: Int) -> UInt32 {
        UInt32(bytes[p]) | UInt32(bytes[p + 1]) << 8 | UInt32(bytes[p + 2]) << 16 | UInt32(bytes[p + 3]) << 24
    }
}
