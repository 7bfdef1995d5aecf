// Unit tests of the load generator's configuration and output: target URLs, source addresses, request
// bytes, metrics parsing, report text and JSON.
import Testing
@testable import LoadGenerator

/// Ensure that target URLs of every accepted form parse, and nonsense does not.
@Test func parsesTargets() {
    #expect(BenchTarget(url: "http://127.0.0.1:4001") == BenchTarget(host: "127.0.0.1", port: 4001))
    #expect(BenchTarget(url: "127.0.0.1:4001/health") == BenchTarget(host: "127.0.0.1", port: 4001, path: "/health"))
    #expect(BenchTarget(url: "http://localhost/") == BenchTarget(host: "127.0.0.1", port: 80))
    #expect(BenchTarget(url: "http://[::1]:8080/x?y=1") == BenchTarget(host: "::1", port: 8080, path: "/x?y=1"))
    #expect(BenchTarget(url: "http://[::1]:8080")?.hostHeader == "[::1]:8080")
    for bad in ["https://127.0.0.1", "http://:80", "http://127.0.0.1:0", "http://127.0.0.1:99999", "http://[::1"] {
        #expect(BenchTarget(url: bad) == nil, "\(bad)")
    }
}

/// Ensure that extra 127.0.0.x source addresses are used only where one address runs out of ports.
@Test func choosesSourceAddresses() {
    var o = BenchOptions(target: BenchTarget(host: "127.0.0.1", port: 4001), scenario: .hangingWaiters)
    o.connections = 15_000
    #expect(o.sourceHosts.isEmpty)
    o.connections = 100_000
    #expect(o.sourceHosts == ["127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5"])
    o.sourceAddresses = 2
    #expect(o.sourceHosts == ["127.0.0.1", "127.0.0.2"])
    o.target = BenchTarget(host: "10.0.0.1", port: 4001)
    #expect(o.sourceHosts.isEmpty)
}

/// Ensure that requests carry Host, and a body its type and length.
@Test func encodesRequests() {
    let b = RequestBuilder(target: BenchTarget(host: "127.0.0.1", port: 4001))
    #expect(String(decoding: b.make("GET", "/v2/keys/a"), as: UTF8.self) == "GET /v2/keys/a HTTP/1.1\r\nHost: 127.0.0.1:4001\r\n\r\n")
    #expect(String(decoding: b.make("PUT", "/v2/keys/a", body: "value=é"), as: UTF8.self)
        == "PUT /v2/keys/a HTTP/1.1\r\nHost: 127.0.0.1:4001\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 8\r\n\r\nvalue=é")
}

/// Ensure that Prometheus samples are read by name, labels included, comments skipped.
@Test func parsesMetrics() {
    let m = MetricsProbe.parse("# HELP x y\n# TYPE x gauge\nbaton_watchers 12\nbaton_resident_memory_bytes 2.5e+07\nr{a=\"b c\"} 3\n")
    #expect(m["baton_watchers"] == 12)
    #expect(m["baton_resident_memory_bytes"] == 25_000_000)
    #expect(m["r{a=\"b c\"}"] == 3)
}

/// Ensure that etcd gateway fields and base64 come out as the v3 lock scenario needs them.
@Test func readsGatewayFields() {
    let grant = "{\"header\":{\"cluster_id\":\"1\",\"revision\":\"5\"},\"ID\":\"7587862072907411204\",\"TTL\":\"60\"}"
    #expect(jsonField("ID", in: grant)?.trimmingQuotes == "7587862072907411204")
    #expect(jsonField("revision", in: grant) == "\"5\"")
    #expect(jsonField("missing", in: grant) == nil)
    #expect(jsonField("n", in: "{\"n\": 42}") == "42")
    #expect(base64("baton-bench-cycle-1") == "YmF0b24tYmVuY2gtY3ljbGUtMQ==")
    #expect(base64("ab") == "YWI=")
    #expect(base64("") == "")
}

/// Ensure that the report states rate, errors and percentiles, and its JSON has every field.
@Test func reportsTextAndJSON() {
    let stats = BenchStats()
    for i in 1...1000 { stats.recordRequest(nanoseconds: UInt64(i) * 1000) }
    stats.recordError("status_500")
    stats.recordError("reset")
    stats.record("handoff", nanoseconds: 250_000)
    stats.setFigure("bytes_per_waiter", 1536.5)
    var o = BenchOptions(target: BenchTarget(host: "127.0.0.1", port: 4001), scenario: .lockContended)
    o.connections = 7
    let report = BenchReport(options: o, elapsedSeconds: 2, stats: stats)
    #expect(report.requestsPerSecond == 500)
    let text = report.text
    #expect(text.contains("1000  (500.0 req/s)"))
    #expect(text.contains("errors       reset=1 status_500=1"))
    #expect(text.contains("p50 0.500"))
    #expect(text.contains("max 1.000"))
    #expect(text.contains("handoff      p50 0.250"))
    #expect(report.json.hasPrefix("{\"scenario\":\"lock-contended\",\"target\":\"http://127.0.0.1:4001\",\"connections\":7,\"seconds\":2.000,\"requests\":1000,\"requests_per_second\":500.0"))
    #expect(report.json.contains("\"errors\":{\"reset\":1,\"status_500\":1}"))
    #expect(report.json.contains("\"handoff_ms\":{\"count\":1,\"p50\":0.250"))
    #expect(report.json.hasSuffix(",\"bytes_per_waiter\":1536.500}"))
    #expect(format(-0.0004, 3) == "0.000")
    #expect(format(12.3456, 2) == "12.35")
}
