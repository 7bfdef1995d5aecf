// The snapshot file format: a whole StoreImage in one checksummed blob.
//
//   file    = magic "BATONSN1"  body  crc:u32le (CRC-32C of everything before it)
//   body    = index:varint  counters (15 varints, StoreStats field order)  count:varint  entry*
//   entry   = flags:u8 (1 dir, 2 has expiration)  name  value  [expiration:zigzag]  created  modified
//             [childCount] (directories)
//
// Entries are in the image's pre-order, so the tree is rebuilt in one pass. A snapshot is written to a
// temporary name and renamed only once complete and synced, so a damaged one is rare; one that fails its
// checksum is skipped in favour of the previous one (recovery never trusts a partial file).

import Store

/// Encodes and decodes snapshot files; see the file header.
package enum SnapshotCodec {
    static let magic: [UInt8] = Array("BATONSN1".utf8)

    package static func encode(_ image: StoreImage) -> [UInt8] {
        var w = ByteWriter(capacity: 64 + image.entries.count * 48)
        w.bytes.append(contentsOf: magic)
        w.varint(image.index)
        for counter in counters(of: image.stats) { w.varint(counter) }
        w.varint(UInt64(image.entries.count))
        for entry in image.entries {
            w.byte((entry.isDir ? 1 : 0) | (entry.expiration == nil ? 0 : 2))
            w.string(entry.name)
            w.string(entry.value)
            if let expiration = entry.expiration { w.signed(expiration.milliseconds) }
            w.varint(entry.createdIndex)
            w.varint(entry.modifiedIndex)
            if entry.isDir { w.varint(UInt64(entry.childCount)) }
        }
        w.fixed32(CRC32C.checksum(w.bytes))
        return w.bytes
    }

    package static func decode(_ bytes: [UInt8], file: String) throws(PersistenceError) -> StoreImage {
        var r = try verifiedReader(bytes, file: file)
        do {
            let (index, stats, count) = try header(&r)
            var entries: [StoreImage.Entry] = []
            entries.reserveCapacity(min(count, r.end / 6))
            for _ in 0..<count { entries.append(try entry(&r)) }
            guard r.isAtEnd else { throw ByteReader.Failure.malformed("stray bytes after the last entry") }
            return StoreImage(index: index, stats: stats, entries: entries)
        } catch {
            throw PersistenceError(file: file, offset: r.position, "undecodable snapshot: \(error)")
        }
    }

    /// Decodes `bytes` straight into the fresh `store` (recovery's path: no intermediate StoreImage, so a
    /// million-key tree is not held twice). Returns the snapshot's index and node count; the store is left
    /// fresh when this throws. `expectedIndex` is the index the file's name promises.
    @discardableResult
    package static func load(
        _ bytes: [UInt8], file: String, expectedIndex: EtcdIndex, into store: Store, now: Timestamp
    ) throws(PersistenceError) -> (index: EtcdIndex, nodes: Int) {
        var r = try verifiedReader(bytes, file: file)
        let index: EtcdIndex, stats: StoreStats, count: Int
        do { (index, stats, count) = try header(&r) } catch {
            throw PersistenceError(file: file, offset: r.position, "undecodable snapshot: \(error)")
        }
        guard index == expectedIndex else {
            throw PersistenceError(file: file, "holds index \(index), its name says \(expectedIndex)")
        }
        var decoded = 0
        var failure: ByteReader.Failure?
        do {
            try store.restore(index: index, stats: stats, now: now,
                              expectedCount: count) { () throws(StoreImageError) -> StoreImage.Entry? in
                guard decoded < count else { return nil }
                do throws(ByteReader.Failure) {
                    let next = try entry(&r)
                    decoded += 1
                    return next
                } catch {
                    failure = error
                    throw StoreImageError(description: "undecodable entry")
                }
            }
            guard r.isAtEnd else { throw ByteReader.Failure.malformed("stray bytes after the last entry") }
        } catch let error as ByteReader.Failure {
            throw PersistenceError(file: file, offset: r.position, "undecodable snapshot: \(error)")
        } catch {
            if let failure {
                throw PersistenceError(file: file, offset: r.position, "undecodable snapshot: \(failure)")
            }
            throw PersistenceError(file: file, "inconsistent snapshot: \(error)")
        }
        return (index, decoded)
    }

    /// Checks the magic and the whole-file CRC; returns a reader over the body.
    private static func verifiedReader(_ bytes: [UInt8], file: String) throws(PersistenceError) -> ByteReader {
        guard bytes.count >= magic.count + 4, Array(bytes[0..<magic.count]) == magic else {
            throw PersistenceError(file: file, offset: 0, "not a snapshot (bad magic)")
        }
        let end = bytes.count - 4
        guard CRC32C.checksum(bytes, 0..<end) == ByteReader.fixed32(bytes, at: end) else {
            throw PersistenceError(file: file, offset: end, "snapshot checksum mismatch")
        }
        return ByteReader(bytes, from: magic.count, to: end)
    }

    private static func header(_ r: inout ByteReader) throws(ByteReader.Failure) -> (EtcdIndex, StoreStats, Int) {
        let index = try r.varint()
        var values: [UInt64] = []
        for _ in 0..<15 { values.append(try r.varint()) }
        return (index, stats(from: values), try r.count())
    }

    @inline(__always)
    private static func entry(_ r: inout ByteReader) throws(ByteReader.Failure) -> StoreImage.Entry {
        let flags = try r.byte()
        let name = try r.string()
        let value = try r.string()
        let expiration = flags & 2 != 0 ? Timestamp(milliseconds: try r.signed()) : nil
        let created = try r.varint()
        let modified = try r.varint()
        let isDir = flags & 1 != 0
        let children = isDir ? try r.count() : 0
        return StoreImage.Entry(name: name, value: value, isDir: isDir, expiration: expiration,
                                createdIndex: created, modifiedIndex: modified, childCount: children)
    }

    private static func counters(of s: StoreStats) -> [UInt64] {
        [s.getsSuccess, s.getsFail, s.setsSuccess, s.setsFail, s.deleteSuccess, s.deleteFail, s.updateSuccess,
         s.updateFail, s.createSuccess, s.createFail, s.compareAndSwapSuccess, s.compareAndSwapFail,
         s.compareAndDeleteSuccess, s.compareAndDeleteFail, s.expireCount]
    }

    private static func stats(from v: [UInt64]) -> StoreStats {
        var s = StoreStats()
        s.getsSuccess = v[0]; s.getsFail = v[1]; s.setsSuccess = v[2]; s.setsFail = v[3]
        s.deleteSuccess = v[4]; s.deleteFail = v[5]; s.updateSuccess = v[6]; s.updateFail = v[7]
        s.createSuccess = v[8]; s.createFail = v[9]; s.compareAndSwapSuccess = v[10]; s.compareAndSwapFail = v[11]
        s.compareAndDeleteSuccess = v[12]; s.compareAndDeleteFail = v[13]; s.expireCount = v[14]
        return s
    }
}
