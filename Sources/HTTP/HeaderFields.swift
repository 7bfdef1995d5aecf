// Parses a complete header section into fields and extracts what framing and connection management need.
// Syntax follows RFC 7230 §3.2 as Go's net/http enforces it: a token name directly followed by ':', a value
// trimmed of OWS, no control bytes, no obs-fold. Semantics (which body, which status) are decided after all
// fields are read, in Go's order: malformed field → 400, unsupported Transfer-Encoding → 501, then the
// request-smuggling checks (Content-Length with Transfer-Encoding, disagreeing Content-Lengths) → 400.

/// How the body of a request is delimited.
enum BodyFraming: Equatable {
    case none
    case length(Int)
    case chunked
}

/// The facts the parser derives from the fields of one header section. The fields themselves are not
/// recorded: HTTPHeaders walks the validated section again when asked (see there).
struct HeaderFields {
    var contentLength: Int? = nil
    var contentLengthInvalid = false
    var contentLengthConflict = false
    var transferEncodingCount = 0
    var chunked = false
    var connectionClose = false
    var connectionKeepAlive = false
    var expectsContinue = false
    /// The value of the first Content-Type field (FormValues asks for it on every PUT and POST).
    var contentType: Range<Int>? = nil
    /// That Content-Type is application/x-www-form-urlencoded (parameters allowed): decided here, on the
    /// bytes already at hand, since every PUT and POST asks (through the Request's headers it cost ~1,000
    /// instructions per keys PUT; callgrind).
    var formContentType = false

    private static let contentLengthName: [UInt8] = Array("content-length".utf8)
    private static let transferEncodingName: [UInt8] = Array("transfer-encoding".utf8)
    private static let connectionName: [UInt8] = Array("connection".utf8)
    private static let expectName: [UInt8] = Array("expect".utf8)
    private static let contentTypeName: [UInt8] = Array("content-type".utf8)
    private static let chunkedToken: [UInt8] = Array("chunked".utf8)
    private static let closeToken: [UInt8] = Array("close".utf8)
    private static let keepAliveToken: [UInt8] = Array("keep-alive".utf8)
    private static let continueToken: [UInt8] = Array("100-continue".utf8)

    /// Finds the end of the header section that starts at `sectionStart` and parses its fields, in one pass:
    /// the scan that validates a field's value also finds its line's end, since neither CR nor LF is a value
    /// byte (a structural scan for the empty line and then a second pass over the fields cost ~5 instructions
    /// per header byte more). Decides exactly what `RequestParser.scanSection` (limit `limit`, no validation)
    /// followed by a field check of the complete section decides: 431 and "incomplete" by line positions
    /// alone, and a malformed field only once the section is complete within its limit — from a bad line on,
    /// the rest is left to `scanSection` itself.
    mutating func parseSection(_ buffer: Span<UInt8>, from sectionStart: Int, limit: Int) -> RequestParser.SectionScan {
        let end = buffer.count
        let window = sectionStart + limit
        var q = sectionStart
        while true {
            // The same checks, in the same order, as scanSection's at each line start.
            if let decided = RequestParser.lineStart(buffer, q, window: window) { return decided }
            switch parseLine(buffer, from: q) {
            case .field(let lineLF):
                // scanSection looks for this LF below `window` only.
                if lineLF >= window { return .invalid(.headersTooLarge) }
                q = lineLF + 1
            case .unterminated:
                // No LF in buffer[q...]: scanSection's search up to min(end, window) fails too.
                return end >= window ? .invalid(.headersTooLarge) : .incomplete
            case .invalid(let error):
                switch RequestParser.scanSection(buffer, from: q, limit: window - q, validate: false) {
                case .complete: return .invalid(error)
                case let other: return other
                }
            }
        }
    }

    private enum LineResult {
        /// A well-formed field, noted; its line ends with the LF at this position.
        case field(lf: Int)
        /// The buffer ends before the line does (no LF in it yet).
        case unterminated
        /// A malformed field (the line may or may not be complete).
        case invalid(HTTPParseError)
    }

    /// Parses the field line starting at `q` (not an empty line) up to its LF.
    private mutating func parseLine(_ buffer: Span<UInt8>, from q: Int) -> LineResult {
        let end = buffer.count
        var i = q
        while i < end && ASCII.isToken(buffer[i]) { i += 1 }
        guard i < end else { return .unterminated }
        guard buffer[i] == UInt8(ascii: ":") else {
            if ASCII.isBlank(buffer[q]) { return .invalid(.badRequest("obsolete line folding")) }
            return .invalid(.badRequest("malformed header field"))
        }
        guard i > q else { return .invalid(.badRequest("empty header name")) }
        let nameEnd = i
        var k = i + 1
        while k < end && ASCII.isFieldValue(buffer[k]) { k += 1 }
        // k is at the line ending, at a control byte (a CR not followed by LF is one), or at the end.
        guard k < end else { return .unterminated }
        let lineLF: Int
        if buffer[k] == RequestParser.lf {
            lineLF = k
        } else if buffer[k] == RequestParser.cr {
            guard k + 1 < end else { return .unterminated }
            guard buffer[k + 1] == RequestParser.lf else { return .invalid(.badRequest("control byte in header value")) }
            lineLF = k + 1
        } else {
            return .invalid(.badRequest("control byte in header value"))
        }
        i += 1
        while i < k && ASCII.isBlank(buffer[i]) { i += 1 }
        var valueEnd = k
        while valueEnd > i && ASCII.isBlank(buffer[valueEnd - 1]) { valueEnd -= 1 }
        note(name: buffer.extracting(q..<nameEnd), value: buffer.extracting(i..<valueEnd), at: i)
        return .field(lf: lineLF)
    }

