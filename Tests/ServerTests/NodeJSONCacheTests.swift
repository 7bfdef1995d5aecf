// NodeJSONCache is a memo: whatever sequence of views it is shown, each rendering (and each read's whole
// body) must be byte for byte what EtcdJSON writes without it. A seeded run mixes repeated versions (hits), versions that share a slot,
// the same index with another key or value (must miss), TTL and directory views (never cached) and a value
// too large to keep.
import HTTP
import Server
import Store
import Testing
import TestSupport

private func direct(_ view: NodeView) -> [UInt8] {
    var w = JSONWriter()
    EtcdJSON.node(view, into: &w)
    return w.bytes
}

/// One node through the memo as EtcdJSON writes it into a body: `append`, then `remember` what it wrote.
private func cached(_ view: NodeView, _ cache: inout NodeJSONCache, previous: NodeView? = nil) -> [UInt8] {
    var w = JSONWriter()
    if let pending = cache.append(view, into: &w, previous: previous) { cache.remember(pending, view, in: w.bytes) }
    return w.bytes
}

/// The next version of `current` in a seeded run: its key kept unless a draw in 0..<`keyOdds` is 0, its value
/// likewise with `valueOdds`, its createdIndex the new index or (sometimes) an older one.
private func nextVersion(of current: NodeView, at index: EtcdIndex, keys: [String], values: [String],
                         keyOdds: Int, valueOdds: Int, _ random: inout SplitMix64) -> NodeView {
    let keepKey = Int.random(in: 0..<keyOdds, using: &random) != 0
    let keepValue = Int.random(in: 0..<valueOdds, using: &random) != 0
    return NodeView(
        key: keepKey ? current.key : keys.randomElement(using: &random)!,
        value: keepValue ? current.value : values.randomElement(using: &random)!,
        modifiedIndex: index,
        createdIndex: Bool.random(using: &random) || index <= 3 ? index : index - 3)
}

