// `/mod/v2/lock/<name>` and `/mod/v2/leader/<name>` (SPEC §2–3, reference §1.7 and §2.1): parameter parsing
// in etcd's order, then one call into LockService / LeaderService. Parameters follow Go's `FormValue`
// (query, plus a urlencoded body for POST and PUT; DELETE and GET read the query only); an empty value counts
// as absent. Successes are plain text; errors are etcd's JSON envelope; a request that must wait is parked.

import HTTP
import Modules
import Store

extension BatonServer {
    func lockEndpoint(_ request: Request, name: LockName, now: Timestamp) -> EndpointResult {
        let form = FormValues(request: request)
        do throws(EtcdError) {
            switch request.method {
            case .post:
                let timeout = try Self.timeout(form.value(.timeout))
                let ttl = try Self.ttl(form.value(.ttl), cause: "Acquire")
                return acquire(name, value: form.value(.value) ?? "", ttl: ttl, timeout: timeout, now: now)
            case .put:
                let ttl = try Self.ttl(form.value(.ttl), cause: "Renew")
                let index = Self.nonEmpty(form.value(.index)), value = Self.nonEmpty(form.value(.value))
                if index == nil && value == nil { throw EtcdError(.indexOrValueRequired, cause: "Renew") }
                try locks.renew(name, index: index, value: value, ttl: ttl, now: now)
                return .response(.text(200, ""))
            case .delete:
                try locks.release(name, index: Self.nonEmpty(form.value(.index)),
                                  value: Self.nonEmpty(form.value(.value)), now: now)
                return .response(.text(200, ""))
            case .get, .head:
                return .response(.text(200, try locks.holder(name, field: form.value(.field))))
            default:
                return .response(Self.notFound)
            }
        } catch {
            return .response(errorResponse(error))
        }
    }

    func leaderEndpoint(_ request: Request, name: String, now: Timestamp) -> EndpointResult {
        let form = FormValues(request: request)
        do throws(EtcdError) {
            switch request.method {
            case .put:
                guard let candidate = Self.nonEmpty(form.value(.candidateName)) else {
                    throw EtcdError(.nameRequired, cause: "Set")
                }
                let timeout = try Self.timeout(form.value(.timeout))
                let ttl = try Self.ttl(form.value(.ttl), cause: "Acquire")
                let id = takeID()
                let outcome = try leaders.set(name, candidate: candidate, ttl: ttl, timeout: timeout,
                                              waiter: WaiterID(id), now: now)
                return result(of: outcome, parkID: id)
            case .delete:
                guard let candidate = Self.nonEmpty(form.value(.candidateName)) else {
                    throw EtcdError(.nameRequired, cause: "Delete")
                }
                try leaders.remove(name, candidate: candidate, now: now)
                return .response(.text(200, ""))
            case .get, .head:
                return .response(.text(200, try leaders.current(name)))
            default:
                return .response(Self.notFound)
            }
        } catch {
            return .response(errorResponse(error))
        }
    }

    private func acquire(_ name: LockName, value: String, ttl: Int64, timeout: Int64?, now: Timestamp) -> EndpointResult {
        let id = takeID()
        do throws(EtcdError) {
            let outcome = try locks.acquire(name, value: value, ttl: ttl, timeout: timeout, waiter: WaiterID(id), now: now)
            return result(of: outcome, parkID: id)
        } catch {
            return .response(errorResponse(error))
        }
    }

    private func result(of outcome: AcquireOutcome, parkID: UInt64) -> EndpointResult {
        switch outcome {
        case .acquired(let index): .response(Self.indexText(index))
        case .parked: .parkLock(parkID)
        case .failed(let failure): .response(failureResponse(failure))
        }
    }

    /// The answer of a successful acquire: the entry's index as text, its digits written by the encoder
    /// straight into the output (no String, no body array; see Response.decimalBody).
    static func indexText(_ index: EtcdIndex) -> Response {
        Response(status: 200, headerLines: HeaderLine.contentTypeText, decimalBody: index)
    }

    /// etcd: absent or empty = wait forever; otherwise `strconv.Atoi` or error 205.
    private static func timeout(_ text: String?) throws(EtcdError) -> Int64? {
        guard let text, !text.isEmpty else { return nil }
        guard let n = Int64(text) else { throw EtcdError(.timeoutNaN, cause: "Acquire") }
        return n
    }

    /// etcd: `strconv.Atoi(ttl)`, missing or not a number = error 202 with the operation as cause.
    private static func ttl(_ text: String?, cause: String) throws(EtcdError) -> Int64 {
        guard let text, let n = Int64(text) else { throw EtcdError(.ttlNaN, cause: cause) }
        return n
    }

    private static func nonEmpty(_ s: String?) -> String? {
        guard let s, !s.isEmpty else { return nil }
        return s
    }
}

/// The parameters the lock and leader modules read, prepared once (see FormName; `value` and `ttl` are the keys
/// API's).
extension FormName {
    static let timeout = FormName("timeout")
    static let index = FormName("index")
    static let field = FormName("field")
    /// The leader module's `name` (the candidate).
    static let candidateName = FormName("name")
}
