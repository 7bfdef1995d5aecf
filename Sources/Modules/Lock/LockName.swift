import Store

// A lock name as a request spelled it: the UTF-8 bytes after `/mod/v2/lock/`, lent by the request (no copy).
// The service looks a name's queue up by these bytes (`LockService.resolve`), so a lock it has seen costs no
// String at all; the String is made only for a name it has not seen (to clean it into a directory path).
//
// The bytes may be invalid UTF-8 (a raw path is not validated); `text` repairs them as the route did when it
// handed the service a String. The cache is keyed by the bytes themselves, so a hit stands for exactly the
// String (and directory) the same bytes gave the first time.

/// A lock name: its bytes as received, its String on demand.
package struct LockName {
    package let bytes: ArraySlice<UInt8>

    package init(bytes: ArraySlice<UInt8>) { self.bytes = bytes }

    package init(_ text: String) { bytes = ArraySlice(text.utf8) }

    /// The name as a String (invalid UTF-8 replaced by U+FFFD).
    package var text: String { String(decoding: bytes, as: UTF8.self) }
}

/// The lock service's calls with a name given as a String (the leader module, tests): the same calls.
extension LockService {
    package func acquire(
        _ name: String, value: String, ttl: Int64, timeout: Int64?, waiter: WaiterID, now: Timestamp
    ) throws(EtcdError) -> AcquireOutcome {
        try acquire(LockName(name), value: value, ttl: ttl, timeout: timeout, waiter: waiter, now: now)
    }

    package func renew(_ name: String, index: String?, value: String?, ttl: Int64, now: Timestamp) throws(EtcdError) {
        try renew(LockName(name), index: index, value: value, ttl: ttl, now: now)
    }

    package func release(_ name: String, index: String?, value: String?, now: Timestamp) throws(EtcdError) {
        try release(LockName(name), index: index, value: value, now: now)
    }

    package func holder(_ name: String, field: String?) throws(EtcdError) -> String {
        try holder(LockName(name), field: field)
    }

    package func queuedIndexes(_ name: String) -> [EtcdIndex] { queuedIndexes(LockName(name)) }
}
