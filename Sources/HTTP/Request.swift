// A parsed request: plain values that share the bytes they came from instead of copying them.
//
// The parser hands over the connection's buffer itself (an array retained, not copied): the target, raw path,
// query and body are ranges of it, and the headers walk their section in it (see HTTPHeaders). Strings are
// built when asked for. Even the path: most paths have no escapes, so the decoded path is the raw path's
// bytes, and the hot routes take their key straight from them (`pathSuffix`: one String, the key, instead of
// the path and then the key cut from it, ~500 instructions per keys or lock request; callgrind). Only a path
// with escapes is decoded up front. Copying the header bytes, the body and up to
// three Strings per request was ~1,500 instructions per GET, and a Request with eight refcounted fields cost
// as much again to copy and destroy (callgrind). Sharing is safe because arrays are values: the connection's
// next append or compaction simply copies if a Request still holds the buffer (none outlives its dispatch).

/// One HTTP/1.x request as the parser produced it.
package struct Request: Sendable, Equatable {
    /// The method token.
    package var method: HTTPMethod
    /// The percent-decoded path without the query ("+" stays "+"); "*" for `OPTIONS *`. Built on each use.
    package var path: String {
        if let decodedPath { return decodedPath }
        guard let rawPathRange else { return "/" }
        return String(decoding: line[rawPathRange], as: UTF8.self)
    }
    /// The decoded path when it differs from the raw path's bytes (escapes, `*`, built requests); else nil.
    private let decodedPath: String?
    /// False for HTTP/1.0, true for HTTP/1.1 (and any later 1.x minor version).
    package var isHTTP11: Bool
    /// The header fields in order (constant: `hasFormContentType` is derived from them).
    package let headers: HTTPHeaders
    /// 1.1: unless "Connection: close"; 1.0: only with "Connection: keep-alive".
    package var keepAlive: Bool
    /// Whether `path` has segments Go's `path.Clean` would change (`//`, `.`, `..`); see DotSegments.
    package var pathNeedsCleaning: Bool
    /// Whether the first Content-Type field is application/x-www-form-urlencoded (see FormValues): the
    /// parser decides it while validating that field; a built request, from its headers.
    package let hasFormContentType: Bool

    /// The bytes the target, raw path and query are ranges of (the parser's buffer, or built by `init`).
    private let line: [UInt8]
    private let targetRange: Range<Int>
    /// nil for an absolute-form target without a path, whose raw path is "/".
    private let rawPathRange: Range<Int>?
    private let queryRange: Range<Int>
    /// The body, de-chunked: a range of the parser's buffer, or its own bytes.
    let bodyBytes: ArraySlice<UInt8>

    /// The raw request-target as received.
    package var target: String { String(decoding: line[targetRange], as: UTF8.self) }
    /// The path part as received (not decoded); for an absolute-form target, only its path.
    package var rawPath: String {
        guard let rawPathRange else { return "/" }
        return String(decoding: line[rawPathRange], as: UTF8.self)
    }
    /// The raw query string without "?" ("" if none).
    package var query: String { String(decoding: queryBytes, as: UTF8.self) }
    /// The body, de-chunked (a copy; FormValues reads `bodyBytes`).
    package var body: [UInt8] { Array(bodyBytes) }

    /// The decoded path after its first `count` bytes when it starts with `prefix` (ASCII), else nil: the key
    /// of `/v2/keys/<key>`, built from the buffer's bytes. Prefixes are compared as bytes, as Go's mux does.
    /// Cutting after ASCII bytes keeps UTF-8 boundaries, so the result equals the same cut of `path` (invalid
    /// UTF-8 repaired the same way).
    package func pathSuffix(ifPrefix prefix: [UInt8], dropping count: Int) -> String? {
        if let decodedPath {
            let utf8 = decodedPath.utf8
            guard utf8.starts(with: prefix) else { return nil }
            return String(Substring(utf8.dropFirst(count)))
        }
        guard let range = rawSuffix(ifPrefix: prefix, dropping: count) else { return nil }
        return String(decoding: line[range], as: UTF8.self)
    }

    /// `pathSuffix` as bytes: the raw path's, lent without a copy, when it had no escapes. The lock routes
    /// look a name up by its bytes and make its String only for a name they have not seen.
    package func pathSuffixBytes(ifPrefix prefix: [UInt8], dropping count: Int) -> ArraySlice<UInt8>? {
        if let decodedPath {
            let utf8 = decodedPath.utf8
            guard utf8.starts(with: prefix) else { return nil }
            return ArraySlice(utf8.dropFirst(count))
        }
        guard let range = rawSuffix(ifPrefix: prefix, dropping: count) else { return nil }
        return line[range]
    }

    /// Where in `line` the raw path continues after `count` bytes, when it starts with `prefix`.
    private func rawSuffix(ifPrefix prefix: [UInt8], dropping count: Int) -> Range<Int>? {
        guard let rawPathRange, rawPathRange.count >= prefix.count else { return nil }
        let span = line.span, want = prefix.span
        let start = rawPathRange.lowerBound
        for k in 0..<want.count where span[start + k] != want[k] { return nil }
        return (start + count)..<rawPathRange.upperBound
    }

    /// The raw query's bytes, as received.
    var queryBytes: ArraySlice<UInt8> { line[queryRange] }

    /// Creates a request; tests and the server build requests directly with it.
    package init(method: HTTPMethod, target: String, path: String? = nil, rawPath: String? = nil,
                 query: String = "", isHTTP11: Bool = true, headers: HTTPHeaders = HTTPHeaders(),
                 body: [UInt8] = [], keepAlive: Bool = true, pathNeedsCleaning: Bool? = nil) {
        var line = Array(target.utf8)
        targetRange = 0..<line.count
        if let rawPath {
            line.append(contentsOf: rawPath.utf8)
            rawPathRange = targetRange.upperBound..<line.count
        } else {
            rawPathRange = targetRange
        }
        let queryStart = line.count
        line.append(contentsOf: query.utf8)
        queryRange = queryStart..<line.count
        self.line = line
        self.method = method
        self.decodedPath = path ?? rawPath ?? target
        self.isHTTP11 = isHTTP11
        self.headers = headers
        self.bodyBytes = body[...]
        self.keepAlive = keepAlive
        self.pathNeedsCleaning = pathNeedsCleaning ?? DotSegments.needCleaning(decodedPath!.utf8.span)
        self.hasFormContentType = headers.hasMediaType(FormValues.formMediaType)
    }

    /// A request over the parser's buffer.
    init(method: HTTPMethod, decodedPath: String?, pathNeedsCleaning: Bool, line: [UInt8], target: Range<Int>,
         rawPath: Range<Int>?, query: Range<Int>, isHTTP11: Bool, headers: HTTPHeaders, body: ArraySlice<UInt8>,
         keepAlive: Bool, hasFormContentType: Bool) {
        self.method = method
        self.decodedPath = decodedPath
        self.pathNeedsCleaning = pathNeedsCleaning
        self.line = line
        self.targetRange = target
        self.rawPathRange = rawPath
        self.queryRange = query
        self.isHTTP11 = isHTTP11
        self.headers = headers
        self.bodyBytes = body
        self.keepAlive = keepAlive
        self.hasFormContentType = hasFormContentType
    }

    /// Equal parts, wherever their bytes are stored.
    package static func == (a: Request, b: Request) -> Bool {
        a.method == b.method && a.path == b.path && a.isHTTP11 == b.isHTTP11 && a.keepAlive == b.keepAlive
            && a.pathNeedsCleaning == b.pathNeedsCleaning
            && a.line[a.targetRange].elementsEqual(b.line[b.targetRange])
            && a.rawPath == b.rawPath
            && a.queryBytes.elementsEqual(b.queryBytes)
            && a.bodyBytes.elementsEqual(b.bodyBytes)
            && a.headers == b.headers
    }
}
