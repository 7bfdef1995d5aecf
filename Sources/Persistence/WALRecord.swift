// The write-ahead log's record format, and the scan that reads a segment back.
//
//   record  = length:u32le  payloadCRC:u32le  headerCRC:u32le  payload[length]
//   payload = index:varint  command (CommandCodec)
//
// headerCRC (CRC-32C of the first 8 bytes) makes the length trustworthy before it is used: a damaged length
// can never make the scan skip good records or mistake the rest of the file for a torn tail.
// A torn tail — what a crash in the middle of an append leaves — is an incomplete record at the very end
// of the last segment (fewer bytes than the header or its payload announce), a zero-filled tail (the
// journal writes records over zeros it wrote ahead; accepted in any segment, see `scan`), or — what a power loss can leave in that zero-filled
// space, where pages reach the disk in any order — a last-segment record that fails its checksum and has a
// 512-byte sector of its own bytes still all zero (etcd's wal `isTornEntry` rule). It is discarded.
// Anything else that fails a check is damage: the scan stops with the file and offset.

import Store

/// Encoding and scanning of log records; see the file header.
package enum WALRecord {
    package static let headerSize = 12

    /// Appends one record to `w`.
    package static func append(index: EtcdIndex, _ command: Command, to w: inout ByteWriter) {
        let start = w.bytes.count
        w.fixed32(0)
        w.fixed32(0)
        w.fixed32(0)
        w.varint(index)
        CommandCodec.encode(command, into: &w)
        let length = UInt32(w.bytes.count - start - headerSize)
        w.setFixed32(length, at: start)
        w.setFixed32(CRC32C.checksum(w.bytes, (start + headerSize)..<w.bytes.count), at: start + 4)
        w.setFixed32(CRC32C.checksum(w.bytes, start..<(start + 8)), at: start + 8)
    }

    /// What a scan found.
    package struct Scan: Equatable {
        /// Bytes of whole, valid records from the start of the file.
        package var validLength = 0
        package var records = 0
        package var firstIndex: EtcdIndex?
        package var lastIndex: EtcdIndex?
        /// Bytes after `validLength` discarded as a torn tail (0 when the file ends cleanly).
        package var tornBytes = 0
        /// The discarded tail was only zeros: space written ahead, no record was cut.
        package var zeroTail = false
    }

    /// Reads the records of `bytes[0..<end]` in order, calling `body` for each. Only the last segment
    /// (`isLast`) may end in a torn tail; see the file header for what counts as damage.
    @discardableResult
    package static func scan(
        _ bytes: [UInt8], end: Int? = nil, file: String, isLast: Bool,
        _ body: (EtcdIndex, Command, Int) throws(PersistenceError) -> Void
    ) throws(PersistenceError) -> Scan {
        let end = end ?? bytes.count
        var scan = Scan()
        var p = 0
        func torn(_ why: String) throws(PersistenceError) {
            guard isLast else {
                throw PersistenceError(file: file, offset: p, "\(why) in a segment that is not the last one")
            }
            scan.tornBytes = end - p
        }
        while p < end {
            if end - p < headerSize {
                try torn("incomplete record header")
                break
            }
            let length = Int(ByteReader.fixed32(bytes, at: p))
            let payloadCRC = ByteReader.fixed32(bytes, at: p + 4)
            let headerCRC = ByteReader.fixed32(bytes, at: p + 8)
            if CRC32C.checksum(bytes, p..<(p + 8)) != headerCRC {
                // Zeros to the end are write-ahead space in any segment (a roll's truncation of an earlier
                // segment is not synced); a lost record there would still show as a gap in the indexes.
                if bytes[p..<end].allSatisfy({ $0 == 0 }) {
                    scan.tornBytes = end - p
                    scan.zeroTail = true
                    break
                }
                if isLast && hasZeroSector(bytes, p..<(p + headerSize)) {
                    scan.tornBytes = end - p
                    break
                }
                throw PersistenceError(file: file, offset: p, "record header checksum mismatch (damaged log)")
            }
            if end - p - headerSize < length {
                try torn("incomplete record (\(end - p - headerSize) of \(length) payload bytes)")
                break
            }
            let payload = (p + headerSize)..<(p + headerSize + length)
            if CRC32C.checksum(bytes, payload) != payloadCRC {
                if isLast && hasZeroSector(bytes, p..<payload.upperBound) {
                    scan.tornBytes = end - p
                    break
                }
                throw PersistenceError(file: file, offset: p, "record checksum mismatch (damaged log)")
            }
            var reader = ByteReader(bytes, from: payload.lowerBound, to: payload.upperBound)
            let index: EtcdIndex
            let command: Command
            do {
                index = try reader.varint()
                command = try CommandCodec.decode(&reader)
            } catch {
                throw PersistenceError(file: file, offset: p, "undecodable record: \(error)")
            }
            guard reader.isAtEnd else {
                throw PersistenceError(file: file, offset: p, "record has \(payload.upperBound - reader.position) stray bytes")
            }
            try body(index, command, p)
            if scan.firstIndex == nil { scan.firstIndex = index }
            scan.lastIndex = index
            scan.records += 1
            p = payload.upperBound
            scan.validLength = p
        }
        return scan
    }

    /// Whether some 512-byte-aligned sector's share of `range` is all zero: a sector the disk never got.
    static func hasZeroSector(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        var start = range.lowerBound
        while start < range.upperBound {
            let end = min((start / 512 + 1) * 512, range.upperBound)
            if bytes[start..<end].allSatisfy({ $0 == 0 }) { return true }
            start = end
        }
        return false
    }
}
