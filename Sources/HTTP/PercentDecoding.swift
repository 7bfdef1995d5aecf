// Go's url.unescape for paths (PathUnescape: '+' stays) and query components (QueryUnescape: '+' is a
// space). A '%' not followed by two hex digits is an error, which the callers turn into a 400 (path) or a
// dropped pair (form values). Decoded bytes that are not UTF-8 become U+FFFD, since a Swift String cannot
// carry them; etcd keys are UTF-8 in practice.

/// Percent-decoding with Go's rules.
package enum PercentDecoding {
    /// Decodes `s`; nil when an escape is malformed.
    package static func decode(_ s: Substring, plusIsSpace: Bool) -> String? {
        let utf8 = s.utf8
        var needsWork = false
        for b in utf8 where b == UInt8(ascii: "%") || (plusIsSpace && b == UInt8(ascii: "+")) {
            needsWork = true
            break
        }
        if !needsWork { return String(s) }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count)
        var i = utf8.startIndex
        while i != utf8.endIndex {
            let b = utf8[i]
            if b == UInt8(ascii: "%") {
                let h = utf8.index(after: i)
                guard h != utf8.endIndex else { return nil }
                let l = utf8.index(after: h)
                guard l != utf8.endIndex else { return nil }
                let hi = ASCII.hexValue(utf8[h]), lo = ASCII.hexValue(utf8[l])
                guard hi != 0xFF, lo != 0xFF else { return nil }
                out.append(hi << 4 | lo)
                i = utf8.index(after: l)
                continue
            }
            out.append(plusIsSpace && b == UInt8(ascii: "+") ? UInt8(ascii: " ") : b)
            i = utf8.index(after: i)
        }
        return String(decoding: out, as: UTF8.self)
    }
}
