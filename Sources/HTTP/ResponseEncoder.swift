// Renders a Response to wire bytes. Fixed parts (status lines of the common statuses, header names, CRLFs)
// are precomputed byte arrays and numbers are written digit by digit, because string interpolation per
// response measurably costs under pipelining (reference: swift-libuv-notes). Content-Length is always
// derived from the body (also for HEAD, whose body is not sent); 1xx, 204 and 304 carry neither length nor
// body (RFC 7230 §3.3.2). Caller-supplied Content-Length/Connection/Date fields are dropped so the framing
// this encoder writes is the only framing on the wire.

/// Encodes responses into a connection's output buffer.
package enum ResponseEncoder {
    /// "HTTP/1.1 100 Continue\r\n\r\n".
    package static let continueLine: [UInt8] = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    private static let statusLines: [Int: [UInt8]] = {
        var lines: [Int: [UInt8]] = [:]
        for (code, _) in StatusReason.table { lines[code] = renderStatusLine(code) }
        return lines
    }()
    private static let contentLengthPrefix: [UInt8] = Array("Content-Length: ".utf8)
    private static let connectionClose: [UInt8] = Array("Connection: close\r\n".utf8)
    private static let connectionKeepAlive: [UInt8] = Array("Connection: keep-alive\r\n".utf8)
    private static let colonSpace: [UInt8] = Array(": ".utf8)
    private static let crlf: [UInt8] = [13, 10]

    /// Appends the wire form of `response` to `out`. `dateLine` is a whole pre-rendered line ("Date: …\r\n")
    /// or empty. `http10KeepAlive` adds "Connection: keep-alive" (an HTTP/1.0 client that asked for it).
    package static func encode(_ response: Response, headOnly: Bool, keepAlive: Bool, http10KeepAlive: Bool,
                               dateLine: [UInt8], into out: inout [UInt8]) {
        let status = response.status
        let bodyless = (status >= 100 && status < 200) || status == 204 || status == 304
        out.reserveCapacity(out.count + 160 + (headOnly || bodyless ? 0 : response.body.count))
        if let line = statusLines[status] {
            out.append(contentsOf: line)
        } else {
            out.append(contentsOf: renderStatusLine(status))
        }
        out.append(contentsOf: dateLine)
        for field in response.headers where !isFramingField(field.name) {
            out.append(contentsOf: field.name.utf8)
            out.append(contentsOf: colonSpace)
            out.append(contentsOf: field.value.utf8)
            out.append(contentsOf: crlf)
        }
        if !bodyless {
            out.append(contentsOf: contentLengthPrefix)
            appendDecimal(response.body.count, to: &out)
            out.append(contentsOf: crlf)
        }
        if !keepAlive {
            out.append(contentsOf: connectionClose)
        } else if http10KeepAlive {
            out.append(contentsOf: connectionKeepAlive)
        }
        out.append(contentsOf: crlf)
        if !headOnly && !bodyless { out.append(contentsOf: response.body) }
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

    /// Appends the decimal digits of `value` without building a String.
    package static func appendDecimal(_ value: UInt64, to out: inout [UInt8]) {
        if value < 10 {
            out.append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        var divisor: UInt64 = 1
        while value / divisor >= 10 { divisor *= 10 }
        var v = value
        while divisor > 0 {
            out.append(UInt8(ascii: "0") + UInt8(v / divisor))
            v %= divisor
            divisor /= 10
        }
    }
}
