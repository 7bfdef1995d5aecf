// An unchanged etcd v2 client against Baton: Debian's etcdctl (3.4, ETCDCTL_API=2) runs set, get, mk, mkdir,
// ls --recursive, update, rm, rmdir, watch, exec-watch, member list and cluster-health through
// Tests/Compat/etcdctl-v2.sh, which checks each answer. CI installs etcd-client (.ci/install).

import Foundation
import Testing

@Suite struct EtcdctlCompatTests {
    static let script = repositoryRoot.appendingPathComponent("Tests/Compat/etcdctl-v2.sh")

    /// Ensure that etcdctl in v2 mode works unchanged against Baton.
    @Test func etcdctlV2Works() throws {
        try #require(try runTool(["sh", "-c", "command -v etcdctl"]).status == 0,
                     "etcdctl is missing: apt-get install etcd-client (see .ci/install)")

        let baton = try BatonProcess()
        let (status, text) = try runTool(["bash", Self.script.path, "http://127.0.0.1:\(baton.port)"])
        #expect(status == 0, "\(text)")
        #expect(!text.contains("FAIL"), "\(text)")
        #expect(text.components(separatedBy: "\nok ").count >= 17, "\(text)")
    }
}
