// The header block every keys-API JSON answer carries — `Content-Type: application/json`, `X-Etcd-Index`,
// `X-Raft-Index` (the store's index) and `X-Raft-Term` — rendered once per pair of indexes.
//
// Why a cache: between two writes every read answers the same pair, so the block is rendered on the first
// read after a write and then shared (an array retain) by the reads that follow, instead of copying the
// Content-Type line and rendering two numbers per response (~1,000 instructions of a keys GET, callgrind).
// One entry is enough: the store index only grows, and an answer for an older `X-Etcd-Index` (a watch
// answered from history) simply renders its own block.
//
// Every write changes both numbers, almost always to numbers with as many digits as before: the block then
// keeps its layout and only the digits are overwritten in place (~100 instructions instead of ~700 for
// rendering its tail again; callgrind). Once the previous answer has been encoded the array is uniquely ours,
// so no copy is made (copy-on-write copies it while an answer still holds it).

import HTTP
import Store

/// A one-entry cache of the keys-API header block, keyed by (X-Etcd-Index, X-Raft-Index).
package struct IndexHeaderLines {
    package init() {}

    private var etcdIndex: EtcdIndex = .max
    private var raftIndex: EtcdIndex = .max
    private var lines: [UInt8] = []

    /// The block for these indexes, each line ending in CRLF.
    package mutating func lines(etcdIndex: EtcdIndex, raftIndex: EtcdIndex) -> [UInt8] {
        if etcdIndex == self.etcdIndex && raftIndex == self.raftIndex { return lines }
        let etcdDigits = ResponseEncoder.decimalDigits(etcdIndex)
        let raftDigits = ResponseEncoder.decimalDigits(raftIndex)
        if !lines.isEmpty && etcdDigits == ResponseEncoder.decimalDigits(self.etcdIndex)
            && raftDigits == ResponseEncoder.decimalDigits(self.raftIndex)
        {
            // The same layout: the digits are replaced where they are.
            let etcdEnd = Self.startBytes + etcdDigits
            let raftEnd = etcdEnd + Self.raftIndexInfix.count + raftDigits
            ResponseEncoder.overwriteDecimals((etcdIndex, raftIndex), replacing: (self.etcdIndex, self.raftIndex),
                                              endingAt: etcdEnd, raftEnd, in: &lines)
            self.etcdIndex = etcdIndex
            self.raftIndex = raftIndex
            return lines
        }
        // Re-rendered in place after the fixed start: once the previous answer has been encoded the array is
        // uniquely ours again and no allocation happens (copy-on-write copies it only while still shared).
        if lines.isEmpty {
            lines.reserveCapacity(Self.fixedBytes + 40)
            lines.append(contentsOf: HeaderLine.contentTypeJSON)
            lines.append(contentsOf: Self.etcdIndexPrefix)
        } else {
            lines.removeLast(lines.count - Self.startBytes)
        }
        if etcdIndex == raftIndex {
            // A write's answer: both are the write's index.
            ResponseEncoder.appendDecimalTwice(etcdIndex, separatedBy: Self.raftIndexInfix, to: &lines)
        } else {
            ResponseEncoder.appendDecimal(etcdIndex, to: &lines)
            lines.append(contentsOf: Self.raftIndexInfix)
            ResponseEncoder.appendDecimal(raftIndex, to: &lines)
        }
        lines.append(contentsOf: Self.raftTermSuffix)
        self.etcdIndex = etcdIndex
        self.raftIndex = raftIndex
        return lines
    }

    private static let etcdIndexPrefix: [UInt8] = Array("X-Etcd-Index: ".utf8)
    private static let raftIndexInfix: [UInt8] = Array("\r\nX-Raft-Index: ".utf8)
    /// X-Raft-Term is always 1: a single member that never holds an election.
    private static let raftTermSuffix: [UInt8] = Array("\r\nX-Raft-Term: 1\r\n".utf8)
    /// Content-Type and "X-Etcd-Index: ", which never change.
    private static let startBytes = HeaderLine.contentTypeJSON.count + etcdIndexPrefix.count
    private static let fixedBytes = HeaderLine.contentTypeJSON.count + etcdIndexPrefix.count
        + raftIndexInfix.count + raftTermSuffix.count
}