    /// Validates one field line (without its line ending): trailer fields, which are discarded.
    static func checkField(_ buffer: Span<UInt8>, from: Int, to end: Int) -> HTTPParseError? {
        var i: Int
        switch nameEnd(buffer, from: from, to: end) {
        case .success(let n): i = n + 1
        case .failure(let error): return error
        }
        while i < end && ASCII.isBlank(buffer[i]) { i += 1 }
        var valueEnd = end
        while valueEnd > i && ASCII.isBlank(buffer[valueEnd - 1]) { valueEnd -= 1 }
        for k in i..<valueEnd where !ASCII.isFieldValue(buffer[k]) {
            return .badRequest("control byte in header value")
        }
        return nil
    }

    /// The index of the ':' that ends a field's token name starting at `from` (a non-empty line).
    private static func nameEnd(_ buffer: Span<UInt8>, from: Int, to end: Int) -> Result<Int, HTTPParseError> {
        var i = from
        while i < end && ASCII.isToken(buffer[i]) { i += 1 }
        guard i < end, buffer[i] == UInt8(ascii: ":") else {
            if from < end && ASCII.isBlank(buffer[from]) { return .failure(.badRequest("obsolete line folding")) }
            return .failure(.badRequest("malformed header field"))
        }
        guard i > from else { return .failure(.badRequest("empty header name")) }
        return .success(i)
    }

    /// `valueStart`: where the value begins in the buffer.
    private mutating func note(name: Span<UInt8>, value valueBytes: Span<UInt8>, at valueStart: Int) {
        switch name.count {
        case 14 where ASCII.equalsLowercase(name, Self.contentLengthName):
            guard let n = Self.decimal(valueBytes) else {
                contentLengthInvalid = true
                return
            }
            if let previous = contentLength, previous != n { contentLengthConflict = true }
            contentLength = n
        case 17 where ASCII.equalsLowercase(name, Self.transferEncodingName):
            transferEncodingCount += 1
            chunked = ASCII.equalsLowercase(valueBytes, Self.chunkedToken)
        case 10 where ASCII.equalsLowercase(name, Self.connectionName):
            if ASCII.listContains(valueBytes, Self.closeToken) { connectionClose = true }
            if ASCII.listContains(valueBytes, Self.keepAliveToken) { connectionKeepAlive = true }
        case 12 where contentType == nil && ASCII.equalsLowercase(name, Self.contentTypeName):
            contentType = valueStart..<(valueStart + valueBytes.count)
            formContentType = HTTPHeaders.mediaType(valueBytes, is: FormValues.formMediaType)
        case 6 where ASCII.equalsLowercase(name, Self.expectName):
            if ASCII.equalsLowercase(valueBytes, Self.continueToken) { expectsContinue = true }
        default:
            break
        }
    }

    /// Digits only (Go: strconv.ParseUint base 10 of the trimmed value); nil when empty, signed or overflowing.
    private static func decimal(_ bytes: Span<UInt8>) -> Int? {
        guard !bytes.isEmpty else { return nil }
        var n = 0
        for k in 0..<bytes.count {
            let d = bytes[k] &- UInt8(ascii: "0")
            guard d < 10 else { return nil }
            let (m, o1) = n.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(Int(d))
            guard !o1, !o2 else { return nil }
            n = s
        }
        return n
    }

    /// Decides the body framing, or the error that rejects the request.
    func framing(maxBodyBytes: Int) -> Result<BodyFraming, HTTPParseError> {
        if transferEncodingCount > 0 {
            guard transferEncodingCount == 1, chunked else { return .failure(.notImplemented) }
            guard contentLength == nil, !contentLengthInvalid else {
                return .failure(.badRequest("both Content-Length and Transfer-Encoding"))
            }
            return .success(.chunked)
        }
        if contentLengthInvalid { return .failure(.badRequest("invalid Content-Length")) }
        if contentLengthConflict { return .failure(.badRequest("conflicting Content-Length headers")) }
        guard let n = contentLength else { return .success(.none) }
        if n > maxBodyBytes { return .failure(.payloadTooLarge) }
        return .success(n == 0 ? .none : .length(n))
    }
}
