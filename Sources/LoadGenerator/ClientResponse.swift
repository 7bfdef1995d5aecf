// ClientResponse: one HTTP response as the load generator sees it — the status, the few headers it acts on,
// and the body (lock indexes, metrics text and JSON are read from it).

/// A complete response read by `ResponseParser`.
package struct ClientResponse: Equatable, Sendable {
    package var status: Int
    /// The server asked to close the connection after this response (`Connection: close`).
    package var closes: Bool
    package var body: [UInt8]

    package init(status: Int, closes: Bool = false, body: [UInt8] = []) {
        self.status = status
        self.closes = closes
        self.body = body
    }

    /// The body as UTF-8 text.
    package var text: String { String(decoding: body, as: UTF8.self) }
}
