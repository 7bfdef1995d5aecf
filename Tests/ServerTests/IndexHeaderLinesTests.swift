// IndexHeaderLines renders the keys API's index header block once per index pair and, when the numbers keep
// their digit counts, overwrites the digits in place. Whatever the sequence of pairs, each block must be the
// direct rendering, and a block handed out earlier (an answer not yet written) must never change.
import Server
import Testing
import TestSupport

struct IndexHeaderLinesTests {
    private func direct(_ etcdIndex: UInt64, _ raftIndex: UInt64) -> [UInt8] {
        Array("Content-Type: application/json\r\nX-Etcd-Index: \(etcdIndex)\r\nX-Raft-Index: \(raftIndex)\r\nX-Raft-Term: 1\r\n".utf8)
    }

    /// Ensure that blocks equal direct rendering over seeded index pairs (writes, reads, watches answered
    /// from history, digit-count changes) and that blocks kept from before stay as they were.
    @Test func blocksMatchDirectRenderingAndKeptBlocksDoNotChange() {
        var random = SplitMix64(seed: 2026_11_29)
        var headers = IndexHeaderLines()
        var index: UInt64 = 1
        var kept: [(block: [UInt8], etcd: UInt64, raft: UInt64)] = []
        for step in 0..<50_000 {
            switch Int.random(in: 0..<10, using: &random) {
            case 0: index += UInt64.random(in: 1...1_000, using: &random)
            case 1, 2, 3, 4: index += 1
            default: break
            }
            if Int.random(in: 0..<5_000, using: &random) == 0 { index = index * 10 + 7 }
            let etcd: UInt64
            switch Int.random(in: 0..<5, using: &random) {
            case 0: etcd = UInt64.random(in: 0...index, using: &random)  // a watch answered from history
            case 1: etcd = index - index / 2  // an older index of fewer digits, sometimes
            case 2: etcd = index + UInt64.random(in: 0...60, using: &random)  // not the server's order: any pair
            default: etcd = index  // a write's answer, or a read
            }
            let block = headers.lines(etcdIndex: etcd, raftIndex: index)
            #expect(block == direct(etcd, index), "step \(step)")
            if block != direct(etcd, index) { return }
            if Bool.random(using: &random) { kept.append((block, etcd, index)) }
            if kept.count > 8 { kept.removeFirst() }
            for old in kept { #expect(old.block == direct(old.etcd, old.raft), "step \(step)") }
        }
    }
}
