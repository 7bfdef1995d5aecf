// A parsed request: plain values, detached from the connection buffer it came from.

/// One HTTP/1.x request as the parser produced it.
package struct Request: Sendable, Equatable {
    /// The method token.
    package var method: HTTPMethod
    /// The raw request-target as received.
    package var target: String
    /// The percent-decoded path without the query ("+" stays "+"); "*" for `OPTIONS *`.
    package var path: String
    /// The path part as received (not decoded); for an absolute-form target, only its path.
    package var rawPath: String
    /// The raw query string without "?" ("" if none).
    package var query: String
    /// False for HTTP/1.0, true for HTTP/1.1 (and any later 1.x minor version).
    package var isHTTP11: Bool
    /// The header fields in order.
    package var headers: HTTPHeaders
    /// The body, de-chunked.
    package var body: [UInt8]
    /// 1.1: unless "Connection: close"; 1.0: only with "Connection: keep-alive".
    package var keepAlive: Bool
    /// Whether `path` has segments Go's `path.Clean` would change (`//`, `.`, `..`); see DotSegments.
    package var pathNeedsCleaning: Bool

    /// Creates a request; tests and the server build requests directly with it.
    package init(method: HTTPMethod, target: String, path: String? = nil, rawPath: String? = nil,
                 query: String = "", isHTTP11: Bool = true, headers: HTTPHeaders = HTTPHeaders(),
                 body: [UInt8] = [], keepAlive: Bool = true, pathNeedsCleaning: Bool? = nil) {
        self.method = method
        self.target = target
        self.rawPath = rawPath ?? target
        self.path = path ?? rawPath ?? target
        self.query = query
        self.isHTTP11 = isHTTP11
        self.headers = headers
        self.body = body
        self.keepAlive = keepAlive
        self.pathNeedsCleaning = pathNeedsCleaning ?? DotSegments.needCleaning(self.path.utf8)
    }
}
