// Everything the command line can set, with the defaults SPEC §6–7 names. A plain value: the command line
// (Sources/baton) fills it, BatonServer reads it once at start.

/// Settings of one Baton server process.
package struct ServerConfig: Sendable {
    /// Advertised client address `host:port` (etcd `-addr`); `/v2/machines` reports `http://<addr>`.
    package var advertisedAddress = "127.0.0.1:4001"
    /// Listen address `host:port` (etcd `-bind-addr`); nil = same as `advertisedAddress`.
    package var bindAddress: String? = nil
    /// Member name reported by the stats endpoints (etcd `-name`).
    package var name = "baton"
    /// Peer address reported by `/v2/leader` (etcd `-peer-addr`).
    package var peerAddress = "127.0.0.1:7001"
    /// Write-ahead log directory; nil = run in memory (`-memory`).
    package var dataDirectory: String? = "default.baton"
    /// Acknowledge a write only after its log batch was fdatasync'ed (`-sync=always`); false = at once.
    package var syncWrites = true
    /// A snapshot of the tree is written after this many logged commands (`-snapshot-count`).
    package var snapshotCount = 10_000
    /// Fault injection for tests (hidden flag): log writes fail with ENOSPC after this many bytes.
    package var failWritesAfterBytes: Int? = nil
    /// Allowed CORS origins; empty = CORS off; ["*"] = any origin.
    package var corsOrigins: [String] = []
    /// Clients beyond this many open connections are answered 503 and closed.
    package var maxConnections = 10_000
    /// Largest request body accepted (413 beyond, decided before reading it).
    package var maxBodyBytes = 1 << 20
    /// Largest header section accepted (431 beyond).
    package var maxHeaderBytes = 8 << 10
    /// A client must send a complete header block within this many milliseconds of its first byte.
    package var headerTimeoutMilliseconds: Int64 = 10_000
    /// An idle keep-alive connection is closed after this many milliseconds (hanging requests never are).
    package var idleTimeoutMilliseconds: Int64 = 120_000
    /// How long a SIGINT/SIGTERM shutdown may take before remaining connections are cut.
    package var shutdownGraceMilliseconds: Int64 = 1_500

    package init() {}

    /// The address to listen on, split into host and port.
    package var listenHostPort: (host: String, port: UInt16)? {
        ServerConfig.splitHostPort(bindAddress ?? advertisedAddress)
    }

    /// Splits `host:port`, `[v6]:port`; "localhost" maps to 127.0.0.1 (etcd users write `-addr localhost:4001`).
    package static func splitHostPort(_ text: String) -> (host: String, port: UInt16)? {
        var host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { return nil }
            portText = rest.dropFirst()
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard let port = UInt16(portText), !host.isEmpty else { return nil }
        if host == "localhost" { host = "127.0.0.1" }
        return (String(host), port)
    }
}
