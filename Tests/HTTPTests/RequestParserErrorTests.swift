// Every rejection the parser makes, with its status, and every limit at its boundary and one over
// (SPEC §6: 400, 413 without reading the body, 414, 431 without buffering unboundedly, 501, 505).
import HTTP
import Testing

struct RequestParserErrorTests {
    private func expectInvalid(_ wire: String, _ status: Int, limits: ParserLimits = .init(),
                               sourceLocation: SourceLocation = #_sourceLocation) {
        let result = checkEverySplitAllowingDecisions(bytes(wire), limits: limits, sourceLocation: sourceLocation)
        guard case .invalid(let error) = result else {
            Issue.record("expected status \(status), got \(result)", sourceLocation: sourceLocation)
            return
        }
        #expect(error.status == status, "\(error)", sourceLocation: sourceLocation)
    }

    /// Like checkEverySplit, but a prefix may already be rejected, and then with the same error as the whole.
    private func checkEverySplitAllowingDecisions(_ wire: [UInt8], limits: ParserLimits,
                                                  sourceLocation: SourceLocation) -> ParseResult {
        var fresh = RequestParser(limits: limits)
        let whole = fresh.parse(wire, from: 0)
        for k in 0..<wire.count {
            var parser = RequestParser(limits: limits)
            let prefix = parser.parse(Array(wire[..<k]), from: 0)
            if case .incomplete = prefix { continue }
            #expect(prefix == whole, "prefix \(k)", sourceLocation: sourceLocation)
        }
        return whole
    }

    /// Ensure that malformed request lines are 400.
    @Test func malformedRequestLines() {
        expectInvalid("GET /\r\n\r\n", 400)
        expectInvalid("GET  / HTTP/1.1\r\n\r\n", 400)
        expectInvalid("GET / HTTP/1.1 \r\n\r\n", 400)
        expectInvalid(" GET / HTTP/1.1\r\n\r\n", 400)
        expectInvalid("G(T / HTTP/1.1\r\n\r\n", 400)
        expectInvalid("GET / HTTQ/1.1\r\n\r\n", 400)
        expectInvalid("GET / HTTP/1.x\r\n\r\n", 400)
        expectInvalid("GET / HTTP/11\r\n\r\n", 400)
        expectInvalid("\r\n\r\nGET / HTTP/1.1\r\n\r\n", 400)
    }

    /// Ensure that a target must be origin form, "*" for OPTIONS only, or absolute form.
    @Test func targetForms() {
        expectInvalid("GET v2/keys HTTP/1.1\r\n\r\n", 400)
        expectInvalid("GET * HTTP/1.1\r\n\r\n", 400)
        expectInvalid("CONNECT host:443 HTTP/1.1\r\n\r\n", 400)
        expectInvalid("GET ftp://h/x HTTP/1.1\r\n\r\n", 400)
        expectInvalid("GET http:///x HTTP/1.1\r\n\r\n", 400)
    }

    /// Ensure that an invalid percent-encoding in the path is 400 (a bad escape in the query is not).
    @Test func badPercentEncodingInPath() {
        expectInvalid("GET /v2/keys/%zz HTTP/1.1\r\n\r\n", 400)
        expectInvalid("GET /v2/keys/%4 HTTP/1.1\r\n\r\n", 400)
        expectInvalid("GET /v2/keys/% HTTP/1.1\r\n\r\n", 400)
        #expect(completed(parseWhole("GET /ok?x=%zz HTTP/1.1\r\n\r\n")) != nil)
    }

    /// Ensure that NUL and control bytes in the request line or a header are 400.
    @Test func controlBytes() {
        expectInvalid("GET /a\u{0}b HTTP/1.1\r\n\r\n", 400)
        expectInvalid("GET /a\u{7F} HTTP/1.1\r\n\r\n", 400)
        expectInvalid("GET /a\tb HTTP/1.1\r\n\r\n", 400)
        expectInvalid("GET /a HTTP/1.1\r\nX: a\u{0}b\r\n\r\n", 400)
        expectInvalid("GET /a HTTP/1.1\r\nX: a\rb\r\n\r\n", 400)
        expectInvalid("GET /a HTTP/1.1\r\nX: a\u{1B}b\r\n\r\n", 400)
        expectInvalid("GET /a HTTP/1.1\r\nX\u{1}: ab\r\n\r\n", 400)
        expectInvalid("GET /a HTTP/1.1\r\r\n\r\n", 400)
    }

