// The key of the lock service's name cache (`LockService.namedQueues`): a lock name compared byte for
// byte, with a hash of its bytes computed once. The cache must only hit on the exact spelling a request
// used (the directory given to the store is spelled like it), which String keys could not promise
// (they compare by canonical equivalence); and hashing and comparing a String key cost ~900
// instructions per lookup, twice per lock cycle, where these bytes cost a fraction.

/// A lock name as a byte-exact dictionary key.
struct LockNameKey: Hashable {
    let name: String
    /// FNV-1a of the UTF-8 bytes from a per-process random offset basis (`basis`), so that names
    /// chosen to collide in one process (one long probe chain per lookup) need not collide in another.
    private let bytesHash: UInt64
    /// Every byte is ASCII: then String equality is byte equality, and String's own comparison of two
    /// ASCII strings is a memcmp (~10 instructions where a byte loop here cost ~190).
    private let isASCII: Bool

    init(_ name: String) {
        self.name = name
        let bytes = name.utf8.span
        var hash = Self.basis
        var high: UInt8 = 0
        for i in 0..<bytes.count {
            hash = (hash ^ UInt64(bytes[i])) &* 0x100_0000_01b3
            high |= bytes[i]
        }
        bytesHash = hash
        isASCII = high < 0x80
    }

    /// FNV's offset basis (0xcbf29ce484222325) varied once per process.
    private static let basis: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64.random(in: 0...UInt64.max)

    static func == (a: LockNameKey, b: LockNameKey) -> Bool {
        guard a.bytesHash == b.bytesHash else { return false }
        if a.isASCII && b.isASCII { return a.name == b.name }
        let x = a.name.utf8.span, y = b.name.utf8.span
        guard x.count == y.count else { return false }
        for i in 0..<x.count where x[i] != y[i] { return false }
        return true
    }

    func hash(into hasher: inout Hasher) { hasher.combine(bytesHash) }

    /// What the dictionary calls: the stored hash mixed with the table's seed by a multiply-xorshift (a
    /// SipHash of it cost ~100 instructions and could not undo a collision of the FNV hash anyway).
    func _rawHashValue(seed: Int) -> Int { SeededMix.hash(bytesHash, seed: seed) }
}
