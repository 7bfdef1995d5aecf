// Valid requests of every shape, each fed split at every byte offset and pipelined (reference style-anchors:
// "Parser fixtures are fed split at every byte offset, and pipelined").
import HTTP
import Testing

struct RequestParserFixtureTests {
    static let get = "GET /v2/keys/foo?recursive=true HTTP/1.1\r\nHost: 127.0.0.1:4001\r\nUser-Agent: curl/8\r\n\r\n"
    static let head = "HEAD /v2/keys/foo HTTP/1.1\r\nHost: a\r\n\r\n"
    static let post = "POST /mod/v2/lock/l HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        + "Content-Length: 14\r\n\r\nttl=20&value=a"
    static let chunked = "PUT /v2/keys/c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "5;name=val;x=\"q\"\r\nhello\r\n6 ; ext\r\n world\r\n0\r\nX-Checksum: abc\r\nX-Other: 1\r\n\r\n"
    static let expect = "PUT /v2/keys/e?value=1 HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\nhello"
    static let http10Close = "GET /version HTTP/1.0\r\n\r\n"
    static let http10KeepAlive = "GET /version HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n"
    static let encoded = "GET /v2/keys/sp%20ace/a+b%2Fc?value=a%20b+c&x=%zz HTTP/1.1\r\n\r\n"
    static let absolute = "GET http://127.0.0.1:4001/v2/keys/abs?wait=true HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    static let bareLF = "POST /lf HTTP/1.1\nContent-Length: 2\nX:  padded \t\n\nok"
    static let all = [get, head, post, chunked, expect, http10Close, http10KeepAlive, encoded, absolute, bareLF]

    /// Ensure that a GET is parsed into method, target, path, query, headers and keep-alive.
    @Test func getFixture() throws {
        let request = try #require(completed(checkEverySplit(bytes(Self.get)), consumed: Self.get.utf8.count))
        #expect(request.method == .get)
        #expect(request.target == "/v2/keys/foo?recursive=true")
        #expect(request.path == "/v2/keys/foo")
        #expect(request.rawPath == "/v2/keys/foo")
        #expect(request.query == "recursive=true")
        #expect(request.isHTTP11)
        #expect(request.keepAlive)
        #expect(request.headers["host"] == "127.0.0.1:4001")
        #expect(request.headers["USER-AGENT"] == "curl/8")
        #expect(request.headers.entries.map(\.name) == ["Host", "User-Agent"])
        #expect(request.body.isEmpty)
    }

    /// Ensure that HEAD is recognised.
    @Test func headFixture() throws {
        let request = try #require(completed(checkEverySplit(bytes(Self.head))))
        #expect(request.method == .head)
        #expect(request.path == "/v2/keys/foo")
        #expect(request.query == "")
    }

    /// Ensure that a Content-Length body is read exactly.
    @Test func postWithContentLength() throws {
        let request = try #require(completed(checkEverySplit(bytes(Self.post)), consumed: Self.post.utf8.count))
        #expect(request.method == .post)
        #expect(request.body == bytes("ttl=20&value=a"))
    }

    /// Ensure that a chunked body with extensions and trailers is de-chunked and trailers are consumed.
    @Test func chunkedWithExtensionsAndTrailers() throws {
        let request = try #require(completed(checkEverySplit(bytes(Self.chunked)), consumed: Self.chunked.utf8.count))
        #expect(request.method == .put)
        #expect(request.body == bytes("hello world"))
        #expect(request.headers["Transfer-Encoding"] == "chunked")
        #expect(request.headers["X-Checksum"] == nil)
    }

    /// Ensure that "Expect: 100-continue" asks for a 100 once the headers are in, and not before.
    @Test func expectContinue() throws {
        let wire = bytes(Self.expect)
        let headerEnd = Self.expect.utf8.count - 5
        for k in 0..<wire.count {
            var parser = RequestParser()
            guard case .incomplete(let sendContinue) = parser.parse(Array(wire[..<k]), from: 0) else {
                Issue.record("prefix \(k) not incomplete")
                continue
            }
            #expect(sendContinue == (k >= headerEnd), "prefix \(k)")
        }
        let request = try #require(completed(checkEverySplit(wire)))
        #expect(request.body == bytes("hello"))
    }

    /// Ensure that HTTP/1.1 "Expect: 100-continue" is ignored for HTTP/1.0 clients, which do not know 100.
    @Test func expectContinueIgnoredForHTTP10() {
        let wire = "PUT /e HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\nhe"
        #expect(parseWhole(wire) == .incomplete(sendContinue: false))
    }

