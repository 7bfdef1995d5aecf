// Go url.PathUnescape / QueryUnescape rules.
import HTTP
import Testing

struct PercentDecodingTests {
    /// Ensure that escapes decode in either case of hex and '+' depends on the mode.
    @Test func decodes() {
        #expect(PercentDecoding.decode("a%20b+c%2f%2F", plusIsSpace: false) == "a b+c//")
        #expect(PercentDecoding.decode("a%20b+c", plusIsSpace: true) == "a b c")
        #expect(PercentDecoding.decode("plain", plusIsSpace: true) == "plain")
        #expect(PercentDecoding.decode("", plusIsSpace: true) == "")
        #expect(PercentDecoding.decode("%E6%97%A5", plusIsSpace: false) == "日")
    }

    /// Ensure that a truncated or non-hex escape is an error.
    @Test func badEscapes() {
        #expect(PercentDecoding.decode("%", plusIsSpace: false) == nil)
        #expect(PercentDecoding.decode("a%2", plusIsSpace: false) == nil)
        #expect(PercentDecoding.decode("%g0", plusIsSpace: false) == nil)
        #expect(PercentDecoding.decode("%0g", plusIsSpace: true) == nil)
    }

    /// Ensure that decoded bytes that are not UTF-8 become U+FFFD rather than failing.
    @Test func invalidUTF8() {
        #expect(PercentDecoding.decode("a%FFb", plusIsSpace: false) == "a\u{FFFD}b")
    }

    /// Ensure that a Substring in the middle of a String decodes only its own range.
    @Test func substrings() {
        let s = "xx%41yy"
        let mid = s.dropFirst(2).dropLast(2)
        #expect(PercentDecoding.decode(mid, plusIsSpace: false) == "A")
    }

    /// Ensure that the parser flags exactly the paths Go's path.Clean would change, on the decoded path.
    @Test func pathNeedsCleaningFlag() {
        let cases: [(String, Bool)] = [
            ("/", false), ("/health", false), ("/v2/keys/a/b/", false), ("/v2/keys/..a/.b", false),
            ("/v2/keys//a", true), ("/v2/keys/./a", true), ("/v2/keys/../a", true), ("/v2/keys/a/.", true),
            ("/v2/keys/a/..", true), ("/v2/keys/%2E%2E/a", true), ("/v2/keys/a%2F%2Fb", true),
            ("/v2/keys/a?x=//", false), ("/v2/keys/a/..?x", true), ("/v2/keys/a/.?x", true), ("/a//?x", true),
            ("/v2/keys/a/?x", false), ("/v2/keys/.a?/./", false), ("/v2/keys/..a?", false), ("/.", true),
            ("/..", true), ("/...", false), ("//", true), ("/v2/keys/a%3F/.", true), ("/v2/keys/.%3F", false),
            ("http://h/a/../b?c", true), ("http://h/a/b?/../", false),
        ]
        for (target, expected) in cases {
            guard let request = completed(parseWhole("GET \(target) HTTP/1.1\r\n\r\n")) else { continue }
            #expect(request.pathNeedsCleaning == expected, "\(target)")
            #expect(Request(method: .get, target: target, path: request.path).pathNeedsCleaning == expected)
        }
    }
}
