// The request line, `METHOD SP request-target SP HTTP/1.x`, validated in one pass over its bytes as soon as
// it is complete (so garbage is rejected early). No String is built here: the Request keeps the ranges of the
// target, raw path and query, and only a path with escapes is decoded into a String up front (see Request).

/// The layout of a validated request line (indices into the buffer).
struct RequestLine: Sendable {
    var methodEnd: Int
    var targetStart: Int
    var targetEnd: Int
    /// Where the path begins: targetStart for origin form, after the authority for absolute form.
    var pathStart: Int
    /// The index of the first '?' in the target, or targetEnd.
    var queryMark: Int
    var isHTTP11: Bool
    var isAsterisk: Bool
    var hasEscape: Bool
    /// Whether the raw path has a segment `path.Clean` would change (the answer when it has no escapes).
    var rawNeedsCleaning = false
    /// `HTTPMethod.code` of the method token, or 0 when not known yet (filled in by the parser).
    var methodCode: UInt8 = 0

    private static let httpScheme: [UInt8] = Array("http://".utf8)
    private static let httpsScheme: [UInt8] = Array("https://".utf8)
    private static let options: [UInt8] = Array("OPTIONS".utf8)

    /// Validates buffer[from..<to] (the line without its line ending), building no Strings.
    static func parse(_ buffer: Span<UInt8>, from: Int, to end: Int) -> Result<RequestLine, HTTPParseError> {
        let sp = UInt8(ascii: " ")
        var i = from
        while i < end && ASCII.isToken(buffer[i]) { i += 1 }
        guard i > from, i < end, buffer[i] == sp else { return .failure(.badRequest("malformed method")) }
        let methodEnd = i
        i += 1
        let targetStart = i
        while i < end && ASCII.isTarget(buffer[i]) { i += 1 }
        guard i > targetStart, i < end, buffer[i] == sp else {
            return .failure(.badRequest("malformed request target"))
        }
        let targetEnd = i
        let isHTTP11: Bool
        switch parseVersion(buffer, from: i + 1, to: end) {
        case .success(let v): isHTTP11 = v
        case .failure(let error): return .failure(error)
        }
        var line = RequestLine(methodEnd: methodEnd, targetStart: targetStart, targetEnd: targetEnd,
                               pathStart: targetStart, queryMark: targetEnd, isHTTP11: isHTTP11,
                               isAsterisk: false, hasEscape: false)
        if let error = line.locatePath(buffer, methodStart: from) { return .failure(error) }
        return .success(line)
    }

    /// "HTTP/1.0" → false, "HTTP/1.n" → true, "HTTP/d.d" with another major → 505, anything else → 400.
    static func parseVersion(_ buffer: Span<UInt8>, from: Int, to end: Int) -> Result<Bool, HTTPParseError> {
        // "HTTP/" compared byte by byte: a static array here was a lazy-initialisation check per byte.
        guard end - from == 8, buffer[from] == UInt8(ascii: "H"), buffer[from + 1] == UInt8(ascii: "T"),
              buffer[from + 2] == UInt8(ascii: "T"), buffer[from + 3] == UInt8(ascii: "P"),
              buffer[from + 4] == UInt8(ascii: "/")
        else { return .failure(.badRequest("malformed HTTP version")) }
        let major = buffer[from + 5], dot = buffer[from + 6], minor = buffer[from + 7]
        let zero = UInt8(ascii: "0")
        guard major &- zero < 10, dot == UInt8(ascii: "."), minor &- zero < 10 else {
            return .failure(.badRequest("malformed HTTP version"))
        }
        guard major == UInt8(ascii: "1") else { return .failure(.versionNotSupported) }
        return .success(minor != zero)
    }

    /// Origin form "/p?q", "*" for OPTIONS, or absolute form "http://host/p?q" (its path is used); checks
    /// the path's percent-escapes, since a bad one is a 400.
    private mutating func locatePath(_ buffer: Span<UInt8>, methodStart: Int) -> HTTPParseError? {
        let from = targetStart, end = targetEnd
        let slash = UInt8(ascii: "/"), question = UInt8(ascii: "?")
        if buffer[from] == slash {
            // Origin form.
        } else if end - from == 1 && buffer[from] == UInt8(ascii: "*") {
            guard methodEnd - methodStart == 7 && ASCII.equals(buffer.extracting(methodStart..<methodEnd), Self.options)
            else {
                return .badRequest("'*' target is only for OPTIONS")
            }
            isAsterisk = true
            return nil
        } else if let schemeLength = Self.schemeLength(buffer, from: from, to: end) {
            pathStart = from + schemeLength
            while pathStart < end && buffer[pathStart] != slash && buffer[pathStart] != question { pathStart += 1 }
            guard pathStart > from + schemeLength else { return .badRequest("absolute target without host") }
        } else {
            return .badRequest("request target must start with '/'")
        }
        var k = pathStart
        while k < end && buffer[k] != question {
            let b = buffer[k]
            if b == UInt8(ascii: "%") {
                guard k + 2 < end, ASCII.hexValue(buffer[k + 1]) != 0xFF, ASCII.hexValue(buffer[k + 2]) != 0xFF
                else { return .badRequest("invalid percent-encoding in path") }
                hasEscape = true
                k += 3
                continue
            }
            // Dot segments are looked for in this pass rather than in another over the path.
            if b == slash && !rawNeedsCleaning {
                rawNeedsCleaning = DotSegments.cleansAfterSlash(buffer, k + 1, end: end, queryEnds: true)
            }
            k += 1
        }
        queryMark = k
        return nil
    }

