// The leader module against the real binary: etcd's leader tests (reference §5.2) and §5.6's cases, plus the
// curl examples of seed/modules.md run with curl itself.

import Foundation
import Testing

@Suite struct LeaderAPITests {
    /// Ensure set, get and delete of a leader (TestModLeaderSet).
    @Test func setGetDelete() throws {
        let f = try LockFixture()
        let set = try f.baton.request("PUT", "/mod/v2/leader/foo?name=xxx&ttl=10")
        #expect(set.status == 200)
        #expect(set.text == "\(f.base + 1)")
        #expect(try f.baton.request("GET", "/mod/v2/leader/foo").text == "xxx")
        let del = try f.baton.request("DELETE", "/mod/v2/leader/foo?name=xxx")
        #expect(del.status == 200)
        #expect(del.body.isEmpty)
        let after = try f.baton.request("GET", "/mod/v2/leader/foo")
        #expect(after.status == 200)
        #expect(after.body.isEmpty)
    }

    /// Ensure that re-issuing the same PUT renews with the same index (TestModLeaderRenew).
    @Test func renewByReissue() throws {
        let f = try LockFixture()
        #expect(try f.baton.request("PUT", "/mod/v2/leader/foo?name=xxx&ttl=1").text == "\(f.base + 1)")
        usleep(500_000)
        #expect(try f.baton.request("PUT", "/mod/v2/leader/foo?name=xxx&ttl=2").text == "\(f.base + 1)")
        usleep(800_000)  // past the original 1 s TTL
        #expect(try f.baton.request("GET", "/mod/v2/leader/foo").text == "xxx")
    }

    /// Ensure the leader errors and that a second candidate waits until the first leaves, then leads.
    @Test func candidatesFailOver() throws {
        let f = try LockFixture()
        let noName = try f.baton.request("PUT", "/mod/v2/leader/foo?ttl=10")
        #expect(noName.text == #"{"errorCode":206,"message":"Name is required in POST form","cause":"Set","index":0}"# + "\n")
        #expect(try f.baton.request("DELETE", "/mod/v2/leader/foo").json["cause"] as? String == "Delete")
        #expect(try f.baton.request("PUT", "/mod/v2/leader/foo?name=a").json["cause"] as? String == "Acquire")
        #expect(try f.baton.request("PUT", "/mod/v2/leader/foo", body: "name=a&ttl=10").status == 200)
        let b = try f.baton.client()
        try b.sendRequest("PUT", "/mod/v2/leader/foo?name=b&ttl=10")
        #expect(!b.hasData(within: 0.3))
        let leaving = try f.baton.client()
        try leaving.sendRequest("PUT", "/mod/v2/leader/foo?name=c&ttl=10")
        usleep(100_000)
        leaving.close()
        #expect(try f.baton.request("DELETE", "/mod/v2/leader/foo?name=a").status == 200)
        #expect(try b.readResponse().status == 200)
        #expect(try f.baton.request("GET", "/mod/v2/leader/foo").text == "b")
        // Same namespace as locks.
        #expect(try f.baton.request("GET", "/mod/v2/lock/foo").text == "b")
    }

    /// Ensure every curl example of seed/modules.md works against Baton (only host:port substituted).
    @Test func modulesDocumentationExamples() throws {
        let baton = try BatonProcess()
        let host = "127.0.0.1:\(baton.port)"
        func curl(_ command: String) throws -> String {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/sh")
            p.arguments = ["-c", command.replacingOccurrences(of: "127.0.0.1:4001", with: host)
                .replacingOccurrences(of: "curl ", with: "curl -s --max-time 5 ")]
            let out = Pipe()
            p.standardOutput = out
            try p.run()
            p.waitUntilExit()
            return String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        }
        #expect(try curl("curl -X POST http://127.0.0.1:4001/mod/v2/lock/customer1?ttl=60") == "2")
        let waiting = Process()
        waiting.executableURL = URL(fileURLWithPath: "/bin/sh")
        waiting.arguments = ["-c", "curl -s --max-time 10 -X POST http://\(host)/mod/v2/lock/customer1?ttl=60 -d value=bar"]
        let waitingOut = Pipe()
        waiting.standardOutput = waitingOut
        try waiting.run()
        usleep(300_000)
        #expect(try curl("curl -X PUT http://127.0.0.1:4001/mod/v2/lock/customer1?ttl=60 -d index=2") == "")
        #expect(try curl("curl -X PUT http://127.0.0.1:4001/mod/v2/lock/customer1?ttl=60 -d value=bar") == "")
        #expect(try curl("curl http://127.0.0.1:4001/mod/v2/lock/customer1") == "-")
        #expect(try curl("curl http://127.0.0.1:4001/mod/v2/lock/customer1?field=index") == "2")
        #expect(try curl("curl -X DELETE http://127.0.0.1:4001/mod/v2/lock/customer1?index=2") == "")
        waiting.waitUntilExit()
        let acquired = String(decoding: waitingOut.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(Int(acquired) ?? 0 > 2)
        #expect(try curl("curl -X DELETE http://127.0.0.1:4001/mod/v2/lock/customer1?value=bar") == "")
        let index = try curl("curl -X PUT http://127.0.0.1:4001/mod/v2/leader/order_processing?ttl=60 -d name=myserver1.foo.com")
        #expect(Int(index) != nil)
        #expect(try curl("curl http://127.0.0.1:4001/mod/v2/leader/order_processing") == "myserver1.foo.com")
        #expect(try curl("curl -X DELETE http://127.0.0.1:4001/mod/v2/leader/order_processing?name=myserver1.foo.com") == "")
        #expect(try curl("curl http://127.0.0.1:4001/mod/v2/leader/order_processing") == "")
    }
}
