// The key of the lock service's name cache (`LockService.namedQueues`): a lock name's bytes, compared byte
// for byte, with a hash of them computed once. The cache must only hit on the exact spelling a request used
// (the directory given to the store is spelled like it), which String keys could not promise (they compare
// by canonical equivalence); and hashing and comparing a String key cost ~900 instructions per lookup, twice
// per lock cycle. A lookup's key borrows the request's bytes (`LockName`); a remembered key owns a compact
// copy, so the cache never keeps a request's buffer alive.

/// A lock name's bytes as a byte-exact dictionary key.
struct LockNameKey: Hashable {
    let bytes: ArraySlice<UInt8>
    /// FNV-1a of the bytes from a per-process random offset basis (`basis`), so that names chosen to
    /// collide in one process (one long probe chain per lookup) need not collide in another.
    private let bytesHash: UInt64

    /// The key of a lookup (borrows `name`'s bytes).
    init(_ name: LockName) {
        let bytes = name.bytes
        self.bytes = bytes
        let span = bytes.span
        var hash = Self.basis
        for i in 0..<span.count {
            hash = (hash ^ UInt64(span[i])) &* 0x100_0000_01b3
        }
        bytesHash = hash
    }

    /// The same key with its own copy of the bytes, to be kept.
    var owned: LockNameKey { LockNameKey(bytes: ArraySlice(Array(bytes)), hash: bytesHash) }

    private init(bytes: ArraySlice<UInt8>, hash: UInt64) {
        self.bytes = bytes
        bytesHash = hash
    }

    /// FNV's offset basis (0xcbf29ce484222325) varied once per process.
    private static let basis: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64.random(in: 0...UInt64.max)

    static func == (a: LockNameKey, b: LockNameKey) -> Bool {
        guard a.bytesHash == b.bytesHash else { return false }
        let x = a.bytes.span, y = b.bytes.span
        guard x.count == y.count else { return false }
        for i in 0..<x.count where x[i] != y[i] { return false }
        return true
    }

    func hash(into hasher: inout Hasher) { hasher.combine(bytesHash) }

    /// What the dictionary calls: the stored hash mixed with the table's seed by a multiply-xorshift (a
    /// SipHash of it cost ~100 instructions and could not undo a collision of the FNV hash anyway).
    func _rawHashValue(seed: Int) -> Int { SeededMix.hash(bytesHash, seed: seed) }
}
