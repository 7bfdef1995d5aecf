// The read-only status endpoints: `/v2/stats/{self,leader,store}` in etcd v0.4's JSON shapes (reference
// §4.12, a single-member cluster that is its own leader) and `/metrics` in Prometheus text format.

import HTTP
import Modules
import Store
import UV

extension BatonServer {
    func selfStatsJSON() -> [UInt8] {
        var w = JSONWriter(capacity: 256)
        let start = TimeFormatting.rfc3339(startTime)
        w.raw("{\"name\":"); w.string(config.name)
        w.raw(",\"state\":\"leader\",\"startTime\":"); w.string(start)
        w.raw(",\"leaderInfo\":{\"leader\":"); w.string(config.name)
        w.raw(",\"uptime\":"); w.string(TimeFormatting.goDuration(milliseconds: now - startTime.milliseconds))
        w.raw(",\"startTime\":"); w.string(start)
        w.raw("},\"recvAppendRequestCnt\":0,\"sendAppendRequestCnt\":0}")
        return w.bytes
    }

    /// etcd 2's member list (etcdctl v2 `member list` and `cluster-health` read it): this one member.
    func membersJSON() -> [UInt8] {
        Array("{\"members\":[".utf8) + memberJSON() + Array("]}".utf8)
    }

    /// This member as etcd 2 describes one (`/v2/members/leader`, and the element of the list).
    func memberJSON() -> [UInt8] {
        var w = JSONWriter(capacity: 160)
        w.raw("{\"id\":"); w.string(memberID)
        w.raw(",\"name\":"); w.string(config.name)
        w.raw(",\"peerURLs\":["); w.string(peerURL)
        w.raw("],\"clientURLs\":["); w.string(clientURL)
        w.raw("]}")
        return w.bytes
    }

    /// A stable member id: FNV-1a of name and peer URL, in hex like etcd's ids.
    var memberID: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in (config.name + "|" + peerURL).utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }

    func leaderStatsJSON() -> [UInt8] {
        var w = JSONWriter(capacity: 64)
        w.raw("{\"leader\":"); w.string(config.name)
        w.raw(",\"followers\":{}}")
        return w.bytes
    }

    func storeStatsJSON() -> [UInt8] {
        let s = store.stats
        let fields: [(StaticString, UInt64)] = [
            ("getsSuccess", UInt64(s.getsSuccess)), ("getsFail", UInt64(s.getsFail)),
            ("setsSuccess", UInt64(s.setsSuccess)), ("setsFail", UInt64(s.setsFail)),
            ("deleteSuccess", UInt64(s.deleteSuccess)), ("deleteFail", UInt64(s.deleteFail)),
            ("updateSuccess", UInt64(s.updateSuccess)), ("updateFail", UInt64(s.updateFail)),
            ("createSuccess", UInt64(s.createSuccess)), ("createFail", UInt64(s.createFail)),
            ("compareAndSwapSuccess", UInt64(s.compareAndSwapSuccess)), ("compareAndSwapFail", UInt64(s.compareAndSwapFail)),
            ("compareAndDeleteSuccess", UInt64(s.compareAndDeleteSuccess)), ("compareAndDeleteFail", UInt64(s.compareAndDeleteFail)),
            ("expireCount", UInt64(s.expireCount)), ("watchers", UInt64(s.watchers)),
        ]
        var w = JSONWriter(capacity: 512)
        w.raw("{")
        for (i, (name, value)) in fields.enumerated() {
            w.raw(i == 0 ? "\"" : ",\"")
            w.raw(name)
            w.raw("\":")
            w.unsigned(value)
        }
        w.raw("}")
        return w.bytes
    }

    func metricsResponse() -> Response {
        var p = PrometheusText()
        p.single("baton_connections_open", "gauge", "Client connections currently open.", openConnectionCount)
        p.single("baton_connections_accepted_total", "counter", "Client connections accepted.", metrics.connectionsAccepted)
        p.single("baton_connections_refused_total", "counter", "Connections refused over the connection limit.", metrics.connectionsRefused)
        p.single("baton_connections_timed_out_total", "counter", "Connections closed for slow headers or idleness.", metrics.connectionsTimedOut)
        p.single("baton_http_parse_errors_total", "counter", "Requests rejected by the HTTP parser.", metrics.parseErrors)
        p.metric("baton_http_requests_total", "counter", "Responses by route and status.",
                 metrics.responseCounts.map { ("route=\"\($0.route)\",code=\"\($0.status)\"", String($0.count)) })
        p.single("baton_hanging_requests", "gauge", "Requests parked: lock/leader waiters and watches.", parked.count)
        p.single("baton_watchers", "gauge", "Watchers registered in the store.", store.watcherCount)
        p.single("baton_store_index", "gauge", "Current etcd index.", store.index)
        p.single("baton_store_keys_with_ttl", "gauge", "Keys with a TTL armed in the timer wheel.", store.keysWithTTL)
        p.single("baton_store_expirations_total", "counter", "Keys expired by TTL.", store.stats.expireCount)
        let s = store.stats
        p.metric("baton_store_operations_total", "counter", "Store operations by kind and result (etcd's store stats).", [
            ("op=\"get\",result=\"success\"", String(s.getsSuccess)), ("op=\"get\",result=\"fail\"", String(s.getsFail)),
            ("op=\"set\",result=\"success\"", String(s.setsSuccess)), ("op=\"set\",result=\"fail\"", String(s.setsFail)),
            ("op=\"delete\",result=\"success\"", String(s.deleteSuccess)), ("op=\"delete\",result=\"fail\"", String(s.deleteFail)),
            ("op=\"update\",result=\"success\"", String(s.updateSuccess)), ("op=\"update\",result=\"fail\"", String(s.updateFail)),
            ("op=\"create\",result=\"success\"", String(s.createSuccess)), ("op=\"create\",result=\"fail\"", String(s.createFail)),
            ("op=\"compareAndSwap\",result=\"success\"", String(s.compareAndSwapSuccess)),
            ("op=\"compareAndSwap\",result=\"fail\"", String(s.compareAndSwapFail)),
            ("op=\"compareAndDelete\",result=\"success\"", String(s.compareAndDeleteSuccess)),
            ("op=\"compareAndDelete\",result=\"fail\"", String(s.compareAndDeleteFail)),
        ])
        let l = locks.stats
        p.single("baton_locks_held", "gauge", "Locks (and leader keys) with a holder.", l.locksHeld)
        p.single("baton_lock_waiters", "gauge", "Lock and leader requests parked waiting.", l.waitersParked)
        p.single("baton_lock_acquisitions_total", "counter", "Lock acquisitions answered 200.", l.acquisitions)
        p.single("baton_lock_handoffs_total", "counter", "Acquisitions by a waiter after the previous holder left.", l.handoffs)
        p.single("baton_lock_timeouts_total", "counter", "Acquires that gave up (timeout).", l.timeouts)
        p.single("baton_lock_expirations_total", "counter", "Lock holders removed by their TTL.", l.expirations)
        p.single("baton_loop_lag_milliseconds", "gauge", "How late the once-a-second loop timer last fired.", metrics.loopLagMilliseconds)
        p.single("baton_resident_memory_bytes", "gauge", "Resident set size of the process.", UV.Process.residentMemoryBytes())
        return Response(status: 200, headers: [("Content-Type", "text/plain; version=0.0.4; charset=utf-8")],
                        body: Array(p.text.utf8))
    }
}
