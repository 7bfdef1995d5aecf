// Names of the files in a data directory and how they are found again:
//   wal-<firstIndex>.log   a log segment whose first record has index firstIndex (or will have: a fresh
//                          segment is created before its first record); 20 zero-padded decimal digits so
//                          `ls` shows them in order
//   snap-<index>.bin       a snapshot of the tree at index
//   *.tmp                  a snapshot being written (or left by a crash): never read, removed at start-up
import Store
import UV

/// The files of a data directory; see the file header.
package struct DataDirectory: Sendable {
    package let path: String

    package init(path: String) {
        self.path = path
    }

    package func file(_ name: String) -> String {
        path.hasSuffix("/") ? path + name : path + "/" + name
    }

    package static func segmentName(firstIndex: EtcdIndex) -> String {
        "wal-" + padded(firstIndex) + ".log"
    }

    package static func snapshotName(index: EtcdIndex) -> String {
        "snap-" + padded(index) + ".bin"
    }

    private static func padded(_ value: UInt64) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits
    }

    /// Segments (by first index) and snapshots (by index), each sorted ascending, plus leftover temp files.
    package func listing() throws(PersistenceError) -> (segments: [(EtcdIndex, String)], snapshots: [(EtcdIndex, String)], temporary: [String]) {
        let names: [String]
        do { names = try FileSystem.list(path) } catch {
            throw PersistenceError(file: path, "cannot list the data directory: \(error)")
        }
        var segments: [(EtcdIndex, String)] = []
        var snapshots: [(EtcdIndex, String)] = []
        var temporary: [String] = []
        for name in names {
            if name.hasSuffix(".tmp") {
                temporary.append(name)
            } else if let index = Self.number(in: name, prefix: "wal-", suffix: ".log") {
                segments.append((index, name))
            } else if let index = Self.number(in: name, prefix: "snap-", suffix: ".bin") {
                snapshots.append((index, name))
            }
        }
        return (segments.sorted { $0.0 < $1.0 }, snapshots.sorted { $0.0 < $1.0 }, temporary)
    }

    private static func number(in name: String, prefix: String, suffix: String) -> UInt64? {
        guard name.hasPrefix(prefix), name.hasSuffix(suffix), name.count > prefix.count + suffix.count else { return nil }
        return UInt64(name.dropFirst(prefix.count).dropLast(suffix.count))
    }
}
