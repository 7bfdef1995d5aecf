// A response as a value: status, extra header fields, body. Content-Length, Connection and Date are added by
// ResponseEncoder, so endpoints never compute them.

/// An HTTP response before encoding.
package struct Response: Sendable {
    /// The status code.
    package var status: Int
    /// Header fields other than Content-Length, Connection and Date, in order.
    package var headers: [(name: String, value: String)]
    /// The body (not sent for HEAD, but its length is).
    package var body: [UInt8]

    /// Creates a response.
    package init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A text/plain; charset=utf-8 response.
    package static func text(_ status: Int, _ body: String) -> Response {
        Response(status: status, headers: [(name: "Content-Type", value: "text/plain; charset=utf-8")],
                 body: Array(body.utf8))
    }

    /// An application/json response.
    package static func json(_ status: Int, _ body: [UInt8]) -> Response {
        Response(status: status, headers: [(name: "Content-Type", value: "application/json")], body: body)
    }
}
