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

    /// Parses every line of buffer[from..<to] (a header section without its final empty line).
    mutating func parse(_ buffer: Span<UInt8>, from: Int, to end: Int) -> HTTPParseError? {
        var q = from
        while q < end {
            let lf = RequestParser.findLF(buffer, from: q, to: end) ?? end
            if let error = parseField(buffer, from: q, to: RequestParser.trimCR(buffer, q, lf), keep: true) {
                return error
            }
            q = lf + 1
        }
        return nil
    }

    /// Validates one field line (without its line ending); with `keep`, notes what framing and connection
    /// management need from it.
    mutating func parseField(_ buffer: Span<UInt8>, from: Int, to end: Int, keep: Bool) -> HTTPParseError? {
        var i = from
        while i < end && ASCII.isToken(buffer[i]) { i += 1 }
        guard i < end, buffer[i] == UInt8(ascii: ":") else {
            if from < end && (buffer[from] == 0x20 || buffer[from] == 9) {
                return .badRequest("obsolete line folding")
            }
            return .badRequest("malformed header field")
        }
        guard i > from else { return .badRequest("empty header name") }
        let nameEnd = i
        i += 1
        while i < end && ASCII.isBlank(buffer[i]) { i += 1 }
        var valueEnd = end
        while valueEnd > i && ASCII.isBlank(buffer[valueEnd - 1]) { valueEnd -= 1 }
        for k in i..<valueEnd where !ASCII.isFieldValue(buffer[k]) {
            return .badRequest("control byte in header value")
        }
        guard keep else { return nil }
        note(name: buffer.extracting(from..<nameEnd), value: buffer.extracting(i..<valueEnd), at: i)
        return nil
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
