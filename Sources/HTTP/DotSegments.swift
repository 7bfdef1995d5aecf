// Whether a path is already in the canonical form of Go's `path.Clean`: no empty segment (`//`), no `.` or
// `..` segment. etcd's router redirects any other path (reference §4.1), so every request needs this answer;
// the parser computes it from the path's bytes while it has them, which costs a few instructions instead of a
// second pass over a String's UTF-8 view (that pass was ~350 instructions even for "/health").

/// Detection of the path segments that `path.Clean` would change.
package enum DotSegments {
    /// True when a `/` is followed by an empty segment and another `/`, or by a `.` or `..` segment: the
    /// `//`, `/./`, `/../`, `/.`, `/..` cases. On a Span, which callers have for the path's bytes, and
    /// looking only behind each `/` (a per-byte segment state machine was ~16 instructions per byte;
    /// callgrind).
    package static func needCleaning(_ bytes: Span<UInt8>) -> Bool {
        let n = bytes.count
        var k = 0
        while k < n {
            if bytes[k] == UInt8(ascii: "/") && cleansAfterSlash(bytes, k + 1, end: n, queryEnds: false) { return true }
            k += 1
        }
        return false
    }

    /// Whether the segment starting at `j` (just after a `/`) is empty and followed by `/`, or is `.` or `..`.
    /// The path ends at `end`, or with `queryEnds` at a '?' (raw bytes of a request target, where the parser
    /// calls this while it scans the path anyway).
    @inline(__always)
    static func cleansAfterSlash(_ bytes: Span<UInt8>, _ j: Int, end: Int, queryEnds: Bool) -> Bool {
        let slash = UInt8(ascii: "/"), dot = UInt8(ascii: ".")
        func endsAt(_ i: Int) -> Bool { i == end || (queryEnds && bytes[i] == UInt8(ascii: "?")) }
        if endsAt(j) { return false }  // a trailing slash is kept
        let a = bytes[j]
        if a == slash { return true }
        guard a == dot else { return false }
        if endsAt(j + 1) { return true }
        let b = bytes[j + 1]
        if b == slash { return true }
        guard b == dot else { return false }
        return endsAt(j + 2) || bytes[j + 2] == slash
    }
}
