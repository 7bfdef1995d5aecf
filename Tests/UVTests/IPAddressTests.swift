import Testing
@testable import UV

@Suite struct IPAddressTests {
    /// Ensure that IPv4 and IPv6 literals are accepted.
    @Test(arguments: ["127.0.0.1", "0.0.0.0", "255.255.255.255", "::", "::1", "fe80::1", "2001:db8::8:800:200c:417a"])
    func validLiterals(_ host: String) {
        #expect(isValidIPAddress(host))
    }

    /// Ensure that host names, ports and malformed literals are rejected.
    @Test(arguments: ["", "localhost", "256.0.0.1", "1.2.3", "127.0.0.1:80", "::g", "[::1]", " 127.0.0.1"])
    func invalidLiterals(_ host: String) {
        #expect(!isValidIPAddress(host))
    }
}
