// Walks a chunked body (RFC 7230 §4.1): size lines with optional extensions, data, and a trailer section.
// The first pass only checks structure and finds the end, so an incomplete body costs no copying; the
// second pass (after the end is known) copies the data. Limits are decided at structural points only:
// the sum of chunk sizes against maxBodyBytes as each size line arrives (413 before any data is read), the
// framing overhead against a cap (so tiny chunks with long extensions cannot make us buffer without bound),
// and the trailers against maxTrailerBytes (431). Trailer fields are validated, then discarded.

/// Scans (and optionally de-chunks) a chunked body.
struct ChunkedScanner {
    let maxBodyBytes: Int
    let maxTrailerBytes: Int
    /// The de-chunked data of the last `scan(copy: true)`.
    var body: [UInt8] = []

    enum Outcome: Equatable {
        case complete(after: Int, size: Int)
        case incomplete
        case invalid(HTTPParseError)
    }

    init(maxBodyBytes: Int, maxTrailerBytes: Int) {
        self.maxBodyBytes = maxBodyBytes
        self.maxTrailerBytes = maxTrailerBytes
    }

    /// Wire bytes a chunked body may take beyond its data: twice the body limit plus 64 KiB of slack.
    private var wireCap: Int { 2 * maxBodyBytes + 65536 }

    mutating func scan(_ buffer: [UInt8], from bodyStart: Int, copy: Bool) -> Outcome {
        let end = buffer.count
        let span = buffer.span
        var q = bodyStart
        var total = 0
        while true {
            let lineLimit = RequestParser.maxChunkLineBytes
            guard let lf = RequestParser.findLF(span, from: q, to: min(end, q + lineLimit + 1)) else {
                return end - q > lineLimit ? .invalid(.badRequest("chunk size line too long")) : .incomplete
            }
            let size: Int
            switch Self.chunkSize(buffer, from: q, to: RequestParser.trimCR(span, q, lf)) {
            case .success(let s): size = s
            case .failure(let error): return .invalid(error)
            }
            if size > maxBodyBytes - total { return .invalid(.payloadTooLarge) }
            total += size
            q = lf + 1
            if size == 0 { break }
            guard end - q >= size else { return .incomplete }
            if copy { body.append(contentsOf: buffer[q..<(q + size)]) }
            q += size
            guard q < end else { return .incomplete }
            if buffer[q] == RequestParser.lf {
                q += 1
            } else if buffer[q] == RequestParser.cr {
                guard q + 1 < end else { return .incomplete }
                guard buffer[q + 1] == RequestParser.lf else { return .invalid(.badRequest("malformed chunk end")) }
                q += 2
            } else {
                return .invalid(.badRequest("malformed chunk end"))
            }
            if q - bodyStart - total > wireCap { return .invalid(.payloadTooLarge) }
        }
        switch RequestParser.scanSection(span, from: q, limit: maxTrailerBytes, validate: true) {
        case .incomplete: return .incomplete
        case .invalid(let error): return .invalid(error)
        case .complete(_, let after): return .complete(after: after, size: total)
        }
    }

    /// `1*HEXDIG [BWS] [";" chunk-ext]`; Go refuses more than 16 hex digits.
    private static func chunkSize(_ buffer: [UInt8], from: Int, to end: Int) -> Result<Int, HTTPParseError> {
        var i = from
        var size = 0
        while i < end {
            let v = ASCII.hexValue(buffer[i])
            if v == 0xFF { break }
            guard i - from < 16 else { return .failure(.badRequest("chunk size too long")) }
            // Saturate: anything this big is over every body limit, and 16 digits could overflow Int.
            size = min(size << 4 | Int(v), 1 << 40)
            i += 1
        }
        guard i > from else { return .failure(.badRequest("malformed chunk size")) }
        while i < end && (buffer[i] == 0x20 || buffer[i] == 9) { i += 1 }
        if i < end {
            guard buffer[i] == UInt8(ascii: ";") else { return .failure(.badRequest("malformed chunk size")) }
            for k in (i + 1)..<end where !ASCII.isFieldValue(buffer[k]) {
                return .failure(.badRequest("control byte in chunk extension"))
            }
        }
        return .success(size)
    }
}
