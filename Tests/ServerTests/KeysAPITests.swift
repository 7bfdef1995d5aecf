// etcd's own keys-API handler tests (reference §5.4, `v0.4.6:server/v2/tests`) run against the real binary.
// Indexes are relative: `base` is the store index before the test's first write, so etcd's "3" is base + 1.

import Foundation
import Testing

/// A fresh server plus helpers for the keys API.
final class KeysFixture {
    let baton: BatonProcess
    let base: Int

    init(_ args: [String] = []) throws {
        baton = try BatonProcess(args)
        base = Int(try baton.request("GET", "/v2/keys/").header("X-Etcd-Index") ?? "") ?? -1
    }

    func put(_ key: String, _ form: String) throws -> HTTPTestResponse {
        try baton.request("PUT", "/v2/keys\(key)", body: form)
    }
    func get(_ target: String) throws -> HTTPTestResponse { try baton.request("GET", "/v2/keys\(target)") }
    func delete(_ target: String) throws -> HTTPTestResponse { try baton.request("DELETE", "/v2/keys\(target)") }
    func post(_ key: String, _ form: String) throws -> HTTPTestResponse {
        try baton.request("POST", "/v2/keys\(key)", body: form)
    }
}

extension HTTPTestResponse {
    var node: [String: Any] { json["node"] as? [String: Any] ?? [:] }
    var errorCode: Int? { json["errorCode"] as? Int }
}

@Suite struct KeysAPITests {
    /// Ensure that a missing key is 404 JSON and a set key reads back (TestV2GetKey).
    /// `curl -X PUT localhost:4001/v2/keys/foo/bar -d value=XXX; curl localhost:4001/v2/keys/foo/bar`
    @Test func getKey() throws {
        let f = try KeysFixture()
        let missing = try f.get("/foo/bar")
        #expect(missing.status == 404)
        #expect(missing.header("Content-Type") == "application/json")
        #expect(missing.errorCode == 100)
        #expect(missing.json["cause"] as? String == "/foo")
        #expect(try f.put("/foo/bar", "value=XXX").header("Content-Type") == "application/json")
        let r = try f.get("/foo/bar")
        #expect(r.status == 200)
        #expect(r.json["action"] as? String == "get")
        #expect(r.node["key"] as? String == "/foo/bar")
        #expect(r.node["value"] as? String == "XXX")
        #expect(r.node["modifiedIndex"] as? Int == f.base + 1)
        #expect(r.header("X-Etcd-Index") == String(f.base + 1))
    }

    /// Ensure that a recursive sorted GET returns the subtree with TTLs (TestV2GetKeyRecursively).
    @Test func getKeyRecursively() throws {
        let f = try KeysFixture()
        _ = try f.put("/foo/x", "value=XXX&ttl=10")
        _ = try f.put("/foo/y/z", "value=YYY&ttl=10")
        let r = try f.get("/foo?recursive=true&sorted=true")
        #expect(r.node["key"] as? String == "/foo")
        #expect(r.node["dir"] as? Bool == true)
        #expect(r.node["modifiedIndex"] as? Int == f.base + 1)
        let nodes = r.node["nodes"] as? [[String: Any]] ?? []
        #expect(nodes.count == 2)
        #expect(nodes.first?["key"] as? String == "/foo/x")
        #expect(nodes.first?["value"] as? String == "XXX")
        #expect(nodes.first?["ttl"] as? Int == 10)
        let y = nodes.last ?? [:]
        #expect(y["dir"] as? Bool == true)
        #expect(((y["nodes"] as? [[String: Any]])?.first?["value"]) as? String == "YYY")
    }

    /// Ensure that a hanging watch returns the set event (TestV2WatchKey).
    @Test func watchKey() throws {
        let f = try KeysFixture()
        let watcher = try f.baton.client()
        try watcher.sendRequest("GET", "/v2/keys/foo/bar?wait=true")
        #expect(!watcher.hasData(within: 0.1))
        _ = try f.put("/foo/bar", "value=XXX")
        let r = try watcher.readResponse()
        #expect(r.json["action"] as? String == "set")
        #expect(r.node["key"] as? String == "/foo/bar")
        #expect(r.node["value"] as? String == "XXX")
        #expect(r.node["modifiedIndex"] as? Int == f.base + 1)
    }

