// Request parameters with Go net/http FormValue semantics, which etcd's handlers read: the urlencoded body
// (POST and PUT with Content-Type application/x-www-form-urlencoded) comes before the query string, and a
// lookup answers the first value. Pairs are split on '&' only: Go 1.17+ no longer splits on ';', and we treat
// it as an ordinary character. An empty segment is skipped; a pair whose key or value has a malformed escape
// is dropped (Go records an error and goes on); '+' is a space.
//
// Decoding is lazy: the form keeps the raw body and query bytes (shared with the Request, not copied), notes
// where its first pairs lie, and each lookup compares keys with the name byte by byte (decoding escaped ones
// on the fly), building a String only for the value it answers. A request reads a handful of parameters from
// a few short pairs, so decoding every pair up front (an array of pairs, two Strings each) cost more than the
// lookups: ~1,600 instructions per lock request (callgrind). Byte comparison equals String comparison for
// the names the server asks for (ASCII); for any other name, a lookup decodes keys to Strings as before (Swift
// compares Strings by canonical equivalence, so "K" also equals the Kelvin sign U+212A, which a byte
// comparison would miss).

/// Form values: body pairs first, then query pairs, each in order, decoded on lookup.
package struct FormValues: Sendable {
    /// The urlencoded body, empty when it does not apply.
    private let body: ArraySlice<UInt8>
    /// The raw query without "?".
    private let query: ArraySlice<UInt8>
    /// The first pairs' ranges, found once by `init`: a lookup then compares a plain key's length before
    /// any byte, instead of scanning every pair again (a request has a handful of pairs and a handler reads
    /// up to eight parameters).
    /// Kept tiny (three pairs of 16-bit positions packed in a word each, see Pair): the form is built for
    /// every request and copied into the handler's parameters, and an index of Int ranges cost a GET without
    /// parameters more (~400 instructions) than it saved. Pairs past 64 KiB are simply not indexed.
    private var index: InlineArray<3, UInt64>
    private var indexed = 0
    /// Bit n set: an indexed pair has a plain key of n bytes (n < 63), or bit 63: one has an escaped key or
    /// a key of 63 bytes or more. `mayMatch` is then one test instead of a walk over the index words.
    private var keyLengths: UInt64 = 0
    /// Where pairs not in the index start (in the query when `restInQuery`); nil when all are indexed.
    private var rest: Int?
    private var restInQuery = false

    /// The byte ranges of one pair, in `span` positions of its source (body or query).
    private struct Pair {
        var keyStart: Int, keyEnd: Int, valueStart: Int, valueEnd: Int
        var inQuery: Bool
        /// No '%' or '+' in the key: it decodes to itself.
        var plainKey: Bool

        static let limit = 1 << 16

        /// keyStart, keyEnd and valueEnd in bits 0-47; '=' present, inQuery and plainKey in bits 48-50.
        var packed: UInt64 {
            UInt64(keyStart) | UInt64(keyEnd) << 16 | UInt64(valueEnd) << 32
                | (valueStart > keyEnd ? 1 << 48 : 0) | (inQuery ? 1 << 49 : 0) | (plainKey ? 1 << 50 : 0)
        }

        init(keyStart: Int, keyEnd: Int, valueStart: Int, valueEnd: Int, inQuery: Bool, plainKey: Bool) {
            self.keyStart = keyStart
            self.keyEnd = keyEnd
            self.valueStart = valueStart
            self.valueEnd = valueEnd
            self.inQuery = inQuery
            self.plainKey = plainKey
        }

        init(_ word: UInt64) {
            keyStart = Int(word & 0xFFFF)
            keyEnd = Int(word >> 16 & 0xFFFF)
            valueEnd = Int(word >> 32 & 0xFFFF)
            valueStart = word >> 48 & 1 == 1 ? keyEnd + 1 : keyEnd
            inQuery = word >> 49 & 1 == 1
            plainKey = word >> 50 & 1 == 1
        }
    }

    /// Decodes `query` and, when given, an urlencoded `body` (the caller passes it only when it applies).
    package init(query: String, body: [UInt8]? = nil) {
        self.init(body: body?[...] ?? [], query: Array(query.utf8)[...])
    }

    /// Decodes the parameters of `request`, reading its body only where Go's ParseForm would.
    package init(request: borrowing Request) {
        // The query used to be decoded from `request.query`, a String in which invalid UTF-8 was already
        // repaired; bytes of a valid UTF-8 (in practice: ASCII) query are that String's bytes.
        let raw = request.queryBytes
        let span = raw.span
        var bits: UInt8 = 0
        for k in 0..<span.count { bits |= span[k] }
        body = Self.bodyApplies(to: request) ? request.bodyBytes : []
        query = bits < 0x80 ? raw : Array(request.query.utf8)[...]
        index = InlineArray(repeating: 0)
        buildIndex()
    }

    private init(body: ArraySlice<UInt8>, query: ArraySlice<UInt8>) {
        self.body = body
        self.query = query
        index = InlineArray(repeating: 0)
        buildIndex()
    }

    private mutating func buildIndex() {
        let body = self.body, query = self.query
        if body.isEmpty && query.isEmpty { return }
        indexPairs(body.span, inQuery: false)
        if rest == nil { indexPairs(query.span, inQuery: true) }
    }

    /// Splits on '&', then on the first '=', scanning bytes ('&' and '=' are ASCII, so they never occur
    /// inside a multi-byte character); empty segments are skipped. Stops at the first pair the index has
    /// no room for.
    private mutating func indexPairs(_ span: Span<UInt8>, inQuery: Bool) {
        let count = span.count
        var start = 0
        while start < count {
            var i = start
            var eq = -1
            var plain = true
            // The key, up to '=' or '&'.
            while i < count {
                let b = span[i]
                if b == UInt8(ascii: "&") { break }
                if b == UInt8(ascii: "=") {
                    eq = i
                    i += 1
                    break
                }
                if b == UInt8(ascii: "%") || b == UInt8(ascii: "+") { plain = false }
                i += 1
            }
            // The value, up to '&': eight bytes per step while none of them is one (a value is most of a
            // PUT's form, and a byte loop was ~16 instructions per byte; callgrind).
            if eq >= 0 { i = ASCII.firstIndex(of: UInt8(ascii: "&"), in: span, from: i) }
            if i > start {
                guard indexed < index.count, i < Pair.limit else {
                    rest = start
                    restInQuery = inQuery
                    return
                }
                index[indexed] = Pair(keyStart: start, keyEnd: eq < 0 ? i : eq, valueStart: eq < 0 ? i : eq + 1,
                                      valueEnd: i, inQuery: inQuery, plainKey: plain).packed
                indexed += 1
                let keyLength = (eq < 0 ? i : eq) - start
                keyLengths |= plain && keyLength < 63 ? 1 << UInt64(keyLength) : 1 << 63
            }
            start = i + 1
        }
    }

    /// POST or PUT with a non-empty body and an application/x-www-form-urlencoded Content-Type (parameters
    /// such as charset allowed).
    package static func bodyApplies(to request: Request) -> Bool {
        (request.method == .post || request.method == .put) && !request.bodyBytes.isEmpty
            && request.hasFormContentType
    }

    static let formMediaType: [UInt8] = Array("application/x-www-form-urlencoded".utf8)

    /// Every pair in lookup order (decodes everything: for tests and rare uses).
    package var pairs: [(name: String, value: String)] {
        var result: [(name: String, value: String)] = []
        FormBytes.decodeAll(body, into: &result)
        FormBytes.decodeAll(query, into: &result)
        return result
    }

    /// The first value of `name`: nil when absent, "" when present but empty.
    package func value(_ name: String) -> String? {
        if indexed == 0 && rest == nil { return nil }  // no pairs at all (most GETs)
        let key = name.utf8.span
        guard FormBytes.comparesAsBytes(key) else {
            for pair in pairs where pair.name == name { return pair.value }
            return nil
        }
        return value(bytes: key)
    }

    /// The first value of a prepared name (see FormName): the same answer as `value(name.text)`.
    package func value(_ name: borrowing FormName) -> String? {
        value(name, reusing: "")
    }

    /// `value(name)`, answered with `candidate` itself when the value's bytes are exactly `candidate`'s
    /// UTF-8 without an escape ('%' or '+'): decoding them would build an equal String with the same bytes.
    /// A keys PUT that writes the value the key already has (a refresh, a benchmark) then shares the stored
    /// String instead of allocating one, which the store and the node memo would compare and later free
    /// (~500 instructions per PUT; callgrind).
    package func value(_ name: borrowing FormName, reusing candidate: String) -> String? {
        if indexed == 0 && rest == nil { return nil }
        guard name.comparesAsBytes else { return value(name.text) }
        return value(bytes: name.bytes.span, reusing: candidate)
    }

    /// Bit n set: a pair may have a key that compares equal to a name of n bytes (n < 63); bit 63: to a
    /// name of 63 bytes or more. All bits are set when keys were not all indexed or one has an escape. A
    /// name whose `FormName.lengthBit` is not in here is absent: a handler that reads several names can
    /// skip the lookups of the ones a request does not have with one test each (`mayMatch` answers the same
    /// per lookup, behind a call and the checks before it; a keys PUT asks for six names and has one).
    package var keyLengthBits: UInt64 {
        rest != nil || keyLengths & (1 << 63) != 0 ? ~0 : keyLengths
    }

    /// The lookup of a name that compares as bytes.
    private func value(bytes key: Span<UInt8>, reusing candidate: String = "") -> String? {
        if rest == nil && !mayMatch(length: key.count) { return nil }
        var cursor = Cursor()
        while let (inQuery, range) = nextMatch(key, &cursor) {
            // The source is read in place on each side: binding `inQuery ? query : body` copied the slice
            // (a retain and a release per lookup).
            if inQuery {
                if FormBytes.isVerbatim(query.span, range, candidate) { return candidate }
                if let v = FormBytes.decode(query, range) { return v }
            } else {
                if FormBytes.isVerbatim(body.span, range, candidate) { return candidate }
                if let v = FormBytes.decode(body, range) { return v }
            }
        }
        return nil
    }

    /// Whether an indexed pair could have a key of `length` bytes: a plain key of another length cannot
    /// (with byte comparison, see `comparesAsBytes`), an escaped one might. A handler asks for up to eight
    /// names of which a request has one or two; this answers the others from the key lengths the index
    /// noted (~240 instructions per absent name when the pairs were scanned, ~60 walking the index words).
    @inline(__always)
    private func mayMatch(length: Int) -> Bool {
        keyLengths & (1 << 63) != 0 || (length < 63 && keyLengths & (1 << UInt64(length)) != 0)
    }

    /// Whether `name` was given at all.
    package func has(_ name: String) -> Bool {
        value(name) != nil
    }

    /// Every value of `name`, in lookup order.
    package func values(_ name: String) -> [String] {
        let key = name.utf8.span
        guard FormBytes.comparesAsBytes(key) else { return pairs.filter { $0.name == name }.map(\.value) }
        var result: [String] = []
        var cursor = Cursor()
        while let (inQuery, range) = nextMatch(key, &cursor) {
            if let v = FormBytes.decode(inQuery ? query : body, range) { result.append(v) }
        }
        return result
    }

    /// A lookup's progress: through the index, then through the pairs after it.
    private struct Cursor {
        var next = 0
        var position: Int?
        var inQuery = false
    }

    /// The source and value range of the next pair whose key is well-formed and decodes to `name`.
    private func nextMatch(_ name: Span<UInt8>, _ cursor: inout Cursor) -> (inQuery: Bool, value: Range<Int>)? {
        let bodySpan = body.span, querySpan = query.span
        while cursor.next < indexed {
            let pair = Pair(index[cursor.next])
            cursor.next += 1
            let span = pair.inQuery ? querySpan : bodySpan
            let keyStart = pair.keyStart, keyEnd = pair.keyEnd
            let value = pair.valueStart..<pair.valueEnd
            if pair.plainKey {
                guard keyEnd - keyStart == name.count else { continue }
                var k = 0
                while k < name.count && span[keyStart + k] == name[k] { k += 1 }
                if k == name.count { return (pair.inQuery, value) }
            } else if FormBytes.keyMatches(span, keyStart..<keyEnd, name) {
                return (pair.inQuery, value)
            }
        }
        guard let rest else { return nil }
        if cursor.position == nil {
            cursor.position = rest
            cursor.inQuery = restInQuery
        }
        while true {
            var position = cursor.position ?? 0
            let found = FormBytes.nextMatch(name, in: cursor.inQuery ? querySpan : bodySpan, from: &position)
            cursor.position = position
            if let found { return (cursor.inQuery, found) }
            if cursor.inQuery { return nil }
            cursor.inQuery = true
            cursor.position = 0
        }
    }

}
