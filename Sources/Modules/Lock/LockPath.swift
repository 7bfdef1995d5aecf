import Store

/// Where lock queues live in the key tree, and how keys map back to locks.
///
/// A lock `<name>` is the directory `/_etcd/mod/lock/<name>` (reference §1.2); its entries are the files
/// directly inside it whose names are canonical decimal indexes. The name is cleaned like Go's
/// `path.Clean("/" + name)` *before* it is appended, so `..` can never climb out of the lock root.
package enum LockPath {
    /// The directory holding every lock queue (never deleted by the lock module).
    package static let root = "/_etcd/mod/lock"

    /// The queue directory of the lock called `name` (`""` gives the root itself, as etcd did).
    package static func directory(forName name: String) -> String {
        var parts: [Substring] = []
        for part in name.split(separator: "/", omittingEmptySubsequences: true) {
            // Byte comparisons: Substring == "." is a Unicode-aware String comparison (hot: every lock request).
            let n = part.utf8.count, dot = UInt8(ascii: ".")
            if n == 1 && part.utf8.first == dot { continue }
            if n == 2 && part.utf8.first == dot && part.utf8.last == dot {
                _ = parts.popLast()
                continue
            }
            parts.append(part)
        }
        if parts.isEmpty { return root }
        return root + "/" + parts.joined(separator: "/")
    }

    /// The key of entry `index` in `directory`.
    package static func entryKey(_ directory: String, _ index: EtcdIndex) -> String {
        directory + "/" + String(index)
    }

    /// Splits a key into (queue directory, entry index) when it names a possible queue entry: its parent
    /// is the lock root or below it and its last segment is a canonical decimal number (`7`, not `07`).
    package static func entry(ofKey key: String) -> (directory: String, index: EtcdIndex)? {
        guard let slash = key.lastIndex(of: "/") else { return nil }
        let directory = key[..<slash]
        guard isLockDirectory(directory) else { return nil }
        guard let index = canonicalIndex(key[key.index(after: slash)...]) else { return nil }
        return (String(directory), index)
    }

    /// The index a lock API `index=` parameter names, or nil when no entry could have that name.
    package static func canonicalIndex<S: StringProtocol>(_ name: S) -> EtcdIndex? {
        guard let first = name.utf8.first, first != UInt8(ascii: "0") || name.utf8.count == 1 else { return nil }
        guard name.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        return EtcdIndex(name)
    }

    /// True when `path` is the lock root or a directory below it.
    package static func isLockDirectory<S: StringProtocol>(_ path: S) -> Bool {
        guard path.utf8.starts(with: root.utf8) else { return false }
        return path.utf8.count == root.utf8.count || path.utf8.dropFirst(root.utf8.count).first == UInt8(ascii: "/")
    }

    /// True when removing `key` removes `directory` too (`key` is it or one of its ancestors).
    package static func removes(_ key: String, _ directory: String) -> Bool {
        if key == "/" { return true }
        guard directory.utf8.starts(with: key.utf8) else { return false }
        return directory.utf8.count == key.utf8.count
            || directory.utf8.dropFirst(key.utf8.count).first == UInt8(ascii: "/")
    }
}
