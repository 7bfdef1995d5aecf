// `/v2/keys/<key>`: turns etcd's request parameters into store calls (reference §4.4–4.9). Parsing rules are
// Go's: `FormValue` sources (see FormValues), values equal to true/false in any case are lower-cased first
// (etcd's `/v2` query-params wrapper), booleans are true only when exactly "true", an empty `ttl` means
// permanent, and the presence (not the value) of `prevValue`/`prevIndex`/`prevExist` picks the PUT variant.

import HTTP
import Store

/// The request parameters of one `/v2` request with etcd's true/false lower-casing applied.
struct V2Parameters {
    private let form: FormValues
    /// The form's key lengths (`FormValues.keyLengthBits`): a name a request does not have, most of the
    /// ones a handler reads, is answered here without a lookup.
    private let keyLengths: UInt64

    init(_ form: consuming FormValues) {
        keyLengths = form.keyLengthBits
        // Consumed: storing a borrowed form copied it (retains of its two slices; callgrind).
        self.form = form
    }

    /// `candidate`: a String the value may well be (see `FormValues.value(_:reusing:)`).
    func value(_ name: borrowing FormName, reusing candidate: String = "") -> String? {
        guard keyLengths & name.lengthBit != 0, let v = form.value(name, reusing: candidate) else { return nil }
        // Only "true"/"false" in some letter case change; compared without building a lowercased String
        // (that was an allocation per parameter read, ~1,400 instructions per PUT).
        switch v.utf8.count {
        case 4 where ASCII.equalsIgnoringCase(v, "true"): return "true"
        case 5 where ASCII.equalsIgnoringCase(v, "false"): return "false"
        default: return v
        }
    }

    func flag(_ name: borrowing FormName) -> Bool { value(name) == "true" }

    /// A non-empty value, or nil.
    func nonEmpty(_ name: borrowing FormName) -> String? {
        guard let v = value(name), !v.isEmpty else { return nil }
        return v
    }
}

/// The parameters the keys API reads, prepared once.
extension FormName {
    static let value = FormName("value")
    static let ttl = FormName("ttl")
    static let dir = FormName("dir")
    static let prevValue = FormName("prevValue")
    static let prevIndex = FormName("prevIndex")
    static let prevExist = FormName("prevExist")
    static let recursive = FormName("recursive")
    static let sorted = FormName("sorted")
    static let wait = FormName("wait")
    static let waitIndex = FormName("waitIndex")
    static let stream = FormName("stream")
}

extension BatonServer {
    func keysEndpoint(_ request: Request, key: String, now: Timestamp) -> EndpointResult {
        let params = V2Parameters(FormValues(request: request))
        do throws(EtcdError) {
            switch request.method {
            case .get, .head:
                return try getKey(key, params: params, now: now)
            case .put:
                let command = try putCommand(key, params: params, now: now)
                return .response(writeResponse(try store.apply(command, now: now)))
            case .post:
                let expiration = try expiration(params, cause: "Create", now: now)
                let command = Command.createInOrder(directory: key, value: params.value(.value) ?? "",
                                                    dir: params.flag(.dir), expiration: expiration)
                return .response(writeResponse(try store.apply(command, now: now)))
            case .delete:
                let command = try deleteCommand(key, params: params)
                return .response(writeResponse(try store.apply(command, now: now)))
            default:
                return .response(Self.notFound)
            }
        } catch {
            return .response(errorResponse(error))
        }
    }

    private func getKey(_ key: String, params: V2Parameters, now: Timestamp) throws(EtcdError) -> EndpointResult {
        let recursive = params.flag(.recursive)
        guard params.flag(.wait) else {
            let event = try store.get(key, recursive: recursive, sorted: params.flag(.sorted), now: now)
            return .response(eventResponse(event, etcdIndex: store.index, status: 200))
        }
        var since: EtcdIndex?
        if let text = params.nonEmpty(.waitIndex) {
            guard let n = UInt64(text) else {
                throw EtcdError(.indexNaN, cause: "Watch From Index", index: store.index)
            }
            since = n == 0 ? nil : n
        }
        let stream = params.flag(.stream)
        let id = takeID()
        let startIndex = store.index
        let immediate = try store.watch(key, recursive: recursive, stream: stream, sinceIndex: since, id: WatcherID(id))
        if let event = immediate, !stream {
            return .response(eventResponse(event, etcdIndex: startIndex, status: 200))
        }
        return .parkWatch(id, startIndex: startIndex, stream: stream, first: immediate)
    }

