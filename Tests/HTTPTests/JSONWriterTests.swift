// JSONWriter against Go's exact bytes for fixed strings (reference §4.2: HTML-safe escaping, observed on
// etcd v0.4) and against Foundation's JSON parser on random strings (Foundation is allowed in tests only).
import TestSupport
import Foundation
import HTTP
import Testing

struct JSONWriterTests {
    private func encoded(_ s: String) -> String {
        var w = JSONWriter()
        w.string(s)
        return String(decoding: w.bytes, as: UTF8.self)
    }

    /// Ensure that fixed strings come out byte for byte as Go's encoding/json writes them.
    @Test func goBytes() {
        #expect(encoded("<a&b>") == #""\u003ca\u0026b\u003e""#)
        #expect(encoded("plain") == #""plain""#)
        #expect(encoded("") == #""""#)
        #expect(encoded("q\"b\\s/") == #""q\"b\\s/""#)
        #expect(encoded("l1\nl2\r\t") == #""l1\nl2\r\t""#)
        #expect(encoded("\u{0}\u{1}\u{8}\u{C}\u{1F}") == #""\u0000\u0001\u0008\u000c\u001f""#)
        #expect(encoded("\u{7F}é日🙂") == "\"\u{7F}é日🙂\"")
        #expect(encoded("a\u{2028}b\u{2029}c") == #""a\u2028b\u2029c""#)
        #expect(encoded("\u{2027}\u{202A}\u{2000}\u{FEFF}") == "\"\u{2027}\u{202A}\u{2000}\u{FEFF}\"")
    }

    /// Ensure that raw bytes that are not UTF-8 become U+FFFD, as Go does.
    @Test func invalidUTF8Bytes() {
        var w = JSONWriter()
        w.string(bytes: [0x61, 0xFF, 0x62])
        #expect(w.bytes == Array("\"a\u{FFFD}b\"".utf8))
    }

    /// Ensure that numbers, booleans and raw fragments are written compactly.
    @Test func scalarsAndRaw() {
        var w = JSONWriter(capacity: 8)
        w.raw("{\"n\":")
        w.integer(-42)
        w.raw(",\"m\":")
        w.integer(Int64.min)
        w.raw(",\"u\":")
        w.unsigned(UInt64.max)
        w.raw(",\"z\":")
        w.unsigned(0)
        w.raw(",\"b\":")
        w.bool(true)
        w.raw(bytes: Array(",\"c\":".utf8))
        w.bool(false)
        w.raw("}")
        #expect(String(decoding: w.bytes, as: UTF8.self)
            == #"{"n":-42,"m":-9223372036854775808,"u":18446744073709551615,"z":0,"b":true,"c":false}"#)
    }

    /// Ensure that random strings with controls, HTML characters, separators and astral characters round-trip
    /// through a real JSON parser and never leave a raw control, '<', '>', '&' or U+2028/9 in the output.
    @Test func randomStringsRoundTrip() throws {
        var rng = SplitMix64(seed: 0x5EED)
        let special: [Unicode.Scalar] = ["<", ">", "&", "\"", "\\", "/", "\u{7F}", "\u{2028}", "\u{2029}", "\u{FFFD}",
                                         "\u{E2}", "\u{80}", "\u{1F600}", "\u{10FFFF}"]
        // Foundation on Linux drops U+FEFF while decoding JSON strings (a BOM rule of NSString), so U+FEFF is
        // left out here; goBytes checks that it passes through raw, as Go writes it.
        for _ in 0..<2000 {
            var scalars = String.UnicodeScalarView()
            for _ in 0..<Int(rng.next() % 24) {
                switch rng.next() % 4 {
                case 0: scalars.append(Unicode.Scalar(UInt8(rng.next() % 0x20)))
                case 1: scalars.append(special[Int(rng.next() % UInt64(special.count))])
                case 2: scalars.append(Unicode.Scalar(UInt8(0x20 + rng.next() % 0x5F)))
                default:
                    if let s = Unicode.Scalar(UInt32(rng.next() % 0x110000)), s != "\u{FEFF}" { scalars.append(s) }
                }
            }
            let original = String(scalars)
            var w = JSONWriter()
            w.raw("[")
            w.string(original)
            w.raw("]")
            let parsed = try JSONSerialization.jsonObject(with: Data(w.bytes)) as? [String]
            let back = parsed?.first.map { Array($0.unicodeScalars) } ?? []
            #expect(back == Array(original.unicodeScalars), "\(original.unicodeScalars.map(\.value))")
            let out = w.bytes
            #expect(!out.contains { $0 < 0x20 || $0 == 0x3C || $0 == 0x3E || $0 == 0x26 })
            let text = String(decoding: out, as: UTF8.self)
            #expect(!text.unicodeScalars.contains { $0 == "\u{2028}" || $0 == "\u{2029}" })
        }
    }
}


/// Decimal rendering (indexes, lengths, TTLs) is every number Baton writes.
struct DecimalTests {
    /// Ensure that appendDecimal writes what String(describing:) writes, at every digit count and edge.
    @Test func decimalsMatchStringDescription() {
        var random = SplitMix64(seed: 2026_11_26)
        var values: [UInt64] = [0, 9, 10, 99, 100, 99_999_999, 100_000_000, 100_000_001, 9_999_999_999_999_999,
                                10_000_000_000_000_000, UInt64.max, UInt64.max - 1]
        for digits in 1...20 {
            for _ in 0..<200 { values.append(UInt64.random(in: 0...UInt64.max, using: &random) >> UInt64(64 - digits * 3 - 1)) }
        }
        for value in values {
            var out: [UInt8] = [UInt8(ascii: "x")]
            ResponseEncoder.appendDecimal(value, to: &out)
            #expect(String(decoding: out, as: UTF8.self) == "x" + String(value), "\(value)")
            var twice: [UInt8] = [UInt8(ascii: "x")]
            ResponseEncoder.appendDecimalTwice(value, separatedBy: Array(", ".utf8), to: &twice)
            #expect(String(decoding: twice, as: UTF8.self) == "x\(value), \(value)", "\(value)")
        }
        var negative: [UInt8] = []
        ResponseEncoder.appendDecimal(Int.min, to: &negative)
        #expect(String(decoding: negative, as: UTF8.self) == String(Int.min))
    }
}