    /// Ensure that malformed header fields and obs-fold are 400.
    @Test func malformedHeaders() {
        expectInvalid("GET / HTTP/1.1\r\nA: b\r\n  folded\r\n\r\n", 400)
        expectInvalid("GET / HTTP/1.1\r\n\tfolded: x\r\n\r\n", 400)
        expectInvalid("GET / HTTP/1.1\r\nNoColon\r\n\r\n", 400)
        expectInvalid("GET / HTTP/1.1\r\nName : v\r\n\r\n", 400)
        expectInvalid("GET / HTTP/1.1\r\n: v\r\n\r\n", 400)
        expectInvalid("GET / HTTP/1.1\r\nNa(me: v\r\n\r\n", 400)
    }

    /// Ensure that a missing or odd Host is accepted (etcd clients vary).
    @Test func hostNotRequired() {
        #expect(completed(parseWhole("GET / HTTP/1.1\r\n\r\n")) != nil)
        #expect(completed(parseWhole("GET / HTTP/1.1\r\nHost: a b c\r\nHost: d\r\n\r\n")) != nil)
    }

    /// Ensure that request-smuggling shapes are 400: CL with TE, disagreeing or malformed Content-Length.
    @Test func smugglingShapes() {
        expectInvalid("POST / HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400)
        expectInvalid("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n", 400)
        expectInvalid("POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", 400)
        expectInvalid("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", 400)
        expectInvalid("POST / HTTP/1.1\r\nContent-Length: 1,1\r\n\r\nx", 400)
        expectInvalid("POST / HTTP/1.1\r\nContent-Length: \r\n\r\n", 400)
        expectInvalid("POST / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n", 400)
        let agreeing = parseWhole("POST / HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok")
        #expect(completed(agreeing)?.body == bytes("ok"))
    }

    /// Ensure that a Transfer-Encoding other than a single "chunked" is 501.
    @Test func unsupportedTransferEncoding() {
        expectInvalid("POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", 501)
        expectInvalid("POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501)
        expectInvalid("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", 501)
        #expect(completed(parseWhole("POST / HTTP/1.1\r\nTransfer-Encoding: Chunked\r\n\r\n0\r\n\r\n")) != nil)
    }

    /// Ensure that a version other than HTTP/1.x is 505 and HTTP/1.2 is treated as 1.1.
    @Test func versions() {
        expectInvalid("GET / HTTP/2.0\r\n\r\n", 505)
        expectInvalid("GET / HTTP/0.9\r\n\r\n", 505)
        #expect(completed(parseWhole("GET / HTTP/1.2\r\n\r\n"))?.isHTTP11 == true)
    }

    /// Ensure that malformed chunked bodies are 400.
    @Test func malformedChunked() {
        let head = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
        expectInvalid(head + "x\r\n\r\n", 400)
        expectInvalid(head + "\r\n", 400)
        expectInvalid(head + "5\r\nhelloX\r\n0\r\n\r\n", 400)
        expectInvalid(head + "5\r\nhello\rX0\r\n\r\n", 400)
        expectInvalid(head + "5 x\r\nhello\r\n0\r\n\r\n", 400)
        expectInvalid(head + "5;a\u{1}\r\nhello\r\n0\r\n\r\n", 400)
        expectInvalid(head + "00000000000000005\r\nhello\r\n0\r\n\r\n", 400)
        expectInvalid(head + "0\r\nBad Trailer\r\n\r\n", 400)
        expectInvalid(head + "5;" + String(repeating: "e", count: 4100) + "\r\n", 400)
        #expect(completed(parseWhole(head + "0000000000000005\r\nhello\r\n0\r\n\r\n"))?.body == bytes("hello"))
    }

    /// Ensure that the request line limit is exact: max bytes parse, max+1 is 414 even before the line ends.
    @Test func requestLineLimit() {
        let limits = ParserLimits(maxRequestLineBytes: 32)
        let atLimit = "GET /" + String(repeating: "a", count: 32 - 14) + " HTTP/1.1"
        #expect(atLimit.utf8.count == 32)
        #expect(completed(checkEverySplit(bytes(atLimit + "\r\n\r\n"), limits: limits)) != nil)
        #expect(completed(parseWhole(atLimit + "\n\n", limits: limits)) != nil)
        let over = "GET /" + String(repeating: "a", count: 33 - 14) + " HTTP/1.1"
        expectInvalid(over + "\r\n\r\n", 414, limits: limits)
        #expect(parseWhole(String(repeating: "a", count: 33), limits: limits) == .invalid(.uriTooLong))
        #expect(parseWhole(String(repeating: "a", count: 32), limits: limits) == .incomplete(sendContinue: false))
        let crAtLimit = String(repeating: "a", count: 32) + "\r"
        #expect(parseWhole(crAtLimit, limits: limits) == .incomplete(sendContinue: false))
        #expect(parseWhole(String(repeating: "a", count: 33) + "\r", limits: limits) == .invalid(.uriTooLong))
    }

    /// Ensure that a 10 KiB key in the URL is a valid request with the default limits (it is not a header).
    @Test func longURLIsNotAHeader() {
        let key = String(repeating: "k", count: 10 * 1024)
        #expect(completed(parseWhole("PUT /v2/keys/\(key)?value=1 HTTP/1.1\r\n\r\n"))?.path == "/v2/keys/" + key)
    }

    /// Ensure that the header limit is exact and 431 comes as soon as the limit is passed without an end.
    @Test func headerLimit() {
        let limits = ParserLimits(maxHeaderBytes: 64)
        let field = "X: " + String(repeating: "v", count: 64 - 5) + "\r\n"
        #expect(field.utf8.count == 64)
        let request = "GET / HTTP/1.1\r\n" + field + "\r\n"
        #expect(completed(checkEverySplit(bytes(request), limits: limits)) != nil)
        let overField = "X: " + String(repeating: "v", count: 65 - 5) + "\r\n"
        expectInvalid("GET / HTTP/1.1\r\n" + overField + "\r\n", 431, limits: limits)
        expectInvalid("GET / HTTP/1.1\r\n" + field + "Y: 1\r\n\r\n", 431, limits: limits)
        let endless = "GET / HTTP/1.1\r\nX: " + String(repeating: "v", count: 61)
        #expect(parseWhole(endless, limits: limits) == .invalid(.headersTooLarge))
        #expect(parseWhole(String(endless.dropLast()), limits: limits) == .incomplete(sendContinue: false))
    }

    /// Ensure that a Content-Length over the limit is 413 right after the headers, before any body byte.
    @Test func contentLengthLimit() {
        let limits = ParserLimits(maxBodyBytes: 10)
        let over = "PUT / HTTP/1.1\r\nContent-Length: 11\r\n\r\n"
        #expect(parseWhole(over, limits: limits) == .invalid(.payloadTooLarge))
        let exact = "PUT / HTTP/1.1\r\nContent-Length: 10\r\n\r\n0123456789"
        #expect(completed(checkEverySplit(bytes(exact), limits: limits))?.body.count == 10)
        #expect(parseWhole("PUT / HTTP/1.1\r\nContent-Length: 1048577\r\n\r\n") == .invalid(.payloadTooLarge))
    }

    /// Ensure that the sum of chunk sizes is limited, decided at the size line that passes it.
    @Test func chunkedLimit() {
        let limits = ParserLimits(maxBodyBytes: 10)
        let head = "PUT / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
        let exact = head + "5\r\n01234\r\n5\r\n56789\r\n0\r\n\r\n"
        #expect(completed(checkEverySplit(bytes(exact), limits: limits))?.body == bytes("0123456789"))
        #expect(parseWhole(head + "5\r\n01234\r\n6\r\n", limits: limits) == .invalid(.payloadTooLarge))
        #expect(parseWhole(head + "ffffffffffffffff\r\n", limits: limits) == .invalid(.payloadTooLarge))
    }

    /// Ensure that tiny chunks cannot make the parser buffer framing without bound.
    @Test func chunkFramingOverheadIsCapped() {
        let limits = ParserLimits(maxBodyBytes: 16)
        let chunk = "1;" + String(repeating: "e", count: 4000) + "\r\nx\r\n"
        let wire = "PUT / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n" + String(repeating: chunk, count: 17)
        #expect(parseWhole(wire, limits: limits) == .invalid(.payloadTooLarge))
    }

    /// Ensure that trailers are held to the header limit.
    @Test func trailerLimit() {
        let limits = ParserLimits(maxHeaderBytes: 32)
        let wire = "PUT / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nT: " + String(repeating: "t", count: 40)
        #expect(parseWhole(wire, limits: limits) == .invalid(.headersTooLarge))
    }

    /// Ensure that each error maps to its status.
    @Test func statuses() {
        #expect(HTTPParseError.badRequest("x").status == 400)
        #expect(HTTPParseError.headersTooLarge.status == 431)
        #expect(HTTPParseError.payloadTooLarge.status == 413)
        #expect(HTTPParseError.notImplemented.status == 501)
        #expect(HTTPParseError.versionNotSupported.status == 505)
        #expect(HTTPParseError.uriTooLong.status == 414)
    }
}