    /// The PUT decision table of reference §4.6.
    private func putCommand(_ key: String, params: V2Parameters, now: Timestamp) throws(EtcdError) -> Command {
        let expiration = try expiration(params, cause: "Update", now: now)
        // A PUT usually writes the value the key had, often the value written last.
        let value = params.value(.value, reusing: nodeJSON.lastValue) ?? ""
        let dir = params.flag(.dir)
        let prevValue = params.value(.prevValue)
        let prevIndexText = params.value(.prevIndex)
        let prevExist = params.value(.prevExist)
        if prevValue == nil && prevIndexText == nil && prevExist == nil {
            return .set(key: key, value: value, dir: dir, expiration: expiration)
        }
        if prevExist == "false" {
            return .create(key: key, value: value, dir: dir, expiration: expiration)
        }
        if prevExist == "true" && prevValue == nil && prevIndexText == nil {
            if value.isEmpty && expiration == nil {
                throw EtcdError(.valueOrTTLRequired, cause: "Update", index: store.index)
            }
            return .update(key: key, value: value, expiration: expiration)
        }
        let prevIndex = try prevIndex(prevIndexText, cause: "CompareAndSwap")
        if let prevValue, prevValue.isEmpty {
            throw EtcdError(.prevValueRequired, cause: "CompareAndSwap", index: store.index)
        }
        return .compareAndSwap(key: key, value: value, prevValue: prevValue, prevIndex: prevIndex, expiration: expiration)
    }

    private func deleteCommand(_ key: String, params: V2Parameters) throws(EtcdError) -> Command {
        let prevValue = params.value(.prevValue)
        let prevIndexText = params.value(.prevIndex)
        if prevValue == nil && prevIndexText == nil {
            let recursive = params.flag(.recursive)
            return .delete(key: key, dir: params.flag(.dir) || recursive, recursive: recursive)
        }
        let prevIndex = try prevIndex(prevIndexText, cause: "CompareAndDelete")
        if let prevValue, prevValue.isEmpty {
            throw EtcdError(.prevValueRequired, cause: "CompareAndDelete", index: store.index)
        }
        return .compareAndDelete(key: key, prevValue: prevValue, prevIndex: prevIndex)
    }

    /// `prevIndex` as etcd parses it (unsigned decimal); 0 means "no index condition".
    private func prevIndex(_ text: String?, cause: String) throws(EtcdError) -> EtcdIndex? {
        guard let text else { return nil }
        guard let n = UInt64(text) else { throw EtcdError(.indexNaN, cause: cause, index: store.index) }
        return n == 0 ? nil : n
    }

    /// `ttl` → absolute deadline; empty or absent = permanent; not an integer (or absurdly large) = error 202.
    func expiration(_ params: V2Parameters, cause: String, now: Timestamp) throws(EtcdError) -> Timestamp? {
        guard let text = params.nonEmpty(.ttl) else { return nil }
        guard let ttl = Int64(text) else { throw EtcdError(.ttlNaN, cause: cause, index: store.index) }
        return try Self.deadline(ttlSeconds: ttl, now: now, cause: cause, index: store.index)
    }

    static func deadline(ttlSeconds: Int64, now: Timestamp, cause: String, index: EtcdIndex) throws(EtcdError) -> Timestamp {
        let (ms, overflow1) = ttlSeconds.multipliedReportingOverflow(by: 1000)
        let (at, overflow2) = now.milliseconds.addingReportingOverflow(ms)
        guard !overflow1, !overflow2 else { throw EtcdError(.ttlNaN, cause: cause, index: index) }
        return Timestamp(milliseconds: at)
    }

    /// 201 for a creation (create, or set where nothing existed), else 200; `X-Etcd-Index` = the write's index.
    private func writeResponse(_ event: Event) -> Response {
        // A switch rather than `==` (see EtcdJSON.event).
        let created = switch event.action {
        case .create: true
        case .set: !event.hasPrevNode
        default: false
        }
        return eventResponse(event, etcdIndex: event.node.modifiedIndex, status: created ? 201 : 200)
    }
}
