// Go net/http FormValue semantics as etcd's handlers see them (SPEC §1: query for every method, urlencoded
// body for POST and PUT, body wins).
import HTTP
import Testing
import TestSupport

struct FormValuesTests {
    /// Ensure that body values come before query values and the first value wins.
    @Test func bodyWins() {
        let form = FormValues(query: "value=q&ttl=5", body: bytes("value=b&value=b2"))
        #expect(form.value("value") == "b")
        #expect(form.values("value") == ["b", "b2", "q"])
        #expect(form.value("ttl") == "5")
    }

    /// Ensure that the index-only answer for absent names keeps escaped keys of another raw length, and names
    /// of a length no plain key has are absent.
    @Test func absentNamesFromTheIndex() {
        let form = FormValues(query: "", body: bytes("v%61lue=1&ttl=5&a+b=2"))
        #expect(form.value("value") == "1")
        #expect(form.value("a b") == "2")
        #expect(form.value("prevExist") == nil)
        #expect(form.value("dir") == nil)
        #expect(FormValues(query: "ttl=5").value("value") == nil)
        #expect(FormValues(query: "ttl=5").value("ttl") == "5")
    }

    /// Ensure that '+' is a space and %XX is decoded, in keys and values.
    @Test func plusAndEscapes() {
        let form = FormValues(query: "a+b=c+d&%6b%65y=%41%2b%2F&u=%E2%82%AC")
        #expect(form.value("a b") == "c d")
        #expect(form.value("key") == "A+/")
        #expect(form.value("u") == "€")
    }

    /// Ensure that a pair with a bad escape is dropped while the others stay (Go skips it).
    @Test func badEscapesDropped() {
        let form = FormValues(query: "a=%zz&b=1&c%=2&a=ok&d=%4")
        #expect(form.value("a") == "ok")
        #expect(form.value("b") == "1")
        #expect(!form.has("c%"))
        #expect(!form.has("c"))
        #expect(!form.has("d"))
    }

    /// Ensure that absent is nil, present-but-empty is "", and a bare key is present.
    @Test func absentAndEmpty() {
        let form = FormValues(query: "prevExist=&wait&x=1")
        #expect(form.value("prevExist") == "")
        #expect(form.value("wait") == "")
        #expect(form.has("wait"))
        #expect(form.value("missing") == nil)
        #expect(!form.has("missing"))
    }

    /// Ensure that repeated keys keep their order and empty segments are skipped.
    @Test func repeatedKeysAndEmptySegments() {
        let form = FormValues(query: "&&k=1&&k=2&")
        #expect(form.values("k") == ["1", "2"])
        #expect(form.pairs.count == 2)
    }

    /// Ensure that lookups compare decoded keys: escapes and '+' in keys, a prefix or extension of the name,
    /// an empty name, and names that only String equality matches (canonical equivalence).
    @Test func keyComparison() {
        let form = FormValues(query: "tt=1&ttlx=2&t%74l=3&%=4&=5&a+b=6&%4B=7&\u{212A}=8")
        #expect(form.value("ttl") == "3")
        #expect(form.value("") == "5")
        #expect(form.value("a b") == "6")
        #expect(form.values("K") == ["7", "8"])
        #expect(form.values("\u{212A}") == ["7", "8"])
        #expect(!form.has("%"))
        #expect(form.pairs.count == 7)
    }

    /// Ensure that pairs past the first few (which a form indexes) and pairs beyond 64 KiB (which it does not
    /// index) answer in the same order as the others: body first, first value wins, bad escapes dropped.
    @Test func manyPairsAndLongBodies() {
        let form = FormValues(query: "a=q1&b=q2&ttl=q3&a=q4&c%=q5&k=q6", body: bytes("x=1&y=2&z=3&ttl=b4&a=%zz&a=b6"))
        #expect(form.value("ttl") == "b4")
        #expect(form.values("ttl") == ["b4", "q3"])
        #expect(form.values("a") == ["b6", "q1", "q4"])
        #expect(form.value("k") == "q6")
        #expect(form.value("b") == "q2")
        #expect(!form.has("c%"))
        #expect(form.pairs.count == 10)
        let long = String(repeating: "v", count: 70_000)
        let big = FormValues(query: "ttl=q&late=q", body: bytes("a=\(long)&ttl=b&a=2&value=x"))
        #expect(big.value("ttl") == "b")
        #expect(big.values("a") == [long, "2"])
        #expect(big.value("value") == "x")
        #expect(big.value("late") == "q")
        #expect(big.value("missing") == nil)
    }

