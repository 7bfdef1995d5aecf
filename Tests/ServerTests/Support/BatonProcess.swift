// Starts the real `baton` binary on 127.0.0.1:0 for a black-box test and finds the port it bound in its log
// (stderr goes to a file, so a chatty server can never block on a full pipe). `stop()` sends SIGTERM.

import Foundation
import Testing

final class BatonProcess: @unchecked Sendable {
    let process = Process()
    let logURL: URL
    private(set) var port: UInt16 = 0
    private var stopped = false

    /// The `baton` executable next to the test bundle (override with BATON_BINARY).
    static var binaryURL: URL {
        if let path = ProcessInfo.processInfo.environment["BATON_BINARY"] { return URL(fileURLWithPath: path) }
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        if dir.lastPathComponent.hasSuffix(".xctest") { dir = dir.deletingLastPathComponent() }
        return dir.appendingPathComponent("baton")
    }

    init(_ arguments: [String] = [], environment: [String: String] = [:]) throws {
        logURL = FileManager.default.temporaryDirectory.appendingPathComponent("baton-test-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: logURL.path, contents: nil)
        process.executableURL = Self.binaryURL
        var args = arguments
        if !args.contains(where: { $0.hasSuffix("addr") }) { args += ["-addr", "127.0.0.1:0"] }
        if !args.contains("-data-dir") && !args.contains("-memory") { args.append("-memory") }
        process.arguments = args
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("BATON_") }
        env.merge(environment) { _, new in new }
        process.environment = env
        process.standardError = try FileHandle(forWritingTo: logURL)
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        port = try waitForPort()
    }

    private func waitForPort() throws -> UInt16 {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            let log = self.log
            if let range = log.range(of: #"listening on [^\s,]+:(\d+)"#, options: .regularExpression) {
                let match = String(log[range])
                if let port = UInt16(match.split(separator: ":").last ?? "") { return port }
            }
            if !process.isRunning { throw BatonTestError("baton exited early: \(log)") }
            usleep(10_000)
        }
        throw BatonTestError("baton did not report its port: \(log)")
    }

    var log: String { (try? String(contentsOf: logURL, encoding: .utf8)) ?? "" }

    func client() throws -> HTTPTestClient { try HTTPTestClient(port: port) }

    /// One request on a fresh connection.
    func request(_ method: String, _ target: String, body: String? = nil,
                 headers: [(String, String)] = []) throws -> HTTPTestResponse {
        let c = try client()
        defer { c.close() }
        return try c.request(method, target, body: body, headers: headers)
    }

    /// SIGTERM and wait; returns (exit status, seconds it took).
    @discardableResult
    func stop(signal: Int32 = SIGTERM) -> (status: Int32, seconds: Double) {
        guard !stopped else { return (process.terminationStatus, 0) }
        stopped = true
        let start = Date()
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        return (process.terminationStatus, Date().timeIntervalSince(start))
    }

    deinit {
        if !stopped && process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: logURL)
    }
}

struct BatonTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
