// An unchanged etcd v2 client against Baton: Debian's etcdctl (3.4, ETCDCTL_API=2) runs set, get, mk, mkdir,
// ls --recursive, update, rm, rmdir, watch, exec-watch, member list and cluster-health through
// Tests/Compat/etcdctl-v2.sh, which checks each answer. CI installs etcd-client (.ci/install).

import Foundation
import Testing

@Suite struct EtcdctlCompatTests {
    static var script: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Compat/etcdctl-v2.sh")
    }

    /// Ensure that etcdctl in v2 mode works unchanged against Baton.
    @Test func etcdctlV2Works() throws {
        let which = Process()
        which.executableURL = URL(fileURLWithPath: "/bin/sh")
        which.arguments = ["-c", "command -v etcdctl"]
        which.standardOutput = FileHandle.nullDevice
        try which.run()
        which.waitUntilExit()
        try #require(which.terminationStatus == 0, "etcdctl is missing: apt-get install etcd-client (see .ci/install)")

        let baton = try BatonProcess()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = [Self.script.path, "http://127.0.0.1:\(baton.port)"]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "\(text)")
        #expect(!text.contains("FAIL"), "\(text)")
        #expect(text.components(separatedBy: "\nok ").count >= 17, "\(text)")
    }
}
