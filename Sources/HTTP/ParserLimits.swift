// Size limits that keep a connection's buffer bounded whatever the client sends.

/// Limits applied by `RequestParser`.
package struct ParserLimits: Sendable, Equatable {
    /// Longest request line (without its line ending); longer → 414. etcd keys travel in the URL, so it is big.
    package var maxRequestLineBytes = 65536
    /// Longest header section (fields with their line endings, not the request line, not the final empty
    /// line); longer → 431. Also bounds a chunked body's trailer section.
    package var maxHeaderBytes = 8192
    /// Largest body (declared Content-Length or the sum of chunk sizes); larger → 413.
    package var maxBodyBytes = 1 << 20

    /// Creates limits; omitted values take the defaults.
    package init(maxRequestLineBytes: Int = 65536, maxHeaderBytes: Int = 8192, maxBodyBytes: Int = 1 << 20) {
        self.maxRequestLineBytes = maxRequestLineBytes
        self.maxHeaderBytes = maxHeaderBytes
        self.maxBodyBytes = maxBodyBytes
    }
}