    /// Ensure that waitIndex skips earlier events (TestV2WatchKeyWithIndex).
    @Test func watchKeyWithIndex() throws {
        let f = try KeysFixture()
        let watcher = try f.baton.client()
        try watcher.sendRequest("GET", "/v2/keys/foo/bar?wait=true&waitIndex=\(f.base + 2)")
        _ = try f.put("/foo/bar", "value=XXX")
        #expect(!watcher.hasData(within: 0.2))
        _ = try f.put("/foo/bar", "value=YYY")
        let r = try watcher.readResponse()
        #expect(r.json["action"] as? String == "set")
        #expect(r.node["value"] as? String == "YYY")
        #expect(r.node["modifiedIndex"] as? Int == f.base + 2)
    }

    /// Ensure that a watcher inside a directory gets the directory's expire event (TestV2WatchKeyInDir).
    @Test func watchKeyInDirectoryGetsExpire() throws {
        let f = try KeysFixture()
        _ = try f.put("/keyindir", "dir=true&ttl=1")
        _ = try f.put("/keyindir/bar", "value=XXX")
        let watcher = try f.baton.client()
        watcher.timeout = 3
        try watcher.sendRequest("GET", "/v2/keys/keyindir/bar?wait=true")
        let started = Date()
        let r = try watcher.readResponse()
        #expect(r.json["action"] as? String == "expire")
        #expect(r.node["key"] as? String == "/keyindir")
        #expect(Date().timeIntervalSince(started) < 1.5)
    }

    /// Ensure that HEAD answers the status without a body (TestV2HeadKey).
    @Test func headKey() throws {
        let f = try KeysFixture()
        let missing = try f.baton.request("HEAD", "/v2/keys/foo/bar")
        #expect(missing.status == 404)
        #expect(missing.body.isEmpty)
        _ = try f.put("/foo/bar", "value=XXX")
        #expect(try f.baton.request("HEAD", "/v2/keys/foo/bar").status == 200)
    }

    /// Ensure that set answers 201 with etcd's exact body (TestV2SetKey, TestV2SetDirectory).
    @Test func setKeyAndDirectoryExactBodies() throws {
        let f = try KeysFixture()
        let n = f.base + 1
        let r = try f.put("/foo/bar", "value=XXX")
        #expect(r.status == 201)
        #expect(r.text == #"{"action":"set","node":{"key":"/foo/bar","value":"XXX","modifiedIndex":\#(n),"createdIndex":\#(n)}}"#)
        let d = try f.put("/dir", "dir=true")
        #expect(d.status == 201)
        #expect(d.text == #"{"action":"set","node":{"key":"/dir","dir":true,"modifiedIndex":\#(n + 1),"createdIndex":\#(n + 1)}}"#)
        let e = try f.put("/empty", "value=")
        #expect(e.text == #"{"action":"set","node":{"key":"/empty","value":"","modifiedIndex":\#(n + 2),"createdIndex":\#(n + 2)}}"#)
    }

