// The exact wire form of responses: status line, Date, fields, Content-Length, Connection, body.
import HTTP
import Testing

struct ResponseEncoderTests {
    private let date = Array("Date: Thu, 26 Nov 2026 12:00:00 GMT\r\n".utf8)

    private func wire(_ response: Response, headOnly: Bool = false, keepAlive: Bool = true,
                      http10KeepAlive: Bool = false, dateLine: [UInt8]? = nil) -> String {
        var out: [UInt8] = Array("prefix|".utf8)
        ResponseEncoder.encode(response, headOnly: headOnly, keepAlive: keepAlive, http10KeepAlive: http10KeepAlive,
                               commonLines: dateLine ?? date, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Ensure that a JSON response is appended with status line, Date, Content-Type and Content-Length.
    @Test func jsonResponse() {
        var response = Response.json(201, Array("{\"a\":1}".utf8))
        response.headers.append((name: "X-Etcd-Index", value: "7"))
        #expect(wire(response) == "prefix|HTTP/1.1 201 Created\r\nDate: Thu, 26 Nov 2026 12:00:00 GMT\r\n"
            + "Content-Type: application/json\r\nX-Etcd-Index: 7\r\nContent-Length: 7\r\n\r\n{\"a\":1}")
    }

    /// Ensure that HEAD gets the Content-Length of the body but not the body.
    @Test func headOmitsBody() {
        #expect(wire(.text(200, "hello"), headOnly: true, dateLine: [])
            == "prefix|HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 5\r\n\r\n")
    }

    /// Ensure that Connection: close is added when the connection will close, keep-alive for a 1.0 client.
    @Test func connectionHeaders() {
        #expect(wire(Response(status: 404), keepAlive: false, dateLine: [])
            == "prefix|HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        #expect(wire(Response(status: 200), http10KeepAlive: true, dateLine: [])
            == "prefix|HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: keep-alive\r\n\r\n")
    }

    /// Ensure that the pre-rendered 200 head gives the same bytes as the status-line table plus the common
    /// lines, for every framing, and is not used for other statuses.
    @Test func okHeadMatchesTable() {
        let okHead = Array("HTTP/1.1 200 OK\r\n".utf8) + date
        for (keepAlive, http10) in [(true, false), (false, false), (true, true)] {
            for response in [Response.json(200, Array("{}".utf8)), .text(404, "no\n"), Response(status: 204)] {
                var plain: [UInt8] = [], fast: [UInt8] = []
                ResponseEncoder.encode(response, headOnly: false, keepAlive: keepAlive, http10KeepAlive: http10,
                                       commonLines: date, into: &plain)
                ResponseEncoder.encode(response, headOnly: false, keepAlive: keepAlive, http10KeepAlive: http10,
                                       commonLines: date, okHead: okHead, into: &fast)
                #expect(fast == plain, "status \(response.status) keepAlive \(keepAlive) http10 \(http10)")
            }
        }
    }

    /// Ensure that reason phrases follow Go and an unknown status has an empty reason.
    @Test func reasonPhrases() {
        let expected = [(400, "Bad Request"), (412, "Precondition Failed"), (413, "Request Entity Too Large"),
                        (414, "Request URI Too Long"), (431, "Request Header Fields Too Large"),
                        (500, "Internal Server Error"), (501, "Not Implemented"), (503, "Service Unavailable"),
                        (505, "HTTP Version Not Supported"), (307, "Temporary Redirect"), (302, "Found")]
        for (status, reason) in expected {
            #expect(wire(Response(status: status), dateLine: []).hasPrefix("prefix|HTTP/1.1 \(status) \(reason)\r\n"))
        }
        #expect(wire(Response(status: 599), dateLine: []).hasPrefix("prefix|HTTP/1.1 599 \r\n"))
    }

    /// Ensure that framing fields given by the caller are dropped so only the encoder's framing is sent.
    @Test func callerFramingDropped() {
        let response = Response(status: 200, headers: [(name: "content-length", value: "99"),
                                                        (name: "Connection", value: "upgrade"),
                                                        (name: "Transfer-Encoding", value: "chunked")],
                                body: Array("ab".utf8))
        #expect(wire(response, dateLine: []) == "prefix|HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nab")
    }

    /// Ensure that 204 and 1xx carry neither Content-Length nor a body.
    @Test func bodylessStatuses() {
        #expect(wire(Response(status: 204, body: [1]), dateLine: []) == "prefix|HTTP/1.1 204 No Content\r\n\r\n")
        #expect(String(decoding: ResponseEncoder.continueLine, as: UTF8.self) == "HTTP/1.1 100 Continue\r\n\r\n")
    }

    /// Ensure that big bodies get the right decimal length.
    @Test func contentLengthDigits() {
        for n in [9, 10, 99, 100, 12345, 1 << 20] {
            #expect(wire(Response(status: 200, body: [UInt8](repeating: 0, count: n)), headOnly: true, dateLine: [])
                .contains("Content-Length: \(n)\r\n"))
        }
    }

    /// Ensure that digit counts and in-place digits are right on both sides of every power of ten.
    @Test func digitCountsAndOverwrittenDigits() {
        var values: [UInt64] = [0, .max]
        var power: UInt64 = 1
        for _ in 0..<19 {
            power *= 10
            values += [power - 1, power, power + 1]
        }
        for v in values {
            let text = String(v)
            #expect(ResponseEncoder.decimalDigits(v) == text.utf8.count, "\(v)")
            // Over every other number of as many digits in the list, and over itself.
            for old in values where String(old).utf8.count == text.utf8.count {
                var bytes = Array("<\(old)><\(old)>".utf8)
                let first = text.utf8.count + 1
                ResponseEncoder.overwriteDecimal(v, replacing: old, endingAt: first, and: first + 2 + text.utf8.count,
                                                 in: &bytes)
                #expect(String(decoding: bytes, as: UTF8.self) == "<\(text)><\(text)>", "\(old) → \(v)")
            }
        }
    }

    /// Ensure that the Content-Length line and the end of the head are exact for every framing, on both
    /// sides of the rendered-lengths table's end and of each digit count.
    @Test func contentLengthLinesForEveryFraming() {
        for n in [0, 1, 9, 10, 99, 100, 190, 999, 1000, 1023, 1024, 1025, 9999, 70_000] {
            let body = [UInt8](repeating: UInt8(ascii: "x"), count: n)
            for (keepAlive, http10) in [(true, false), (false, false), (true, true)] {
                for headOnly in [false, true] {
                    let connection = !keepAlive ? "Connection: close\r\n" : http10 ? "Connection: keep-alive\r\n" : ""
                    let expected = "prefix|HTTP/1.1 200 OK\r\nContent-Length: \(n)\r\n\(connection)\r\n"
                        + (headOnly ? "" : String(repeating: "x", count: n))
                    #expect(wire(Response(status: 200, body: body), headOnly: headOnly, keepAlive: keepAlive,
                                 http10KeepAlive: http10, dateLine: []) == expected, "\(n) \(keepAlive) \(http10)")
                }
            }
        }
    }
}
