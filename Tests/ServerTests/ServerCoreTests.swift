// Black-box tests of the HTTP/1.1 server core (SPEC §6, §7): the real binary on a free loopback port.

import Foundation
import Testing

@Suite struct ServerCoreTests {
    /// Ensure that /version, /health and etcd's cluster endpoints answer.
    /// `curl http://127.0.0.1:4001/health`
    @Test func basicEndpointsAnswer() throws {
        let baton = try BatonProcess()
        let health = try baton.request("GET", "/health")
        #expect(health.status == 200)
        #expect(health.text == #"{"health":"true"}"#)
        #expect(health.header("Content-Type") == "application/json")
        let version = try baton.request("GET", "/version")
        #expect(version.status == 200)
        #expect(version.text.hasPrefix("etcd 0.4"))
        #expect(try baton.request("GET", "/v2/machines").text == "http://127.0.0.1:\(baton.port)")
        #expect(try baton.request("GET", "/v2/leader").text == "http://127.0.0.1:7001")
        let selfStats = try baton.request("GET", "/v2/stats/self").json
        #expect(selfStats["name"] as? String == "baton")
        #expect((selfStats["leaderInfo"] as? [String: Any])?["leader"] as? String == "baton")
        #expect(try baton.request("GET", "/v2/stats/leader").text == #"{"leader":"baton","followers":{}}"#)
    }

    /// Ensure that an unknown path gets etcd's plain-text 404 and an unknown method 405.
    @Test func unknownPathsAndMethods() throws {
        let baton = try BatonProcess()
        let missing = try baton.request("GET", "/nope")
        #expect(missing.status == 404)
        #expect(missing.text == "404 page not found\n")
        #expect(try baton.request("FROB", "/health").status == 405)
        #expect(try baton.request("POST", "/health").status == 404)
        #expect(try baton.request("GET", "/v2/keys").status == 404)
    }

