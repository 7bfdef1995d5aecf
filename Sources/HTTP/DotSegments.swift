// Whether a path is already in the canonical form of Go's `path.Clean`: no empty segment (`//`), no `.` or
// `..` segment. etcd's router redirects any other path (reference §4.1), so every request needs this answer;
// the parser computes it from the path's bytes while it has them, which costs a few instructions instead of a
// second pass over a String's UTF-8 view (that pass was ~350 instructions even for "/health").

/// Detection of the path segments that `path.Clean` would change.
package enum DotSegments {
    /// True when a `/` is followed by an empty segment and another `/`, or by a `.` or `..` segment: the
    /// `//`, `/./`, `/../`, `/.`, `/..` cases.
    package static func needCleaning<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Bool {
        let slash = UInt8(ascii: "/"), dot = UInt8(ascii: ".")
        // Bytes of the current segment seen after a slash: -1 = no slash yet; dots = all of them were dots.
        var length = -1
        var dots = true
        for b in bytes {
            if b == slash {
                if length == 0 || (length >= 0 && length <= 2 && dots) { return true }
                length = 0
                dots = true
            } else if length >= 0 {
                length += 1
                if b != dot { dots = false }
            }
        }
        return length > 0 && length <= 2 && dots
    }
}
