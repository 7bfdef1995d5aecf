// Recovery = the newest valid snapshot + the log after it, replayed through `Store.apply` (the same code as
// live requests, so the rebuilt tree, indexes and counters are those the live server had).
//
// Rules (SPEC §9, issue 7): a snapshot that fails its checksum is skipped for the previous one (with a
// warning); records already in the snapshot are skipped; every other record must carry exactly the next
// index and must apply, or recovery stops with the file and offset; only the last segment may end in a
// torn tail, which is discarded (and, with `repair`, cut off the file so appends continue after the last
// whole record). The lock module's clean-up of waiting entries happens after this, in the server.

import Store
import UV

/// What recovery found and did.
package struct RecoveryResult: Sendable {
    package struct Segment: Sendable, Equatable {
        package var firstIndex: EtcdIndex
        package var name: String
        /// Bytes of whole records (the file's length after any repair).
        package var length: Int
    }

    package var snapshotIndex: EtcdIndex?
    package var snapshotName: String?
    /// Every snapshot on disk that recovery saw, ascending (damaged ones included).
    package var snapshots: [EtcdIndex] = []
    package var segments: [Segment] = []
    package var recordsReplayed = 0
    /// The store's index afterwards.
    package var lastIndex: EtcdIndex = 0
    /// (file, offset, bytes) of a discarded torn tail.
    package var tornTail: (file: String, offset: Int, bytes: Int)?
    package var warnings: [String] = []
}

/// Rebuilds a Store from a data directory; see the file header.
package enum Recovery {
    /// Start-up recovery of `directory` into the fresh `store`.
    package static func recover(
        _ directory: DataDirectory, into store: Store, now: Timestamp, repair: Bool
    ) throws(PersistenceError) -> RecoveryResult {
        let listing = try directory.listing()
        if repair { for name in listing.temporary { try? FileSystem.remove(directory.file(name)) } }
        var result = RecoveryResult()
        result.snapshots = listing.snapshots.map(\.0)
        for (index, name) in listing.snapshots.reversed() {
            do {
                let path = directory.file(name)
                try SnapshotCodec.load(try read(path), file: path, expectedIndex: index, into: store, now: now)
                result.snapshotIndex = index
                result.snapshotName = name
                break
            } catch {
                result.warnings.append("skipping snapshot: \(error)")
            }
        }
        let segments = listing.segments.map { (index: $0.0, name: $0.1, length: Int?.none) }
        try replay(directory, segments, into: store, now: now, repair: repair, result: &result)
        return result
    }

    /// Replays `segments` (ascending; `length` nil = the whole file) into `store`, which already holds the
    /// snapshot if any. Segments wholly before the store's index are skipped without reading them.
    package static func replay(
        _ directory: DataDirectory, _ segments: [(index: EtcdIndex, name: String, length: Int?)], into store: Store,
        now: Timestamp, repair: Bool, result: inout RecoveryResult
    ) throws(PersistenceError) {
        let base = store.index
        var replayed = 0
        for (i, segment) in segments.enumerated() {
            let isLast = i == segments.count - 1
            if !isLast && segments[i + 1].index <= base + 1 {
                result.segments.append(.init(firstIndex: segment.index, name: segment.name, length: segment.length ?? 0))
                continue
            }
            let path = directory.file(segment.name)
            let bytes = try read(path)
            let end = min(segment.length ?? bytes.count, bytes.count)
            let scan = try WALRecord.scan(bytes, end: end, file: path, isLast: isLast) { (index, command, offset) throws(PersistenceError) in
                if index <= base { return }
                guard index == store.index + 1 else {
                    throw PersistenceError(file: path, offset: offset,
                                           "record has index \(index), expected \(store.index + 1) (a gap in the log)")
                }
                do throws(EtcdError) { try store.apply(command, now: now) } catch {
                    throw PersistenceError(file: path, offset: offset, "record \(index) does not apply: \(error.message) (\(error.cause))")
                }
                replayed += 1
                // Nobody reads these during replay; drain them so a long log does not pile them up.
                if replayed & 1023 == 0 { drain(store) }
            }
            if scan.tornBytes > 0 {
                // A zero tail is the journal's write-ahead space, not a lost record: no warning.
                if !scan.zeroTail { result.tornTail = (path, scan.validLength, scan.tornBytes) }
                if repair { try cut(path, to: scan.validLength) }
            }
            result.segments.append(.init(firstIndex: segment.index, name: segment.name, length: scan.validLength))
        }
        drain(store)
        result.recordsReplayed += replayed
        result.lastIndex = store.index
    }

    private static func drain(_ store: Store) {
        _ = store.takeEvents()
        _ = store.takeCommands()
        _ = store.takeNotifications()
    }

    static func read(_ path: String) throws(PersistenceError) -> [UInt8] {
        do { return try FileSystem.readAll(path) } catch {
            throw PersistenceError(file: path, "cannot read: \(error)")
        }
    }

    /// Cuts a torn tail off, durably, so later appends follow the last whole record.
    private static func cut(_ path: String, to length: Int) throws(PersistenceError) {
        do {
            let fd = try FileSystem.openForWriting(path, create: false)
            defer { FileSystem.close(fd) }
            try FileSystem.truncate(fd, to: Int64(length))
            try FileSystem.sync(fd)
        } catch {
            throw PersistenceError(file: path, "cannot cut the torn tail: \(error)")
        }
    }
}