    /// Ensure that ';' is an ordinary character, not a separator (Go 1.17+ no longer splits on it).
    @Test func semicolonIsOrdinary() {
        let form = FormValues(query: "a=1;b=2")
        #expect(form.value("a") == "1;b=2")
        #expect(!form.has("b"))
    }

    /// Ensure that keys are case-sensitive, as in Go.
    @Test func keysAreCaseSensitive() {
        let form = FormValues(query: "TTL=5")
        #expect(form.value("ttl") == nil)
        #expect(form.value("TTL") == "5")
    }

    /// Ensure that the body is read only for POST and PUT with an urlencoded Content-Type (charset allowed).
    @Test func bodyAppliesRule() {
        func request(_ method: HTTPMethod, _ contentType: String?) -> Request {
            var headers = HTTPHeaders()
            if let contentType { headers.add("content-type", contentType) }
            return Request(method: method, target: "/x?v=q", path: "/x", rawPath: "/x", query: "v=q",
                           headers: headers, body: bytes("v=b"))
        }
        let urlencoded = "application/x-www-form-urlencoded"
        #expect(FormValues(request: request(.post, urlencoded)).value("v") == "b")
        let withCharset = "Application/X-WWW-Form-Urlencoded ; charset=UTF-8"
        #expect(FormValues(request: request(.put, withCharset)).value("v") == "b")
        #expect(FormValues(request: request(.delete, urlencoded)).value("v") == "q")
        #expect(FormValues(request: request(.get, urlencoded)).value("v") == "q")
        #expect(FormValues(request: request(.post, "application/json")).value("v") == "q")
        #expect(FormValues(request: request(.post, nil)).value("v") == "q")
    }

    /// Ensure that a lookup offered a candidate String answers exactly what a plain lookup answers (the
    /// candidate only when its bytes are the value's, unescaped), and that a name whose length bit is not in
    /// `keyLengthBits` is absent, over seeded forms with escapes, '+', long keys and pairs past the index.
    @Test func candidatesAndKeyLengthBitsAnswerLikeLookups() {
        var random = SplitMix64(seed: 2026_11_26)
        let longKey = String(repeating: "n", count: 70)
        let keys = ["value", "ttl", "dir", "prevExist", "K", "%E2%84%AA", "v%61lue", "a+b", "", longKey, "t%zl"]
        let values = ["", "x", "baton-bench-value", "a%41", "a+b", "%zz", "caf%C3%A9", "caf\u{E9}", "True",
                      "twelve-bytes", "twelve+bytes", "long%41value-x", "0123456789abcdef0123"]
        let names = ["value", "ttl", "dir", "prevExist", "K", "\u{212A}", "a b", "", longKey, "v", "x"]
        let candidates = ["", "x", "baton-bench-value", "a%41", "aA", "a+b", "a b", "caf\u{E9}", "cafe\u{301}",
                          "True", "twelve-bytes", "twelve-byteS", "twelve+bytes", "twelve bytes", "long%41value-x",
                          "0123456789abcdef0123", "0123456789abcdef012", "01234567--abcdef0123"]
        func part() -> String {
            (0..<Int.random(in: 0..<6, using: &random)).map { _ in
                Int.random(in: 0..<8, using: &random) == 0 ? ""
                    : keys.randomElement(using: &random)! + "=" + values.randomElement(using: &random)!
            }.joined(separator: "&")
        }
        for _ in 0..<3_000 {
            let form = FormValues(query: part(), body: bytes(part()))
            for name in names {
                let prepared = FormName(name)
                let plain = form.value(name)
                if form.keyLengthBits & prepared.lengthBit == 0 { #expect(plain == nil, "\(form.pairs) \(name)") }
                for candidate in candidates {
                    let reused = form.value(prepared, reusing: candidate)
                    #expect(reused.map { Array($0.utf8) } == plain.map { Array($0.utf8) },
                            "\(form.pairs) \(name) \(candidate)")
                }
            }
        }
    }
}
