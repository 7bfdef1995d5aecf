// `baton serve`: validates the flags into a ServerConfig, prepares the data directory and runs the server
// until SIGINT/SIGTERM. Any problem at start is one line on stderr and exit status 1, never a stack trace.

import ArgumentParser
import Foundation
import Logging
import Server

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the server (the default command).")

    @Option(name: both("addr"), help: "Advertised client address host:port.")
    var addr = "127.0.0.1:4001"
    @Option(name: both("bind-addr"), help: "Listen address host:port (default: from -addr).")
    var bindAddr: String?
    @Option(name: both("name"), help: "Member name reported by the stats endpoints.")
    var name = "baton"
    @Option(name: both("peer-addr"), help: "Peer address reported by /v2/leader.")
    var peerAddr = "127.0.0.1:7001"
    @Option(name: both("data-dir"), help: "Directory of the write-ahead log and snapshots.")
    var dataDir = "default.baton"
    @Flag(name: both("memory"), help: "Keep everything in memory (no data directory).")
    var memory = false
    @Option(name: both("sync"), help: "always: acknowledge a write after its log batch is fsynced; none: at once.")
    var sync = "always"
    @Option(name: both("snapshot-count"), help: "Write a snapshot of the tree after this many logged commands.")
    var snapshotCount = 10_000
    @Option(name: both("fail-writes-after"), help: .hidden)
    var failWritesAfter: Int?
    @Option(name: both("cors"), help: "Comma-separated allowed CORS origins, or '*'.")
    var cors = ""
    @Option(name: both("max-connections"), help: "Open client connections allowed; more are answered 503.")
    var maxConnections = 10_000
    @Option(name: both("max-body-bytes"), help: "Largest request body (413 beyond).")
    var maxBodyBytes = 1 << 20
    @Option(name: both("max-header-bytes"), help: "Largest request header section (431 beyond).")
    var maxHeaderBytes = 8 << 10
    @Option(name: both("header-timeout"), help: "Seconds a client has to send a complete request head.")
    var headerTimeout = 10.0
    @Option(name: both("idle-timeout"), help: "Seconds before an idle keep-alive connection is closed.")
    var idleTimeout = 120.0
    @Option(name: both("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel = "info"

    func run() throws {
        guard let level = Logger.Level(rawValue: logLevel) else { fail("invalid -log-level \"\(logLevel)\"") }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let config = try makeConfig()
        if let dir = config.dataDirectory { prepareDataDirectory(dir) }
        let server: BatonServer
        do {
            server = try BatonServer(config: config, logger: Logger(label: "baton"))
        } catch {
            fail(error.description)
        }
        // Exit without tearing down: the log is already flushed and closed, freeing a million-node tree
        // takes most of a second, and exit() would run libuv's library destructor, which joins the thread
        // pool and so waits for an abandoned snapshot job. (withExtendedLifetime: Swift would otherwise
        // free the server right after its last use, before _exit.)
        withExtendedLifetime(server) {
            let status = server.run()
            fflush(nil)
            _exit(status)
        }
    }

    private func makeConfig() throws -> ServerConfig {
        var config = ServerConfig()
        guard ServerConfig.splitHostPort(addr) != nil else { fail("invalid -addr \"\(addr)\": want host:port, e.g. 127.0.0.1:4001") }
        config.advertisedAddress = addr
        if let bindAddr {
            guard ServerConfig.splitHostPort(bindAddr) != nil else { fail("invalid -bind-addr \"\(bindAddr)\": want IP:port") }
            config.bindAddress = bindAddr
        }
        guard ServerConfig.splitHostPort(peerAddr) != nil else { fail("invalid -peer-addr \"\(peerAddr)\": want host:port") }
        config.name = name
        config.peerAddress = peerAddr
        config.dataDirectory = memory ? nil : dataDir
        guard sync == "always" || sync == "none" else { fail("invalid -sync \"\(sync)\": want always or none") }
        guard snapshotCount > 0 else { fail("-snapshot-count must be positive") }
        config.syncWrites = sync == "always"
        config.snapshotCount = snapshotCount
        config.failWritesAfterBytes = failWritesAfter
        config.corsOrigins = cors.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        for origin in config.corsOrigins where origin != "*" {
            guard let url = URL(string: origin), url.scheme != nil, url.host != nil else {
                fail("invalid -cors origin \"\(origin)\": want a URL such as http://example.com or '*'")
            }
        }
        guard maxConnections > 0 else { fail("-max-connections must be positive") }
        guard maxBodyBytes >= 0, maxHeaderBytes > 0 else { fail("-max-body-bytes and -max-header-bytes must be positive") }
        guard headerTimeout > 0, idleTimeout > 0 else { fail("-header-timeout and -idle-timeout must be positive") }
        config.maxConnections = maxConnections
        config.maxBodyBytes = maxBodyBytes
        config.maxHeaderBytes = maxHeaderBytes
        config.headerTimeoutMilliseconds = Int64(headerTimeout * 1000)
        config.idleTimeoutMilliseconds = Int64(idleTimeout * 1000)
        return config
    }

    /// Creates the data directory when missing and checks that it is writable.
    private func prepareDataDirectory(_ path: String) {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: path, isDirectory: &isDir) {
            guard isDir.boolValue else { fail("data dir \"\(path)\" exists and is not a directory") }
        } else {
            do { try fm.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
                fail("cannot create data dir \"\(path)\": \(error.localizedDescription)")
            }
        }
        guard fm.isWritableFile(atPath: path), fm.isReadableFile(atPath: path) else {
            fail("data dir \"\(path)\" is not readable and writable")
        }
    }
}

/// One clear line on stderr, exit status 1.
func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("baton: \(message)\n".utf8))
    exit(1)
}
