// The three answers of the parser, picohttpparser style: done, need more, or reject.

/// The outcome of `RequestParser.parse`.
package enum ParseResult: Sendable, Equatable {
    /// A whole request; `consumed` counts bytes from `start`, so the next request begins at start + consumed.
    case complete(Request, consumed: Int)
    /// More bytes are needed. `sendContinue`: the headers are complete, the body is not, and the HTTP/1.1
    /// client sent "Expect: 100-continue" (the caller writes `ResponseEncoder.continueLine` once).
    case incomplete(sendContinue: Bool)
    /// The request is rejected.
    case invalid(HTTPParseError)
}
