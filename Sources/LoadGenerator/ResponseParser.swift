// ResponseParser: an incremental HTTP/1.1 response parser, a pure function of the bytes fed to it (no I/O,
// no clock), so it is unit-tested by feeding fixtures split at every offset.
//
// Framing: Content-Length, chunked transfer coding, or no body (1xx, 204, 304, responses to HEAD). A response
// with neither length nor chunking is delimited by the connection's close (`finishAtClose()`). Interim 1xx
// responses (100 Continue) are skipped. Bytes are appended to one buffer and consumed by moving a read
// offset; the buffer is compacted once the consumed part dominates, so a long keep-alive run stays O(bytes).

/// Turns a byte stream into `ClientResponse`s.
package struct ResponseParser {
    package enum Failure: Error, Equatable {
        case malformed(String)
    }

    private var buffer: [UInt8] = []
    private var offset = 0
    /// Largest header section accepted; a server that sends more is treated as broken.
    private let maxHeaderBytes = 64 * 1024

    package init() {}

    /// Bytes buffered but not yet consumed by a complete response.
    package var bufferedCount: Int { buffer.count - offset }

    /// Appends bytes read from the socket.
    package mutating func feed(_ bytes: [UInt8]) {
        if offset == buffer.count {
            buffer = bytes
            offset = 0
        } else {
            if offset > 4096 && offset * 2 > buffer.count {
                buffer.removeSubrange(0..<offset)
                offset = 0
            }
            buffer.append(contentsOf: bytes)
        }
    }

    /// The next complete response, nil when more bytes are needed. `head` says whether the request it
    /// answers was a HEAD (its Content-Length then describes no bytes).
    package mutating func next(head: Bool = false) throws(Failure) -> ClientResponse? {
        while true {
            guard let headEnd = findHeadEnd() else {
                if buffer.count - offset > maxHeaderBytes { throw .malformed("header section too large") }
                return nil
            }
            let parsed = try parseHead(from: offset, to: headEnd)
            let bodyStart = headEnd + 4
            if parsed.status >= 100 && parsed.status < 200 {
                offset = bodyStart
                continue
            }
            if head || parsed.status == 204 || parsed.status == 304 {
                offset = bodyStart
                return ClientResponse(status: parsed.status, closes: parsed.closes)
            }
            if parsed.chunked {
                guard let (body, end) = try decodeChunked(from: bodyStart) else { return nil }
                offset = end
                return ClientResponse(status: parsed.status, closes: parsed.closes, body: body)
            }
            if let length = parsed.contentLength {
                guard buffer.count - bodyStart >= length else { return nil }
                let body = Array(buffer[bodyStart..<(bodyStart + length)])
                offset = bodyStart + length
                return ClientResponse(status: parsed.status, closes: parsed.closes, body: body)
            }
            // Delimited by close: wait for finishAtClose().
            return nil
        }
    }

    /// At the peer's EOF: a response delimited by the close is complete now; nil when nothing is pending.
    package mutating func finishAtClose() -> ClientResponse? {
        guard let headEnd = findHeadEnd(), let parsed = try? parseHead(from: offset, to: headEnd),
              !parsed.chunked, parsed.contentLength == nil else { return nil }
        let body = Array(buffer[(headEnd + 4)...])
        offset = buffer.count
        return ClientResponse(status: parsed.status, closes: true, body: body)
    }

    private struct Head {
        var status: Int
        var contentLength: Int?
        var chunked = false
        var closes = false
    }

    private func findHeadEnd() -> Int? {
        var i = offset
        let end = buffer.count - 3
        while i < end {
            if buffer[i] == 13 && buffer[i + 1] == 10 && buffer[i + 2] == 13 && buffer[i + 3] == 10 { return i }
            i += 1
        }
        return nil
    }

    private func parseHead(from start: Int, to end: Int) throws(Failure) -> Head {
        // "HTTP/1.x SSS reason"
        guard end - start >= 12, buffer[start] == UInt8(ascii: "H"), buffer[start + 4] == UInt8(ascii: "/"),
              buffer[start + 8] == UInt8(ascii: " ") else { throw .malformed("status line") }
        var status = 0
        for i in (start + 9)..<(start + 12) {
            let d = buffer[i]
            guard d >= 48 && d <= 57 else { throw .malformed("status code") }
            status = status * 10 + Int(d - 48)
        }
        var head = Head(status: status)
        // HTTP/1.0 closes unless it says keep-alive.
        let http10 = buffer[start + 7] == UInt8(ascii: "0")
        var keepAlive = false
        var lineStart = nextLine(after: start, limit: end)
        while lineStart < end {
            let lineEnd = nextLineEnd(from: lineStart, limit: end)
            // Header names are matched on the bytes (no String per header): this runs once per response.
            if let colon = buffer[lineStart..<lineEnd].firstIndex(of: UInt8(ascii: ":")) {
                if nameIs("content-length", lineStart, colon) {
                    guard let n = decimal(colon + 1, lineEnd) else { throw .malformed("content-length") }
                    head.contentLength = n
                } else if nameIs("transfer-encoding", lineStart, colon) {
                    head.chunked = contains("chunked", colon + 1, lineEnd)
                } else if nameIs("connection", lineStart, colon) {
                    if contains("close", colon + 1, lineEnd) { head.closes = true }
                    if contains("keep-alive", colon + 1, lineEnd) { keepAlive = true }
                }
            }
            lineStart = lineEnd + 2
        }
        if http10 && !keepAlive { head.closes = true }
        return head
    }

    private func nextLine(after start: Int, limit: Int) -> Int {
        nextLineEnd(from: start, limit: limit) + 2
    }

    private func nextLineEnd(from start: Int, limit: Int) -> Int {
        var i = start
        while i < limit && !(buffer[i] == 13 && buffer[i + 1] == 10) { i += 1 }
        return i
    }

    /// Case-insensitive comparison of buffer[from..<to] with a lowercase ASCII name.
    private func nameIs(_ name: StaticString, _ from: Int, _ to: Int) -> Bool {
        guard to - from == name.utf8CodeUnitCount else { return false }
        var i = from
        for c in name.description.utf8 {
            let b = buffer[i]
            if (b >= 65 && b <= 90 ? b + 32 : b) != c { return false }
            i += 1
        }
        return true
    }

    /// The non-negative decimal in buffer[from..<to], spaces and tabs around it allowed.
    private func decimal(_ from: Int, _ to: Int) -> Int? {
        var a = from, b = to
        while a < b && (buffer[a] == 32 || buffer[a] == 9) { a += 1 }
        while b > a && (buffer[b - 1] == 32 || buffer[b - 1] == 9) { b -= 1 }
        guard a < b, b - a <= 18 else { return nil }
        var n = 0
        for i in a..<b {
            let d = buffer[i]
            guard d >= 48 && d <= 57 else { return nil }
            n = n * 10 + Int(d - 48)
        }
        return n
    }

    /// Whether buffer[from..<to] contains the lowercase ASCII `token`, ignoring case. Bytes, not Strings:
    /// String.contains(String) is a generic Character search and cost ~40,000 instructions per response.
    private func contains(_ token: StaticString, _ from: Int, _ to: Int) -> Bool {
        let t = Array(token.description.utf8)
        guard to - from >= t.count else { return false }
        var i = from
        while i + t.count <= to {
            var j = 0
            while j < t.count {
                let b = buffer[i + j]
                if (b >= 65 && b <= 90 ? b + 32 : b) != t[j] { break }
                j += 1
            }
            if j == t.count { return true }
            i += 1
        }
        return false
    }

    /// Decodes a chunked body starting at `start`; nil while incomplete. Returns the body and the offset
    /// just past the final CRLF (trailers are skipped).
    private func decodeChunked(from start: Int) throws(Failure) -> ([UInt8], Int)? {
        var body: [UInt8] = []
        var i = start
        while true {
            guard let sizeEnd = crlf(from: i) else { return nil }
            var size = 0
            var j = i
            while j < sizeEnd, let v = hexValue(buffer[j]) {
                size = size * 16 + v
                guard size < 1 << 40 else { throw .malformed("chunk size") }
                j += 1
            }
            guard j > i else { throw .malformed("chunk size") }
            i = sizeEnd + 2
            if size == 0 {
                // Trailers until an empty line.
                while true {
                    guard let lineEnd = crlf(from: i) else { return nil }
                    let empty = lineEnd == i
                    i = lineEnd + 2
                    if empty { return (body, i) }
                }
            }
            guard buffer.count - i >= size + 2 else { return nil }
            body.append(contentsOf: buffer[i..<(i + size)])
            i += size
            guard buffer[i] == 13 && buffer[i + 1] == 10 else { throw .malformed("chunk end") }
            i += 2
        }
    }

    private func crlf(from start: Int) -> Int? {
        var i = start
        while i + 1 < buffer.count {
            if buffer[i] == 13 && buffer[i + 1] == 10 { return i }
            i += 1
        }
        return nil
    }

    private func hexValue(_ b: UInt8) -> Int? {
        switch b {
        case 48...57: return Int(b - 48)
        case 97...102: return Int(b - 87)
        case 65...70: return Int(b - 55)
        default: return nil
        }
    }
}
