import Store

/// Where lock queues live in the key tree, and how keys map back to locks.
///
/// A lock `<name>` is the directory `/_etcd/mod/lock/<name>` (reference §1.2); its entries are the files
/// directly inside it whose names are canonical decimal indexes. The name is cleaned like Go's
/// `path.Clean("/" + name)` *before* it is appended, so `..` can never climb out of the lock root.
///
/// Everything here compares UTF-8 bytes: String/Substring comparisons and `split` are Unicode-aware and
/// cost thousands of instructions per lock request. The lock service's own commands never come back here
/// (it keeps keys and directories on its queues); only lock names it has not seen and events made by
/// others (keys API, TTL expiry) are parsed.
package enum LockPath {
    /// The directory holding every lock queue (never deleted by the lock module).
    package static let root = "/_etcd/mod/lock"

    /// The queue directory of the lock called `name` (`""` gives the root itself, as etcd did).
    package static func directory(forName name: String) -> String {
        if name.isEmpty { return root }
        if isClean(name) { return root + "/" + name }
        return cleanedDirectory(name)
    }

    /// True when `name` has no empty, `.` or `..` segment and no leading or trailing slash, judged on bytes.
    /// Then `cleanedDirectory` would give `root/name` unchanged: its Character-wise split can only see
    /// fewer separators (a `/` fused with a combining mark), and merged segments stay non-empty and
    /// contain a `/`, so none of them is dropped or popped and joining them restores `name`.
    package static func isClean(_ name: String) -> Bool {
        let slash = UInt8(ascii: "/"), dot = UInt8(ascii: ".")
        var length = 0
        var dots = 0
        for byte in name.utf8 {
            if byte == slash {
                if length == 0 || dots == length && length <= 2 { return false }
                length = 0
                dots = 0
            } else {
                length += 1
                if byte == dot { dots += 1 }
            }
        }
        return length > 0 && !(dots == length && length <= 2)
    }

    /// The general case of `directory(forName:)`: Go's `path.Clean` over Character-wise segments (the
    /// behaviour the lock module always had for names that need cleaning).
    package static func cleanedDirectory(_ name: String) -> String {
        var parts: [Substring] = []
        for part in name.split(separator: "/", omittingEmptySubsequences: true) {
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
    /// Any key outside the lock root is rejected by its first bytes.
    package static func entry(ofKey key: String) -> (directory: String, index: EtcdIndex)? {
        let bytes = key.utf8
        guard isLockDirectory(key), let slash = bytes.lastIndex(of: UInt8(ascii: "/")),
            bytes.distance(from: bytes.startIndex, to: slash) >= root.utf8.count,
            let index = canonicalIndex(bytes[bytes.index(after: slash)...])
        else { return nil }
        return (String(key[..<slash]), index)
    }

    /// The index a lock API `index=` parameter names, or nil when no entry could have that name.
    /// (The rule of the generic version below, read through a Span: walking a String's UTF-8 view
    /// generically cost ~250 instructions for a short number, every release and renew by index.)
    package static func canonicalIndex(_ name: String) -> EtcdIndex? {
        let digits = name.utf8.span
        let count = digits.count
        guard count > 0, digits[0] != UInt8(ascii: "0") || count == 1 else { return nil }
        var value: EtcdIndex = 0
        for i in 0..<count {
            guard let next = appending(digits[i], to: value) else { return nil }
            value = next
        }
        return value
    }

    /// Decimal digits without a leading zero (but `0` itself), within `EtcdIndex`'s range. Generic so
    /// that a String's own UTF-8 view is walked directly (a Substring view costs twice as much).
    static func canonicalIndex<Digits: Collection<UInt8>>(_ digits: Digits) -> EtcdIndex? {
        guard let first = digits.first, first != UInt8(ascii: "0") || digits.count == 1 else { return nil }
        var value: EtcdIndex = 0
        for byte in digits {
            guard let next = appending(byte, to: value) else { return nil }
            value = next
        }
        return value
    }

    /// `value * 10 + digit`; nil when `byte` is not a decimal digit or the result overflows.
    @inline(__always)
    private static func appending(_ byte: UInt8, to value: EtcdIndex) -> EtcdIndex? {
        guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { return nil }
        let (times10, o1) = value.multipliedReportingOverflow(by: 10)
        let (sum, o2) = times10.addingReportingOverflow(EtcdIndex(byte - UInt8(ascii: "0")))
        return o1 || o2 ? nil : sum
    }

    /// True when `path` is the lock root or a directory below it (or an entry key: anything below it).
    package static func isLockDirectory<S: StringProtocol>(_ path: S) -> Bool {
        let bytes = path.utf8, rootBytes = root.utf8
        guard bytes.count >= rootBytes.count, bytes.starts(with: rootBytes) else { return false }
        return bytes.count == rootBytes.count || bytes.dropFirst(rootBytes.count).first == UInt8(ascii: "/")
    }

    /// True when removing `key` removes `directory` too (`key` is it or one of its ancestors).
    package static func removes(_ key: String, _ directory: String) -> Bool {
        if key == "/" { return true }
        guard directory.utf8.starts(with: key.utf8) else { return false }
        return directory.utf8.count == key.utf8.count
            || directory.utf8.dropFirst(key.utf8.count).first == UInt8(ascii: "/")
    }
}
