// UVError: the one error type of the UV module, and `uvCheck`, the one place a libuv return code becomes a
// Swift error. Recoverable failures (address in use, connection refused, out of descriptors) throw;
// EINVAL and EBADF mean this module passed libuv a bad handle or argument, so they trap instead of being
// handed to a caller who could do nothing sensible with them (swift-nio's "unacceptable errno").
internal import CLibUV

/// A failed libuv call: libuv's negative errno plus the name of the call that failed.
package struct UVError: Error, CustomStringConvertible, Equatable {
    /// libuv's error code, a negative errno (`UV_EADDRINUSE` is `-EADDRINUSE` on Linux).
    package let code: Int32
    /// The libuv function that returned the error, e.g. "uv_tcp_bind".
    package let operation: String

    package init(code: Int32, operation: String) {
        self.code = code
        self.operation = operation
    }

    /// "uv_tcp_bind: address already in use (EADDRINUSE)".
    package var description: String {
        "\(operation): \(String(cString: uv_strerror(code))) (\(name))"
    }

    /// libuv's symbolic name of the code, e.g. "EADDRINUSE".
    package var name: String { String(cString: uv_err_name(code)) }

    /// True when the peer closed its side cleanly (UV_EOF), which is not really a failure.
    package var isEOF: Bool { code == UV_EOF.rawValue }

    /// True for the error libuv reports to callbacks of requests cancelled by a close.
    package var isCancelled: Bool { code == UV_ECANCELED.rawValue }
}

/// Turns a libuv return code into a thrown UVError; zero and positive codes pass through.
/// EINVAL and EBADF are programmer errors in this module and trap.
@discardableResult
func uvCheck(_ rc: Int32, _ operation: String) throws(UVError) -> Int32 {
    if rc >= 0 { return rc }
    precondition(rc != UV_EINVAL.rawValue && rc != UV_EBADF.rawValue,
                 "\(operation) rejected its arguments: \(UVError(code: rc, operation: operation))")
    throw UVError(code: rc, operation: operation)
}

/// For calls that cannot fail unless this module is wrong (uv_timer_init, uv_check_start, ...).
func uvMust(_ rc: Int32, _ operation: String) {
    precondition(rc >= 0, "\(operation) failed: \(UVError(code: rc, operation: operation))")
}
