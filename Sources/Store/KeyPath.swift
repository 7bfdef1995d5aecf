// Key normalisation exactly like etcd's `path.Clean(path.Join("/", key))`: rooted, no empty or "." segments,
// ".." pops (never above the root), no trailing slash. The cleaned key is what events and errors show.
// Invariant: `path` is always clean, so everything else (segments, prefixes) is derived from its bytes on
// demand; keys arrive clean almost always, and then building a KeyPath is one byte scan and no allocation.

/// A cleaned, absolute key and its segments.
package struct KeyPath: Equatable, Sendable {
    /// "/" or "/a/b" — never a trailing slash.
    package let path: String

    package init(_ raw: String) {
        // Every request carries its key and most keys are already clean: one scan that allocates nothing
        // keeps the caller's String (the split-and-join below was ~4,000 instructions per request).
        path = Self.isClean(raw) ? raw : Self.clean(raw)
    }

    /// A path the caller built from a clean path and a segment name it knows to be clean (no check).
    init(clean path: String) {
        assert(Self.isClean(path), "\(path) is not clean")
        self.path = path
    }

    /// The segments, in order ([] for the root). Allocates; the store itself walks `segments()` instead.
    package var components: [String] {
        var parts: [String] = []
        var segments = self.segments()
        while let name = segments.next() { parts.append(name) }
        return parts
    }

    package var isRoot: Bool { path.utf8.count == 1 }

    /// An iterator over the segment names that builds no array (one small String per segment).
    func segments() -> Segments { Segments(path) }

    /// The key of the first `count` segments ("/" for none): etcd's cause for a missing component.
    package func prefix(_ count: Int) -> String {
        if count == 0 { return "/" }
        var segments = self.segments()
        for _ in 0..<count {
            if segments.next() == nil { break }
        }
        return segments.pathSoFar
    }

    /// Whether `raw` is already what `clean` would return: starts with "/", and every segment after it is
    /// non-empty and neither "." nor ".." (so no "//" and no trailing "/" except for the root itself).
    /// Reads the bytes through a Span: iterating `utf8` cost ~30 instructions a byte, this ~6. The inner
    /// loop only looks for the next "/"; each segment is judged once at its end (length and first/last byte).
    static func isClean(_ raw: String) -> Bool {
        let slash = UInt8(ascii: "/"), dot = UInt8(ascii: ".")
        let bytes = raw.utf8.span
        let count = bytes.count
        guard count > 0, bytes[0] == slash else { return false }
        if count == 1 { return true }
        var slashAt = 0
        while slashAt < count {
            let start = slashAt + 1
            var end = start
            while end < count && bytes[end] != slash { end += 1 }
            let length = end - start
            // Empty ("//" or a trailing "/"), "." or "..".
            if length == 0 || (length <= 2 && bytes[start] == dot && bytes[end - 1] == dot) { return false }
            slashAt = end
        }
        return true
    }

    /// The parent's key and the last segment's name (not for the root).
    func parentAndName() -> (parent: String, name: String) {
        let bytes = path.utf8.span
        var cut = bytes.count - 1
        while bytes[cut] != UInt8(ascii: "/") { cut -= 1 }
        return (cut == 0 ? "/" : Self.slice(path, 0, cut), Self.slice(path, cut + 1, bytes.count))
    }

    /// The bytes `from..<to` of `path` as a String. The bounds are next to a "/" so they are scalar boundaries;
    /// slicing the utf8 view (not the Characters) keeps a combining mark after "/" in its segment.
    static func slice(_ path: String, _ from: Int, _ to: Int) -> String {
        let utf8 = path.utf8
        let start = utf8.index(utf8.startIndex, offsetBy: from)
        let end = utf8.index(start, offsetBy: to - from)
        return String(decoding: utf8[start..<end], as: UTF8.self)
    }

    /// Go's path.Clean, byte-wise (much cheaper than splitting Characters, and a combining mark after "/"
    /// must not glue the slash to the next segment).
    static func clean(_ raw: String) -> String {
        let slash = UInt8(ascii: "/"), dot = UInt8(ascii: ".")
        var parts: [Substring] = []
        for segment in raw.utf8.split(separator: slash, omittingEmptySubsequences: true) {
            if segment.count == 1 && segment.first == dot { continue }
            if segment.count == 2 && segment.first == dot && segment.last == dot {
                if !parts.isEmpty { parts.removeLast() }
                continue
            }
            parts.append(Substring(segment))
        }
        if parts.isEmpty { return "/" }
        var path = ""
        for part in parts {
            path += "/"
            path += part
        }
        return path
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

extension KeyPath {
    /// Walks a clean path's segments by byte offset. After `next()` returned a name, `pathSoFar` is the key
    /// up to and including it and `isAtLast` tells whether it was the final segment.
    struct Segments {
        private let path: String
        private let count: Int
        /// Byte offset of the next segment's leading "/" (or `count`).
        private var position = 0

        init(_ path: String) {
            self.path = path
            count = path.utf8.count
        }

        var isAtLast: Bool { position == count }

        /// The key of the segments returned so far ("/" before the first).
        var pathSoFar: String {
            if position == 0 { return "/" }
            if position == count { return path }
            return KeyPath.slice(path, 0, position)
        }

        mutating func next() -> String? {
            guard position < count else { return nil }
            // Skip the "/" (the root path "/" has no segment after it).
            let start = position + 1
            var end = start
            do {
                let bytes = path.utf8.span
                while end < count && bytes[end] != UInt8(ascii: "/") { end += 1 }
            }
            position = end
            return start == end ? nil : KeyPath.slice(path, start, end)
        }
    }
}
