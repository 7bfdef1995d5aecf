// Header fields in arrival order. Names keep their original spelling (clients and tests may care);
// lookups compare ASCII case-insensitively without allocating. A request has few headers, so a linear scan
// beats hashing.
//
// Storage is lazy: the parser hands over one copy of the header section's bytes and the byte ranges of each
// name and value, and a `String` is built only for a value somebody asks for. Most requests have their
// headers looked at once or never (the server reads Origin with -cors and Content-Type of form bodies), so
// building two Strings per field up front was most of the header parsing cost (callgrind).

/// Order-preserving header fields with ASCII case-insensitive lookup.
package struct HTTPHeaders: Sendable, Equatable {
    /// The byte ranges of one field inside `bytes`.
    struct Field: Sendable {
        var nameStart: Int32, nameEnd: Int32, valueStart: Int32, valueEnd: Int32
    }

    /// The bytes every field points into: the header section as received, or names and values appended by
    /// `add`. Bytes between fields (": ", CRLF) are simply never looked at.
    private var bytes: [UInt8]
    private var fields: [Field]

    /// Creates headers from fields in order.
    package init(_ entries: [(name: String, value: String)] = []) {
        bytes = []
        fields = []
        for entry in entries { add(entry.name, entry.value) }
    }

    /// Headers over `bytes` (the parser's copy of a header section) with the given field ranges.
    init(bytes: [UInt8], fields: [Field]) {
        self.bytes = bytes
        self.fields = fields
    }

    /// Every field as received, in order; duplicates are kept. Builds Strings: for tests and rare uses.
    package var entries: [(name: String, value: String)] {
        fields.map { (name: string($0.nameStart, $0.nameEnd), value: string($0.valueStart, $0.valueEnd)) }
    }

    /// The number of fields.
    package var count: Int { fields.count }

    /// The first value of the field `name`, or nil when absent.
    package subscript(_ name: String) -> String? {
        guard let field = first(named: name) else { return nil }
        return string(field.valueStart, field.valueEnd)
    }

    /// Every value of the field `name`, in order.
    package func values(_ name: String) -> [String] {
        let name = Self.lowercased(name)
        return fields.filter { matches($0, lowercasedName: name) }.map { string($0.valueStart, $0.valueEnd) }
    }

    /// Whether a field `name` is present.
    package func contains(_ name: String) -> Bool {
        first(named: name) != nil
    }

    /// Whether the first `name` field's media type — the value before any ';', blanks trimmed — is `type`
    /// (lowercase ASCII bytes), ignoring ASCII case: `Content-Type: application/x-www-form-urlencoded;
    /// charset=utf-8`. Compared on the stored bytes against prepared byte arrays: Strings built and folded
    /// here cost ~4,000 instructions per PUT, and walking a String's UTF-8 view still ~3,000 (callgrind).
    package func hasMediaType(_ type: [UInt8], in name: [UInt8] = HTTPHeaders.contentTypeName) -> Bool {
        guard let field = first(lowercasedName: name) else { return false }
        var start = Int(field.valueStart)
        var end = start
        while end < Int(field.valueEnd) && bytes[end] != UInt8(ascii: ";") { end += 1 }
        while start < end && (bytes[start] == 0x20 || bytes[start] == 9) { start += 1 }
        while end > start && (bytes[end - 1] == 0x20 || bytes[end - 1] == 9) { end -= 1 }
        guard end - start == type.count else { return false }
        for k in 0..<type.count where ASCII.lower(bytes[start + k]) != type[k] { return false }
        return true
    }

    /// "content-type", prepared for `hasMediaType`.
    package static let contentTypeName: [UInt8] = Array("content-type".utf8)

    private func first(lowercasedName name: [UInt8]) -> Field? {
        for field in fields where matches(field, lowercasedName: name) { return field }
        return nil
    }

    /// ASCII case-insensitive comparison of a field's name with `name` (already lowercased), on bytes.
    private func matches(_ field: Field, lowercasedName name: [UInt8]) -> Bool {
        guard Int(field.nameEnd - field.nameStart) == name.count else { return false }
        let start = Int(field.nameStart)
        for k in 0..<name.count where ASCII.lower(bytes[start + k]) != name[k] { return false }
        return true
    }

    /// A name's bytes with ASCII letters lowercased (other bytes, so non-ASCII names, unchanged).
    private static func lowercased(_ name: String) -> [UInt8] {
        name.utf8.map(ASCII.lower)
    }

    /// Same fields, same spelling, same order.
    package static func == (a: HTTPHeaders, b: HTTPHeaders) -> Bool {
        a.fields.count == b.fields.count
            && zip(a.fields, b.fields).allSatisfy { f, g in
                a.bytes[Int(f.nameStart)..<Int(f.nameEnd)].elementsEqual(b.bytes[Int(g.nameStart)..<Int(g.nameEnd)])
                    && a.bytes[Int(f.valueStart)..<Int(f.valueEnd)]
                        .elementsEqual(b.bytes[Int(g.valueStart)..<Int(g.valueEnd)])
            }
    }

    /// Appends a field.
    package mutating func add(_ name: String, _ value: String) {
        let nameStart = Int32(bytes.count)
        bytes.append(contentsOf: name.utf8)
        let valueStart = Int32(bytes.count)
        bytes.append(contentsOf: value.utf8)
        fields.append(Field(nameStart: nameStart, nameEnd: valueStart, valueStart: valueStart,
                            valueEnd: Int32(bytes.count)))
    }

    private func first(named name: String) -> Field? {
        first(lowercasedName: Self.lowercased(name))
    }

    private func string(_ start: Int32, _ end: Int32) -> String {
        String(decoding: bytes[Int(start)..<Int(end)], as: UTF8.self)
    }
}
