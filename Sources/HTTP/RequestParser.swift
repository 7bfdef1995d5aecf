// An incremental HTTP/1.x request parser that is a pure function of the bytes from `start` (picohttpparser's
// contract): the same bytes give the same answer however they were split across reads, and a result other
// than `.incomplete` depends only on the bytes up to where it was decided. Every decision on a prefix is
// therefore also the decision on the whole (the fuzz target checks exactly this).
//
// Phases: the request line (validated as soon as its line ending arrives), the header section (its end found
// by the same pass that validates its fields, deciding as a purely structural scan would; no Strings are
// built, so a slow client costs little), then the body (Content-Length or chunked). Limits are checked
// positionally, never against "bytes buffered so far" alone, so a prefix can only reject what the whole
// request would also reject, and the buffer a client can make us hold is bounded: request line + headers +
// body + framing. A connection's last request lines and header section are remembered (ParserMemo) and
// reused when the next bytes are the same.
//
// While a body trickles in, the parsed head is kept together with a copy of the bytes it came from and reused
// only if those exact bytes are still at `start`; so the cache saves re-parsing without ever changing an
// answer, even if the caller hands over a different buffer.
//
// A complete Request shares `buffer` (ranges into it, no copy of the head or a Content-Length body) and
// builds no String unless its path has escapes; see Request.
//
// Line endings: CRLF, or a bare LF as Go's net/http tolerates; a CR anywhere else is a control byte (400).

