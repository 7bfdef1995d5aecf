// Byte classes of RFC 7230 and small ASCII helpers shared by the parser, the form decoder and the encoder.
// The classes are inlinable comparisons and bit sets rather than global tables: a global is reached through a
// lazy-initialisation check, which showed up per byte in the parser profile.

/// ASCII byte classification and comparison helpers.
package enum ASCII {
    /// tchar of RFC 7230 §3.2.6 (the bytes of methods and header names) as a 128-bit set, so the per-byte
    /// test is two shifts and no memory access.
    private static let tokenLow: UInt64 = 0x03FF_6CFA_0000_0000   // "!#$%&'*+-.0-9"
    private static let tokenHigh: UInt64 = 0x57FF_FFFF_C7FF_FFFE  // "A-Z^_`a-z|~"

    @inline(__always)
    static func isToken(_ b: UInt8) -> Bool {
        b < 64 ? (tokenLow >> UInt64(b)) & 1 == 1 : b < 128 && (tokenHigh >> UInt64(b - 64)) & 1 == 1
    }

    /// Bytes allowed in a header value and a chunk extension: HTAB, SP, VCHAR and obs-text (no CTL, no DEL).
    @inline(__always)
    static func isFieldValue(_ b: UInt8) -> Bool {
        (b >= 0x20 && b != 0x7F) || b == 9
    }

    /// Bytes allowed in a request-target: visible ASCII and obs-text (Go rejects CTLs and spaces in URIs).
    @inline(__always)
    static func isTarget(_ b: UInt8) -> Bool {
        b > 0x20 && b != 0x7F
    }

    /// OWS of RFC 7230: SP or HTAB.
    @inline(__always)
    static func isBlank(_ b: UInt8) -> Bool {
        b == 0x20 || b == 9
    }

    /// The value of a hex digit, or 0xFF.
    @inline(__always)
    static func hexValue(_ b: UInt8) -> UInt8 {
        if b &- UInt8(ascii: "0") < 10 { return b &- UInt8(ascii: "0") }
        let l = b | 0x20
        if l &- UInt8(ascii: "a") < 6 { return l &- UInt8(ascii: "a") &+ 10 }
        return 0xFF
    }

    @inline(__always)
    static func lower(_ b: UInt8) -> UInt8 {
        b &- UInt8(ascii: "A") < 26 ? b | 0x20 : b
    }

    /// ASCII case-insensitive equality of two strings (non-ASCII bytes must match exactly).
    package static func equalsIgnoringCase(_ a: String, _ b: String) -> Bool {
        let x = a.utf8, y = b.utf8
        guard x.count == y.count else { return false }
        var j = y.startIndex
        for c in x {
            if lower(c) != lower(y[j]) { return false }
            j = y.index(after: j)
        }
        return true
    }

    /// ASCII case-insensitive equality of a byte range and a lowercase ASCII literal.
    ///
    /// Compares `byte | 0x20` with the literal, a third fewer instructions per byte than folding letters
    /// only. Exact for literals whose every byte has bit 0x20 set (lowercase letters, digits, "-./:" — all the
    /// literals here) and bytes without control characters: a byte other than the literal's or its uppercase
    /// letter that matches is the literal byte minus 0x20, a control character (CR for '-', 0x0F for '/').
    /// The parser only compares bytes it has validated as token, field-value or target bytes, which exclude
    /// controls (HTAB | 0x20 is ')', in no literal).
    static func equalsLowercase(_ bytes: Span<UInt8>, _ lowercase: [UInt8]) -> Bool {
        guard bytes.count == lowercase.count else { return false }
        return foldedPrefixMatches(bytes, at: 0, lowercase.span)
    }

    /// Whether bytes[start..<start + want.count] equals `want` folded as `equalsLowercase` does (same rules).
    @inline(__always)
    static func foldedPrefixMatches(_ bytes: Span<UInt8>, at start: Int, _ want: Span<UInt8>) -> Bool {
        for k in 0..<want.count where bytes[start + k] | 0x20 != want[k] { return false }
        return true
    }

    /// Whether buffer[start..<start + expected.count] equals `expected` (the caller has checked that the
    /// buffer is long enough). Eight bytes per step, each side read as one `UInt64` from the spans' raw
    /// bytes: the parser's memos compare a whole request line and header section per request, and
    /// assembling the words byte by byte cost ~2.5 instructions per byte compared. (`unsafeLoadUnaligned`
    /// is bounds-checked; it is "unsafe" only for types with invalid bit patterns, which UInt64 has none of.)
    /// `fromEnd`: the last chunks first, for lines that usually differ near their end.
    static func equalBytes(_ buffer: Span<UInt8>, at start: Int, _ expected: Span<UInt8>, fromEnd: Bool = false) -> Bool {
        let n = expected.count
        let window = buffer.extracting(start..<(start + n))
        if n < 8 {
            for k in 0..<n where window[k] != expected[k] { return false }
            return true
        }
        let a = window.bytes, b = expected.bytes
        // Chunks at 0, 8, 16, … and one final chunk ending at n (overlapping the one before it).
        if fromEnd {
            if !equalWord(a, b, n - 8) { return false }
            var k = n - 16
            while k >= 0 {
                if !equalWord(a, b, k) { return false }
                k -= 8
            }
            return k == -8 || equalWord(a, b, 0)
        }
        var k = 0
        while k + 8 <= n {
            if !equalWord(a, b, k) { return false }
            k += 8
        }
        return k == n || equalWord(a, b, n - 8)
    }

    @inline(__always)
    private static func equalWord(_ a: RawSpan, _ b: RawSpan, _ offset: Int) -> Bool {
        a.unsafeLoadUnaligned(fromByteOffset: offset, as: UInt64.self)
            == b.unsafeLoadUnaligned(fromByteOffset: offset, as: UInt64.self)
    }

    /// The bytes of `word` equal to `byte`, flagged in their high bits (a SWAR zero-byte test of
    /// `word ^ byte…`). Nonzero exactly when there is one, and the lowest flag is always a real match (false
    /// flags only occur above a real one), so `trailingZeroBitCount / 8` is the first match in memory order.
    @inlinable
    package static func matches(of byte: UInt8, in word: UInt64) -> UInt64 {
        let v = word ^ (0x0101_0101_0101_0101 &* UInt64(byte))
        return (v &- 0x0101_0101_0101_0101) & ~v & 0x8080_8080_8080_8080
    }

    /// The first position of `byte` in `bytes` at or after `start`, or `bytes.count`. Eight bytes per step
    /// (one word read from the raw bytes, `matches`): the form's value scan, the load generator's line ends.
    /// Inlinable: the load generator calls it from another module for every line of every response.
    @inlinable
    package static func firstIndex(of byte: UInt8, in bytes: Span<UInt8>, from start: Int) -> Int {
        let raw = bytes.bytes
        var i = start
        while i + 8 <= bytes.count {
            let found = matches(of: byte, in: UInt64(littleEndian: raw.unsafeLoadUnaligned(fromByteOffset: i, as: UInt64.self)))
            if found != 0 { return i + found.trailingZeroBitCount / 8 }
            i += 8
        }
        while i < bytes.count && bytes[i] != byte { i += 1 }
        return i
    }

    /// Exact equality of a byte range and a literal.
    static func equals(_ bytes: Span<UInt8>, _ literal: [UInt8]) -> Bool {
        guard bytes.count == literal.count else { return false }
        let want = literal.span
        for k in 0..<want.count where bytes[k] != want[k] { return false }
        return true
    }

    /// Whether the comma-separated list `bytes` contains `token` (lowercase), ignoring case and OWS.
    static func listContains(_ bytes: Span<UInt8>, _ token: [UInt8]) -> Bool {
        var i = 0
        while i <= bytes.count {
            var end = i
            while end < bytes.count && bytes[end] != UInt8(ascii: ",") { end += 1 }
            var a = i, b = end
            while a < b && isBlank(bytes[a]) { a += 1 }
            while b > a && isBlank(bytes[b - 1]) { b -= 1 }
            if equalsLowercase(bytes.extracting(a..<b), token) { return true }
            i = end + 1
        }
        return false
    }
}
