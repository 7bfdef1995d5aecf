// Helpers for the Persistence unit tests: a deterministic random command stream applied to a live store
// (what the server would log), temporary data directories, and segment bytes built from commands.

import TestSupport
import Foundation
@testable import Persistence
@testable import Store
import UV

let t0 = Timestamp(milliseconds: 1_700_000_000_000)


/// One random command over a small key space, so sets, updates, CAS, deletes and expiries interact.
func randomCommand(_ rng: inout SplitMix64, now: Timestamp) -> Command {
    let dirs = ["/a", "/a/b", "/c", "/_hidden", "/q"]
    let key = dirs.randomElement(using: &rng)! + "/k" + String(Int.random(in: 0..<6, using: &rng))
    let exp: Timestamp? = Bool.random(using: &rng) ? nil : now.adding(seconds: Int64.random(in: -2...30, using: &rng))
    let value = "v" + String(Int.random(in: 0..<1000, using: &rng))
    switch Int.random(in: 0..<10, using: &rng) {
    case 0: return .create(key: key, value: value, dir: false, expiration: exp)
    case 1: return .createInOrder(directory: "/q", value: value, dir: false, expiration: exp)
    case 2: return .update(key: key, value: value, expiration: exp)
    case 3: return .compareAndSwap(key: key, value: value, prevValue: Bool.random(using: &rng) ? "v1" : nil,
                                   prevIndex: nil, expiration: exp)
    case 4: return .delete(key: key, dir: false, recursive: false)
    case 5: return .delete(key: dirs.randomElement(using: &rng)!, dir: true, recursive: true)
    case 6: return .compareAndDelete(key: key, prevValue: nil, prevIndex: UInt64.random(in: 0..<50, using: &rng))
    case 7: return .set(key: key, value: "", dir: true, expiration: exp)
    default: return .set(key: key, value: value, dir: false, expiration: exp)
    }
}

/// Drives `count` random commands (and the expiries they cause) into `store`; returns the logged commands.
@discardableResult
func runRandomWorkload(_ store: Store, seed: UInt64, count: Int, start: Timestamp = t0) -> [Command] {
    var rng = SplitMix64(seed: seed)
    var now = start
    var logged: [Command] = []
    for _ in 0..<count {
        now = Timestamp(milliseconds: now.milliseconds + Int64.random(in: 0..<400, using: &rng))
        _ = store.expire(upTo: now)
        _ = try? store.apply(randomCommand(&rng, now: now), now: now)
        logged += store.takeCommands()
        _ = store.takeEvents()
        _ = store.takeNotifications()
    }
    return logged
}

/// Records for `commands` with indexes `first`, `first + 1`, …, and each record's start offset.
func segmentBytes(_ commands: [Command], first: EtcdIndex = 1) -> (bytes: [UInt8], offsets: [Int]) {
    var w = ByteWriter()
    var offsets: [Int] = []
    for (i, command) in commands.enumerated() {
        offsets.append(w.bytes.count)
        WALRecord.append(index: first + EtcdIndex(i), command, to: &w)
    }
    return (w.bytes, offsets)
}

/// A fresh temporary directory, removed by `remove()`.
struct TemporaryDirectory {
    let path: String
    init() {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("baton-persist-\(UUID().uuidString)").path
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    var directory: DataDirectory { DataDirectory(path: path) }
    func write(_ name: String, _ bytes: [UInt8]) {
        FileManager.default.createFile(atPath: path + "/" + name, contents: Data(bytes))
    }
    func read(_ name: String) -> [UInt8] {
        Array(FileManager.default.contents(atPath: path + "/" + name) ?? Data())
    }
    func names() -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted() }
    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// The canonical content of a store: every node, the index and the write counters.
func fingerprint(_ store: Store) -> [String] {
    let image = store.image()
    return image.canonicalLines + ["index=\(image.index)", "stats=\(image.stats)"]
}
