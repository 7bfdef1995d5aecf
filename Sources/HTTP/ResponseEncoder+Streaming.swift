// Chunked framing for responses whose body is produced over time (etcd's `stream=true` watch): a head with
// `Transfer-Encoding: chunked` and no Content-Length, then one chunk per piece. Such a response never ends
// normally, so the connection is kept open until either side closes it.

extension ResponseEncoder {
    /// Appends the status line and headers of a chunked response (the body follows as chunks).
    package static func encodeStreamHead(_ response: Response, commonLines: [UInt8], into out: inout [UInt8]) {
        var head = response
        head.body = []
        var encoded: [UInt8] = []
        // Encode as a bodyless HEAD-style response, then swap its Content-Length for chunked framing.
        encode(head, headOnly: true, keepAlive: true, http10KeepAlive: false, commonLines: commonLines, into: &encoded)
        let marker = Array("Content-Length: 0\r\n".utf8)
        if let range = encoded.firstRange(of: marker) {
            encoded.replaceSubrange(range, with: Array("Transfer-Encoding: chunked\r\n".utf8))
        }
        out.append(contentsOf: encoded)
    }

    /// Appends one chunk (`<hex size>\r\n<bytes>\r\n`); an empty body appends nothing (it would end the stream).
    package static func appendChunk(_ body: [UInt8], to out: inout [UInt8]) {
        guard !body.isEmpty else { return }
        out.append(contentsOf: Array(String(body.count, radix: 16).utf8))
        out.append(contentsOf: [13, 10])
        out.append(contentsOf: body)
        out.append(contentsOf: [13, 10])
    }
}