    /// Ensure that keep-alive is the default for HTTP/1.1 and HTTP/1.0 closes unless asked.
    @Test func keepAliveRules() throws {
        let baton = try BatonProcess()
        let c = try baton.client()
        for _ in 0..<3 { #expect(try c.request("GET", "/health").status == 200) }
        try c.send("GET /health HTTP/1.0\r\n\r\n")
        let r = try c.readResponse()
        #expect(r.status == 200)
        #expect(c.isClosedByPeer(within: 2))

        let c2 = try baton.client()
        try c2.send("GET /health HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        let r2 = try c2.readResponse()
        #expect(r2.header("Connection")?.lowercased() == "keep-alive")
        #expect(try c2.request("GET", "/health").status == 200)

        let c3 = try baton.client()
        try c3.send("GET /health HTTP/1.1\r\nConnection: close\r\n\r\n")
        #expect(try c3.readResponse().header("Connection")?.lowercased() == "close")
        #expect(c3.isClosedByPeer(within: 2))
    }

    /// Ensure that pipelined requests are answered in request order from one write.
    @Test func pipeliningAnswersInOrder() throws {
        let baton = try BatonProcess()
        let c = try baton.client()
        try c.send("GET /version HTTP/1.1\r\n\r\nGET /health HTTP/1.1\r\n\r\nGET /nope HTTP/1.1\r\n\r\nHEAD /health HTTP/1.1\r\n\r\n")
        #expect(try c.readResponse().text.hasPrefix("etcd"))
        #expect(try c.readResponse().text == #"{"health":"true"}"#)
        #expect(try c.readResponse().status == 404)
        let head = try c.readResponse(headOnly: true)
        #expect(head.status == 200)
        #expect(head.header("Content-Length") == "17")
        #expect(!c.hasData(within: 0.2))
    }

    /// Ensure that chunked request bodies and Expect: 100-continue work.
    @Test func chunkedBodyAndContinue() throws {
        let baton = try BatonProcess()
        let c = try baton.client()
        try c.send("PUT /v2/keys/chunked HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nvalue=\r\n5;ext=1\r\nhello\r\n0\r\n\r\n")
        let r = try c.readResponse()
        #expect(r.status == 201)
        #expect((r.json["node"] as? [String: Any])?["value"] as? String == "hello")

        try c.send("PUT /v2/keys/continued HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 7\r\nExpect: 100-continue\r\n\r\n")
        let interim = try c.readInterim()
        #expect(interim == 100)
        try c.send("value=x")
        #expect(try c.readResponse().status == 201)
    }

    /// Ensure that every kind of bad input gets its status, the connection closes, and others are unaffected.
    @Test func badInputGetsItsStatus() throws {
        let baton = try BatonProcess(["-max-body-bytes", "1000"])
        let bystander = try baton.client()
        let cases: [(String, Int)] = [
            ("GARBAGE\r\n\r\n", 400),
            ("GET /health HTTP/1.1\r\nBad Header\r\n\r\n", 400),
            ("GET /health HTTP/9.9\r\n\r\n", 505),
            ("GET /%zz HTTP/1.1\r\n\r\n", 400),
            ("GET /health HTTP/1.1\r\nX: " + String(repeating: "a", count: 9000) + "\r\n\r\n", 431),
            ("PUT /v2/keys/a HTTP/1.1\r\nContent-Length: 5000\r\n\r\n", 413),
            ("PUT /v2/keys/a HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
            ("PUT /v2/keys/a HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", 501),
        ]
        for (bytes, status) in cases {
            let c = try baton.client()
            try c.send(bytes)
            let r = try c.readResponse()
            #expect(r.status == status, "\(bytes.prefix(40))")
            #expect(r.header("Connection")?.lowercased() == "close")
            #expect(c.isClosedByPeer(within: 2))
            #expect(try bystander.request("GET", "/health").status == 200)
        }
        let metrics = try baton.request("GET", "/metrics").text
        #expect(metrics.contains("baton_http_parse_errors_total \(cases.count)"))
    }

    /// Ensure that a client too slow to send its headers is dropped and an idle connection is closed.
    @Test func slowHeadersAndIdleConnectionsAreClosed() throws {
        let baton = try BatonProcess(["-header-timeout", "0.3", "-idle-timeout", "0.6"])
        let slow = try baton.client()
        try slow.send("GET /health HTTP/1.1\r\nHost: x\r\n")
        let idle = try baton.client()
        #expect(try idle.request("GET", "/health").status == 200)
        #expect(slow.isClosedByPeer(within: 3))
        #expect(idle.isClosedByPeer(within: 3))
        let fresh = try baton.client()
        #expect(try fresh.request("GET", "/health").status == 200)
    }

    /// Ensure that clients over the connection limit are refused cleanly while the others keep working.
    @Test func connectionLimitRefusesExtraClients() throws {
        let baton = try BatonProcess(["-max-connections", "3"])
        let held = try (0..<3).map { _ in try baton.client() }
        for c in held { #expect(try c.request("GET", "/health").status == 200) }
        let extra = try baton.client()
        let refused = try extra.readResponse()
        #expect(refused.status == 503)
        #expect(extra.isClosedByPeer(within: 2))
        #expect(try held[0].request("GET", "/health").status == 200)
        #expect(try baton.request("GET", "/metrics").status == 503)
        held[1].close()
        usleep(200_000)
        let metrics = try baton.request("GET", "/metrics").text
        #expect(metrics.contains("baton_connections_refused_total 2"))
    }

    /// Ensure that SIGTERM makes the server exit 0 within 2 s, answering a hanging request 503 first.
    @Test func sigtermStopsWithinTwoSeconds() throws {
        let baton = try BatonProcess()
        #expect(try baton.request("POST", "/mod/v2/lock/held?ttl=60").status == 200)
        let waiter = try baton.client()
        try waiter.sendRequest("POST", "/mod/v2/lock/held?ttl=60")
        #expect(!waiter.hasData(within: 0.3))
        let idle = try baton.client()
        #expect(try idle.request("GET", "/health").status == 200)
        let (status, seconds) = baton.stop()
        #expect(status == 0)
        #expect(seconds < 2)
        let answer = try waiter.readResponse()
        #expect(answer.status == 503)
        #expect(answer.text == "server is shutting down\n")
        // The loop closed with no libuv handle left open.
        #expect(baton.log.contains("info baton: [Server] stopped\n"), "\(baton.log)")
    }

    /// Ensure that bad command-line values give one clear line on stderr and a non-zero exit.
    @Test func badFlagsFailClearly() throws {
        for args in [["-addr", "nonsense"], ["-bind-addr", "999.1.1.1:80"], ["-data-dir", "/proc/nope/x"],
                     ["-cors", "not a url"]] {
            let p = Process()
            p.executableURL = BatonProcess.binaryURL
            p.arguments = args
            let err = Pipe()
            p.standardError = err
            p.standardOutput = FileHandle.nullDevice
            try p.run()
            p.waitUntilExit()
            let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(p.terminationStatus != 0, "\(args)")
            #expect(text.hasPrefix("baton: "), "\(args): \(text)")
            #expect(text.split(separator: "\n").count == 1, "\(args): \(text)")
        }
    }

    /// Ensure that a port already in use is reported in one line, and flags come from BATON_* variables.
    @Test func portInUseAndEnvironmentFlags() throws {
        let first = try BatonProcess(environment: ["BATON_NAME": "from-env"])
        let stats = try first.request("GET", "/v2/stats/self").json
        #expect(stats["name"] as? String == "from-env")
        let p = Process()
        p.executableURL = BatonProcess.binaryURL
        p.arguments = ["--addr", "127.0.0.1:\(first.port)", "--memory"]
        let err = Pipe()
        p.standardError = err
        try p.run()
        p.waitUntilExit()
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(p.terminationStatus == 1)
        #expect(text.contains("address already in use"), "\(text)")
    }

    /// Ensure that -cors='*' adds the three CORS headers and OPTIONS gets an empty 200.
    @Test func corsHeadersAndPreflight() throws {
        let baton = try BatonProcess(["-cors=*"])
        let r = try baton.request("GET", "/health", headers: [("Origin", "http://elsewhere")])
        #expect(r.header("Access-Control-Allow-Origin") == "*")
        #expect(r.header("Access-Control-Allow-Methods") == "POST, GET, OPTIONS, PUT, DELETE")
        #expect(r.header("Access-Control-Allow-Headers") == "accept, content-type")
        let pre = try baton.request("OPTIONS", "/v2/keys/x")
        #expect(pre.status == 200)
        #expect(pre.body.isEmpty)
        let plain = try BatonProcess(["-cors", "http://allowed.example"])
        #expect(try plain.request("GET", "/health", headers: [("Origin", "http://allowed.example")])
            .header("Access-Control-Allow-Origin") == "http://allowed.example")
        #expect(try plain.request("GET", "/health", headers: [("Origin", "http://other.example")])
            .header("Access-Control-Allow-Origin") == nil)
    }

    /// Ensure that /metrics speaks Prometheus text with the core series.
    @Test func metricsExposition() throws {
        let baton = try BatonProcess()
        _ = try baton.request("GET", "/health")
        let r = try baton.request("GET", "/metrics")
        #expect(r.header("Content-Type")?.hasPrefix("text/plain; version=0.0.4") == true)
        for series in ["baton_connections_open 1", "baton_connections_accepted_total 2",
                       "baton_http_requests_total{route=\"health\",code=\"200\"} 1",
                       "baton_loop_lag_milliseconds", "baton_hanging_requests 0", "# TYPE baton_watchers gauge"] {
            #expect(r.text.contains(series), "\(series)")
        }
    }
}

extension HTTPTestClient {
    /// Reads an interim `HTTP/1.1 1xx` status line and its blank line; returns the status.
    func readInterim() throws -> Int {
        try readHead().status
    }
}
