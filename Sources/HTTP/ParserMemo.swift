// What a connection's parser remembers between requests: its last request lines and header section (see
// RequestLineMemo and HeaderSectionMemo). A separate object, made only when a connection sends its second
// request: a connection that sends one request and then waits (a parked lock waiter, a watch) holds one
// reference, not the memos' buffers and entries (~300 bytes; 15,000 parked waiters must stay under 2 KiB
// each), and a memo only pays off from a connection's repeated requests anyway. A copy of a parser shares
// its memo (a reference): that can change which requests hit, never an answer.

/// A connection's parser memos.
final class ParserMemo {
    // The parser is the only user, on the loop thread, never re-entrantly: no dynamic exclusivity checks
    // (they cost ~20 instructions per access). Every memo method is `mutating`, even a lookup: a
    // non-mutating call on a class's stored struct copies the struct (retains of its buffers) first.
    @exclusivity(unchecked) var line = RequestLineMemo()
    @exclusivity(unchecked) var section = HeaderSectionMemo()
}
