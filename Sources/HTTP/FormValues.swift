// Request parameters with Go net/http FormValue semantics, which etcd's handlers read: the urlencoded body
// (POST and PUT with Content-Type application/x-www-form-urlencoded) comes before the query string, and a
// lookup answers the first value. Pairs are split on '&' only: Go 1.17+ no longer splits on ';', and we treat
// it as an ordinary character. An empty segment is skipped; a pair whose key or value has a malformed escape
// is dropped (Go records an error and goes on); '+' is a space.

/// Decoded form values: body pairs first, then query pairs, each in order.
package struct FormValues: Sendable {
    /// Every pair in lookup order.
    package private(set) var pairs: [(name: String, value: String)] = []

    /// Decodes `query` and, when given, an urlencoded `body` (the caller passes it only when it applies).
    package init(query: String, body: [UInt8]? = nil) {
        if let body, !body.isEmpty {
            Self.decode(Substring(String(decoding: body, as: UTF8.self)), into: &pairs)
        }
        Self.decode(Substring(query), into: &pairs)
    }

    /// Decodes the parameters of `request`, reading its body only where Go's ParseForm would.
    package init(request: Request) {
        self.init(query: request.query, body: Self.bodyApplies(to: request) ? request.body : nil)
    }

    /// POST or PUT with an application/x-www-form-urlencoded Content-Type (parameters such as charset allowed).
    package static func bodyApplies(to request: Request) -> Bool {
        guard request.method == .post || request.method == .put else { return false }
        guard let contentType = request.headers["Content-Type"] else { return false }
        var trimmed = contentType.prefix { $0 != ";" }
        while let last = trimmed.last, last == " " || last == "\t" { trimmed = trimmed.dropLast() }
        return ASCII.equalsIgnoringCase(String(trimmed), "application/x-www-form-urlencoded")
    }

    /// The first value of `name`: nil when absent, "" when present but empty.
    package func value(_ name: String) -> String? {
        for pair in pairs where pair.name == name { return pair.value }
        return nil
    }

    /// Whether `name` was given at all.
    package func has(_ name: String) -> Bool {
        value(name) != nil
    }

    /// Every value of `name`, in lookup order.
    package func values(_ name: String) -> [String] {
        pairs.filter { $0.name == name }.map(\.value)
    }

    private static func decode(_ s: Substring, into pairs: inout [(name: String, value: String)]) {
        // Split on the UTF-8 bytes: '&' and '=' are ASCII, so byte positions are valid String indexes, and
        // Substring.split/firstIndex over Characters cost ~7,000 instructions per lock request (callgrind).
        let utf8 = s.utf8
        for segment in utf8.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let key: Substring, value: Substring
            if let eq = segment.firstIndex(of: UInt8(ascii: "=")) {
                key = s[segment.startIndex..<eq]
                value = s[utf8.index(after: eq)..<segment.endIndex]
            } else {
                key = s[segment.startIndex..<segment.endIndex]
                value = ""
            }
            guard let k = PercentDecoding.decode(key, plusIsSpace: true),
                  let v = PercentDecoding.decode(value, plusIsSpace: true) else { continue }
            pairs.append((name: k, value: v))
        }
    }
}
