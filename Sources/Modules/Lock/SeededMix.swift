// The hash the lock service's own dictionary keys give their tables (LockNameKey, a queue's entry index):
// a 64-bit value mixed with the table's per-instance seed by a multiply-xorshift. Swift's default, SipHash
// over the value, cost ~100 instructions per lookup; the values are already well spread (an FNV hash of a
// name from a random basis, server-assigned indexes), so the mix only has to fold in the seed.

/// A multiply-xorshift of a value and a dictionary's seed, for `Hashable._rawHashValue(seed:)`.
enum SeededMix {
    @inline(__always)
    static func hash(_ value: UInt64, seed: Int) -> Int {
        var x = value ^ UInt64(bitPattern: Int64(seed))
        x ^= x >> 32
        x &*= 0xd6e8_feb8_6659_fd93
        x ^= x >> 32
        return Int(bitPattern: UInt(x))
    }
}