struct NodeJSONCacheTests {
    /// Ensure that the memo's output equals direct rendering over 20,000 seeded views.
    @Test func memoMatchesDirectRendering() {
        var random = SplitMix64(seed: 2026_11_26)
        var cache = NodeJSONCache()
        let keys = ["/a", "/b", "/dir/c", "/caf\u{E9}", "/cafe\u{301}", "/<q>&\"x\""]
        let values = ["", "v", "baton-bench-value", "line\nbreak", String(repeating: "x", count: 2000)]
        for _ in 0..<20_000 {
            // Few distinct indexes, many of them 256 apart: slots are shared and versions repeat.
            let index = EtcdIndex(1 + Int.random(in: 0..<6, using: &random) * NodeJSONCache.slotCount
                                  + Int.random(in: 0..<3, using: &random))
            let kind = Int.random(in: 0..<10, using: &random)
            let view = NodeView(
                key: keys.randomElement(using: &random)!,
                value: kind == 0 ? nil : values.randomElement(using: &random)!,
                isDir: kind == 0,
                expiration: kind == 1 ? Timestamp(milliseconds: 1_800_000_000_000) : nil,
                ttl: kind == 1 ? 30 : 0,
                modifiedIndex: index,
                createdIndex: kind == 2 ? index : index - 1)
            let expected = direct(view)
            let got = cached(view, &cache)
            #expect(got == expected, "\(view)")
            if got != expected { return }
            // A read's whole body, kept in the slot after the first read of a version.
            let read = Event(action: .get, node: view)
            let readBody = Array(#"{"action":"get","node":"#.utf8) + expected + Array("}".utf8)
            #expect(EtcdJSON.event(read, cache: &cache) == readBody, "\(view)")
        }
    }

    /// Ensure that a version seen before is served from the memo even after other slots changed, and that a
    /// different value under the same indexes is rendered anew.
    @Test func sameIndexesOtherValueIsRenderedAnew() {
        var cache = NodeJSONCache()
        let first = NodeView(key: "/k", value: "one", modifiedIndex: 7, createdIndex: 7)
        let second = NodeView(key: "/k", value: "two", modifiedIndex: 7, createdIndex: 7)
        #expect(cached(first, &cache) == direct(first))
        #expect(cached(second, &cache) == direct(second))
        #expect(cached(first, &cache) == direct(first))
    }

    /// Ensure that a version rendered from its previous version's cached prefix (a write that kept the
    /// value) is byte for byte the direct rendering, and that a previous version with another key or value,
    /// another spelling of the same text, or one not in the memo is never used as the prefix.
    @Test func newVersionFromPreviousPrefixMatchesDirectRendering() {
        var random = SplitMix64(seed: 2026_11_27)
        var cache = NodeJSONCache()
        let keys = ["/k", "/caf\u{E9}", "/cafe\u{301}", "/<q>&\"x\""]
        let values = ["", "v", "baton-bench-value", "caf\u{E9}", "cafe\u{301}", "tab\there"]
        var previous = NodeView(key: "/k", value: "v", modifiedIndex: 1, createdIndex: 1)
        var index: EtcdIndex = 1
        for _ in 0..<20_000 {
            // Mostly the next index; sometimes far ahead (the previous version's slot was reused).
            index += Int.random(in: 0..<8, using: &random) == 0 ? EtcdIndex(NodeJSONCache.slotCount) : 1
            let view = nextVersion(of: previous, at: index, keys: keys, values: values, keyOdds: 4, valueOdds: 3,
                                   &random)
            let bytes = cached(view, &cache, previous: Int.random(in: 0..<10, using: &random) == 0 ? nil : previous)
            #expect(bytes == direct(view), "\(view) after \(previous)")
            if bytes != direct(view) { return }
            // The previous version is not always in the memo: shown again only some of the time.
            if Bool.random(using: &random) { _ = cached(previous, &cache) }
            previous = view
        }
    }
}

/// Event bodies: a version first shown in an event is written straight into its body and remembered there,
/// so the memo must serve the same bytes afterwards (as a prevNode, a read, a watcher's event) as direct
/// rendering would, including versions rendered from their previous version's prefix.
struct NodeJSONCacheEventTests {
    private func directEvent(_ event: Event) -> [UInt8] {
        var body = Array(#"{"action":""#.utf8) + Array(event.action.rawValue.utf8) + Array(#"","node":"#.utf8)
        body += direct(event.node)
        if let prev = event.prevNode { body += Array(#","prevNode":"#.utf8) + direct(prev) }
        return body + Array("}".utf8)
    }

    /// Ensure that event bodies built with the memo equal direct rendering over a seeded run of writes
    /// (most keeping key and value, as a benchmark's PUT does), reads, deletes and TTL versions.
    @Test func eventBodiesMatchDirectRendering() {
        var random = SplitMix64(seed: 2026_11_28)
        var cache = NodeJSONCache()
        let keys = ["/k", "/caf\u{E9}", "/cafe\u{301}", "/<q>&\"x\""]
        let values = ["", "v", "baton-bench-value", "caf\u{E9}", "cafe\u{301}", "tab\there",
                      String(repeating: "y", count: 1500)]
        var current = NodeView(key: "/k", value: "v", modifiedIndex: 1, createdIndex: 1)
        var index: EtcdIndex = 1
        var shown: [NodeView] = []
        for step in 0..<30_000 {
            index += Int.random(in: 0..<8, using: &random) == 0 ? EtcdIndex(NodeJSONCache.slotCount) : 1
            let kind = Int.random(in: 0..<12, using: &random)
            let event: Event
            switch kind {
            case 0:
                // A read of a version shown before (maybe evicted since).
                event = Event(action: .get, node: shown.randomElement(using: &random) ?? current)
            case 1:
                event = Event(action: .create, node: NodeView(
                    key: keys.randomElement(using: &random)!, value: values.randomElement(using: &random)!,
                    modifiedIndex: index, createdIndex: index))
            case 2:
                let gone = NodeView(key: current.key, modifiedIndex: index, createdIndex: current.createdIndex)
                event = Event(action: .delete, node: gone, prevNode: current)
            case 3:
                let ttl = NodeView(key: current.key, value: current.value,
                                   expiration: Timestamp(milliseconds: 1_800_000_000_000), ttl: 30,
                                   modifiedIndex: index, createdIndex: index)
                event = Event(action: .set, node: ttl, prevNode: current)
            default:
                let node = nextVersion(of: current, at: index, keys: keys, values: values, keyOdds: 6, valueOdds: 4,
                                       &random)
                event = Event(action: kind == 4 ? .compareAndSwap : .set, node: node, prevNode: current)
            }
            let got = EtcdJSON.event(event, cache: &cache)
            #expect(got == directEvent(event), "step \(step): \(event)")
            if got != directEvent(event) { return }
            if event.action != .get && event.action != .delete { current = event.node }
            if event.node.value != nil && event.node.ttl == 0 { shown.append(event.node) }
            if shown.count > 600 { shown.removeFirst(300) }
        }
    }

    /// Ensure that runs of writes of one key and value (the bodies made from the body before) stay exact
    /// across every change of digit count, of the new index, of its createdIndex and of the previous one's.
    @Test func repeatedWritesAcrossDigitBoundaries() {
        // Sets (both indexes new), compare-and-swaps keeping a createdIndex of one digit, and ones keeping
        // an older createdIndex that changes digit count on its own.
        let runs: [(EventAction, (EtcdIndex) -> EtcdIndex)] = [
            (.set, { $0 }), (.compareAndSwap, { _ in 1 }), (.compareAndSwap, { max(1, $0 / 97) }),
        ]
        for (action, created) in runs {
            var cache = NodeJSONCache()
            var previous = NodeView(key: "/bench", value: "baton-bench-value", modifiedIndex: 1, createdIndex: 1)
            for index in EtcdIndex(2)...12_000 {
                let node = NodeView(key: previous.key, value: previous.value, modifiedIndex: index,
                                    createdIndex: created(index))
                let event = Event(action: action, node: node, prevNode: previous)
                let got = EtcdJSON.event(event, cache: &cache)
                #expect(got == directEvent(event), "\(action) index \(index)")
                if got != directEvent(event) { return }
                previous = node
            }
        }
    }
}
