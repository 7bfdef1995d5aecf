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

    private static let contentLengthName: [UInt8] = Array("content-length".utf8)
    private static let transferEncodingName: [UInt8] = Array("transfer-encoding".utf8)
    private static let connectionName: [UInt8] = Array("connection".utf8)
    private static let expectName: [UInt8] = Array("expect".utf8)
    private static let contentTypeName: [UInt8] = Array("content-type".utf8)
    private static let chunkedToken: [UInt8] = Array("chunked".utf8)
    private static let closeToken: [UInt8] = Array("close".utf8)
    private static let keepAliveToken: [UInt8] = Array("keep-alive".utf8)
    private static let continueToken: [UInt8] = Array("100-continue".utf8)

    /// Parses every line of buffer[from..<to] (a header section without its final empty line, so every
    /// line ends with LF). One pass per line: the scan that validates the value also finds the line's end,
    /// since neither CR nor LF is a value byte (a separate LF search was ~5 instructions per header byte).
    mutating func parse(_ buffer: Span<UInt8>, from: Int, to end: Int) -> HTTPParseError? {
        var q = from
        while q < end {
            var i: Int
            switch Self.nameEnd(buffer, from: q, to: end) {
            case .success(let n): i = n
            case .failure(let error): return error
            }
            let nameEnd = i
            var k = i + 1
            while k < end && ASCII.isFieldValue(buffer[k]) { k += 1 }
            // k is at the line ending, or at a control byte (a CR not followed by LF is one).
            let lf: Int
            if k < end && buffer[k] == RequestParser.lf {
                lf = k
            } else if k + 1 < end && buffer[k] == RequestParser.cr && buffer[k + 1] == RequestParser.lf {
                lf = k + 1
            } else {
                return .badRequest("control byte in header value")
            }
            i += 1
            while i < k && ASCII.isBlank(buffer[i]) { i += 1 }
            var valueEnd = k
            while valueEnd > i && ASCII.isBlank(buffer[valueEnd - 1]) { valueEnd -= 1 }
            note(name: buffer.extracting(q..<nameEnd), value: buffer.extracting(i..<valueEnd), at: i)
            q = lf + 1
        }
        return nil
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
