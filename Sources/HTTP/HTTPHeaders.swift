// Header fields in arrival order. Names keep their original spelling (clients and tests may care);
// lookups compare ASCII case-insensitively without allocating. A request has few headers, so a linear scan
// beats hashing.

/// Order-preserving header fields with ASCII case-insensitive lookup.
package struct HTTPHeaders: Sendable, Equatable {
    /// Every field as received, in order; duplicates are kept.
    package var entries: [(name: String, value: String)]

    /// Creates headers from fields in order.
    package init(_ entries: [(name: String, value: String)] = []) {
        self.entries = entries
    }

    /// The first value of the field `name`, or nil when absent.
    package subscript(_ name: String) -> String? {
        for entry in entries where ASCII.equalsIgnoringCase(entry.name, name) {
            return entry.value
        }
        return nil
    }

    /// Every value of the field `name`, in order.
    package func values(_ name: String) -> [String] {
        entries.filter { ASCII.equalsIgnoringCase($0.name, name) }.map(\.value)
    }

    /// Whether a field `name` is present.
    package func contains(_ name: String) -> Bool {
        self[name] != nil
    }

    /// Same fields, same spelling, same order.
    package static func == (a: HTTPHeaders, b: HTTPHeaders) -> Bool {
        a.entries.count == b.entries.count
            && zip(a.entries, b.entries).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }

    /// Appends a field.
    package mutating func add(_ name: String, _ value: String) {
        entries.append((name: name, value: value))
    }
}
