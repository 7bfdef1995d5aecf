// The route table (ARCHITECTURE.md step 3) and what every response shares: etcd's 404 text, the CORS
// headers of `-cors`, the `Server` header, and the conversions of store/module results into responses.

import HTTP
import Modules
import Store

extension BatonServer {
    /// Methods Baton knows at all; any other token is answered 405. A known method on a route that does not
    /// serve it gets etcd's `404 page not found` (etcd's router answers 404 on a method mismatch).
    static let knownMethods: Set<String> = ["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS"]

    func dispatch(_ request: Request, now: Timestamp) -> Routed {
        if request.method == .options {
            // etcd's CORS wrapper answers every OPTIONS (pre-flight) itself, allowed origin or not.
            return Routed(.other, .response(Response(status: 200)))
        }
        if case .other(let token) = request.method, !Self.knownMethods.contains(token) {
            return Routed(.other, .response(Response(status: 405, headers: [("Allow", "GET, HEAD, POST, PUT, DELETE, OPTIONS")],
                                               body: Array("405 method not allowed\n".utf8))))
        }
        if request.method == .patch { return Routed(.other, .response(Self.notFound)) }
        if let clean = PathCleaning.canonicalRedirect(request) {
            let location = request.query.isEmpty ? clean : clean + "?" + request.query
            return Routed(.other, .response(Response(status: 301, headers: [("Location", location)])))
        }
        // The hot routes cut their key or name straight from the request's bytes (see Request.pathSuffix).
        if let key = request.pathSuffix(ifPrefix: Self.keysPrefix, dropping: 8) {
            return Routed(.keys, keysEndpoint(request, key: key, now: now))
        }
        if let name = request.pathSuffixBytes(ifPrefix: Self.lockPrefix, dropping: 13) {
            return Routed(.lock, lockEndpoint(request, name: LockName(bytes: name), now: now))
        }
        if let name = request.pathSuffix(ifPrefix: Self.leaderPrefix, dropping: 15) {
            return Routed(.leader, leaderEndpoint(request, name: name, now: now))
        }
        let path = request.path
        if path == "/mod/dashboard" || path.hasPrefix("/mod/dashboard/") {
            return Routed(.dashboard, .response(dashboardEndpoint(request, subpath: String(path.dropFirst(14)))))
        }
        guard request.method == .get || request.method == .head else { return Routed(.other, .response(Self.notFound)) }
        switch path {
        case "/version": return Routed(.version, .response(.text(200, "etcd 0.4.6")))
        case "/health": return Routed(.health, .response(.json(200, Self.healthBody)))
        case "/metrics": return Routed(.metrics, .response(metricsResponse()))
        case "/v2/machines", "/v2/peers": return Routed(.machines, .response(.text(200, clientURL)))
        case "/v2/leader": return Routed(.machines, .response(.text(200, peerURL)))
        case "/v2/members": return Routed(.machines, .response(.json(200, membersJSON())))
        case "/v2/members/leader": return Routed(.machines, .response(.json(200, memberJSON())))
        case "/v2/stats/self": return Routed(.stats, .response(.json(200, selfStatsJSON())))
        case "/v2/stats/leader": return Routed(.stats, .response(.json(200, leaderStatsJSON())))
        case "/v2/stats/store": return Routed(.stats, .response(.json(200, storeStatsJSON())))
        default: return Routed(.other, .response(Self.notFound))
        }
    }

    static let keysPrefix: [UInt8] = Array("/v2/keys/".utf8)
    static let lockPrefix: [UInt8] = Array("/mod/v2/lock/".utf8)
    static let leaderPrefix: [UInt8] = Array("/mod/v2/leader/".utf8)

    static let notFound = Response.text(404, "404 page not found\n")
    static let healthBody: [UInt8] = Array(#"{"health":"true"}"#.utf8)

    var peerURL: String { "http://" + config.peerAddress }

    /// Adds the CORS headers when `-cors` allows the origin (`Date` and `Server` are in `commonLines`).
    func decorate(_ response: inout Response, framing: ResponseFraming) {
        if let origin = framing.corsOrigin {
            response.headers.append(("Access-Control-Allow-Origin", origin))
            response.headers.append(("Access-Control-Allow-Methods", "POST, GET, OPTIONS, PUT, DELETE"))
            response.headers.append(("Access-Control-Allow-Headers", "accept, content-type"))
            if origin != "*" { response.headers.append(("Vary", "Origin")) }
        }
    }

    /// The `Access-Control-Allow-Origin` value for this request, or nil when CORS does not apply.
    func corsOrigin(for request: Request) -> String? {
        guard !config.corsOrigins.isEmpty else { return nil }
        if config.corsOrigins.contains("*") { return "*" }
        guard let origin = request.headers["Origin"], config.corsOrigins.contains(origin) else { return nil }
        return origin
    }

    // MARK: Store and module results as responses

    /// An etcd error: its JSON envelope, its HTTP status, `X-Etcd-Index` = its index.
    func errorResponse(_ error: EtcdError) -> Response {
        var response = Response.json(error.httpStatus, EtcdJSON.error(error))
        response.addHeaderLine(Self.etcdIndexPrefix, error.index)
        return response
    }

    func eventResponse(_ event: Event, etcdIndex: EtcdIndex, status: Int) -> Response {
        Response(status: status, headerLines: indexHeaderLines.lines(etcdIndex: etcdIndex, raftIndex: store.index),
                 body: EtcdJSON.event(event, cache: &nodeJSON))
    }

    /// The head of a `stream=true` watch: chunked JSON, headers as of registration.
    func watchHead(startIndex: EtcdIndex) -> Response {
        Response(status: 200, headerLines: indexHeaderLines.lines(etcdIndex: startIndex, raftIndex: store.index),
                 body: [])
    }

    static let etcdIndexPrefix = HeaderLine.prefix("X-Etcd-Index")

    /// A request the HTTP layer rejected, answered in etcd's envelope for etcd clients. etcd has no error code
    /// for these, so `errorCode` is the HTTP status (413, 431, …) and `message` says what was wrong.
    func protocolErrorEnvelope(_ error: HTTPParseError, reason: String) -> Response {
        var w = JSONWriter(capacity: 128)
        w.raw("{\"errorCode\":")
        w.integer(Int64(error.status))
        w.raw(",\"message\":")
        w.string(reason)
        w.raw(",\"index\":")
        w.unsigned(store.index)
        w.raw("}\n")
        return Response.json(error.status, w.bytes)
    }

    func failureResponse(_ failure: LockFailure) -> Response {
        .text(failure.httpStatus, failure.message + "\n")
    }
}
