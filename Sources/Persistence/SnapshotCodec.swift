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
        guard bytes.count >= magic.count + 4, Array(bytes[0..<magic.count]) == magic else {
            throw PersistenceError(file: file, offset: 0, "not a snapshot (bad magic)")
        }
        let end = bytes.count - 4
        guard CRC32C.checksum(bytes, 0..<end) == ByteReader.fixed32(bytes, at: end) else {
            throw PersistenceError(file: file, offset: end, "snapshot checksum mismatch")
        }
        var r = ByteReader(bytes, from: magic.count, to: end)
        do {
            let index = try r.varint()
            var values: [UInt64] = []
            for _ in 0..<15 { values.append(try r.varint()) }
            let count = try r.count()
            var entries: [StoreImage.Entry] = []
            entries.reserveCapacity(min(count, end / 6))
            for _ in 0..<count {
                let flags = try r.byte()
                let name = try r.string()
                let value = try r.string()
                let expiration = flags & 2 != 0 ? Timestamp(milliseconds: try r.signed()) : nil
                let created = try r.varint()
                let modified = try r.varint()
                let isDir = flags & 1 != 0
                let children = isDir ? try r.count() : 0
                entries.append(StoreImage.Entry(name: name, value: value, isDir: isDir, expiration: expiration,
                                                createdIndex: created, modifiedIndex: modified, childCount: children))
            }
            guard r.isAtEnd else { throw ByteReader.Failure.malformed("stray bytes after the last entry") }
            return StoreImage(index: index, stats: stats(from: values), entries: entries)
        } catch {
            throw PersistenceError(file: file, offset: r.position, "undecodable snapshot: \(error)")
        }
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
