// BenchTarget: where the load goes, parsed from `--target http://host:port[/path]`. Only IP literals are
// dialled (the loop does no DNS); `localhost` means 127.0.0.1. Requests carry `Host: host:port`.

/// The server under load.
package struct BenchTarget: Equatable, Sendable {
    package var host: String
    package var port: UInt16
    /// The path given in the URL ("" when none or "/"); the `get` scenario requests it when set.
    package var path: String

    package init(host: String, port: UInt16, path: String = "") {
        self.host = host
        self.port = port
        self.path = path
    }

    /// Parses `http://127.0.0.1:4001`, `127.0.0.1:4001/health`, `http://[::1]:4001/`, `http://localhost`.
    package init?(url: String) {
        var rest = Substring(url)
        if rest.hasPrefix("http://") { rest = rest.dropFirst(7) } else if rest.contains("://") { return nil }
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        let authority = rest[..<slash]
        let path = String(rest[slash...])
        var host: Substring
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":") { portText = after.dropFirst() } else if !after.isEmpty { return nil }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        } else {
            host = authority
        }
        guard !host.isEmpty else { return nil }
        if host == "localhost" { host = "127.0.0.1" }
        var port: UInt16 = 80
        if let portText {
            guard let p = UInt16(portText), p > 0 else { return nil }
            port = p
        }
        self.init(host: String(host), port: port, path: path == "/" ? "" : path)
    }

    /// The `Host` header value.
    package var hostHeader: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// True for 127.0.0.0/8, where extra source addresses 127.0.0.x are available.
    package var isIPv4Loopback: Bool { host.hasPrefix("127.") }
}
