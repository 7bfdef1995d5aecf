// Why a request was rejected. Each case maps to the status the connection answers with before it closes.

/// A request the parser rejects; the connection answers `status` and closes.
package enum HTTPParseError: Error, Equatable, Sendable {
    /// Malformed request (400); the string says what, for logs.
    case badRequest(String)
    /// Request line plus headers over the limit (431).
    case headersTooLarge
    /// Declared or chunked body over the limit (413), decided before reading the body.
    case payloadTooLarge
    /// A Transfer-Encoding other than chunked (501).
    case notImplemented
    /// An HTTP version other than 1.x (505).
    case versionNotSupported
    /// A request line over the limit (414).
    case uriTooLong

    /// The HTTP status to answer with.
    package var status: Int {
        switch self {
        case .badRequest: 400
        case .headersTooLarge: 431
        case .payloadTooLarge: 413
        case .notImplemented: 501
        case .versionNotSupported: 505
        case .uriTooLong: 414
        }
    }
}
