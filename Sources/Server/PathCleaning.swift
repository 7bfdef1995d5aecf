// Go's `path.Clean` rules for request paths: etcd's router answers a non-canonical path such as
// `/v2/keys//a//b` with `301 Location: /v2/keys/a/b` (reference §4.1), keeping a trailing slash.

import HTTP

enum PathCleaning {
    /// The canonical form of the request's path when it differs from it, else nil. Whether it needs
    /// cleaning at all was decided by the parser (`Request.pathNeedsCleaning`), on bytes.
    static func canonicalRedirect(_ request: Request) -> String? {
        guard request.pathNeedsCleaning else { return nil }
        let path = request.path
        var clean = self.clean(path)
        if path.hasSuffix("/") && clean != "/" { clean += "/" }
        return clean == path ? nil : clean
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
