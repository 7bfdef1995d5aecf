// Byte classes of RFC 7230 and small ASCII helpers shared by the parser, the form decoder and the encoder.
// The classes are 256-entry tables built once, so the hot loops do one load per byte.

/// ASCII byte classification and comparison helpers.
package enum ASCII {
    /// tchar of RFC 7230 §3.2.6: the bytes allowed in methods and header names.
    static let isToken: [Bool] = (0..<256).map { b in
        switch UInt8(b) {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "A")...UInt8(ascii: "Z"):
            return true
        default:
            return Array("!#$%&'*+-.^_`|~".utf8).contains(UInt8(b))
        }
    }

    /// Bytes allowed in a header value and a chunk extension: HTAB, SP, VCHAR and obs-text (no CTL, no DEL).
    static let isFieldValue: [Bool] = (0..<256).map { b in
        b == 9 || (b >= 0x20 && b != 0x7F)
    }

    /// Bytes allowed in a request-target: visible ASCII and obs-text (Go rejects CTLs and spaces in URIs).
    static let isTarget: [Bool] = (0..<256).map { b in
        b > 0x20 && b != 0x7F
    }

    /// The value of a hex digit, or 0xFF.
    static let hexValue: [UInt8] = (0..<256).map { b in
        switch UInt8(b) {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt8(b) - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt8(b) - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt8(b) - UInt8(ascii: "A") + 10
        default: return 0xFF
        }
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
    static func equalsLowercase(_ bytes: ArraySlice<UInt8>, _ lowercase: [UInt8]) -> Bool {
        guard bytes.count == lowercase.count else { return false }
        var i = bytes.startIndex
        for c in lowercase {
            if lower(bytes[i]) != c { return false }
            i += 1
        }
        return true
    }

    /// Whether the comma-separated list `value` contains `token` (lowercase), ignoring case and OWS.
    static func listContains(_ value: String, _ token: [UInt8]) -> Bool {
        let bytes = Array(value.utf8)
        var i = 0
        while i <= bytes.count {
            var end = i
            while end < bytes.count && bytes[end] != UInt8(ascii: ",") { end += 1 }
            var a = i, b = end
            while a < b && (bytes[a] == 0x20 || bytes[a] == 9) { a += 1 }
            while b > a && (bytes[b - 1] == 0x20 || bytes[b - 1] == 9) { b -= 1 }
            if equalsLowercase(bytes[a..<b], token) { return true }
            i = end + 1
        }
        return false
    }
}
