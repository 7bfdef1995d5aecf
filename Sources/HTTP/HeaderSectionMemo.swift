// The last header section a connection's parser accepted, byte for byte, with what HeaderFields made of it.
//
// Why: a client on a keep-alive connection sends the same header lines with request after request (its Host,
// User-Agent, Content-Type, often the same Content-Length), and validating and interpreting them again cost
// ~2,500 instructions of a three-header keys PUT (callgrind), while comparing them with the remembered bytes
// costs a few per byte. Only the header section is remembered: request lines differ (keys, indexes).
//
// Invariant: a hit answers exactly what parsing would: the facts are a pure function of the section's bytes,
// the section is compared including its final empty line (so it ends at the same offset), and only sections
// that parsed completely and within the parser's limits are remembered. The memo is bounded (`maxBytes`), so
// an idle connection holds at most that much more.

/// One remembered header section of a connection.
struct HeaderSectionMemo {
    /// Sections longer than this are not remembered: comparing them would cost more, and every connection
    /// (15,000 parked lock waiters, say) would hold them.
    static let maxBytes = 512

    /// The section's bytes from its first field line through its final empty line; empty: nothing remembered.
    private var bytes: [UInt8] = []
    private var emptyLineOffset = 0
    /// What the section said, with `contentType` relative to the section's start.
    private var fields = HeaderFields()

    /// The facts of the section at `start` and where it ends, when it is the remembered one and no longer
    /// than `limit` (a section the parser's current limit certainly admits).
    mutating func recall(_ buffer: Span<UInt8>, at start: Int, limit: Int) -> (fields: HeaderFields, emptyLine: Int, after: Int)? {
        let remembered = bytes.span
        let n = remembered.count
        guard n > 0, n <= limit, buffer.count - start >= n else { return nil }
        guard ASCII.equalBytes(buffer, at: start, remembered) else { return nil }
        var recalled = fields
        if let range = recalled.contentType { recalled.contentType = (range.lowerBound + start)..<(range.upperBound + start) }
        return (recalled, start + emptyLineOffset, start + n)
    }

    /// Remembers the section buffer[start..<after] (its empty line at `emptyLine`) and its facts.
    mutating func remember(_ buffer: [UInt8], from start: Int, emptyLine: Int, after: Int, fields: HeaderFields) {
        // Emptied with its capacity kept: a connection whose headers change reuses the same buffer.
        bytes.removeAll(keepingCapacity: true)
        guard after - start <= Self.maxBytes else { return }
        bytes.append(contentsOf: buffer[start..<after])
        emptyLineOffset = emptyLine - start
        var relative = fields
        if let range = relative.contentType { relative.contentType = (range.lowerBound - start)..<(range.upperBound - start) }
        self.fields = relative
    }
}
