// Go's `path.Clean` rules for request paths: etcd's router answers a non-canonical path such as
// `/v2/keys//a//b` with `301 Location: /v2/keys/a/b` (reference §4.1), keeping a trailing slash.

enum PathCleaning {
    /// The canonical form of `path` when it differs from `path`, else nil.
    static func canonicalRedirect(_ path: String) -> String? {
        guard needsCleaning(path) else { return nil }
        var clean = self.clean(path)
        if path.hasSuffix("/") && clean != "/" { clean += "/" }
        return clean == path ? nil : clean
    }

    /// True when a `/` is followed by an empty segment and another `/`, or by a `.` or `..` segment: the
    /// `//`, `/./`, `/../`, `/.`, `/..` cases. One pass over the bytes, because this runs on every request and
    /// `String.contains(String)` (generic substring search over Characters) took a third of a keys GET's CPU.
    static func needsCleaning(_ path: String) -> Bool {
        let slash = UInt8(ascii: "/"), dot = UInt8(ascii: ".")
        var utf8 = path.utf8.makeIterator()
        // Bytes of the current segment seen after a slash: -1 = no slash yet; dots = all of them were dots.
        var length = -1
        var dots = true
        while let b = utf8.next() {
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

    /// `path.Clean` for absolute paths: collapse slashes, drop `.`, resolve `..`, no trailing slash.
    static func clean(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }
}
