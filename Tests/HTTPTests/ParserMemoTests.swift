// A connection's parser remembers its last request lines and header section (RequestLineMemo,
// HeaderSectionMemo). That must never change an answer: a long-lived parser fed a seeded stream of requests
// whose lines and sections repeat, differ by a byte, are cut short, grow past the limits or turn invalid must
// answer each exactly as a fresh parser does.
import HTTP
import Testing
import TestSupport

struct ParserMemoTests {
    private static let lines = [
        "Host: 127.0.0.1:4001\r\n", "Host: 127.0.0.1:4002\r\n", "Content-Length: 3\r\n", "Content-Length: 4\r\n",
        "Content-Type: application/x-www-form-urlencoded\r\n", "Content-Type: text/plain\r\n",
        "Connection: close\r\n", "Expect: 100-continue\r\n", "X-Pad: " + String(repeating: "p", count: 200) + "\r\n",
        "Bad Header: x\r\n", "X-Ctl: a\u{01}b\r\n", "Transfer-Encoding: chunked\r\n", "X-LF: bare\n",
    ]
    private static let form = Array("application/x-www-form-urlencoded".utf8)
    private static let plain = Array("text/plain".utf8)
    private static let targets = ["/v2/keys/a", "/mod/v2/lock/l?ttl=5", "/v2/keys/b?value=1", "/v2/keys/a/./b",
                                  "/v2/keys/%zz", "/v2/keys/c%20d", "*", "http://h/v2/keys/x?y", "/" + String(repeating: "l", count: 300),
                                  "/sp ace", "/v2/keys/a\u{01}"]
    private static let queryPaths = ["/mod/v2/lock/l", "/v2/keys/a/./b", "/v2/keys/c%20d", "http://h/v2/keys/x"]
    private static let queries = ["", "index=1", "index=123456", "ttl=5&value=v", "a%zz", "x\u{01}", "q q",
                                  String(repeating: "i", count: 190)]
    private static let methods = ["PUT", "GET", "OPTIONS", "DELETE"]
    private static let versions = [" HTTP/1.1\r\n", " HTTP/1.0\r\n", " HTTP/2.0\r\n", " HTTP/1.1\n", " HTTP/1.1\r\n"]

    /// Ensure that over 20,000 seeded requests a persistent parser (with its memo) answers as fresh ones.
    @Test func persistentParserAnswersAsFreshOnes() {
        var random = SplitMix64(seed: 2026_11_26)
        let limits = ParserLimits(maxRequestLineBytes: 200, maxHeaderBytes: 600)
        var persistent = RequestParser(limits: limits)
        var lines = ["PUT /v2/keys/a HTTP/1.1\r\n"]
        var sections: [[String]] = [[Self.lines[0]]]
        for _ in 0..<20_000 {
            // Mostly a section seen before; sometimes a new one.
            var section = sections.randomElement(using: &random)!
            if Int.random(in: 0..<4, using: &random) == 0 {
                section = (0..<Int.random(in: 0..<4, using: &random)).map { _ in Self.lines.randomElement(using: &random)! }
                sections.append(section)
                if sections.count > 8 { sections.removeFirst() }
            }
            var line = lines.randomElement(using: &random)!
            if Int.random(in: 0..<4, using: &random) == 0 {
                var target = Self.targets.randomElement(using: &random)!
                // Often the same path with another query: a release after its acquire.
                if Bool.random(using: &random) {
                    target = Self.queryPaths.randomElement(using: &random)! + "?" + Self.queries.randomElement(using: &random)!
                }
                line = Self.methods.randomElement(using: &random)! + " " + target + Self.versions.randomElement(using: &random)!
                lines.append(line)
                if lines.count > 6 { lines.removeFirst() }
            }
            let head = line + section.joined() + "\r\n"
            var bytes = Array((head + "abcd").utf8)
            // Cut short sometimes: inside the request line, the section or the body.
            if Int.random(in: 0..<5, using: &random) == 0 { bytes.removeLast(Int.random(in: 1...bytes.count, using: &random)) }
            // Sometimes the request does not start at 0 (pipelined after another).
            let offset = Int.random(in: 0..<3, using: &random) == 0 ? 7 : 0
            let buffer = Array(repeating: UInt8(ascii: "x"), count: offset) + bytes
            var fresh = RequestParser(limits: limits)
            let expected = fresh.parse(buffer, from: offset)
            let got = persistent.parse(buffer, from: offset)
            #expect(got == expected, "\(String(decoding: bytes, as: UTF8.self).debugDescription)")
            if got != expected { return }
            // Request equality compares fields by name and value; the remembered facts also say where the
            // Content-Type value is and whether it is a form.
            if case .complete(let a, _) = got, case .complete(let b, _) = expected {
                #expect(a.hasFormContentType == b.hasFormContentType)
                #expect(a.headers.hasMediaType(Self.form) == b.headers.hasMediaType(Self.form))
                #expect(a.headers.hasMediaType(Self.plain) == b.headers.hasMediaType(Self.plain))
            }
        }
    }
}
