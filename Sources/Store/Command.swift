// Every mutation of the key tree is one of these values, applied by `Store.apply`. The same value is what the
// write-ahead log records, so replaying the log reproduces the tree, the indexes and the history exactly.
// Parameters arrive typed: the endpoint layer parses ttl/prevExist/boolean strings and turns `ttl=T` into an
// absolute `expiration` (now + T s). Keys are cleaned by the store (`path.Clean(path.Join("/", key))`).

/// A key-tree mutation; each case names the etcd v2 request that maps to it.
package enum Command: Equatable, Sendable {
    /// `PUT /v2/keys/<key>?value=V[&dir=true][&ttl=T]` with none of prevValue/prevIndex/prevExist present.
    /// Creates or replaces (a new node: new createdIndex); a file may become a directory, a directory can't be set.
    case set(key: String, value: String, dir: Bool, expiration: Timestamp?)
    /// `PUT /v2/keys/<key>?prevExist=false[&value=V][&dir=true][&ttl=T]` (prevValue/prevIndex ignored).
    case create(key: String, value: String, dir: Bool, expiration: Timestamp?)
    /// `POST /v2/keys/<dir>[?value=V][&dir=true][&ttl=T]`: a child named by the decimal index this write gets.
    case createInOrder(directory: String, value: String, dir: Bool, expiration: Timestamp?)
    /// `PUT /v2/keys/<key>?prevExist=true[&value=V][&ttl=T]` without prevValue/prevIndex. The value is replaced
    /// even when empty; a nil expiration removes the TTL. (Error 204 for neither value nor ttl is the caller's.)
    case update(key: String, value: String, expiration: Timestamp?)
    /// Any other PUT: `?prevValue=P` and/or `?prevIndex=I` (or prevExist with another value, or together with
    /// prev*). nil or ""/0 means "not compared"; both nil is an unconditional swap. (Error 201 is the caller's.)
    case compareAndSwap(key: String, value: String, prevValue: String?, prevIndex: EtcdIndex?, expiration: Timestamp?)
    /// `DELETE /v2/keys/<key>[?dir=true][&recursive=true]` without prevValue/prevIndex.
    case delete(key: String, dir: Bool, recursive: Bool)
    /// `DELETE /v2/keys/<key>?prevValue=P` and/or `?prevIndex=I` (files only).
    case compareAndDelete(key: String, prevValue: String?, prevIndex: EtcdIndex?)
    /// A TTL fired (`Store.expire(upTo:)` issues it; it is also the form an expiry takes in the log).
    case expire(key: String)
}
