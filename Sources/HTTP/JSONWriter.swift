// A compact JSON writer that reproduces Go encoding/json's bytes, which etcd clients and tests see: strings
// are HTML-safe ('<' '>' '&' as \u003c \u003e \u0026), U+2028 and U+2029 are escaped, control characters are
// \u00XX with lowercase hex except \n \r \t (Go before 1.22, the etcd 0.4 era, wrote \b and \f as \u0008 and
// \u000c), '"' and '\' are backslash-escaped, DEL and all other characters are written as UTF-8. Swift
// Strings are always valid UTF-8, so Go's "invalid UTF-8 → \ufffd" already happened when the String was made
// (see `string(bytes:)` for raw bytes). A string with nothing to escape is copied in one append.

/// Appends compact JSON to a byte buffer.
package struct JSONWriter: Sendable {
    /// The JSON written so far.
    package var bytes: [UInt8]

    /// Creates a writer with `capacity` bytes reserved.
    package init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Creates a writer that appends to `buffer` (usually emptied with its capacity kept, to reuse it).
    package init(reusing buffer: [UInt8], capacity: Int) {
        bytes = buffer
        bytes.reserveCapacity(capacity)
    }

    /// Appends ASCII as is: punctuation and field names (`"{\"key\":"`). String literals pick this overload
    /// (String is the default literal type): a literal String is a compile-time constant whose UTF-8 is
    /// appended directly, while `StaticString.description` built a new String per call (3,200 instructions
    /// per keys GET in callgrind).
    @inline(__always)
    package mutating func raw(_ s: String) {
        bytes.append(contentsOf: s.utf8)
    }

    /// Appends a StaticString held in a variable (a table of field names).
    package mutating func raw(_ s: StaticString) {
        // StaticString's storage is only reachable through unsafe pointers, which this module does not use;
        // short literals become small Strings without allocating.
        bytes.append(contentsOf: s.description.utf8)
    }

    /// Appends precomputed bytes as is.
    package mutating func raw(bytes fragment: [UInt8]) {
        bytes.append(contentsOf: fragment)
    }

    /// Appends part of a precomputed array (a memo's rendered node).
    package mutating func raw(bytes fragment: ArraySlice<UInt8>) {
        bytes.append(contentsOf: fragment)
    }

    /// Appends `s` quoted and escaped as Go does. The UTF-8 is copied in one append (a memcpy for native
    /// Strings) and then checked in place, because iterating a String's UTF-8 view byte by byte to look for
    /// escapes first cost ~700 instructions per short key (callgrind); only a string that needs escaping is
    /// rewritten from its first escaped byte on.
    package mutating func string(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        stringContent(s)
        bytes.append(UInt8(ascii: "\""))
    }

    /// Appends `s` escaped as `string` does, without the quotes: for callers whose precomputed fragments
    /// already carry them (`{"key":"`), saving two appends per string.
    package mutating func stringContent(_ s: String) {
        let start = bytes.count
        bytes.append(contentsOf: s.utf8)
        let end = bytes.count
        var i = start
        while i < end && !Self.needsEscape(bytes[i]) { i += 1 }
        if i < end {
            // bytes[start..<i] are clean (none of them is 0xE2, so no U+2028/9 sequence started there).
            bytes.removeSubrange(i..<end)
            var state = LineSeparatorState()
            for b in s.utf8.dropFirst(i - start) { appendEscaped(b, &state) }
            if state.held > 0 { bytes.append(0xE2) }
            if state.held > 1 { bytes.append(0x80) }
        }
    }

    /// Appends raw bytes as a JSON string; invalid UTF-8 becomes U+FFFD, as Go does.
    package mutating func string(bytes raw: [UInt8]) {
        string(String(decoding: raw, as: UTF8.self))
    }

    /// Appends a signed integer.
    package mutating func integer(_ v: Int64) {
        ResponseEncoder.appendDecimal(Int(v), to: &bytes)
    }

    /// Appends an unsigned integer.
    package mutating func unsigned(_ v: UInt64) {
        ResponseEncoder.appendDecimal(v, to: &bytes)
    }

    /// Appends `true` or `false`.
    package mutating func bool(_ v: Bool) {
        bytes.append(contentsOf: v ? Self.trueBytes : Self.falseBytes)
    }

    private static let trueBytes: [UInt8] = Array("true".utf8)
    private static let falseBytes: [UInt8] = Array("false".utf8)
    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// Bytes that start an escape: controls, '"', '\', '<', '>', '&', and 0xE2 (the lead byte of U+2028/9).
    @inline(__always)
    private static func needsEscape(_ b: UInt8) -> Bool {
        b < 0x20 || b == 0x22 || b == 0x5C || b == 0x3C || b == 0x3E || b == 0x26 || b == 0xE2
    }

    /// Progress through a possible E2 80 A8/A9 sequence; its bytes are held back until it is decided.
    private struct LineSeparatorState {
        var held = 0  // 0, 1 (E2 seen) or 2 (E2 80 seen)
    }

    private mutating func appendEscaped(_ b: UInt8, _ state: inout LineSeparatorState) {
        if state.held == 1 {
            if b == 0x80 {
                state.held = 2
                return
            }
            bytes.append(0xE2)
            state.held = 0
        } else if state.held == 2 {
            state.held = 0
            if b == 0xA8 || b == 0xA9 {
                appendUnicodeEscape(0x20, b == 0xA8 ? 0x28 : 0x29)
                return
            }
            bytes.append(0xE2)
            bytes.append(0x80)
        }
        switch b {
        case 0xE2: state.held = 1
        case 0x22: bytes.append(0x5C); bytes.append(0x22)
        case 0x5C: bytes.append(0x5C); bytes.append(0x5C)
        case 0x0A: bytes.append(0x5C); bytes.append(UInt8(ascii: "n"))
        case 0x0D: bytes.append(0x5C); bytes.append(UInt8(ascii: "r"))
        case 0x09: bytes.append(0x5C); bytes.append(UInt8(ascii: "t"))
        case 0x3C, 0x3E, 0x26, 0x00..<0x20:
            appendUnicodeEscape(0, b)
        default: bytes.append(b)
        }
    }

    /// Appends "\uHHLL" with lowercase hex.
    private mutating func appendUnicodeEscape(_ high: UInt8, _ low: UInt8) {
        bytes.append(0x5C)
        bytes.append(UInt8(ascii: "u"))
        bytes.append(Self.hex[Int(high >> 4)])
        bytes.append(Self.hex[Int(high & 0xF)])
        bytes.append(Self.hex[Int(low >> 4)])
        bytes.append(Self.hex[Int(low & 0xF)])
    }
}
