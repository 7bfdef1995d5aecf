// Renders a Response to wire bytes. Fixed parts (the status line of every code, header names, CRLFs) are
// precomputed byte arrays and numbers are written digit by digit, because string interpolation per response
// measurably costs under pipelining (reference: swift-libuv-notes); the output buffer is grown once per
// response. Content-Length is always derived from the body (also for HEAD, whose body is not sent); 1xx,
// 204 and 304 carry neither length nor body (RFC 7230 §3.3.2). Caller-supplied Content-Length/Connection/
// Date fields in `headers` are dropped so the framing this encoder writes is the only framing on the wire.

/// Encodes responses into a connection's output buffer.
package enum ResponseEncoder {
    /// "HTTP/1.1 100 Continue\r\n\r\n".
    package static let continueLine: [UInt8] = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    /// The status lines of 100...599, indexed by status - 100 (a table lookup instead of hashing).
    private static let statusLines: [[UInt8]] = (100...599).map(renderStatusLine)
    private static let contentLengthPrefix: [UInt8] = Array("Content-Length: ".utf8)
    /// "Content-Length: <n>\r\n\r\n" for the lengths most answers have (a keys answer is a few hundred
    /// bytes), rendered once (~70 KiB of small arrays).
    private static let contentLengthLines: [[UInt8]] = (0..<1024).map { n in
        var line = contentLengthPrefix
        appendDecimal(UInt64(n), to: &line)
        line.append(contentsOf: crlfCRLF)
        return line
    }
    private static let connectionClose: [UInt8] = Array("Connection: close\r\n".utf8)
    private static let connectionKeepAlive: [UInt8] = Array("Connection: keep-alive\r\n".utf8)
    private static let colonSpace: [UInt8] = Array(": ".utf8)
    private static let crlf: [UInt8] = [13, 10]
    private static let crlfCRLF: [UInt8] = [13, 10, 13, 10]

    /// Appends the wire form of `response` to `out`. `commonLines` are whole pre-rendered lines every response
    /// of this server carries ("Date: …\r\n", "Server: …\r\n"), or empty. `http10KeepAlive` adds
    /// "Connection: keep-alive" (an HTTP/1.0 client that asked for it).
    ///
    /// `okHead`, when not empty, is "HTTP/1.1 200 OK\r\n" followed by `commonLines`, rendered by the caller
    /// together with them: most answers are 200s, and one append instead of two is measurable per request.
    package static func encode(_ response: Response, headOnly: Bool, keepAlive: Bool, http10KeepAlive: Bool,
                               commonLines: [UInt8], okHead: [UInt8] = [], into out: inout [UInt8]) {
        let status = response.status
        let bodyless = (status >= 100 && status < 200) || status == 204 || status == 304
        let bodyCount = response.bodyCount
        let sendsBody = !headOnly && !bodyless && bodyCount > 0
        let needed = out.count + 128 + commonLines.count + response.headerLines.count
            + (response.headers.isEmpty ? 0 : 256) + (sendsBody ? bodyCount : 0)
        // reserveCapacity grows to exactly what is asked; doubling keeps a batch of pipelined responses
        // appended to one buffer linear.
        if out.capacity < needed { out.reserveCapacity(max(needed, 2 * out.capacity)) }
        if status == 200 && !okHead.isEmpty {
            out.append(contentsOf: okHead)
        } else {
            if status >= 100 && status < 600 {
                out.append(contentsOf: statusLines[status - 100])
            } else {
                out.append(contentsOf: renderStatusLine(status))
            }
            out.append(contentsOf: commonLines)
        }
        out.append(contentsOf: response.headerLines)
        for field in response.headers where !isFramingField(field.name) {
            out.append(contentsOf: field.name.utf8)
            out.append(contentsOf: colonSpace)
            out.append(contentsOf: field.value.utf8)
            out.append(contentsOf: crlf)
        }
        if !bodyless {
            if bodyCount < contentLengthLines.count {
                // A rendered "Content-Length: <n>\r\n\r\n": one append for the length line and, in the
                // common case, the end of the head (three appends and the digits were ~350 instructions).
                if keepAlive && !http10KeepAlive {
                    out.append(contentsOf: contentLengthLines[bodyCount])
                    if sendsBody { appendBody(response, to: &out) }
                    return
                }
                out.append(contentsOf: contentLengthLines[bodyCount].dropLast(2))
            } else {
                out.append(contentsOf: contentLengthPrefix)
                appendDecimal(UInt64(bodyCount), to: &out)
                if keepAlive && !http10KeepAlive {
                    out.append(contentsOf: crlfCRLF)
                    if sendsBody { appendBody(response, to: &out) }
                    return
                }
                out.append(contentsOf: crlf)
            }
        }
        if !keepAlive {
            out.append(contentsOf: connectionClose)
        } else if http10KeepAlive {
            out.append(contentsOf: connectionKeepAlive)
        }
        out.append(contentsOf: crlf)
        if sendsBody { appendBody(response, to: &out) }
    }

    @inline(__always)
    private static func appendBody(_ response: Response, to out: inout [UInt8]) {
        if let decimal = response.decimalBody {
            appendDecimal(decimal, to: &out)
        } else {
            out.append(contentsOf: response.body)
        }
    }

    /// "HTTP/1.1 <code> <reason>\r\n"; an unknown code gets an empty reason, as Go writes it.
    private static func renderStatusLine(_ status: Int) -> [UInt8] {
        var line = Array("HTTP/1.1 ".utf8)
        appendDecimal(status, to: &line)
        line.append(UInt8(ascii: " "))
        line.append(contentsOf: StatusReason.phrase(status).utf8)
        line.append(contentsOf: crlf)
        return line
    }

    private static func isFramingField(_ name: String) -> Bool {
        switch name.utf8.count {
        case 4: ASCII.equalsIgnoringCase(name, "Date")
        case 10: ASCII.equalsIgnoringCase(name, "Connection")
        case 14: ASCII.equalsIgnoringCase(name, "Content-Length")
        case 17: ASCII.equalsIgnoringCase(name, "Transfer-Encoding")
        default: false
        }
    }

    /// Appends the decimal digits of `value` without building a String.
    package static func appendDecimal(_ value: Int, to out: inout [UInt8]) {
        if value < 0 {
            out.append(UInt8(ascii: "-"))
            appendDecimal(UInt64(value.magnitude), to: &out)
        } else {
            appendDecimal(UInt64(value), to: &out)
        }
    }

    /// Appends the decimal digits of `value` without building a String. The digits are gathered eight at a
    /// time in a word (least significant first, each division by a constant a multiply), then written most
    /// significant first through an OutputSpan (one capacity check, no per-byte uniqueness check): ~100
    /// instructions for an index, where appending a byte per digit and then storing through the array's
    /// subscript was ~250 (a keys PUT writes five numbers; callgrind).
    package static func appendDecimal(_ value: UInt64, to out: inout [UInt8]) {
        if value < 10 {
            out.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value))
            return
        }
        if value >= 100_000_000 {
            appendDecimal(value / 100_000_000, to: &out)
            appendDigits(of: value % 100_000_000, count: 8, to: &out)
            return
        }
        appendDigits(of: value, count: decimalDigits(value), to: &out)
    }

    /// Appends the decimal digits of `value` twice, the second time after `between` (a header block's
    /// `X-Etcd-Index` and `X-Raft-Index`, a node's modifiedIndex and createdIndex, which a write makes
    /// equal): the digits are worked out once.
    package static func appendDecimalTwice(_ value: UInt64, separatedBy between: [UInt8], to out: inout [UInt8]) {
        guard value >= 10 && value < 100_000_000 else {
            appendDecimal(value, to: &out)
            out.append(contentsOf: between)
            appendDecimal(value, to: &out)
            return
        }
        let digits = decimalDigits(value)
        let packed = packDigits(of: value, count: digits)
        appendPacked(packed, count: digits, to: &out)
        out.append(contentsOf: between)
        appendPacked(packed, count: digits, to: &out)
    }

    /// Overwrites the digits of `old` that end (exclusive) at `first` and at `second` of `bytes` with those of
    /// `value`, which has as many digits: a rendered block whose numbers are replaced by ones of the same
    /// length keeps its layout. Only the trailing digits that differ are stored (one, mostly, for the next
    /// index), in place (one uniqueness check): ~50 instructions where rendering the block's tail again was
    /// ~700 (callgrind). `second` may equal `first` for a single number.
    package static func overwriteDecimal(_ value: UInt64, replacing old: UInt64, endingAt first: Int, and second: Int,
                                         in bytes: inout [UInt8]) {
        var span = bytes.mutableSpan
        var v = value, o = old
        var position = 0
        // Digits are equal from where the remaining leading parts are.
        while v != o {
            position += 1
            let digit = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: v % 10)
            span[first - position] = digit
            span[second - position] = digit
            v /= 10
            o /= 10
        }
    }

    /// `overwriteDecimal` for two numbers at once (the keys API's two index headers, a node's modifiedIndex
    /// and createdIndex), each with as many digits as the one it replaces: one pass when both pairs are
    /// equal numbers (a set or create: one index written twice), else one per number.
    package static func overwriteDecimals(_ values: (UInt64, UInt64), replacing old: (UInt64, UInt64),
                                          endingAt first: Int, _ second: Int, in bytes: inout [UInt8]) {
        if values.0 == values.1 && old.0 == old.1 {
            overwriteDecimal(values.0, replacing: old.0, endingAt: first, and: second, in: &bytes)
        } else {
            overwriteDecimal(values.0, replacing: old.0, endingAt: first, and: first, in: &bytes)
            overwriteDecimal(values.1, replacing: old.1, endingAt: second, and: second, in: &bytes)
        }
    }

    /// Appends the last `count` (at most 8) decimal digits of `value`, zero-padded.
    @inline(__always)
    private static func appendDigits(of value: UInt64, count: Int, to out: inout [UInt8]) {
        appendPacked(packDigits(of: value, count: count), count: count, to: &out)
    }

    /// The last `count` (at most 8) digits of `value` as ASCII, byte k of the word being the k-th from the left.
    @inline(__always)
    private static func packDigits(of value: UInt64, count: Int) -> UInt64 {
        var packed: UInt64 = 0
        var v = value
        for _ in 0..<count {
            packed = packed << 8 | (UInt64(UInt8(ascii: "0")) &+ v % 10)
            v /= 10
        }
        return packed
    }

    @inline(__always)
    private static func appendPacked(_ packed: UInt64, count: Int, to out: inout [UInt8]) {
        out.append(addingCapacity: count) { output in
            var p = packed
            for _ in 0..<count {
                output.append(UInt8(truncatingIfNeeded: p))
                p >>= 8
            }
        }
    }

    /// The number of decimal digits of `value` (at least 1). Inlinable, and comparisons rather than a loop
    /// for the indexes a server reaches: the node memo and the index header block ask for ten digit counts
    /// per write, and a call with a loop was ~33 instructions each (callgrind).
    @inlinable @inline(__always)
    package static func decimalDigits(_ value: UInt64) -> Int {
        if value < 100_000 {
            if value < 100 { return value < 10 ? 1 : 2 }
            return value < 1_000 ? 3 : value < 10_000 ? 4 : 5
        }
        if value < 10_000_000 { return value < 1_000_000 ? 6 : 7 }
        var digits = 8
        var bound: UInt64 = 100_000_000
        while digits < 20 && value >= bound {
            digits += 1
            bound = bound &* 10
        }
        return digits
    }
}