    /// Ensure TTLs: ttl and expiration reported; a bad TTL is error 202 (TestV2SetKeyWithTTL/BadTTL).
    @Test func setKeyWithTTL() throws {
        let f = try KeysFixture()
        let before = Date()
        let r = try f.put("/foo/bar", "value=XXX&ttl=20")
        #expect(r.node["ttl"] as? Int == 20)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let text = r.node["expiration"] as? String ?? ""
        let expiration = formatter.date(from: text) ?? ISO8601DateFormatter().date(from: text)
        #expect(expiration != nil, "\(text)")
        if let expiration { #expect(abs(expiration.timeIntervalSince(before) - 20) < 1.5) }
        let bad = try f.put("/foo/bar", "value=XXX&ttl=bad_ttl")
        #expect(bad.status == 400)
        #expect(bad.errorCode == 202)
        #expect(bad.json["message"] as? String == "The given TTL in POST form is not a number")
        #expect(bad.json["cause"] as? String == "Update")
    }

    /// Ensure create (prevExist=false) succeeds once then fails 412/105 (TestV2CreateKeySuccess/Fail).
    @Test func createKey() throws {
        let f = try KeysFixture()
        let ok = try f.put("/foo/bar", "value=XXX&prevExist=false")
        #expect(ok.status == 201)
        #expect(ok.json["action"] as? String == "create")
        let again = try f.put("/foo/bar", "value=XXX&prevExist=false")
        #expect(again.status == 412)
        #expect(again.errorCode == 105)
        #expect(again.json["message"] as? String == "Key already exists")
        #expect(again.json["cause"] as? String == "/foo/bar")
    }

    /// Ensure update (prevExist=true) rules (TestV2UpdateKey*).
    @Test func updateKey() throws {
        let f = try KeysFixture()
        _ = try f.put("/foo/bar", "value=XXX")
        let r = try f.put("/foo/bar", "value=YYY&prevExist=true")
        #expect(r.status == 200)
        #expect(r.json["action"] as? String == "update")
        _ = try f.put("/dir", "dir=true")
        let missing = try f.put("/dir/bar", "value=YYY&prevExist=true")
        #expect(missing.status == 404)
        #expect(missing.json["cause"] as? String == "/dir/bar")
        let missingDir = try f.put("/nodir/bar", "value=YYY&prevExist=true")
        #expect(missingDir.json["cause"] as? String == "/nodir")
        // TTL set then removed by an update without ttl; createdIndex kept.
        let created = try f.put("/t", "value=XXX").node["createdIndex"] as? Int
        let withTTL = try f.put("/t", "value=XXX&ttl=1000&prevExist=true")
        #expect(withTTL.node["ttl"] as? Int == 1000)
        #expect(withTTL.node["createdIndex"] as? Int == created)
        let without = try f.put("/t", "value=XXX&prevExist=true")
        #expect(without.node["ttl"] == nil)
        #expect(without.node["expiration"] == nil)
        #expect(without.node["createdIndex"] as? Int == created)
        // The deliberate fix: prevNode.expiration is the previous expiration, not the new one.
        #expect((without.json["prevNode"] as? [String: Any])?["expiration"] as? String
                == withTTL.node["expiration"] as? String)
    }

    /// Ensure compareAndSwap by index and value with etcd's causes (TestV2SetKeyCAS*).
    @Test func compareAndSwap() throws {
        let f = try KeysFixture()
        let n = f.base + 1
        _ = try f.put("/foo", "value=XXX")
        let byIndex = try f.put("/foo", "value=YYY&prevIndex=\(n)")
        #expect(byIndex.status == 200)
        #expect(byIndex.json["action"] as? String == "compareAndSwap")
        #expect(byIndex.node["modifiedIndex"] as? Int == n + 1)
        let failIndex = try f.put("/foo", "value=ZZZ&prevIndex=100")
        #expect(failIndex.status == 412)
        #expect(failIndex.errorCode == 101)
        #expect(failIndex.json["message"] as? String == "Compare failed")
        #expect(failIndex.json["cause"] as? String == "[100 != \(n + 1)]")
        #expect(failIndex.json["index"] as? Int == n + 1)
        #expect(try f.put("/foo", "value=Q&prevIndex=bad_index").errorCode == 203)
        #expect(try f.put("/foo", "value=Q&prevIndex=-1").errorCode == 203)
        let byValue = try f.put("/foo", "value=ZZZ&prevValue=YYY")
        #expect(byValue.json["action"] as? String == "compareAndSwap")
        let failValue = try f.put("/foo", "value=Q&prevValue=AAA")
        #expect(failValue.json["cause"] as? String == "[AAA != ZZZ]")
        let both = try f.put("/foo", "value=Q&prevValue=AAA&prevIndex=\(n)")
        #expect(both.json["cause"] as? String == "[AAA != ZZZ] [\(n) != \(n + 2)]")
        let empty = try f.put("/foo", "value=Q&prevValue=")
        #expect(empty.status == 400)
        #expect(empty.errorCode == 201)
        #expect(empty.json["cause"] as? String == "CompareAndSwap")
    }