    /// Ensure that HTTP/1.0 closes unless the client asks for keep-alive, and HTTP/1.1 keeps alive unless closed.
    @Test func keepAliveRules() throws {
        let close10 = try #require(completed(checkEverySplit(bytes(Self.http10Close))))
        #expect(!close10.isHTTP11)
        #expect(!close10.keepAlive)
        let keep10 = try #require(completed(checkEverySplit(bytes(Self.http10KeepAlive))))
        #expect(!keep10.isHTTP11)
        #expect(keep10.keepAlive)
        let close11 = try #require(completed(parseWhole("GET / HTTP/1.1\r\nConnection: foo, Close\r\n\r\n")))
        #expect(!close11.keepAlive)
        let both = "GET / HTTP/1.0\r\nConnection: keep-alive\r\nConnection: close\r\n\r\n"
        let both10 = try #require(completed(parseWhole(both)))
        #expect(!both10.keepAlive)
    }

    /// Ensure that the path is percent-decoded ("+" stays) while rawPath and query stay as received.
    @Test func percentEncodedPathAndQuery() throws {
        let request = try #require(completed(checkEverySplit(bytes(Self.encoded))))
        #expect(request.path == "/v2/keys/sp ace/a+b/c")
        #expect(request.rawPath == "/v2/keys/sp%20ace/a+b%2Fc")
        #expect(request.query == "value=a%20b+c&x=%zz")
    }

    /// Ensure that raw non-ASCII bytes in the target read as before the Request kept ranges: the raw path
    /// and query become Strings with invalid UTF-8 repaired first, and only then are escapes decoded (so a
    /// lone 0xC3 and an escaped 0xA9 do not join into "é"); form values see the repaired query too.
    @Test func nonASCIITargetBytes() throws {
        let wire = bytes("GET /p") + [0xC3] + bytes("%A9?k=") + [0xC3] + bytes("%A9&\u{212A}=x HTTP/1.1\r\n\r\n")
        let request = try #require(completed(checkEverySplit(wire)))
        #expect(request.rawPath == "/p\u{FFFD}%A9")
        #expect(request.path == "/p\u{FFFD}\u{FFFD}")
        #expect(request.query == "k=\u{FFFD}%A9&\u{212A}=x")
        let form = FormValues(request: request)
        #expect(form.value("k") == "\u{FFFD}\u{FFFD}")
        #expect(form.value("K") == "x")  // String equality: U+212A KELVIN SIGN is canonically "K"
        let plain = try #require(completed(parseWhole("GET /p%C3%A9?k=%C3%A9 HTTP/1.1\r\n\r\n")))
        #expect(plain.path == "/p\u{E9}")
        #expect(FormValues(request: plain).value("k") == "\u{E9}")
    }

    /// Ensure that a parsed request does not change when the buffer it shares is changed afterwards.
    @Test func requestOutlivesBufferChanges() throws {
        var buffer = bytes(Self.post)
        var parser = RequestParser()
        let request = try #require(completed(parser.parse(buffer, from: 0)))
        buffer.removeFirst(buffer.count)
        buffer.append(contentsOf: bytes(Self.get))
        #expect(request.path == "/mod/v2/lock/l")
        #expect(request.body == bytes("ttl=20&value=a"))
        #expect(request.headers["content-length"] == "14")
        #expect(FormValues(request: request).value("ttl") == "20")
    }

    /// Ensure that an absolute-form target uses its path and query.
    @Test func absoluteForm() throws {
        let request = try #require(completed(checkEverySplit(bytes(Self.absolute))))
        #expect(request.target == "http://127.0.0.1:4001/v2/keys/abs?wait=true")
        #expect(request.path == "/v2/keys/abs")
        #expect(request.query == "wait=true")
        let bare = try #require(completed(parseWhole("GET HTTPS://h?x=1 HTTP/1.1\r\n\r\n")))
        #expect(bare.path == "/")
        #expect(bare.query == "x=1")
    }

    /// Ensure that OPTIONS * is accepted with path "*".
    @Test func optionsStar() throws {
        let request = try #require(completed(checkEverySplit(bytes("OPTIONS * HTTP/1.1\r\n\r\n"))))
        #expect(request.method == .options)
        #expect(request.path == "*")
    }

