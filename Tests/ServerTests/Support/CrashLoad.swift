// Support for the crash tests: a temporary data directory, a write load run by plain threads against the
// real binary (so the test thread is free to `kill -9` the server at a chosen moment), and a check of the
// recovered tree against what the load sent and what the server acknowledged.

import Foundation
import Testing


struct TemporaryDataDirectory {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("baton-data-\(UUID().uuidString)").path
    func remove() { try? FileManager.default.removeItem(atPath: path) }
    func files() -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted() }
}

/// What a load sent and what was acknowledged, shared by the load threads.
final class CrashLedger: @unchecked Sendable {
    private let lock = NSLock()
    /// key → value, for every write sent (each key is written once, with a value naming it).
    private(set) var sent: [String: String] = [:]
    private(set) var acknowledged: [String: String] = [:]
    private(set) var highestAcknowledgedIndex = 0
    private(set) var unexpected: [String] = []

    func didSend(_ key: String, _ value: String) { lock.withLock { sent[key] = value } }
    func didAcknowledge(_ key: String, _ value: String, index: Int) {
        lock.withLock {
            acknowledged[key] = value
            highestAcknowledgedIndex = max(highestAcknowledgedIndex, index)
        }
    }
    func note(_ problem: String) { lock.withLock { unexpected.append(problem) } }
}

enum CrashLoad {
    /// Starts `writers` threads, each PUTting fresh keys under /crash (and one POSTing in-order keys
    /// under /queue) on its own keep-alive connection until the connection fails. Returns a group to wait on.
    static func start(port: UInt16, round: Int, writers: Int, ledger: CrashLedger) -> DispatchGroup {
        let group = DispatchGroup()
        for w in 0..<writers {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                guard let client = try? HTTPTestClient(port: port, timeout: 5) else { return }
                defer { client.close() }
                var n = 0
                while true {
                    n += 1
                    let value = "r\(round)-w\(w)-n\(n)"
                    if w == 0 {
                        ledger.didSend("queue:" + value, value)
                        guard let r = try? client.request("POST", "/v2/keys/queue", body: "value=\(value)") else { return }
                        guard r.status == 201, let node = r.json["node"] as? [String: Any], let key = node["key"] as? String
                        else { ledger.note("POST \(value): \(r.status) \(r.text)"); return }
                        ledger.didAcknowledge("queue:" + value, key, index: node["modifiedIndex"] as? Int ?? 0)
                    } else {
                        let key = "/crash/\(value)"
                        ledger.didSend(key, value)
                        guard let r = try? client.request("PUT", "/v2/keys\(key)", body: "value=\(value)") else { return }
                        guard r.status == 201 || r.status == 200 else { ledger.note("PUT \(key): \(r.status) \(r.text)"); return }
                        ledger.didAcknowledge(key, value, index: Int(r.header("X-Etcd-Index") ?? "") ?? 0)
                    }
                }
            }
        }
        return group
    }

    /// Every node below `dir` as key → value (files only).
    static func files(_ baton: BatonProcess, _ dir: String) throws -> (files: [String: String], index: Int) {
        let r = try baton.request("GET", "/v2/keys\(dir)?recursive=true")
        let index = Int(r.header("X-Etcd-Index") ?? "") ?? -1
        if r.status == 404 { return ([:], index) }
        var out: [String: String] = [:]
        var pending = (r.json["node"] as? [String: Any]).map { [$0] } ?? []
        while let node = pending.popLast() {
            if let children = node["nodes"] as? [[String: Any]] { pending += children }
            if node["dir"] as? Bool != true, let key = node["key"] as? String { out[key] = node["value"] as? String ?? "" }
        }
        return (out, index)
    }

    /// Checks the recovered tree: every acknowledged write present with its value; everything present was
    /// sent, whole (no other value); the index is at least the highest acknowledged one.
    static func verify(_ baton: BatonProcess, _ ledger: CrashLedger, context: String) throws {
        let (crash, index) = try files(baton, "/crash")
        let (queue, _) = try files(baton, "/queue")
        #expect(index >= ledger.highestAcknowledgedIndex, "\(context): index went back")
        for (key, value) in ledger.acknowledged {
            if key.hasPrefix("queue:") {
                #expect(queue[value] == String(key.dropFirst(6)), "\(context): acknowledged POST \(key) → \(value) lost")
            } else {
                #expect(crash[key] == value, "\(context): acknowledged PUT \(key) lost")
            }
        }
        for (key, value) in crash { #expect(ledger.sent[key] == value, "\(context): \(key)=\(value) was never sent") }
        let sentQueueValues = Set(ledger.sent.keys.filter { $0.hasPrefix("queue:") }.map { String($0.dropFirst(6)) })
        for (key, value) in queue { #expect(sentQueueValues.contains(value), "\(context): \(key)=\(value) was never sent") }
    }
}
