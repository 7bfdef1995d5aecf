import Glibc
import Testing
@testable import UV

@Suite struct UVErrorTests {
    /// Ensure that the description names the operation, libuv's message and the errno symbol.
    @Test func description() {
        let error = UVError(code: -EADDRINUSE, operation: "uv_tcp_bind")
        #expect(error.description == "uv_tcp_bind: address already in use (EADDRINUSE)")
        #expect(!error.isEOF)
    }

    /// Ensure that libuv's EOF code is recognised as EOF.
    @Test func eof() {
        #expect(UVError(code: -4095, operation: "uv_read").isEOF)
        #expect(UVError(code: -4095, operation: "uv_read").name == "EOF")
    }
}
