// Unchanged etcd v2 client libraries against the real binary: python-etcd 0.3.3 (its Lock and LeaderElection
// helpers call /mod/v2/lock and /mod/v2/leader) and 0.4.5 (keys API, client-side lock over in-order keys).
// `.ci/install` puts them in .build/pydeps; Tests/Compat/python_etcd_clients.py does the checking.

import Foundation
import Testing

@Suite struct ClientLibraryCompatTests {
    /// Ensure that python-etcd's lock, election and keys helpers work unchanged.
    @Test(arguments: ["0.3.3", "0.4.5"])
    func pythonEtcdWorks(version: String) throws {
        let deps = repositoryRoot.appendingPathComponent(".build/pydeps/python-etcd-\(version)")
        try #require(FileManager.default.fileExists(atPath: deps.appendingPathComponent("etcd").path),
                     "python-etcd \(version) is missing: run .ci/install")
        let baton = try BatonProcess()
        let (status, text) = try runTool(
            ["python3", repositoryRoot.appendingPathComponent("Tests/Compat/python_etcd_clients.py").path, "\(baton.port)"],
            environment: ["PYTHONPATH": deps.path])
        #expect(status == 0, "\(text)")
        #expect(text.contains("RESULT: ok"), "\(text)")
    }
}
