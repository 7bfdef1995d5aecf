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
}
