// A deliberately simple blocking HTTP/1.1 client over a raw socket, so tests control every byte: pipelining,
// malformed input, half-sent requests, and requests that hang (send now, read later). Reads time out after
// `timeout` seconds so a wrong server never hangs the suite.

import Foundation

struct HTTPTestResponse {
    var status: Int
    var headers: [(String, String)]
    var body: [UInt8]
    var text: String { String(decoding: body, as: UTF8.self) }
    func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }
    /// The body parsed as a JSON object.
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:]
    }
}

final class HTTPTestClient {
    private let fd: Int32
    private var buffer: [UInt8] = []
    var timeout: Double

    init(port: UInt16, host: String = "127.0.0.1", timeout: Double = 10) throws {
        self.timeout = timeout
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw BatonTestError("socket failed") }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = port.bigEndian
        inet_pton(AF_INET, host, &addr.sin_addr)
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else { Glibc.close(fd); throw BatonTestError("connect to \(port) failed: errno \(errno)") }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    private var isOpen = true

    func close() {
        if isOpen { Glibc.close(fd) }
        isOpen = false
    }

    func send(_ text: String) throws { try send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw BatonTestError("send failed: errno \(errno)") }
            sent += n
        }
    }

    /// Sends a request (Content-Type form when there is a body) without reading the answer.
    func sendRequest(_ method: String, _ target: String, body: String? = nil, headers: [(String, String)] = []) throws {
        var head = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        for (k, v) in headers { head += "\(k): \(v)\r\n" }
        if let body {
            if !headers.contains(where: { $0.0.lowercased() == "content-type" }) {
                head += "Content-Type: application/x-www-form-urlencoded\r\n"
            }
            head += "Content-Length: \(body.utf8.count)\r\n"
        }
        try send(head + "\r\n" + (body ?? ""))
    }

    func request(_ method: String, _ target: String, body: String? = nil, headers: [(String, String)] = []) throws -> HTTPTestResponse {
        try sendRequest(method, target, body: body, headers: headers)
        return try readResponse(headOnly: method == "HEAD")
    }

    /// Whether a response (or EOF) arrives within `seconds`; does not consume it.
    func hasData(within seconds: Double) -> Bool {
        if !buffer.isEmpty { return true }
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&p, 1, Int32(seconds * 1000)) > 0
    }

    /// True when the server closed the connection (EOF) within `seconds`.
    func isClosedByPeer(within seconds: Double) -> Bool {
        guard hasData(within: seconds) else { return false }
        return (try? fill()) == 0
    }

    @discardableResult
    private func fill() throws -> Int {
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&p, 1, Int32(timeout * 1000)) > 0 else { throw BatonTestError("read timed out after \(timeout)s") }
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n < 0 { throw BatonTestError("recv failed: errno \(errno)") }
        buffer.append(contentsOf: chunk[0..<n])
        return n
    }

    private func readLine() throws -> String {
        while true {
            if let i = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                var line = Array(buffer[..<i])
                buffer.removeFirst(i + 1)
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                return String(decoding: line, as: UTF8.self)
            }
            if try fill() == 0 { throw BatonTestError("connection closed") }
        }
    }

    private func readBytes(_ count: Int) throws -> [UInt8] {
        while buffer.count < count {
            if try fill() == 0 { throw BatonTestError("connection closed mid-body") }
        }
        let out = Array(buffer[..<count])
        buffer.removeFirst(count)
        return out
    }

    /// Reads a status line and its headers (also of an interim 1xx response).
    func readHead() throws -> (status: Int, headers: [(String, String)]) {
        var statusLine = try readLine()
        while statusLine.isEmpty { statusLine = try readLine() }
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, let status = Int(parts[1]) else { throw BatonTestError("bad status line \(statusLine)") }
        var headers: [(String, String)] = []
        while true {
            let line = try readLine()
            if line.isEmpty { break }
            if let colon = line.firstIndex(of: ":") {
                headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
            }
        }
        return (status, headers)
    }

    func readResponse(headOnly: Bool = false) throws -> HTTPTestResponse {
        let (status, headers) = try readHead()
        var response = HTTPTestResponse(status: status, headers: headers, body: [])
        if status == 100 { return try readResponse(headOnly: headOnly) }
        if headOnly || status == 204 || status == 304 { return response }
        if response.header("Transfer-Encoding")?.lowercased() == "chunked" {
            return response  // streams are read with readChunk()
        }
        if let length = response.header("Content-Length").flatMap(Int.init) {
            response.body = try readBytes(length)
        }
        return response
    }

    /// One chunk of a chunked body (nil at the last chunk).
    func readChunk() throws -> [UInt8]? {
        let sizeLine = try readLine()
        guard let size = Int(sizeLine.split(separator: ";")[0], radix: 16) else { throw BatonTestError("bad chunk size") }
        if size == 0 { _ = try readLine(); return nil }
        let bytes = try readBytes(size)
        _ = try readLine()
        return bytes
    }

    deinit { close() }
}
