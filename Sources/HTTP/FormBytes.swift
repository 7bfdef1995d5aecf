// The byte-level work behind FormValues: scanning urlencoded pairs for a name, comparing escaped keys, deciding
// whether a value decodes to a known String, and decoding. Pure functions of bytes; split from FormValues so
// that the form's own file holds its index and lookup order (Go's FormValue rules) and this one the scanning.

/// Byte scanning of urlencoded forms (see FormValues).
enum FormBytes {
    /// Whether the bytes at `range` are `candidate`'s UTF-8 and none of them is '%' or '+' (so they decode
    /// to themselves, and to a String equal to `candidate` byte for byte). Eight bytes per step, read as one
    /// word from each side's raw bytes (as `ASCII.equalBytes` does): a byte loop over a String's span was
    /// ~20 instructions per byte (callgrind).
    static func isVerbatim(_ span: Span<UInt8>, _ range: Range<Int>, _ candidate: String) -> Bool {
        let n = candidate.utf8.count
        guard n == range.count else { return false }
        if n == 0 { return true }
        let expected = candidate.utf8.span
        let raw = span.extracting(range)
        if n < 8 {
            for k in 0..<n {
                let b = raw[k]
                if b != expected[k] || b == UInt8(ascii: "%") || b == UInt8(ascii: "+") { return false }
            }
            return true
        }
        let a = raw.bytes, b = expected.bytes
        // Words at 0, 8, 16, … and one final word ending at n (overlapping the one before it).
        var offset = 0
        while true {
            let word = a.unsafeLoadUnaligned(fromByteOffset: offset, as: UInt64.self)
            guard word == b.unsafeLoadUnaligned(fromByteOffset: offset, as: UInt64.self),
                  ASCII.matches(of: UInt8(ascii: "%"), in: word) == 0, ASCII.matches(of: UInt8(ascii: "+"), in: word) == 0
            else { return false }
            if offset == n - 8 { return true }
            offset = min(offset + 8, n - 8)
        }
    }

    /// Whether the escaped key at `range` is well-formed and decodes to `name`.
    static func keyMatches(_ span: Span<UInt8>, _ range: Range<Int>, _ name: Span<UInt8>) -> Bool {
        var i = range.lowerBound, n = 0
        while i < range.upperBound {
            var b = span[i]
            if b == UInt8(ascii: "%") {
                guard i + 2 < range.upperBound else { return false }
                let hi = ASCII.hexValue(span[i + 1]), lo = ASCII.hexValue(span[i + 2])
                guard hi != 0xFF, lo != 0xFF else { return false }
                b = hi << 4 | lo
                i += 3
            } else {
                if b == UInt8(ascii: "+") { b = UInt8(ascii: " ") }
                i += 1
            }
            guard n < name.count, name[n] == b else { return false }
            n += 1
        }
        return n == name.count
    }

    /// Whether byte comparison of decoded keys with `name` answers what String `==` would: for ASCII names
    /// without 'K', ';' and '`', the only ASCII characters with a canonically equivalent non-ASCII one
    /// (U+212A KELVIN SIGN, U+037E GREEK QUESTION MARK, U+1FEF GREEK VARIA).
    static func comparesAsBytes(_ name: Span<UInt8>) -> Bool {
        for k in 0..<name.count {
            let b = name[k]
            if b >= 0x80 || b == UInt8(ascii: "K") || b == UInt8(ascii: ";") || b == UInt8(ascii: "`") { return false }
        }
        return true
    }

    /// The value range (in `span`) of the next pair from `position` whose key is well-formed and decodes to
    /// `name`; `position` moves past it. Splits on '&', then on the first '=', in one pass that compares
    /// the key while it looks for the '=' ('&', '=' and hex digits are ASCII, so they never occur inside a
    /// multi-byte character and an escape never hides a separator). Empty segments are skipped.
    static func nextMatch(_ name: Span<UInt8>, in span: Span<UInt8>, from position: inout Int) -> Range<Int>? {
        let ampersand = UInt8(ascii: "&"), equals = UInt8(ascii: "="), percent = UInt8(ascii: "%")
        let count = span.count, nameCount = name.count
        while position < count {
            let start = position
            var i = start
            var n = 0
            var matches = true
            while i < count {
                var b = span[i]
                if b == ampersand || b == equals { break }
                if b == percent {
                    let hi = i + 2 < count ? ASCII.hexValue(span[i + 1]) : 0xFF
                    let lo = i + 2 < count ? ASCII.hexValue(span[i + 2]) : 0xFF
                    guard hi != 0xFF, lo != 0xFF else {
                        // A malformed key: the pair is dropped.
                        while i < count && span[i] != ampersand { i += 1 }
                        matches = false
                        break
                    }
                    b = hi << 4 | lo
                    i += 3
                } else {
                    if b == UInt8(ascii: "+") { b = UInt8(ascii: " ") }
                    i += 1
                }
                if n < nameCount && name[n] == b {
                    n += 1
                } else {
                    // Most keys differ from the name in their first byte: skip the rest of the pair at once.
                    while i < count && span[i] != ampersand { i += 1 }
                    matches = false
                    break
                }
            }
            var valueStart = i
            if matches && i < count && span[i] == equals {
                valueStart = i + 1
                i += 1
                while i < count && span[i] != ampersand { i += 1 }
            }
            position = i + 1
            if matches && n == nameCount && i > start { return valueStart..<i }
        }
        return nil
    }

    /// Decodes the value at `range` of `bytes.span`; nil when an escape is malformed (the pair is dropped).
    static func decode(_ bytes: ArraySlice<UInt8>, _ range: Range<Int>) -> String? {
        let base = bytes.startIndex
        return PercentDecoding.decode(bytes: bytes[(base + range.lowerBound)..<(base + range.upperBound)],
                                      plusIsSpace: true)
    }

    /// Decodes every pair of `bytes` in order, dropping those with a malformed escape.
    static func decodeAll(_ bytes: ArraySlice<UInt8>, into pairs: inout [(name: String, value: String)]) {
        let ampersand = UInt8(ascii: "&"), equals = UInt8(ascii: "=")
        var start = bytes.startIndex
        while start < bytes.endIndex {
            var end = start
            var eq = -1
            while end < bytes.endIndex {
                let b = bytes[end]
                if b == ampersand { break }
                if b == equals && eq < 0 { eq = end }
                end += 1
            }
            if end > start {
                let keyEnd = eq >= 0 ? eq : end
                let valueStart = eq >= 0 ? eq + 1 : end
                if let k = PercentDecoding.decode(bytes: bytes[start..<keyEnd], plusIsSpace: true),
                   let v = PercentDecoding.decode(bytes: bytes[valueStart..<end], plusIsSpace: true) {
                    pairs.append((name: k, value: v))
                }
            }
            start = end + 1
        }
    }
}
