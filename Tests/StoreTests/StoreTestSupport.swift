@testable import Store

/// A fixed wall-clock origin; tests move time by hand from here.
let t0 = Timestamp(milliseconds: 1_700_000_000_000)

/// `t0` plus `milliseconds`.
func at(_ milliseconds: Int64) -> Timestamp {
    Timestamp(milliseconds: t0.milliseconds + milliseconds)
}

/// The error a throwing store call raised, or nil when it succeeded.
func failure<T>(_ body: () throws -> T) -> EtcdError? {
    do {
        _ = try body()
        return nil
    } catch let error as EtcdError {
        return error
    } catch {
        return EtcdError(.clientInternal, cause: "unexpected \(error)")
    }
}

extension Store {
    /// `PUT key?value=V[&dir=true][&ttl=T]`.
    @discardableResult
    func set(_ key: String, _ value: String = "", dir: Bool = false, ttl: Int64? = nil, now: Timestamp = t0) throws(EtcdError) -> Event {
        try apply(.set(key: key, value: value, dir: dir, expiration: ttl.map { now.adding(seconds: $0) }), now: now)
    }

    /// `GET key` (sorted, so listings compare deterministically).
    func read(_ key: String, recursive: Bool = false, now: Timestamp = t0) throws(EtcdError) -> NodeView {
        try get(key, recursive: recursive, sorted: true, now: now).node
    }
}
