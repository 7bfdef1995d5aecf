// SocketAddress: IPv4/IPv6 literals to sockaddr and back, kept in a sockaddr_storage value so no address
// ever needs heap memory. Only literals are accepted: name resolution would block the loop thread.
internal import CLibUV
import Glibc

/// An IPv4 or IPv6 socket address stored inline.
struct SocketAddress {
    private var storage = sockaddr_storage()

    /// Parses an IPv4 or IPv6 literal ("127.0.0.1", "::1"); a bracketed IPv6 ("[::1]") is accepted too.
    init(host: String, port: UInt16) throws(UVError) {
        var literal = host
        if literal.hasPrefix("["), literal.hasSuffix("]") { literal = String(literal.dropFirst().dropLast()) }
        let isIPv6 = literal.contains(":")
        let rc = withUnsafeMutablePointer(to: &storage) { pointer in
            isIPv6
                ? pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { uv_ip6_addr(literal, Int32(port), $0) }
                : pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { uv_ip4_addr(literal, Int32(port), $0) }
        }
        // uv_ip4_addr reports a malformed literal as EINVAL, which is the caller's input, not our bug.
        if rc < 0 { throw UVError(code: rc, operation: isIPv6 ? "uv_ip6_addr" : "uv_ip4_addr") }
    }

    /// Reads the local or peer address of a TCP handle.
    init?(of tcp: UnsafeMutablePointer<uv_tcp_t>, peer: Bool) {
        var length = Int32(MemoryLayout<sockaddr_storage>.size)
        let rc = withUnsafeMutablePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                peer ? uv_tcp_getpeername(tcp, $0, &length) : uv_tcp_getsockname(tcp, $0, &length)
            }
        }
        if rc < 0 { return nil }
    }

    var port: UInt16 {
        var copy = storage
        return withUnsafePointer(to: &copy) { pointer in
            switch Int32(storage.ss_family) {
            case AF_INET6: pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin6_port) }
            case AF_INET: pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin_port) }
            default: 0
            }
        }
    }

    /// "127.0.0.1:53422" or "[::1]:53422".
    var description: String {
        var copy = storage
        var name = [CChar](repeating: 0, count: 64)
        let family = Int32(storage.ss_family)
        let rc = withUnsafePointer(to: &copy) { pointer in
            name.withUnsafeMutableBufferPointer { buffer in
                family == AF_INET6
                    ? pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { uv_ip6_name($0, buffer.baseAddress, buffer.count) }
                    : pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { uv_ip4_name($0, buffer.baseAddress, buffer.count) }
            }
        }
        if rc < 0 { return "?" }
        let host = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return family == AF_INET6 ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// Gives libuv a `const sockaddr*` for the duration of `body`.
    func withSockaddr<R>(_ body: (UnsafePointer<sockaddr>) -> R) -> R {
        var copy = storage
        return withUnsafePointer(to: &copy) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1, body)
        }
    }
}

/// Validates an IPv4/IPv6 literal (for command-line checking).
package func isValidIPAddress(_ host: String) -> Bool {
    var buffer = in6_addr()
    return withUnsafeMutablePointer(to: &buffer) { pointer in
        uv_inet_pton(AF_INET, host, pointer) == 0 || uv_inet_pton(AF_INET6, host, pointer) == 0
    }
}
