// The request line, `METHOD SP request-target SP HTTP/1.x`, split and validated in one pass over its bytes.
// Strings are built once per part; for an origin-form target without escapes the target, raw path and path
// share one String.

/// The parts of a validated request line.
struct RequestLine: Sendable {
    var method: HTTPMethod
    var target: String
    var path: String
    var rawPath: String
    var query: String
    var isHTTP11: Bool

    private static let httpSlash: [UInt8] = Array("HTTP/".utf8)
    private static let httpScheme: [UInt8] = Array("http://".utf8)
    private static let httpsScheme: [UInt8] = Array("https://".utf8)

    /// Parses buffer[from..<to] (the line without its line ending).
    static func parse(_ buffer: [UInt8], from: Int, to end: Int) -> Result<RequestLine, HTTPParseError> {
        let sp = UInt8(ascii: " ")
        var i = from
        while i < end && ASCII.isToken[Int(buffer[i])] { i += 1 }
        guard i > from, i < end, buffer[i] == sp else { return .failure(.badRequest("malformed method")) }
        let methodEnd = i
        i += 1
        let targetStart = i
        while i < end && ASCII.isTarget[Int(buffer[i])] { i += 1 }
        guard i > targetStart, i < end, buffer[i] == sp else {
            return .failure(.badRequest("malformed request target"))
        }
        let targetEnd = i
        let isHTTP11: Bool
        switch parseVersion(buffer, from: i + 1, to: end) {
        case .success(let v): isHTTP11 = v
        case .failure(let error): return .failure(error)
        }
        let method = HTTPMethod(token: buffer[from..<methodEnd])
        return splitTarget(buffer, from: targetStart, to: targetEnd, method: method).map { parts in
            RequestLine(method: method, target: parts.target, path: parts.path, rawPath: parts.rawPath,
                        query: parts.query, isHTTP11: isHTTP11)
        }
    }

    /// "HTTP/1.0" → false, "HTTP/1.n" → true, "HTTP/d.d" with another major → 505, anything else → 400.
    private static func parseVersion(_ buffer: [UInt8], from: Int, to end: Int) -> Result<Bool, HTTPParseError> {
        guard end - from == 8 else { return .failure(.badRequest("malformed HTTP version")) }
        for k in 0..<5 where buffer[from + k] != httpSlash[k] {
            return .failure(.badRequest("malformed HTTP version"))
        }
        let major = buffer[from + 5], dot = buffer[from + 6], minor = buffer[from + 7]
        let zero = UInt8(ascii: "0")
        guard major &- zero < 10, dot == UInt8(ascii: "."), minor &- zero < 10 else {
            return .failure(.badRequest("malformed HTTP version"))
        }
        guard major == UInt8(ascii: "1") else { return .failure(.versionNotSupported) }
        return .success(minor != zero)
    }

    private struct TargetParts {
        var target: String, path: String, rawPath: String, query: String
    }

    /// Origin form "/p?q", "*" for OPTIONS, or absolute form "http://host/p?q" (its path is used).
    private static func splitTarget(_ buffer: [UInt8], from: Int, to end: Int,
                                    method: HTTPMethod) -> Result<TargetParts, HTTPParseError> {
        let target = String(decoding: buffer[from..<end], as: UTF8.self)
        var pathStart = from
        let slash = UInt8(ascii: "/")
        if buffer[from] == slash {
            // Origin form.
        } else if end - from == 1 && buffer[from] == UInt8(ascii: "*") {
            guard method == .options else { return .failure(.badRequest("'*' target is only for OPTIONS")) }
            return .success(TargetParts(target: target, path: target, rawPath: target, query: ""))
        } else if let schemeLength = schemeLength(buffer, from: from, to: end) {
            pathStart = from + schemeLength
            while pathStart < end && buffer[pathStart] != slash && buffer[pathStart] != UInt8(ascii: "?") {
                pathStart += 1
            }
            guard pathStart > from + schemeLength else { return .failure(.badRequest("absolute target without host")) }
        } else {
            return .failure(.badRequest("request target must start with '/'"))
        }
        var queryMark = pathStart
        while queryMark < end && buffer[queryMark] != UInt8(ascii: "?") { queryMark += 1 }
        let rawPath: String
        if pathStart == from && queryMark == end {
            rawPath = target
        } else if queryMark == pathStart {
            rawPath = "/"  // "http://host?q": the path of an absolute URI without one is "/"
        } else {
            rawPath = String(decoding: buffer[pathStart..<queryMark], as: UTF8.self)
        }
        let query = queryMark < end ? String(decoding: buffer[(queryMark + 1)..<end], as: UTF8.self) : ""
        var hasEscape = false
        for k in pathStart..<queryMark where buffer[k] == UInt8(ascii: "%") {
            hasEscape = true
            break
        }
        let path: String
        if hasEscape {
            guard let decoded = PercentDecoding.decode(Substring(rawPath), plusIsSpace: false) else {
                return .failure(.badRequest("invalid percent-encoding in path"))
            }
            path = decoded
        } else {
            path = rawPath
        }
        return .success(TargetParts(target: target, path: path, rawPath: rawPath, query: query))
    }

    /// The length of a leading "http://" or "https://" (any letter case), or nil.
    private static func schemeLength(_ buffer: [UInt8], from: Int, to end: Int) -> Int? {
        for scheme in [httpScheme, httpsScheme] where end - from >= scheme.count {
            if ASCII.equalsLowercase(buffer[from..<(from + scheme.count)], scheme) { return scheme.count }
        }
        return nil
    }
}
