// Go's url.unescape for paths (PathUnescape: '+' stays) and query components (QueryUnescape: '+' is a
// space). A '%' not followed by two hex digits is an error, which the callers turn into a 400 (path) or a
// dropped pair (form values). Decoded bytes that are not UTF-8 become U+FFFD, since a Swift String cannot
// carry them; etcd keys are UTF-8 in practice.

/// Percent-decoding with Go's rules.
package enum PercentDecoding {
    /// Decodes `s`; nil when an escape is malformed.
    package static func decode(_ s: Substring, plusIsSpace: Bool) -> String? {
        decode(bytes: s.utf8, plusIsSpace: plusIsSpace)
    }

    /// Decodes UTF-8 `bytes`; nil when an escape is malformed. Without '%' (or '+' for queries) the bytes
    /// become the String as they are.
    package static func decode<Bytes: Collection<UInt8>>(bytes: Bytes, plusIsSpace: Bool) -> String? {
        var needsWork = false
        for b in bytes where b == UInt8(ascii: "%") || (plusIsSpace && b == UInt8(ascii: "+")) {
            needsWork = true
            break
        }
        if !needsWork { return String(decoding: bytes, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        while i != bytes.endIndex {
            let b = bytes[i]
            if b == UInt8(ascii: "%") {
                let h = bytes.index(after: i)
                guard h != bytes.endIndex else { return nil }
                let l = bytes.index(after: h)
                guard l != bytes.endIndex else { return nil }
                let hi = ASCII.hexValue(bytes[h]), lo = ASCII.hexValue(bytes[l])
                guard hi != 0xFF, lo != 0xFF else { return nil }
                out.append(hi << 4 | lo)
                i = bytes.index(after: l)
                continue
            }
            out.append(plusIsSpace && b == UInt8(ascii: "+") ? UInt8(ascii: " ") : b)
            i = bytes.index(after: i)
        }
        return String(decoding: out, as: UTF8.self)
    }
}
