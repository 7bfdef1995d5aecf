// RequestBuilder: encodes the load generator's requests. Bodies are form-encoded (what etcd v2 reads) or
// JSON (etcd v3's gateway); a request without a body sends no Content-Length, like curl.

/// Encodes HTTP/1.1 requests for one target.
package struct RequestBuilder: Sendable {
    private let host: String

    package init(target: BenchTarget) {
        host = target.hostHeader
    }

    /// `method path` with an optional body and content type.
    package func make(_ method: String, _ path: String, body: String? = nil,
                      contentType: String = "application/x-www-form-urlencoded") -> [UInt8] {
        var text = "\(method) \(path) HTTP/1.1\r\nHost: \(host)\r\n"
        if let body {
            text += "Content-Type: \(contentType)\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
        } else {
            text += "\r\n"
        }
        return Array(text.utf8)
    }

    /// A bodiless request whose target ends in a part known only per request (a lock index): the bytes
    /// before it and after it, so each request is `head + part + tail` (three appends, no String work).
    package func around(_ method: String, _ targetPrefix: String) -> (head: [UInt8], tail: [UInt8]) {
        (Array("\(method) \(targetPrefix)".utf8), Array(" HTTP/1.1\r\nHost: \(host)\r\n\r\n".utf8))
    }

    /// A JSON POST (etcd v3 gateway).
    package func json(_ path: String, _ body: String) -> [UInt8] {
        make("POST", path, body: body, contentType: "application/json")
    }
}
