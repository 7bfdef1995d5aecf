// Key normalisation exactly like etcd's `path.Clean(path.Join("/", key))`: rooted, no empty or "." segments,
// ".." pops (never above the root), no trailing slash. The cleaned key is what events and errors show.

/// A cleaned, absolute key and its segments.
package struct KeyPath: Equatable, Sendable {
    /// "/" or "/a/b" — never a trailing slash.
    package let path: String
    package let components: [String]

    package init(_ raw: String) {
        // Segments are compared as bytes: Substring == "." is a Unicode-aware String comparison, and this
        // runs several times per request. An already-clean key is kept as is instead of re-joined.
        let dot = UInt8(ascii: "."), slash = UInt8(ascii: "/")
        var parts: [String] = []
        var kept = 0
        for segment in raw.utf8.split(separator: slash, omittingEmptySubsequences: true) {
            let n = segment.count
            if n == 1 && segment.first == dot { continue }
            if n == 2 && segment.first == dot && segment.last == dot {
                if !parts.isEmpty { kept -= parts.removeLast().utf8.count }
                continue
            }
            parts.append(String(raw[segment.startIndex..<segment.endIndex]))
            kept += n
        }
        components = parts
        if parts.isEmpty {
            path = "/"
        } else if raw.utf8.first == slash && raw.utf8.count == kept + parts.count {
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
