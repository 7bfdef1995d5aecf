// An incremental HTTP/1.x request parser that is a pure function of the bytes from `start` (picohttpparser's
// contract): the same bytes give the same answer however they were split across reads, and a result other
// than `.incomplete` depends only on the bytes up to where it was decided. Every decision on a prefix is
// therefore also the decision on the whole (the fuzz target checks exactly this).
//
// Phases: the request line (validated as soon as its line ending arrives), a purely structural scan for the
// end of the header section (only line positions, so a slow client costs no String building), then the
// fields, then the body (Content-Length or chunked). Limits are checked positionally, never against "bytes
// buffered so far" alone, so a prefix can only reject what the whole request would also reject, and the
// buffer a client can make us hold is bounded: request line + headers + body + framing.
//
// Line endings: CRLF, or a bare LF as Go's net/http tolerates; a CR anywhere else is a control byte (400).

/// Parses HTTP/1.x requests from a connection's byte buffer.
package struct RequestParser: Sendable {
    /// The limits this parser enforces.
    package var limits: ParserLimits

    /// Creates a parser with the given limits.
    package init(limits: ParserLimits = .init()) {
        self.limits = limits
    }

    static let cr: UInt8 = 13
    static let lf: UInt8 = 10
    /// Go's chunked reader refuses chunk-size lines over 4 KiB; so do we, to bound buffering.
    static let maxChunkLineBytes = 4096

    /// Pure function of buffer[start...]: same bytes → same answer, whatever the split.
    package mutating func parse(_ buffer: [UInt8], from start: Int) -> ParseResult {
        let end = buffer.count
        var p = start
        guard p < end else { return .incomplete(sendContinue: false) }
        // RFC 7230 §3.5: ignore one empty line before the request line (clients that add CRLF after a body).
        if buffer[p] == Self.lf {
            p += 1
        } else if buffer[p] == Self.cr {
            guard p + 1 < end else { return .incomplete(sendContinue: false) }
            if buffer[p + 1] == Self.lf { p += 2 }
        }
        let lineLimit = limits.maxRequestLineBytes
        // The line may take max bytes plus CR LF; decide 414 as soon as the content is certainly longer.
        guard let lineLF = Self.findLF(buffer, from: p, to: min(end, p + lineLimit + 2)) else {
            let seen = end - p
            let over = seen >= lineLimit + 2 || (seen == lineLimit + 1 && buffer[p + lineLimit] != Self.cr)
            return over ? .invalid(.uriTooLong) : .incomplete(sendContinue: false)
        }
        let lineEnd = Self.trimCR(buffer, p, lineLF)
        if lineEnd - p > lineLimit { return .invalid(.uriTooLong) }
        let line: RequestLine
        switch RequestLine.parse(buffer, from: p, to: lineEnd) {
        case .success(let parsed): line = parsed
        case .failure(let error): return .invalid(error)
        }

        let headerStart = lineLF + 1
        var headerEnd = 0
        var bodyStart = 0
        switch Self.scanSection(buffer, from: headerStart, limit: limits.maxHeaderBytes, validate: false) {
        case .incomplete: return .incomplete(sendContinue: false)
        case .invalid(let error): return .invalid(error)
        case .complete(let emptyLine, let after):
            headerEnd = emptyLine
            bodyStart = after
        }
        var fields = HeaderFields()
        if let error = fields.parse(buffer, from: headerStart, to: headerEnd) {
            return .invalid(error)
        }
        let framing: BodyFraming
        switch fields.framing(maxBodyBytes: limits.maxBodyBytes) {
        case .success(let f): framing = f
        case .failure(let error): return .invalid(error)
        }
        let sendContinue = fields.expectsContinue && line.isHTTP11

        var body: [UInt8] = []
        var bodyEnd = bodyStart
        switch framing {
        case .none:
            break
        case .length(let n):
            guard end - bodyStart >= n else { return .incomplete(sendContinue: sendContinue) }
            bodyEnd = bodyStart + n
            body = Array(buffer[bodyStart..<bodyEnd])
        case .chunked:
            var scanner = ChunkedScanner(maxBodyBytes: limits.maxBodyBytes, maxTrailerBytes: limits.maxHeaderBytes)
            switch scanner.scan(buffer, from: bodyStart, copy: false) {
            case .incomplete: return .incomplete(sendContinue: sendContinue)
            case .invalid(let error): return .invalid(error)
            case .complete(let after, let size):
                bodyEnd = after
                scanner.body.reserveCapacity(size)
                _ = scanner.scan(buffer, from: bodyStart, copy: true)
                body = scanner.body
            }
        }

        let keepAlive = line.isHTTP11 ? !fields.connectionClose : (fields.connectionKeepAlive && !fields.connectionClose)
        let request = Request(
            method: line.method, target: line.target, path: line.path, rawPath: line.rawPath,
            query: line.query, isHTTP11: line.isHTTP11, headers: HTTPHeaders(fields.entries),
            body: body, keepAlive: keepAlive)
        return .complete(request, consumed: bodyEnd - start)
    }

    /// The index of the first LF in buffer[from..<to], or nil.
    @inline(__always)
    static func findLF(_ buffer: [UInt8], from: Int, to: Int) -> Int? {
        var i = from
        while i < to {
            if buffer[i] == lf { return i }
            i += 1
        }
        return nil
    }

    /// The end of a line's content: `lf`, or one before it when a CR precedes it.
    @inline(__always)
    static func trimCR(_ buffer: [UInt8], _ lineStart: Int, _ lf: Int) -> Int {
        lf > lineStart && buffer[lf - 1] == cr ? lf - 1 : lf
    }

    enum SectionScan {
        case complete(emptyLine: Int, after: Int)
        case incomplete
        case invalid(HTTPParseError)
    }

    /// Finds the empty line that ends a header (or trailer) section starting at `from`, whose fields may take
    /// at most `limit` bytes; over the limit → 431 as soon as that is certain. With `validate`, each complete
    /// line is also checked as a field (used for trailers, which are discarded).
    static func scanSection(_ buffer: [UInt8], from sectionStart: Int, limit: Int, validate: Bool) -> SectionScan {
        let end = buffer.count
        let window = sectionStart + limit
        var q = sectionStart
        while true {
            // Any line starting past the limit means the empty line cannot start within it.
            if q > window { return .invalid(.headersTooLarge) }
            guard q < end else { return .incomplete }
            if buffer[q] == lf { return .complete(emptyLine: q, after: q + 1) }
            if buffer[q] == cr {
                guard q + 1 < end else { return .incomplete }
                if buffer[q + 1] == lf { return .complete(emptyLine: q, after: q + 2) }
            }
            // This line is not empty, so its LF must come before `window` for the next line to start in time.
            guard let lineLF = findLF(buffer, from: q, to: min(end, window)) else {
                return end >= window ? .invalid(.headersTooLarge) : .incomplete
            }
            if validate {
                var scratch = HeaderFields()
                if let error = scratch.parseField(buffer, from: q, to: trimCR(buffer, q, lineLF), keep: false) {
                    return .invalid(error)
                }
            }
            q = lineLF + 1
        }
    }
}
