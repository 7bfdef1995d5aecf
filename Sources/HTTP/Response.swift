// A response as a value: status, extra header fields, body. Content-Length, Connection and the server's
// common lines (Date, Server) are added by ResponseEncoder, so endpoints never compute them.
//
// Header fields come in two forms: `headerLines`, fields already in wire form ("Name: value\r\n"), which the
// hot paths fill from precomputed bytes and digits without building a String (Content-Type of JSON and text,
// X-Etcd-Index and friends); and `headers`, name/value Strings for everything rarer. The encoder writes
// `headerLines` first, then `headers`, each in order.

/// An HTTP response before encoding.
package struct Response: Sendable {
    /// The status code.
    package var status: Int
    /// Header fields already rendered as wire lines, each ending in CRLF; written before `headers`.
    package var headerLines: [UInt8]
    /// Header fields other than Content-Length, Connection and Date, in order.
    package var headers: [(name: String, value: String)]
    /// The body (not sent for HEAD, but its length is).
    package var body: [UInt8]
    /// A body that is one decimal number (a lock's index), written by the encoder straight into the output
    /// instead of `body`, which is then empty: a body array per acquire was an allocation of its own (~250
    /// instructions; callgrind).
    package var decimalBody: Optional<UInt64>

    /// Creates a response.
    package init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headerLines = []
        self.headers = headers
        self.body = body
        self.decimalBody = nil
    }

    /// Creates a response whose fields are given as wire lines (see `headerLines`).
    package init(status: Int, headerLines: [UInt8], body: [UInt8]) {
        self.status = status
        self.headerLines = headerLines
        self.headers = []
        self.body = body
        self.decimalBody = nil
    }

    /// A response whose body is the decimal digits of `value`.
    package init(status: Int, headerLines: [UInt8], decimalBody value: UInt64) {
        self.status = status
        self.headerLines = headerLines
        self.headers = []
        self.body = []
        self.decimalBody = value
    }

    /// The body's length in bytes.
    package var bodyCount: Int {
        if let decimalBody { return ResponseEncoder.decimalDigits(decimalBody) }
        return body.count
    }

    /// A text/plain; charset=utf-8 response.
    package static func text(_ status: Int, _ body: String) -> Response {
        Response(status: status, headerLines: HeaderLine.contentTypeText, body: Array(body.utf8))
    }

    /// An application/json response.
    package static func json(_ status: Int, _ body: [UInt8]) -> Response {
        Response(status: status, headerLines: HeaderLine.contentTypeJSON, body: body)
    }

    /// Appends the field `prefix` (a precomputed "Name: ") with a decimal value, as a wire line.
    package mutating func addHeaderLine(_ prefix: [UInt8], _ value: UInt64) {
        headerLines.append(contentsOf: prefix)
        ResponseEncoder.appendDecimal(value, to: &headerLines)
        headerLines.append(contentsOf: HeaderLine.crlf)
    }

    /// Appends a complete precomputed wire line ("Name: value\r\n").
    package mutating func addHeaderLine(_ line: [UInt8]) {
        headerLines.append(contentsOf: line)
    }
}

/// Precomputed header bytes for `Response.headerLines`.
package enum HeaderLine {
    package static let contentTypeJSON: [UInt8] = Array("Content-Type: application/json\r\n".utf8)
    package static let contentTypeText: [UInt8] = Array("Content-Type: text/plain; charset=utf-8\r\n".utf8)
    package static let crlf: [UInt8] = [13, 10]

    /// "Name: " for a field whose value is appended by `Response.addHeaderLine(_:_:)`.
    package static func prefix(_ name: String) -> [UInt8] {
        Array((name + ": ").utf8)
    }
}