    /// Ensure that bare LF line endings are accepted as Go does, and values are trimmed of OWS.
    @Test func bareLineFeeds() throws {
        let request = try #require(completed(checkEverySplit(bytes(Self.bareLF))))
        #expect(request.body == bytes("ok"))
        #expect(request.headers["x"] == "padded")
    }

    /// Ensure that any token is a method and the common ones map to their cases.
    @Test func methods() throws {
        let expected: [(String, HTTPMethod)] = [
            ("GET", .get), ("HEAD", .head), ("POST", .post), ("PUT", .put), ("DELETE", .delete),
            ("OPTIONS", .options), ("PATCH", .patch), ("PROPFIND", .other("PROPFIND")), ("get", .other("get")),
            ("X-M!", .other("X-M!")),
        ]
        for (token, method) in expected {
            let request = try #require(completed(parseWhole("\(token) / HTTP/1.1\r\n\r\n")))
            #expect(request.method == method)
        }
    }

    /// Ensure that one empty line before a request is skipped (clients that send CRLF after a body).
    @Test func leadingEmptyLineSkipped() throws {
        let request = try #require(completed(checkEverySplit(bytes("\r\nGET /x HTTP/1.1\r\n\r\n")), consumed: 21))
        #expect(request.path == "/x")
    }

    /// Ensure that every fixture parses identically when pipelined three deep, each starting at `consumed`.
    @Test func pipelinedFixtures() throws {
        for fixture in Self.all {
            let single = try #require(completed(parseWhole(fixture)))
            let wire = bytes(fixture + fixture + fixture)
            var parser = RequestParser()
            var start = 0
            for _ in 0..<3 {
                let request = try #require(completed(parser.parse(wire, from: start), consumed: fixture.utf8.count))
                #expect(request == single)
                start += fixture.utf8.count
            }
            #expect(parser.parse(wire, from: start) == .incomplete(sendContinue: false))
        }
    }

    /// Ensure that three different pipelined requests, split at every offset, come out in order.
    @Test func pipelinedThreeSplitEverywhere() throws {
        let wire = bytes(Self.get + Self.chunked + Self.post)
        let lengths = [Self.get, Self.chunked, Self.post].map(\.utf8.count)
        for k in 0...wire.count {
            var parser = RequestParser()
            var paths: [String] = []
            var start = 0
            var buffer = Array(wire[..<k])
            while true {
                let result = parser.parse(buffer, from: start)
                if case .complete(let request, let consumed) = result {
                    paths.append(request.path)
                    #expect(consumed == lengths[paths.count - 1])
                    start += consumed
                    continue
                }
                #expect(result == .incomplete(sendContinue: false))
                if buffer.count == wire.count { break }
                buffer = wire
            }
            #expect(paths == ["/v2/keys/foo", "/v2/keys/c", "/mod/v2/lock/l"], "split at \(k)")
        }
    }
}

struct RequestParserResumeTests {
    /// Ensure that a head remembered while the body was incomplete is not reused for different bytes.
    @Test func rememberedHeadIsCheckedAgainstTheBytes() throws {
        var parser = RequestParser()
        let first = bytes("PUT /a HTTP/1.1\r\nContent-Length: 5\r\n\r\nhe")
        #expect(parser.parse(first, from: 0) == .incomplete(sendContinue: false))
        let other = bytes("PUT /b HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello")
        let request = try #require(completed(parser.parse(other, from: 0)))
        #expect(request.path == "/b")
        #expect(parser.parse(first, from: 0) == .incomplete(sendContinue: false))
        let shorter = bytes("PUT /a HTTP/1.1\r\nContent-Length: 2\r\n\r\nhe")
        #expect(completed(parser.parse(shorter, from: 0))?.body == bytes("he"))
    }

    /// Ensure that a remembered head is tied to its start offset.
    @Test func rememberedHeadIsTiedToStart() throws {
        var parser = RequestParser()
        let wire = bytes("PUT /a HTTP/1.1\r\nContent-Length: 3\r\n\r\nab")
        #expect(parser.parse(wire, from: 0) == .incomplete(sendContinue: false))
        let shifted = bytes("GET /z HTTP/1.1\r\n\r\n") + wire + bytes("c")
        let request = try #require(completed(parser.parse(shifted, from: 0), consumed: 19))
        #expect(request.path == "/z")
        #expect(completed(parser.parse(shifted, from: 19))?.body == bytes("abc"))
    }
}