    /// Ensure in-order keys are named by their index (TestV2CreateUnique).
    @Test func createUnique() throws {
        let f = try KeysFixture()
        let n = f.base + 1
        let a = try f.post("/foo/bar", "")
        #expect(a.status == 201)
        #expect(a.json["action"] as? String == "create")
        #expect(a.node["key"] as? String == "/foo/bar/\(n)")
        #expect(a.node["dir"] == nil)
        #expect(try f.post("/foo/bar", "").node["key"] as? String == "/foo/bar/\(n + 1)")
        #expect(try f.post("/foo/baz", "").node["key"] as? String == "/foo/baz/\(n + 2)")
        _ = try f.put("/file", "value=x")
        #expect(try f.post("/file", "value=y").errorCode == 104)
    }

    /// Ensure delete bodies and directory rules (TestV2DeleteKey, …Directory, …RecursiveImpliesDir).
    @Test func deleteKeysAndDirectories() throws {
        let f = try KeysFixture()
        let n = f.base + 1
        _ = try f.put("/foo/bar", "value=XXX")
        let r = try f.delete("/foo/bar")
        #expect(r.status == 200)
        #expect(r.text == #"{"action":"delete","node":{"key":"/foo/bar","modifiedIndex":\#(n + 1),"createdIndex":\#(n)},"prevNode":{"key":"/foo/bar","value":"XXX","modifiedIndex":\#(n),"createdIndex":\#(n)}}"#)
        _ = try f.put("/d", "dir=true")
        #expect(try f.delete("/d").status == 403)
        let d = try f.delete("/d?dir=true")
        #expect(d.text == #"{"action":"delete","node":{"key":"/d","dir":true,"modifiedIndex":\#(n + 3),"createdIndex":\#(n + 2)},"prevNode":{"key":"/d","dir":true,"modifiedIndex":\#(n + 2),"createdIndex":\#(n + 2)}}"#)
        _ = try f.put("/e/inner", "dir=true")
        let notEmpty = try f.delete("/e?dir=true")
        #expect(notEmpty.status == 403)
        #expect(notEmpty.errorCode == 108)
        #expect(try f.delete("/e?dir=true&recursive=true").status == 200)
        _ = try f.put("/g", "dir=true")
        #expect(try f.delete("/g?recursive=true").status == 200)
        #expect(try f.delete("/").errorCode == 107)
    }

    /// Ensure compareAndDelete by index and value (TestV2DeleteKeyCAD*).
    @Test func compareAndDelete() throws {
        let f = try KeysFixture()
        let n = f.base + 1
        _ = try f.put("/foo", "value=XXX")
        #expect(try f.delete("/foo?prevIndex=100").errorCode == 101)
        #expect(try f.delete("/foo?prevIndex=bad_index").errorCode == 203)
        #expect(try f.delete("/foo?prevValue=YYY").errorCode == 101)
        #expect(try f.delete("/foo?prevValue=").errorCode == 201)
        let ok = try f.delete("/foo?prevIndex=\(n)")
        #expect(ok.json["action"] as? String == "compareAndDelete")
        #expect(ok.node["modifiedIndex"] as? Int == n + 1)
        _ = try f.put("/foo", "value=XXX")
        #expect(try f.delete("/foo?prevValue=XXX").json["action"] as? String == "compareAndDelete")
    }

    /// Ensure that hidden keys are not listed but readable, and sorting is lexicographic.
    @Test func hiddenKeysAndSorting() throws {
        let f = try KeysFixture()
        for k in ["10", "9", "11", "_hidden"] { _ = try f.put("/q/\(k)", "value=\(k)") }
        let list = try f.get("/q?sorted=true").node["nodes"] as? [[String: Any]] ?? []
        #expect(list.compactMap { $0["key"] as? String } == ["/q/10", "/q/11", "/q/9"])
        #expect(try f.get("/q/_hidden").node["value"] as? String == "_hidden")
    }

