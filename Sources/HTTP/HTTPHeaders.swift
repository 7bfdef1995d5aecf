// Header fields in arrival order. Names keep their original spelling (clients and tests may care);
// lookups compare ASCII case-insensitively without allocating. A request has few headers, so a linear scan
// beats hashing.
//
// Storage is lazy twice over. A `String` is built only for a value somebody asks for: most requests have
// their headers looked at once or never (the server reads Origin with -cors and Content-Type of form bodies),
// so building two Strings per field up front was most of the header parsing cost (callgrind). And parsed
// headers keep no field table: they hold the connection's buffer (shared, not copied) and the range of the
// header section, which the parser has already validated line by line; a lookup walks those lines again.
// Re-scanning three or four short lines costs less than the allocation of a table that is rarely read
// (~300 instructions per request). Headers built with `add` keep an explicit table over their own bytes.

/// Order-preserving header fields with ASCII case-insensitive lookup.
package struct HTTPHeaders: Sendable, Equatable {
    /// The byte ranges of one field inside `bytes`.
    struct Field: Sendable {
        var nameStart: Int, nameEnd: Int, valueStart: Int, valueEnd: Int
    }

    /// The bytes every field points into: a parsed request's buffer, or names and values appended by `add`.
    /// Bytes between fields (": ", CRLF) are simply never looked at.
    private var bytes: [UInt8]
    /// A validated header section inside `bytes` (lines ending in LF or CRLF, without the final empty line);
    /// its fields come first. Empty for headers built by `add`.
    private var sectionStart: Int
    private var sectionEnd: Int
    /// Fields appended by `add`, after the section's.
    private var added: [Field]
    /// For parsed headers, the value of the first Content-Type field as the parser noted it while validating
    /// (nil: none); `hasMediaType` uses it instead of walking the lines on every PUT and POST.
    private var contentType: Range<Int>?
    private var contentTypeNoted: Bool

    /// Creates headers from fields in order.
    package init(_ entries: [(name: String, value: String)] = []) {
        bytes = []
        sectionStart = 0
        sectionEnd = 0
        added = []
        contentType = nil
        contentTypeNoted = false
        for entry in entries { add(entry.name, entry.value) }
    }

    /// Headers whose fields are the lines of bytes[sectionStart..<sectionEnd], a header section the parser
    /// has validated (every line is a well-formed field; see HeaderFields).
    init(section bytes: [UInt8], from sectionStart: Int, to sectionEnd: Int, contentType: Range<Int>?) {
        self.bytes = bytes
        self.sectionStart = sectionStart
        self.sectionEnd = sectionEnd
        self.added = []
        self.contentType = contentType
        self.contentTypeNoted = true
    }

    /// Walks the fields in order: first the section's lines, then the added fields.
    private struct Cursor {
        var position: Int
        var addedIndex = 0

        mutating func next(_ headers: HTTPHeaders) -> Field? {
            let bytes = headers.bytes
            if position < headers.sectionEnd {
                // A validated line: token name, ':', OWS, value, OWS, optional CR, LF.
                let start = position
                var colon = start
                while bytes[colon] != UInt8(ascii: ":") { colon += 1 }
                var lf = colon + 1
                while lf < headers.sectionEnd && bytes[lf] != RequestParser.lf { lf += 1 }
                position = lf + 1
                var valueStart = colon + 1
                var valueEnd = RequestParser.trimCR(bytes.span, colon + 1, lf)
                while valueStart < valueEnd && ASCII.isBlank(bytes[valueStart]) { valueStart += 1 }
                while valueEnd > valueStart && ASCII.isBlank(bytes[valueEnd - 1]) { valueEnd -= 1 }
                return Field(nameStart: start, nameEnd: colon, valueStart: valueStart, valueEnd: valueEnd)
            }
            guard addedIndex < headers.added.count else { return nil }
            addedIndex += 1
            return headers.added[addedIndex - 1]
        }
    }

    private var cursor: Cursor { Cursor(position: sectionStart) }

    /// Every field as received, in order; duplicates are kept. Builds Strings: for tests and rare uses.
    package var entries: [(name: String, value: String)] {
        var result: [(name: String, value: String)] = []
        var c = cursor
        while let field = c.next(self) {
            result.append((name: string(field.nameStart, field.nameEnd),
                           value: string(field.valueStart, field.valueEnd)))
        }
        return result
    }

    /// The number of fields.
    package var count: Int {
        var n = 0
        var c = cursor
        while c.next(self) != nil { n += 1 }
        return n
    }

    /// The first value of the field `name`, or nil when absent.
    package subscript(_ name: String) -> String? {
        guard let field = first(lowercasedName: Self.lowercased(name)) else { return nil }
        return string(field.valueStart, field.valueEnd)
    }

    /// Every value of the field `name`, in order.
    package func values(_ name: String) -> [String] {
        let name = Self.lowercased(name)
        var result: [String] = []
        var c = cursor
        while let field = c.next(self) {
            if matches(field, lowercasedName: name) { result.append(string(field.valueStart, field.valueEnd)) }
        }
        return result
    }

    /// Whether a field `name` is present.
    package func contains(_ name: String) -> Bool {
        first(lowercasedName: Self.lowercased(name)) != nil
    }

    /// Whether the first `name` field's media type — the value before any ';', blanks trimmed — is `type`
    /// (lowercase ASCII bytes), ignoring ASCII case: `Content-Type: application/x-www-form-urlencoded;
    /// charset=utf-8`. Compared on the stored bytes against prepared byte arrays: Strings built and folded
    /// here cost ~4,000 instructions per PUT, and walking a String's UTF-8 view still ~3,000 (callgrind).
    package func hasMediaType(_ type: [UInt8], in name: [UInt8] = HTTPHeaders.contentTypeName) -> Bool {
        let value: Range<Int>
        if contentTypeNoted && Self.isContentType(name.span) {
            guard let contentType else { return false }
            value = contentType
        } else {
            guard let field = first(lowercasedName: name) else { return false }
            value = field.valueStart..<field.valueEnd
        }
        return Self.mediaType(bytes.span.extracting(value), is: type)
    }

    /// Whether a field value's media type — before any ';', blanks trimmed — is `type` (lowercase ASCII),
    /// ignoring ASCII case. One pass: blanks, the type, then only blanks up to ';' or the end.
    static func mediaType(_ span: Span<UInt8>, is type: [UInt8]) -> Bool {
        let want = type.span
        var i = 0
        let end = span.count
        while i < end && ASCII.isBlank(span[i]) { i += 1 }
        // Field values have no control bytes, so the folded comparison is exact (see ASCII.equalsLowercase).
        guard end - i >= want.count, ASCII.foldedPrefixMatches(span, at: i, want) else { return false }
        i += want.count
        while i < end && ASCII.isBlank(span[i]) { i += 1 }
        return i == end || span[i] == UInt8(ascii: ";")
    }

    private static func isContentType(_ name: Span<UInt8>) -> Bool {
        let want = contentTypeName.span
        guard name.count == want.count else { return false }
        for k in 0..<want.count where name[k] != want[k] { return false }
        return true
    }

    /// "content-type", prepared for `hasMediaType`.
    package static let contentTypeName: [UInt8] = Array("content-type".utf8)

    /// The first field named `name` (lowercase bytes). The section's lines are walked through a Span, the
    /// name compared at the start of each line and the rest of a non-matching line skipped: through the
    /// general cursor this was ~1,800 instructions for the Content-Type of a 3-header PUT (callgrind).
    private func first(lowercasedName name: [UInt8]) -> Field? {
        let n = name.count
        let key = name.span
        // A field name is a token: a name with ':' matches nothing (and must not match "name:value" here).
        for k in 0..<n where key[k] == UInt8(ascii: ":") { return nil }
        let span = bytes.span
        var q = sectionStart
        while q < sectionEnd {
            var matched = q + n < sectionEnd && span[q + n] == UInt8(ascii: ":")
            var k = 0
            while matched && k < n {
                if ASCII.lower(span[q + k]) != key[k] { matched = false }
                k += 1
            }
            // Every line of the section ends with LF; a matched line has its first ':' at q + n.
            var lf = matched ? q + n + 1 : q
            while span[lf] != RequestParser.lf { lf += 1 }
            if matched {
                var valueStart = q + n + 1
                var valueEnd = lf > valueStart && span[lf - 1] == RequestParser.cr ? lf - 1 : lf
                while valueStart < valueEnd && ASCII.isBlank(span[valueStart]) { valueStart += 1 }
                while valueEnd > valueStart && ASCII.isBlank(span[valueEnd - 1]) { valueEnd -= 1 }
                return Field(nameStart: q, nameEnd: q + n, valueStart: valueStart, valueEnd: valueEnd)
            }
            q = lf + 1
        }
        for field in added where matches(field, lowercasedName: name) { return field }
        return nil
    }

    /// ASCII case-insensitive comparison of a field's name with `name` (already lowercased), on bytes.
    private func matches(_ field: Field, lowercasedName name: [UInt8]) -> Bool {
        guard field.nameEnd - field.nameStart == name.count else { return false }
        let start = field.nameStart
        for k in 0..<name.count where ASCII.lower(bytes[start + k]) != name[k] { return false }
        return true
    }

    /// A name's bytes with ASCII letters lowercased (other bytes, so non-ASCII names, unchanged).
    private static func lowercased(_ name: String) -> [UInt8] {
        name.utf8.map(ASCII.lower)
    }

    /// Same fields, same spelling, same order (wherever their bytes are stored).
    package static func == (a: HTTPHeaders, b: HTTPHeaders) -> Bool {
        var c = a.cursor, d = b.cursor
        while true {
            let f = c.next(a), g = d.next(b)
            guard let f, let g else { return f == nil && g == nil }
            guard a.bytes[f.nameStart..<f.nameEnd].elementsEqual(b.bytes[g.nameStart..<g.nameEnd]),
                  a.bytes[f.valueStart..<f.valueEnd].elementsEqual(b.bytes[g.valueStart..<g.valueEnd])
            else { return false }
        }
    }

    /// Appends a field.
    package mutating func add(_ name: String, _ value: String) {
        contentTypeNoted = false  // the added field may be the first Content-Type
        let nameStart = bytes.count
        bytes.append(contentsOf: name.utf8)
        let valueStart = bytes.count
        bytes.append(contentsOf: value.utf8)
        added.append(Field(nameStart: nameStart, nameEnd: valueStart, valueStart: valueStart, valueEnd: bytes.count))
    }

    private func string(_ start: Int, _ end: Int) -> String {
        String(decoding: bytes[start..<end], as: UTF8.self)
    }
}