/// Parses HTTP/1.x requests from a connection's byte buffer.
package struct RequestParser {
    /// The limits this parser enforces.
    package var limits: ParserLimits
    /// The head of a request whose body is still arriving, with the exact bytes it was parsed from: it is
    /// reused only when those bytes are still at `start`, so the answer never depends on it.
    private var resume: Resume?
    /// The connection's last request lines and header section with what they said (see ParserMemo); they never
    /// change an answer. Made when the second request's head is complete.
    private var memo: ParserMemo?
    private var headsParsed = 0

    /// Creates a parser with the given limits.
    package init(limits: ParserLimits = .init()) {
        self.limits = limits
    }

    static let cr: UInt8 = 13
    static let lf: UInt8 = 10
    /// Go's chunked reader refuses chunk-size lines over 4 KiB; so do we, to bound buffering.
    static let maxChunkLineBytes = 4096

    /// Everything before the body, as positions from `start`'s buffer (valid for any buffer with the same
    /// bytes at the same place, which is when `Resume` reuses it).
    private struct Head: Sendable {
        var methodStart: Int
        var line: RequestLine
        var headerStart: Int
        var headerEnd: Int
        var contentType: Range<Int>?
        var formContentType: Bool
        var framing: BodyFraming
        var keepAlive: Bool
        var sendContinue: Bool
        /// Bytes from `start` to the first body byte.
        var length: Int
    }

    private struct Resume: Sendable {
        var start: Int
        var bytes: [UInt8]
        var head: Head

        func matches(_ buffer: [UInt8], _ start: Int) -> Bool {
            start == self.start && buffer.count - start >= bytes.count
                && buffer[start..<(start + bytes.count)].elementsEqual(bytes)
        }
    }

    private enum HeadResult {
        case complete(Head)
        case incomplete
        case invalid(HTTPParseError)
    }

    /// Pure function of buffer[start...]: same bytes → same answer, whatever the split.
    package mutating func parse(_ buffer: [UInt8], from start: Int) -> ParseResult {
        let head: Head
        // Tested without binding it: `if let` copied the (usually absent) Resume on every request.
        if resume != nil && resume!.matches(buffer, start) {
            head = resume!.head
        } else {
            resume = nil
            switch parseHead(buffer, from: start) {
            case .incomplete: return .incomplete(sendContinue: false)
            case .invalid(let error): return .invalid(error)
            case .complete(let parsed): head = parsed
            }
        }
        let bodyStart = start + head.length
        var body: ArraySlice<UInt8> = []
        var bodyEnd = bodyStart
        switch head.framing {
        case .none:
            break
        case .length(let n):
            guard buffer.count - bodyStart >= n else { return waitForBody(head, buffer, start) }
            bodyEnd = bodyStart + n
            body = buffer[bodyStart..<bodyEnd]
        case .chunked:
            var scanner = ChunkedScanner(maxBodyBytes: limits.maxBodyBytes, maxTrailerBytes: limits.maxHeaderBytes)
            switch scanner.scan(buffer, from: bodyStart, copy: false) {
            case .incomplete: return waitForBody(head, buffer, start)
            case .invalid(let error):
                resume = nil
                return .invalid(error)
            case .complete(let after, let size):
                bodyEnd = after
                scanner.body.reserveCapacity(size)
                _ = scanner.scan(buffer, from: bodyStart, copy: true)
                body = scanner.body[...]
            }
        }
        if resume != nil { resume = nil }
        let line = head.line
        let (path, needsCleaning) = line.decodedPath(buffer)
        return .complete(Request(
            method: line.method(buffer, methodStart: head.methodStart), decodedPath: path,
            pathNeedsCleaning: needsCleaning, line: buffer, target: line.targetStart..<line.targetEnd,
            rawPath: line.rawPathRange, query: line.queryRange, isHTTP11: line.isHTTP11,
            headers: HTTPHeaders(section: buffer, from: head.headerStart, to: head.headerEnd,
                                 contentType: head.contentType), body: body,
            keepAlive: head.keepAlive, hasFormContentType: head.formContentType), consumed: bodyEnd - start)
    }

    private mutating func waitForBody(_ head: Head, _ buffer: [UInt8], _ start: Int) -> ParseResult {
        if resume == nil {
            resume = Resume(start: start, bytes: Array(buffer[start..<(start + head.length)]), head: head)
        }
        return .incomplete(sendContinue: head.sendContinue)
    }

    /// The request line, then the header section; nothing here looks at body bytes.
    private mutating func parseHead(_ bytes: [UInt8], from start: Int) -> HeadResult {
        // Scanned through a Span: the same bounds checks as the array's, without its per-access overhead
        // (the head's byte loops cost about half as much; callgrind).
        let buffer = bytes.span
        let end = buffer.count
        var p = start
        guard p < end else { return .incomplete }
        // RFC 7230 §3.5: ignore one empty line before the request line (clients that add CRLF after a body).
        if buffer[p] == Self.lf {
            p += 1
        } else if buffer[p] == Self.cr {
            guard p + 1 < end else { return .incomplete }
            if buffer[p + 1] == Self.lf { p += 2 }
        }
        let lineLimit = limits.maxRequestLineBytes
        let line: RequestLine
        let lineLF: Int
        if let recalled = memo?.line.recall(buffer, at: p, limit: lineLimit) {
            line = recalled.line
            lineLF = recalled.lf
        } else {
            // The line may take max bytes plus CR LF; decide 414 as soon as the content is certainly longer.
            guard let lf = Self.findLF(buffer, from: p, to: min(end, p + lineLimit + 2)) else {
                let seen = end - p
                let over = seen >= lineLimit + 2 || (seen == lineLimit + 1 && buffer[p + lineLimit] != Self.cr)
                return over ? .invalid(.uriTooLong) : .incomplete
            }
            let lineEnd = Self.trimCR(buffer, p, lf)
            if lineEnd - p > lineLimit { return .invalid(.uriTooLong) }
            switch RequestLine.parse(buffer, from: p, to: lineEnd) {
            case .success(var parsed):
                parsed.methodCode = HTTPMethod(token: bytes[p..<parsed.methodEnd]).code
                line = parsed
            case .failure(let error): return .invalid(error)
            }
            lineLF = lf
            memo?.line.remember(bytes, from: p, lineEnd: lineEnd, lf: lf, line: line)
        }

        let headerStart = lineLF + 1
        var headerEnd = 0
        var bodyStart = 0
        var fields: HeaderFields
        if let recalled = memo?.section.recall(buffer, at: headerStart, limit: limits.maxHeaderBytes) {
            fields = recalled.fields
            headerEnd = recalled.emptyLine
            bodyStart = recalled.after
        } else {
            fields = HeaderFields()
            switch fields.parseSection(buffer, from: headerStart, limit: limits.maxHeaderBytes) {
            case .incomplete: return .incomplete
            case .invalid(let error): return .invalid(error)
            case .complete(let emptyLine, let after):
                headerEnd = emptyLine
                bodyStart = after
            }
            memo?.section.remember(bytes, from: headerStart, emptyLine: headerEnd, after: bodyStart, fields: fields)
        }
        if memo == nil {
            headsParsed += 1
            if headsParsed == 2 { memo = ParserMemo() }
        }
        let framing: BodyFraming
        switch fields.framing(maxBodyBytes: limits.maxBodyBytes) {
        case .success(let f): framing = f
        case .failure(let error): return .invalid(error)
        }
        let keepAlive = line.isHTTP11
            ? !fields.connectionClose : (fields.connectionKeepAlive && !fields.connectionClose)
        return .complete(Head(
            methodStart: p, line: line, headerStart: headerStart, headerEnd: headerEnd,
            contentType: fields.contentType, formContentType: fields.formContentType,
            framing: framing, keepAlive: keepAlive,
            sendContinue: fields.expectsContinue && line.isHTTP11, length: bodyStart - start))
    }

    /// The index of the first LF in buffer[from..<to], or nil.
    @inline(__always)
    static func findLF(_ buffer: Span<UInt8>, from: Int, to: Int) -> Int? {
        var i = from
        while i < to {
            if buffer[i] == lf { return i }
            i += 1
        }
        return nil
    }

    /// The end of a line's content: `lf`, or one before it when a CR precedes it.
    @inline(__always)
    static func trimCR(_ buffer: Span<UInt8>, _ lineStart: Int, _ lf: Int) -> Int {
        lf > lineStart && buffer[lf - 1] == cr ? lf - 1 : lf
    }

    enum SectionScan {
        case complete(emptyLine: Int, after: Int)
        case incomplete
        case invalid(HTTPParseError)
    }

    /// What a section scan decides at the start of a line `q`, before looking at the line itself: 431 when
    /// it starts past the limit (the empty line cannot start within it), incomplete at the end of the bytes,
    /// complete at the empty line; nil for a line to read. Shared by `scanSection` and the header parser,
    /// which must decide exactly alike.
    @inline(__always)
    static func lineStart(_ buffer: Span<UInt8>, _ q: Int, window: Int) -> SectionScan? {
        if q > window { return .invalid(.headersTooLarge) }
        guard q < buffer.count else { return .incomplete }
        if buffer[q] == lf { return .complete(emptyLine: q, after: q + 1) }
        if buffer[q] == cr {
            guard q + 1 < buffer.count else { return .incomplete }
            if buffer[q + 1] == lf { return .complete(emptyLine: q, after: q + 2) }
        }
        return nil
    }

    /// Finds the empty line that ends a header (or trailer) section starting at `from`, whose fields may take
    /// at most `limit` bytes; over the limit → 431 as soon as that is certain. With `validate`, each complete
    /// line is also checked as a field (used for trailers, which are discarded).
    static func scanSection(_ buffer: Span<UInt8>, from sectionStart: Int, limit: Int, validate: Bool) -> SectionScan {
        let end = buffer.count
        let window = sectionStart + limit
        var q = sectionStart
        while true {
            if let decided = lineStart(buffer, q, window: window) { return decided }
            // This line is not empty, so its LF must come before `window` for the next line to start in time.
            guard let lineLF = findLF(buffer, from: q, to: min(end, window)) else {
                return end >= window ? .invalid(.headersTooLarge) : .incomplete
            }
            if validate, let error = HeaderFields.checkField(buffer, from: q, to: trimCR(buffer, q, lineLF)) {
                return .invalid(error)
            }
            q = lineLF + 1
        }
    }
}
