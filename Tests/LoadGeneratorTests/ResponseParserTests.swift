// Unit tests of the load generator's pure parts: the response parser (every fixture split at every byte
// offset, pipelined), target URLs, request encoding, the metrics text parser and the report formats.
import Testing
@testable import LoadGenerator

private let fixtures: [(String, [ClientResponse])] = [
    ("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
     [ClientResponse(status: 200, body: Array("hello".utf8))]),
    ("HTTP/1.1 201 Created\r\ncontent-length: 0\r\nX-Etcd-Index: 3\r\n\r\nHTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\nno",
     [ClientResponse(status: 201), ClientResponse(status: 404, body: Array("no".utf8))]),
    ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\nA;x=y\r\n0123456789\r\n0\r\nTrailer: t\r\n\r\n",
     [ClientResponse(status: 200, body: Array("abc0123456789".utf8))]),
    ("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n", [ClientResponse(status: 204)]),
    ("HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 4\r\n\r\nbusy",
     [ClientResponse(status: 503, closes: true, body: Array("busy".utf8))]),
    ("HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nx", [ClientResponse(status: 200, closes: true, body: [120])]),
    ("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\nx", [ClientResponse(status: 200, body: [120])]),
    // Lines longer than a word, a bare LF and a lone CR inside values (a line ends at CRLF only), names in
    // upper case, a value with a colon.
    ("HTTP/1.1 200 OK\r\nX-Long: " + String(repeating: "a", count: 41) + "\nstill: the same line\r\n"
        + "CONTENT-LENGTH: 3\r\nDate: Thu, 26 Nov 2026 21:00:00 GMT\r\nX-CR: \r\r\nCONNECTION: Close\r\n\r\nabc",
     [ClientResponse(status: 200, closes: true, body: Array("abc".utf8))]),
]

private func parseAll(_ chunks: [[UInt8]]) throws -> [ClientResponse] {
    var parser = ResponseParser()
    var out: [ClientResponse] = []
    for chunk in chunks {
        parser.feed(chunk)
        while let r = try parser.next() { out.append(r) }
    }
    return out
}

/// Ensure that every fixture parses to the same responses whichever offset the bytes are split at.
@Test func parsesFixturesSplitAtEveryOffset() throws {
    for (text, expected) in fixtures {
        let bytes = Array(text.utf8)
        #expect(try parseAll([bytes]) == expected, "\(text)")
        for cut in 0...bytes.count {
            #expect(try parseAll([Array(bytes[..<cut]), Array(bytes[cut...])]) == expected, "cut \(cut) of \(text)")
        }
    }
}

/// Ensure that all fixtures pipelined in one stream, fed a byte at a time, come out in order.
@Test func parsesPipelinedStreamByteByByte() throws {
    let stream = fixtures.flatMap { Array($0.0.utf8) }
    let expected = fixtures.flatMap { $0.1 }
    #expect(try parseAll(stream.map { [$0] }) == expected)
}

/// Ensure that a response to HEAD ends at its header even with a Content-Length.
@Test func headResponseHasNoBody() throws {
    var parser = ResponseParser()
    parser.feed(Array("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".utf8))
    #expect(try parser.next(head: true) == ClientResponse(status: 200))
    #expect(try parser.next() == ClientResponse(status: 200))
    #expect(parser.bufferedCount == 0)
}

/// Ensure that a body delimited by the close completes at the peer's EOF.
@Test func bodyUntilCloseCompletesAtEOF() throws {
    var parser = ResponseParser()
    parser.feed(Array("HTTP/1.1 200 OK\r\n\r\nstream".utf8))
    #expect(try parser.next() == nil)
    #expect(parser.finishAtClose() == ClientResponse(status: 200, closes: true, body: Array("stream".utf8)))
}

/// Ensure that garbage and bad lengths are rejected rather than waited on.
@Test func rejectsMalformedResponses() {
    for text in ["SMTP ready\r\n\r\n", "HTTP/1.1 2x0 OK\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
                 "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"] {
        var parser = ResponseParser()
        parser.feed(Array(text.utf8))
        #expect(throws: ResponseParser.Failure.self, "\(text)") { _ = try parser.next() }
    }
}
