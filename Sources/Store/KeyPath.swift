// Key normalisation exactly like etcd's `path.Clean(path.Join("/", key))`: rooted, no empty or "." segments,
// ".." pops (never above the root), no trailing slash. The cleaned key is what events and errors show.

/// A cleaned, absolute key and its segments.
package struct KeyPath: Equatable, Sendable {
    /// "/" or "/a/b" — never a trailing slash.
    package let path: String
    package let components: [String]

    package init(_ raw: String) {
        // Byte-wise like Go's path.Clean (and much cheaper than splitting Characters, which was half the
        // cost of replaying a log record). A key that is already clean (the common case: every logged key)
        // keeps its String instead of being joined again.
        let slash = UInt8(ascii: "/"), dot = UInt8(ascii: ".")
        var parts: [String] = []
        var cleanBytes = 0
        var moved = false
        for segment in raw.utf8.split(separator: slash, omittingEmptySubsequences: true) {
            if segment.count == 1 && segment.first == dot {
                moved = true
                continue
            }
            if segment.count == 2 && segment.first == dot && segment.last == dot {
                moved = true
                if !parts.isEmpty { parts.removeLast() }
                continue
            }
            parts.append(String(Substring(segment)))
            cleanBytes += 1 + segment.count
        }
        components = parts
        if parts.isEmpty {
            path = "/"
        } else if !moved && cleanBytes == raw.utf8.count && raw.utf8.first == slash {
            path = raw
        } else {
            path = "/" + parts.joined(separator: "/")
        }
    }

    package var isRoot: Bool { components.isEmpty }

    /// The key of the first `count` segments ("/" for none): etcd's cause for a missing component.
    package func prefix(_ count: Int) -> String {
        count == 0 ? "/" : "/" + components[0..<count].joined(separator: "/")
    }

    /// A name is hidden when it starts with "_": never listed, and it filters live events for watchers above it.
    package static func isHidden(name: String) -> Bool {
        name.utf8.first == UInt8(ascii: "_")
    }

    /// etcd's `isHidden(watchPath, keyPath)`: whether the part of `key` below `watchPath` passes through a
    /// hidden segment. A watch path deeper than the key (an ancestor was removed) is never hidden.
    static func isHidden(watchPath: String, key: String) -> Bool {
        let watch = watchPath.utf8
        let full = key.utf8
        if watch.count > full.count { return false }
        let rest = watchPath == "/" ? full[...] : full.dropFirst(watch.count)
        var previousWasSlash = watchPath == "/"
        for byte in rest {
            if previousWasSlash && byte == UInt8(ascii: "_") { return true }
            previousWasSlash = byte == UInt8(ascii: "/")
        }
        return false
    }
}
