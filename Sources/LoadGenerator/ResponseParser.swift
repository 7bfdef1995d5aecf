// ResponseParser: an incremental HTTP/1.1 response parser, a pure function of the bytes fed to it (no I/O,
// no clock), so it is unit-tested by feeding fixtures split at every offset.
//
// Framing: Content-Length, chunked transfer coding, or no body (1xx, 204, 304, responses to HEAD). A response
// with neither length nor chunking is delimited by the connection's close (`finishAtClose()`). Interim 1xx
// responses (100 Continue) are skipped. Bytes are appended to one buffer and consumed by moving a read
// offset; the buffer is compacted once the consumed part dominates, so a long keep-alive run stays O(bytes).

import HTTP

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
            guard let (parsed, bodyStart) = try parseHead() else {
                if buffer.count - offset > maxHeaderBytes { throw .malformed("header section too large") }
                return nil
            }
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
        guard let (parsed, bodyStart) = try? parseHead(), !parsed.chunked, parsed.contentLength == nil
        else { return nil }
        let body = Array(buffer[bodyStart...])
        offset = buffer.count
        return ClientResponse(status: parsed.status, closes: true, body: body)
    }

    private struct Head {
        var status: Int
        var contentLength: Int?
        var chunked = false
        var closes = false
    }

    /// The head of the response at `offset` and where its body starts, nil while its header section is
    /// incomplete. One pass over the lines: a line ends at CRLF only (a bare LF belongs to the line), the
    /// section at an empty line. (The generator parses every response it counts, so this is a good part of
    /// its work per request; finding the section's end first and then parsing it walked the bytes twice.)
    private func parseHead() throws(Failure) -> (Head, bodyStart: Int)? {
        let bytes = buffer.span
        let start = offset
        guard let statusEnd = Self.lineEnd(bytes, from: start) else { return nil }
        // "HTTP/1.x SSS reason"
        guard statusEnd - start >= 12, bytes[start] == UInt8(ascii: "H"), bytes[start + 4] == UInt8(ascii: "/"),
              bytes[start + 8] == UInt8(ascii: " ") else { throw .malformed("status line") }
        var status = 0
        for i in (start + 9)..<(start + 12) {
            let d = bytes[i]
            guard d >= 48 && d <= 57 else { throw .malformed("status code") }
            status = status * 10 + Int(d - 48)
        }
        var head = Head(status: status)
        // HTTP/1.0 closes unless it says keep-alive.
        let http10 = bytes[start + 7] == UInt8(ascii: "0")
        var keepAlive = false
        var lineStart = statusEnd + 2
        while true {
            guard let lineEnd = Self.lineEnd(bytes, from: lineStart) else { return nil }
            if lineEnd == lineStart { break }
            // Header names are matched on the bytes, and only the three the generator acts on, told apart by
            // their length first.
            var colon = lineStart
            while colon < lineEnd && bytes[colon] != UInt8(ascii: ":") { colon += 1 }
            if colon < lineEnd {
                switch colon - lineStart {
                case Self.contentLength.count where Self.nameIs(Self.contentLength, bytes, lineStart):
                    guard let n = decimal(bytes, colon + 1, lineEnd) else { throw .malformed("content-length") }
                    head.contentLength = n
                case Self.transferEncoding.count where Self.nameIs(Self.transferEncoding, bytes, lineStart):
                    head.chunked = Self.contains(Self.chunked, bytes, colon + 1, lineEnd)
                case Self.connection.count where Self.nameIs(Self.connection, bytes, lineStart):
                    if Self.contains(Self.close, bytes, colon + 1, lineEnd) { head.closes = true }
                    if Self.contains(Self.keepAlive, bytes, colon + 1, lineEnd) { keepAlive = true }
                default:
                    break
                }
            }
            lineStart = lineEnd + 2
        }
        if http10 && !keepAlive { head.closes = true }
        return (head, lineStart + 2)
    }

    /// Where the line starting at `start` ends (its CR of CRLF), nil when the buffer has no CRLF after it.
    /// LFs are found eight bytes at a time (`ASCII.firstIndex`); a bare LF belongs to the line.
    private static func lineEnd(_ bytes: Span<UInt8>, from start: Int) -> Int? {
        var i = start + 1  // an LF at `start` cannot end this line (no CR before it)
        while true {
            i = ASCII.firstIndex(of: 10, in: bytes, from: i)
            guard i < bytes.count else { return nil }
            if bytes[i - 1] == 13 { return i - 1 }
            i += 1
        }
    }

    private static let contentLength: [UInt8] = Array("content-length".utf8)
    private static let transferEncoding: [UInt8] = Array("transfer-encoding".utf8)
    private static let connection: [UInt8] = Array("connection".utf8)
    private static let chunked: [UInt8] = Array("chunked".utf8)
    private static let close: [UInt8] = Array("close".utf8)
    private static let keepAlive: [UInt8] = Array("keep-alive".utf8)

    /// Case-insensitive comparison of the name at `from` (as long as `name`) with a lowercase ASCII name.
    private static func nameIs(_ name: [UInt8], _ bytes: Span<UInt8>, _ from: Int) -> Bool {
        let want = name.span
        for k in 0..<want.count {
            let b = bytes[from + k]
            if (b >= 65 && b <= 90 ? b + 32 : b) != want[k] { return false }
        }
        return true
    }

    /// The non-negative decimal in bytes[from..<to], spaces and tabs around it allowed.
    private func decimal(_ bytes: Span<UInt8>, _ from: Int, _ to: Int) -> Int? {
        var a = from, b = to
        while a < b && (bytes[a] == 32 || bytes[a] == 9) { a += 1 }
        while b > a && (bytes[b - 1] == 32 || bytes[b - 1] == 9) { b -= 1 }
        guard a < b, b - a <= 18 else { return nil }
        var n = 0
        for i in a..<b {
            let d = bytes[i]
            guard d >= 48 && d <= 57 else { return nil }
            n = n * 10 + Int(d - 48)
        }
        return n
    }

    /// Whether bytes[from..<to] contains the lowercase ASCII `token`, ignoring case. Bytes, not Strings:
    /// String.contains(String) is a generic Character search and cost ~40,000 instructions per response.
    private static func contains(_ token: [UInt8], _ bytes: Span<UInt8>, _ from: Int, _ to: Int) -> Bool {
        let t = token.span
        guard to - from >= t.count else { return false }
        var i = from
        while i + t.count <= to {
            var j = 0
            while j < t.count {
                let b = bytes[i + j]
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
