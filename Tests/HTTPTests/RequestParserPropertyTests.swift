// The parser's defining property on seeded random mutations of the fixtures, so CI checks what the fuzz
// target checks (Tests/Fuzz) without running libFuzzer: a decision on any prefix is the decision on the whole,
// and a parser that saw a prefix answers the whole exactly as a fresh one.
import TestSupport
import HTTP
import Testing

struct RequestParserPropertyTests {
    private static let alphabet: [UInt8] = Array("\r\n :;%0aF/?\t\u{0}\u{7F}-".utf8)

    private func mutate(_ wire: [UInt8], _ rng: inout SplitMix64) -> [UInt8] {
        var out = wire
        for _ in 0...Int(rng.next() % 3) {
            let at = out.isEmpty ? 0 : Int(rng.next() % UInt64(out.count))
            let byte = Self.alphabet[Int(rng.next() % UInt64(Self.alphabet.count))]
            switch rng.next() % 3 {
            case 0 where !out.isEmpty: out[at] = byte
            case 1: out.insert(byte, at: at)
            default: if !out.isEmpty { out.remove(at: at) }
            }
        }
        return out
    }

    /// Ensure that on mutated requests every prefix decision matches the whole and resuming changes nothing.
    @Test(arguments: [ParserLimits(), ParserLimits(maxRequestLineBytes: 30, maxHeaderBytes: 40, maxBodyBytes: 8)])
    func prefixDecisionsMatchTheWhole(limits: ParserLimits) {
        var rng = SplitMix64(seed: 0xF00D)
        var decided = 0
        for round in 0..<400 {
            let fixture = RequestParserFixtureTests.all[round % RequestParserFixtureTests.all.count]
            let wire = mutate(bytes(fixture), &rng)
            var fresh = RequestParser(limits: limits)
            let whole = fresh.parse(wire, from: 0)
            if case .incomplete = whole {} else { decided += 1 }
            for k in 0...wire.count {
                var parser = RequestParser(limits: limits)
                let prefix = parser.parse(Array(wire[..<k]), from: 0)
                if case .incomplete = prefix {} else {
                    #expect(prefix == whole, "round \(round), prefix \(k)")
                }
                #expect(parser.parse(wire, from: 0) == whole, "round \(round), resumed after \(k)")
            }
        }
        #expect(decided > 100)
    }
}