    /// Ensure a waitIndex older than the 1000-event history is error 401 with status 400.
    @Test func watchOutdatedIndexIs401() throws {
        let f = try KeysFixture()
        let c = try f.baton.client()
        for i in 0..<1005 { _ = try c.request("PUT", "/v2/keys/spam", body: "value=\(i)") }
        let r = try f.get("/spam?wait=true&waitIndex=\(f.base + 1)")
        #expect(r.status == 400)
        #expect(r.errorCode == 401)
        #expect(r.json["cause"] as? String == "the requested history has been cleared [\(f.base + 6)/\(f.base + 1)]")
        let bad = try f.get("/spam?wait=true&waitIndex=x")
        #expect(bad.errorCode == 203)
        #expect(bad.json["cause"] as? String == "Watch From Index")
    }

    /// Ensure that a watcher whose client disconnects is removed at once (stats/store watchers).
    @Test func disconnectedWatcherIsRemoved() throws {
        let f = try KeysFixture()
        let w = try f.baton.client()
        try w.sendRequest("GET", "/v2/keys/x?wait=true")
        usleep(100_000)
        #expect(try f.baton.request("GET", "/v2/stats/store").json["watchers"] as? Int == 1)
        w.close()
        usleep(200_000)
        #expect(try f.baton.request("GET", "/v2/stats/store").json["watchers"] as? Int == 0)
    }

    /// Ensure that stream=true delivers successive events on one response.
    @Test func streamWatch() throws {
        let f = try KeysFixture()
        let w = try f.baton.client()
        try w.sendRequest("GET", "/v2/keys/s?wait=true&stream=true")
        let head = try w.readResponse()
        #expect(head.status == 200)
        _ = try f.put("/s", "value=1")
        _ = try f.put("/s", "value=2")
        let first = try w.readChunk() ?? []
        let second = try w.readChunk() ?? []
        #expect(String(decoding: first, as: UTF8.self).contains(#""value":"1""#))
        #expect(String(decoding: second, as: UTF8.self).contains(#""value":"2""#))
    }

    /// Ensure that malformed parameters get etcd's envelope, and big keys and values behave.
    @Test func malformedParametersGetEnvelopes() throws {
        let f = try KeysFixture()
        #expect(try f.put("/a", "value=x&ttl=abc").errorCode == 202)
        #expect(try f.post("/a", "value=x&ttl=abc").json["cause"] as? String == "Create")
        #expect(try f.put("/a", "value=x&prevExist=true").errorCode == 100)
        #expect(try f.put("/a", "prevExist=true").errorCode == 204)
        let bigKey = "/" + String(repeating: "k", count: 10 * 1024)
        #expect(try f.put(bigKey, "value=v").status == 201)
        #expect(try f.get(bigKey).node["value"] as? String == "v")
        let big = try f.put("/big", "value=" + String(repeating: "v", count: 1 << 20))
        #expect(big.status == 413)
        #expect(big.errorCode == 413)
        #expect(big.json["message"] as? String == "413 Request Entity Too Large")
        #expect(try f.baton.request("GET", "/health").status == 200)
    }

    /// Ensure non-canonical paths are redirected like etcd's router does.
    @Test func nonCanonicalPathRedirects() throws {
        let f = try KeysFixture()
        let r = try f.baton.request("GET", "/v2/keys//a//b?x=1")
        #expect(r.status == 301)
        #expect(r.header("Location") == "/v2/keys/a/b?x=1")
    }

    /// Ensure /v2/stats/store counts operations like etcd.
    @Test func storeStats() throws {
        let f = try KeysFixture()
        let before = try f.baton.request("GET", "/v2/stats/store").json["setsSuccess"] as? Int ?? -1
        _ = try f.put("/a", "value=1")
        _ = try f.get("/a")
        _ = try f.get("/missing")
        let stats = try f.baton.request("GET", "/v2/stats/store")
        #expect(stats.json["setsSuccess"] as? Int == before + 1)
        #expect(stats.json["getsSuccess"] as? Int ?? 0 >= 1)
        #expect(stats.json["getsFail"] as? Int ?? 0 >= 1)
        #expect(stats.text.hasPrefix(#"{"getsSuccess":"#))
        #expect(stats.text.hasSuffix(#""watchers":0}"#))
    }
}
