// MetricsProbe: reads the server's own gauges during a run — Baton's Prometheus `/metrics` (watchers parked,
// lock waiters, resident memory) — or, for any server, the resident set from `/proc/<pid>/status`.
import Glibc

/// Server-side readings for the watch-fanout and hanging-waiters scenarios.
enum MetricsProbe {
    /// GETs `/metrics` on `connection` and hands back its samples by name (labels kept in the name).
    static func read(_ connection: ClientConnection, _ runner: BenchRunner,
                     _ completion: @escaping ([String: Double]?) -> Void) {
        connection.send(runner.builder.make("GET", "/metrics")) { result in
            guard case .success(let response) = result, response.status == 200 else { return completion(nil) }
            completion(parse(response.text))
        }
    }

    /// Prometheus text format: `name{labels} value` lines; comments skipped.
    static func parse(_ text: String) -> [String: Double] {
        var samples: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            samples[String(line[..<space])] = value
        }
        return samples
    }

    /// VmRSS of `pid` in bytes, from /proc; nil when unreadable.
    static func residentBytes(pid: Int32) -> Double? {
        guard let file = fopen("/proc/\(pid)/status", "r") else { return nil }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 256)
        while fgets(&line, Int32(line.count), file) != nil {
            let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if text.hasPrefix("VmRSS:") {
                let digits = text.dropFirst(6).filter { $0.isNumber }
                if let kib = Double(String(digits)) { return kib * 1024 }
            }
        }
        return nil
    }
}
