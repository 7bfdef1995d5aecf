// Unchanged etcd v2 client libraries against the real binary: python-etcd 0.3.3 (its Lock and LeaderElection
// helpers call /mod/v2/lock and /mod/v2/leader) and 0.4.5 (keys API, client-side lock over in-order keys).
// `.ci/install` puts them in .build/pydeps; Tests/Compat/python_etcd_clients.py does the checking.

import Foundation
import Testing

@Suite struct ClientLibraryCompatTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Ensure that python-etcd's lock, election and keys helpers work unchanged.
    @Test(arguments: ["0.3.3", "0.4.5"])
    func pythonEtcdWorks(version: String) throws {
        let deps = Self.root.appendingPathComponent(".build/pydeps/python-etcd-\(version)")
        try #require(FileManager.default.fileExists(atPath: deps.appendingPathComponent("etcd").path),
                     "python-etcd \(version) is missing: run .ci/install")
        let baton = try BatonProcess()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", Self.root.appendingPathComponent("Tests/Compat/python_etcd_clients.py").path,
                       "\(baton.port)"]
        p.environment = ProcessInfo.processInfo.environment.merging(["PYTHONPATH": deps.path]) { _, new in new }
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "\(text)")
        #expect(text.contains("RESULT: ok"), "\(text)")
    }
}
