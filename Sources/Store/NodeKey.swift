// The key of `Store.nodes`: a node's key with its String hash computed once. The hash is the String's own
// (`hashValue`), so equality and hashing still follow String's canonical equivalence exactly as a String
// key did; what changes is that the dictionary never hashes the String again. A String key was hashed
// not only by every lookup but by every removal (the probe chain behind the removed slot is shifted
// back, re-hashing each key in it) and every resize; a node keeps its hash (`Node.keyHash`), so removing
// a known node from the index hashes no String at all.

/// A node key and its String hash, as the key of the store's node index.
struct NodeKey: Hashable {
    let key: String
    let hash: Int

    /// Hashes `key` (one String hash, as a String-keyed lookup did).
    init(_ key: String) {
        self.key = key
        hash = key.hashValue
    }

    /// The key of an indexed node, whose hash is known.
    init(of node: Node) {
        key = node.key
        hash = node.keyHash
    }

    /// A String and its known hash.
    init(key: String, hash: Int) {
        self.key = key
        self.hash = hash
    }

    static func == (a: NodeKey, b: NodeKey) -> Bool {
        a.hash == b.hash && a.key == b.key
    }

    func hash(into hasher: inout Hasher) { hasher.combine(hash) }

    /// What the dictionary calls: the stored hash (already seeded per process) mixed with the table's own
    /// seed by a multiply-xorshift, instead of a full Hasher run over it.
    func _rawHashValue(seed: Int) -> Int {
        var x = UInt64(bitPattern: Int64(hash ^ seed))
        x ^= x >> 32
        x &*= 0xd6e8_feb8_6659_fd93
        x ^= x >> 32
        return Int(bitPattern: UInt(x))
    }
}
