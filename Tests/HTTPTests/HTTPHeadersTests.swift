// Header lookup rules.
import HTTP
import Testing

struct HTTPHeadersTests {
    /// Ensure that lookups ignore ASCII case, answer the first value, and keep order and duplicates.
    @Test func caseInsensitiveFirstValue() {
        var headers = HTTPHeaders()
        headers.add("X-Etcd-Index", "1")
        headers.add("x-etcd-index", "2")
        headers.add("Other", "o")
        #expect(headers["X-ETCD-INDEX"] == "1")
        #expect(headers.values("x-Etcd-index") == ["1", "2"])
        #expect(headers["x-etcd-indey"] == nil)
        #expect(headers["X-Etcd-Inde"] == nil)
        #expect(headers.contains("other"))
        #expect(headers.entries.map(\.value) == ["1", "2", "o"])
    }

    /// Ensure that case folding is ASCII only: non-ASCII names must match exactly.
    @Test func asciiOnlyFolding() {
        let headers = HTTPHeaders([(name: "Ä", value: "1")])
        #expect(headers["ä"] == nil)
        #expect(headers["Ä"] == "1")
    }

    /// Ensure that headers parsed from the wire answer like built ones: lookups, order and values.
    @Test func parsedHeadersAreLazyButEqual() {
        let wire = "GET / HTTP/1.1\r\nHost: h:1\r\nX-A:  padded \r\nx-a: second\r\nEmpty:\r\n\r\n"
        guard let request = completed(parseWhole(wire)) else { return }
        #expect(request.headers.count == 4)
        #expect(request.headers["X-A"] == "padded")
        #expect(request.headers.values("X-A") == ["padded", "second"])
        #expect(request.headers["Empty"] == "")
        #expect(request.headers["Missing"] == nil)
        #expect(request.headers == HTTPHeaders([(name: "Host", value: "h:1"), (name: "X-A", value: "padded"),
                                                (name: "x-a", value: "second"), (name: "Empty", value: "")]))
        #expect(request.headers != HTTPHeaders([(name: "Host", value: "h:1")]))
    }

    /// Ensure that a name is matched whole: not as a prefix of a field line, and never across the ':'.
    @Test func parsedNamesMatchWhole() throws {
        let wire = "GET / HTTP/1.1\r\nab:c: d\r\nA: 1\r\nLong-Name:\r\n\r\n"
        let request = try #require(completed(parseWhole(wire)))
        #expect(request.headers["ab"] == "c: d")
        #expect(request.headers["ab:c"] == nil)
        #expect(request.headers["a"] == "1")
        #expect(request.headers["long-name"] == "")
        #expect(request.headers["long-name-and-more"] == nil)
        #expect(request.headers.entries.map(\.name) == ["ab", "A", "Long-Name"])
    }

    /// Ensure that the first Content-Type decides the media type of a parsed request, also after `add`.
    @Test func parsedContentType() throws {
        let form = Array("application/x-www-form-urlencoded".utf8)
        let twice = "POST / HTTP/1.1\r\nContent-Type: text/plain\r\n"
            + "content-type: application/x-www-form-urlencoded\r\n\r\n"
        let request = try #require(completed(parseWhole(twice)))
        #expect(!request.headers.hasMediaType(form))
        let none = try #require(completed(parseWhole("POST / HTTP/1.1\r\nX: 1\r\n\r\n")))
        var headers = none.headers
        #expect(!headers.hasMediaType(form))
        headers.add("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
        #expect(headers.hasMediaType(form))
        #expect(headers.count == 2)
        let contentType = "application/x-www-form-urlencoded; charset=utf-8"
        #expect(headers == HTTPHeaders([(name: "X", value: "1"), (name: "Content-Type", value: contentType)]))
    }

    /// Ensure that a media type matches before ';' and blanks, in any ASCII case, and nothing else does.
    @Test func mediaTypeMatching() {
        let form = Array("application/x-www-form-urlencoded".utf8)
        let formText = "application/x-www-form-urlencoded"
        for value in [formText, "Application/X-WWW-Form-Urlencoded", " \(formText) ; charset=UTF-8", "\(formText);q=1"] {
            #expect(HTTPHeaders([(name: "content-type", value: value)]).hasMediaType(form), "\(value)")
        }
        for value in ["", "application/x-www-form-urlencodedX", "text/plain", "application/x-www-form",
                      "application/x-www-form-urlencoded x", "application/x-www-form-urlencoded,"] {
            #expect(!HTTPHeaders([(name: "Content-Type", value: value)]).hasMediaType(form), "\(value)")
        }
        #expect(!HTTPHeaders([(name: "X-Content-Type", value: formText)]).hasMediaType(form))
        #expect(!HTTPHeaders().hasMediaType(form))
    }
}
