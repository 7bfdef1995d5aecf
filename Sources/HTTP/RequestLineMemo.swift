// The last request lines a connection's parser accepted, byte for byte, with their parsed layouts.
//
// Why: a client that polls (a watch re-armed, a health check, a load generator, a heartbeat PUT) sends the
// same request line again and again, and validating it cost ~1,300 instructions of a keys request while
// comparing it costs a few per byte (callgrind). Two lines are kept, the one used last and the one before:
// a lock client alternates an acquire whose line repeats (same name, same ttl) with a release whose line
// does not (the index changes), and the release must not evict the acquire. A line that is not remembered
// costs a comparison up to its first differing byte per entry and a copy of its bytes into an entry's buffer;
// a line that only has another query than a remembered one (the release after an acquire: same method and
// path, another index) reuses that one's layout up to the '?' and checks only the rest.
//
// Invariant, as for HeaderSectionMemo: a hit answers exactly what parsing would. A layout is a pure function
// of the line's bytes; the comparison includes the line ending, so the line ends at the same offset; only
// lines that parsed and were within the limit are remembered, and a recall checks the limit again.

/// The remembered request lines of a connection.
struct RequestLineMemo {
    /// Longer lines are not remembered (a connection holds at most twice this much more).
    static let maxBytes = 256

    private struct Entry {
        /// The line's bytes through its LF; empty: nothing remembered.
        var bytes: [UInt8] = []
        /// Where the line's content ends (before CR LF or LF), relative to its start.
        var contentLength = 0
        /// The layout, with every position relative to the line's start.
        var line: RequestLine?
    }

    private var first = Entry()
    private var second = Entry()
    /// Whether `second` was used last (then a new line replaces `first`).
    private var secondIsRecent = false

    /// The layout of the line at `start` and where its LF is, when it is a remembered one and its content is
    /// no longer than `limit`; failing that, when it equals a remembered line with a query up to and including
    /// its '?' and only the query differs (see RequestLine.reparsingQuery: a lock release repeats its
    /// acquire's method and path with another index). nil: the caller parses the line in full.
    mutating func recall(_ buffer: Span<UInt8>, at start: Int, limit: Int) -> (line: RequestLine, lf: Int)? {
        if let hit = Self.match(first, buffer, start, limit) {
            secondIsRecent = false
            return hit
        }
        if let hit = Self.match(second, buffer, start, limit) {
            secondIsRecent = true
            return hit
        }
        if let hit = Self.matchUpToQuery(first, buffer, start, limit) { return hit }
        return Self.matchUpToQuery(second, buffer, start, limit)
    }

    private static func matchUpToQuery(_ entry: Entry, _ buffer: Span<UInt8>, _ start: Int, _ limit: Int)
        -> (line: RequestLine, lf: Int)?
    {
        guard let line = entry.line, line.hasQuery else { return nil }
        let remembered = entry.bytes.span
        // Through the '?' (queryMark is relative to the line's start in the memo).
        let n = line.queryMark + 1
        guard buffer.count - start > n else { return nil }
        guard ASCII.equalBytes(buffer, at: start, remembered.extracting(0..<n)) else { return nil }
        return RequestLine.reparsingQuery(of: line.shifted(by: start), buffer, lineStart: start, limit: limit)
    }

    private static func match(_ entry: Entry, _ buffer: Span<UInt8>, _ start: Int, _ limit: Int) -> (line: RequestLine, lf: Int)? {
        let remembered = entry.bytes.span
        let n = remembered.count
        guard n > 0, entry.contentLength <= limit, buffer.count - start >= n, let line = entry.line else { return nil }
        // From the end: lines of one client differ mostly in their last part (the query: an index, a value),
        // and a line of another length fails at once on its LF.
        guard ASCII.equalBytes(buffer, at: start, remembered, fromEnd: true) else { return nil }
        return (line.shifted(by: start), start + n - 1)
    }

    /// Remembers the line buffer[start...lf] (content up to `lineEnd`) and its layout, in place of the entry
    /// used less recently.
    mutating func remember(_ buffer: [UInt8], from start: Int, lineEnd: Int, lf: Int, line: RequestLine) {
        guard lf + 1 - start <= Self.maxBytes else { return }
        if secondIsRecent {
            Self.store(&first, buffer, start, lineEnd, lf, line)
        } else {
            Self.store(&second, buffer, start, lineEnd, lf, line)
        }
        secondIsRecent.toggle()
    }

    private static func store(_ entry: inout Entry, _ buffer: [UInt8], _ start: Int, _ lineEnd: Int, _ lf: Int,
                              _ line: RequestLine) {
        // Emptied with its capacity kept: a changing line reuses the same buffer.
        entry.bytes.removeAll(keepingCapacity: true)
        entry.bytes.append(contentsOf: buffer[start...lf])
        entry.contentLength = lineEnd - start
        entry.line = line.shifted(by: -start)
    }
}
