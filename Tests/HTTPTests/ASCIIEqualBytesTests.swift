// `ASCII.equalBytes` decides whether a parser memo may answer for the bytes it is shown, so it must agree with
// a byte-by-byte comparison for every length (below, at and between eight-byte words, where its last word
// overlaps the one before it), every offset into the buffer and a difference at any single position.
@testable import HTTP
import Testing

struct ASCIIEqualBytesTests {
    /// Ensure that equalBytes (both directions) finds every single-byte difference and accepts equal ranges.
    @Test func agreesWithByteByByteComparison() {
        for length in 0...41 {
            let expected = (0..<length).map { UInt8(truncatingIfNeeded: 0x41 + $0 * 7) }
            for offset in [0, 1, 5, 8] {
                let buffer = Array(repeating: UInt8(0x2e), count: offset) + expected + [0x0d, 0x0a]
                for fromEnd in [false, true] {
                    let same = Self.equal(buffer, offset, expected, fromEnd)
                    #expect(same, "length \(length) offset \(offset) fromEnd \(fromEnd)")
                    for position in 0..<length {
                        var changed = buffer
                        changed[offset + position] ^= 0x20
                        let found = !Self.equal(changed, offset, expected, fromEnd)
                        #expect(found, "length \(length) offset \(offset) position \(position) fromEnd \(fromEnd)")
                    }
                }
            }
        }
    }

    private static func equal(_ buffer: [UInt8], _ offset: Int, _ expected: [UInt8], _ fromEnd: Bool) -> Bool {
        ASCII.equalBytes(buffer.span, at: offset, expected.span, fromEnd: fromEnd)
    }
}