    /// The decoded path when it is not simply the raw path's bytes (escapes, `*`, an absolute target without
    /// a path), and whether the decoded path needs cleaning. nil: the path is buffer[rawPathRange] as is,
    /// which the Request turns into a String only when asked (the hot routes cut their key from the bytes).
    func decodedPath(_ buffer: [UInt8]) -> (path: String?, needsCleaning: Bool) {
        if isAsterisk { return ("*", false) }
        // "http://host?q": an absolute URI without a path has the path "/".
        if queryMark == pathStart { return ("/", false) }
        // Cleanliness is a property of the decoded path; without escapes those are the bytes in the buffer.
        guard hasEscape else { return (nil, rawNeedsCleaning) }
        let raw = buffer[pathStart..<queryMark]
        // Escapes were validated by `parse`, so decoding cannot fail here. Non-ASCII bytes are decoded as
        // before this code kept ranges: the raw path became a String (invalid UTF-8 repaired) first.
        var nonASCII: UInt8 = 0
        for b in raw { nonASCII |= b }
        let path = nonASCII < 0x80
            ? PercentDecoding.decode(bytes: raw, plusIsSpace: false)
            : PercentDecoding.decode(Substring(String(decoding: raw, as: UTF8.self)), plusIsSpace: false)
        guard let path else { return (String(decoding: raw, as: UTF8.self), DotSegments.needCleaning(raw.span)) }
        return (path, DotSegments.needCleaning(path.utf8.span))
    }

    /// The layout of a line whose bytes up to and including its query's '?' are those of `known` (a validated
    /// line with a query, at the same position), when the rest is query bytes, " HTTP/1.x" and a line ending:
    /// `known` with the new query's end and version, and the position of the line's LF. nil for anything else
    /// (a longer line than `limit`, another shape, a bad byte), for which the caller parses the line in full,
    /// so every error is still decided there. The layout up to the '?' depends only on the bytes before it
    /// (method, path, escapes, dot segments), which is why a release (`?index=N`) can reuse its acquire's.
    static func reparsingQuery(of known: RequestLine, _ buffer: Span<UInt8>, lineStart: Int, limit: Int)
        -> (line: RequestLine, lf: Int)?
    {
        let end = buffer.count
        var i = known.queryMark + 1
        while i < end && ASCII.isTarget(buffer[i]) { i += 1 }
        guard i < end, buffer[i] == UInt8(ascii: " ") else { return nil }
        let targetEnd = i
        let lineEnd = i + 9
        guard lineEnd <= end, lineEnd - lineStart <= limit,
              case .success(let isHTTP11) = parseVersion(buffer, from: i + 1, to: lineEnd)
        else { return nil }
        let lf: Int
        if lineEnd < end && buffer[lineEnd] == RequestParser.lf {
            lf = lineEnd
        } else if lineEnd + 1 < end && buffer[lineEnd] == RequestParser.cr && buffer[lineEnd + 1] == RequestParser.lf {
            lf = lineEnd + 1
        } else {
            return nil
        }
        var line = known
        line.targetEnd = targetEnd
        line.isHTTP11 = isHTTP11
        return (line, lf)
    }

    /// Whether the target has a query ('?' before its end).
    var hasQuery: Bool { queryMark < targetEnd }

    /// The same layout for the same bytes `offset` positions further on (see RequestLineMemo).
    func shifted(by offset: Int) -> RequestLine {
        var moved = self
        moved.methodEnd += offset
        moved.targetStart += offset
        moved.targetEnd += offset
        moved.pathStart += offset
        moved.queryMark += offset
        return moved
    }

    /// The method, the common ones without building a String (and without looking at the token again when
    /// `methodCode` knows it).
    func method(_ buffer: [UInt8], methodStart: Int) -> HTTPMethod {
        if let known = HTTPMethod(code: methodCode) { return known }
        return HTTPMethod(token: buffer[methodStart..<methodEnd])
    }

    /// The raw path's range; nil for an absolute target without a path (its raw path is "/").
    var rawPathRange: Range<Int>? {
        if isAsterisk { return targetStart..<targetEnd }
        return queryMark == pathStart ? nil : pathStart..<queryMark
    }

    /// The query's range without "?" (empty if none).
    var queryRange: Range<Int> {
        queryMark < targetEnd ? (queryMark + 1)..<targetEnd : targetEnd..<targetEnd
    }

    /// The length of a leading "http://" or "https://" (any letter case), or nil.
    private static func schemeLength(_ buffer: Span<UInt8>, from: Int, to end: Int) -> Int? {
        for scheme in [httpScheme, httpsScheme] where end - from >= scheme.count {
            if ASCII.equalsLowercase(buffer.extracting(from..<(from + scheme.count)), scheme) { return scheme.count }
        }
        return nil
    }
}
